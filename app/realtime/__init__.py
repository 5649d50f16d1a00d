"""Real-time layer: socket handlers (handlers.py), who is connected (connections.py) and
the one place that broadcasts (broadcast.py). The client contract is docs/PROTOCOL.md."""
