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
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# As wsgi.py: patch before anything imports the app (wsgi.py patching again is harmless).
if os.environ.get("ASYNC_MODE", "eventlet") == "eventlet":
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    import eventlet

    eventlet.monkey_patch()
elif os.environ.get("ASYNC_MODE") == "gevent":
    from gevent import monkey

    monkey.patch_all()

from app.realtime import handlers  # noqa: E402


def empty_join(payload):
    return {"ok": True, "role": payload.get("role") if isinstance(payload, dict) else None}


handlers.join = empty_join  # read by handlers.register() when wsgi.py creates the app
runpy.run_path(str(ROOT / "wsgi.py"), run_name="__main__")
