"""Plenary with an empty `workshop.join`: the floor under a join (bench/joins.py's target
`plenary-floor`). A bench-only server: never serve anyone with it.

wsgi.py exactly as it serves (inbound wall, event budgets, cookie session, direct fan-out),
except that `workshop.join` answers `{ok, role}` without any of its own work: no grant
checked, no participant made, no room entered, no snapshot. Its joins per second against
`plenary` and `flask-bare` say where a join's time goes: when the floor matches bare
Flask-SocketIO, Plenary's connection stack costs what the library's does, and the rest of
a join is the join's own work.

    ASYNC_MODE=eventlet PORT=5002 python bench/join_floor.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import wsgi  # noqa: E402  (patches eventlet/gevent first and builds the app, as it serves)
from app.extensions import socketio  # noqa: E402
from app.realtime.handlers import guarded  # noqa: E402


def empty_join(payload):
    return {"ok": True, "role": payload.get("role") if isinstance(payload, dict) else None}


# In place of joining.join, behind the same budget and error handling (guarded).
socketio.on_event("workshop.join", guarded("workshop.join", empty_join))
wsgi.main()
