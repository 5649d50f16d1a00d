"""Baseline: a bare Flask-SocketIO server speaking the benchmark's subset of the protocol.

No database, no auth, no validation: join -> room, post -> broadcast, vote -> count in
memory and broadcast the totals (coalesced every TALLY_INTERVAL like Plenary), phase.set ->
broadcast. Same async mode and server options as wsgi.py, so Plenary's figures divided by
these are the cost of Plenary itself. bench/baseline-node/server.js does the same in Node.
Run: ASYNC_MODE=eventlet PORT=5001 python bench/baseline_flask.py
"""
import os

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import threading  # noqa: E402
from collections import Counter  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=ASYNC_MODE, logger=False, engineio_logger=False)
INTERVAL = float(os.environ.get("TALLY_INTERVAL", "0.15"))
state = {"version": 0, "next_id": 1}
votes: Counter = Counter()
changed: set = set()
lock = threading.Lock()
flush_pending = [False]


def envelope(kind, data):
    with lock:
        state["version"] += 1
        return {"version": state["version"], "type": kind, "data": data}


@app.get("/")
def index():
    return "baseline"


@socketio.on("workshop.join")
def on_join(payload):
    join_room(f"w:{payload['workshop_id']}")
    return {"ok": True, "role": payload.get("role"), "version": state["version"]}


@socketio.on("idea.post")
def on_post(payload):
    with lock:
        idea = {"id": state["next_id"], "text": payload["text"], "votes": 0}
        state["next_id"] += 1
    message = envelope("idea.posted", {"idea": idea})
    socketio.emit("idea.posted", message, to=f"w:{payload['workshop_id']}")
    return {"ok": True, "idea": idea, "version": message["version"]}


@socketio.on("phase.set")
def on_phase(payload):
    message = envelope("phase.changed", {"phase": payload["phase"]})
    socketio.emit("phase.changed", message, to=f"w:{payload['workshop_id']}")
    return {"ok": True, "phase": payload["phase"], "version": message["version"]}


@socketio.on("vote.cast")
def on_vote(payload):
    room = f"w:{payload['workshop_id']}"
    with lock:
        votes[payload["idea_id"]] += 1
        changed.add(payload["idea_id"])
        start = not flush_pending[0]
        flush_pending[0] = True
    if start:
        socketio.start_background_task(flush, room)
    return {"ok": True, "idea_id": payload["idea_id"]}


def flush(room):
    socketio.sleep(INTERVAL)
    with lock:
        totals = {str(i): votes[i] for i in changed}
        changed.clear()
        flush_pending[0] = False
    socketio.emit("votes.tallied", envelope("votes.tallied", {"tallies": totals}), to=room)


if __name__ == "__main__":
    HOST, PORT = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5001"))
    BACKLOG = 1024  # as wsgi.py: the same listen backlog and connection cap as Plenary
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi
        eventlet.wsgi.server(eventlet.listen((HOST, PORT), backlog=BACKLOG), app,
                             log_output=False, max_size=10000)
    else:
        options = {"allow_unsafe_werkzeug": True} if ASYNC_MODE == "threading" else {
            "backlog": BACKLOG}
        socketio.run(app, host=HOST, port=PORT, log_output=False, **options)
