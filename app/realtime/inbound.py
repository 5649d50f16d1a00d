"""The outer wall against message floods: a per-connection rate on raw incoming messages.

The event budgets (budgets.py) answer each event with a clear ack, but only once
Socket.IO has decoded it and Flask-SocketIO has built a request context for it: at a few
thousand messages a second from a handful of clients, that work alone starved an eventlet
worker and every honest phone timed out (docs/PERFORMANCE.md, hostile load). Here each
Engine.IO connection may send at most INBOUND_BURST messages at once and INBOUND_RATE a
second after that; extra messages are dropped before any decoding, and a connection that
keeps flooding (INBOUND_STRIKES drops within a few seconds) is closed. An honest page sends
a few messages a second at most (its outbox after a reconnect: a few dozen at once).

Hooked through python-engineio's public `on("message")` / `on("disconnect")`: the handlers
python-socketio registered are wrapped, once per app.
"""
import logging
import threading
import time

log = logging.getLogger(__name__)
STRIKE_WINDOW = 5.0


def limit_inbound(eio_server, burst: float, rate: float, strikes: int) -> None:
    on_message = eio_server.handlers["message"]
    on_disconnect = eio_server.handlers["disconnect"]
    lock = threading.Lock()
    state: dict = {}  # eio sid -> [tokens, stamp, drops, window start]

    def message(eio_sid, data):
        now = time.monotonic()
        with lock:
            entry = state.get(eio_sid)
            if entry is None:
                entry = state[eio_sid] = [burst, now, 0, now]
            entry[0] = min(burst, entry[0] + (now - entry[1]) * rate)
            entry[1] = now
            allowed = entry[0] >= 1
            if allowed:
                entry[0] -= 1
            else:
                if now - entry[3] > STRIKE_WINDOW:
                    entry[2], entry[3] = 0, now
                entry[2] += 1
                flooding = entry[2] == strikes
        if allowed:
            return on_message(eio_sid, data)
        # A flooder's reader always finds its next message waiting, so it would never block
        # and, under eventlet or gevent, never let another client's task run: yield here.
        eio_server.sleep(0)
        if flooding:
            log.warning("closing %s: more than %d messages dropped in %.0f s (INBOUND_RATE)",
                        eio_sid, strikes, STRIKE_WINDOW)
            eio_server.disconnect(eio_sid)
        return None

    def disconnect(eio_sid, *args):
        with lock:
            state.pop(eio_sid, None)
        return on_disconnect(eio_sid, *args)

    eio_server.on("message", message)
    eio_server.on("disconnect", disconnect)
