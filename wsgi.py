"""Entry point: `python wsgi.py` serves Plenary (eventlet by default).

Monkey-patching happens here, first, and only here: the app code never imports eventlet
or gevent, so switching servers is the ASYNC_MODE setting (eventlet, gevent, threading).
"""
import gc
import os

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    # No green DNS (dnspython, ~8 MB in every worker): this process looks a host name up
    # only when it opens a database or Redis connection, where a blocking lookup is brief.
    # EVENTLET_NO_GREENDNS=no brings it back.
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

# The sentence encoder and the grouping run in a suggestion worker process, not here: a
# serving process stays lean and its sockets never wait for the CPU-bound encoding
# (app/suggest/remote.py). SUGGEST_PROCESS=inline keeps them in this process.
os.environ.setdefault("SUGGEST_PROCESS", "worker")

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402

# A serving process needs no migration commands (alembic): run those with
# `flask --app "app:create_app()" db upgrade` (make migrate).
app = create_app(os.environ.get("PLENARY_CONFIG"), ASYNC_MODE=ASYNC_MODE, MIGRATIONS=False)

# eventlet's WSGI server silently caps concurrent connections at 1,024 unless told otherwise.
MAX_CONNECTIONS = int(os.environ.get("MAX_CONNECTIONS", "10000"))
# Connections waiting to be accepted. Flask-SocketIO listens with eventlet's default of 50:
# when a crowd arrives while the server is busy, the kernel drops the 51st handshake and
# that phone waits a whole second to retry (counted in `nstat TcpExtListenOverflows`).
# The kernel caps it at net.core.somaxconn (4,096 on current Linux).
LISTEN_BACKLOG = int(os.environ.get("LISTEN_BACKLOG", "1024"))


def freeze_startup_objects() -> int:
    """Move everything built at start-up (Flask, SQLAlchemy, the suggestion libraries: some
    260,000 objects) out of the garbage collector's reach. Otherwise each full collection
    walks them all, pausing every connection at once for 100-200 ms (docs/PERFORMANCE.md)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


# Collect the youngest generation after 5,000 new container objects instead of 700. Each
# young collection counts toward an older one, and with start-up frozen each full (gen 2)
# collection walks every connection's objects while all of them wait (~200 ms at 3,000
# phones). In 3 rounds of 3,000 phones joining and leaving, full collections went from 26
# (4.3 s of CPU) to 6 (1.3 s), all collections from 5.9 s to 3.5 s, same peak memory
# (docs/PERFORMANCE.md, "Issue 16, fifth pass"). Older generations keep Python's defaults,
# so cyclic garbage from closed connections is still collected as often.
GC_YOUNG_THRESHOLD = int(os.environ.get("GC_YOUNG_THRESHOLD", "5000"))


def set_up_collector(young_threshold: int = GC_YOUNG_THRESHOLD) -> None:
    """Once start-up is done, by main() or when a server (gunicorn) imports this module:
    freeze what start-up built, then collect the young generation less often."""
    freeze_startup_objects()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    if os.environ.get("SUGGEST_WARMUP", "1") == "1":
        from app.services.errors import Unavailable
        from app.suggest import warm_up
        try:
            print(f"Suggestions: {warm_up()} backend", flush=True)
        except Unavailable as error:  # served all the same; suggestions retry on first use
            print(f"Suggestions: not ready ({error.message})", flush=True)
    from app.realtime import broadcast
    # tallies a crash left pending reach clients at once
    app.extensions[broadcast.EXTENSION].start_tally_sweeper()
    set_up_collector()
    print(f"Plenary on http://{host}:{port}/ ({ASYNC_MODE})", flush=True)
    if ASYNC_MODE == "eventlet":
        serve_eventlet(host, port)
    else:
        options = {"allow_unsafe_werkzeug": True} if ASYNC_MODE == "threading" else {
            "backlog": LISTEN_BACKLOG}  # gevent
        socketio.run(app, host=host, port=port, log_output=False, **options)


def serve_eventlet(host: str, port: int) -> None:
    """What socketio.run() does for eventlet (no TLS: a proxy in front terminates it,
    docs/DEPLOYMENT.md), with a listen backlog of our own and the connection cap raised."""
    import eventlet.green.socket
    import eventlet.wsgi

    family, _kind, _proto, _name, address = eventlet.green.socket.getaddrinfo(host, port)[0]
    listener = eventlet.listen(address, family, backlog=LISTEN_BACKLOG)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=MAX_CONNECTIONS)


if __name__ == "__main__":
    main()
else:  # imported by a server (gunicorn -k eventlet wsgi:app): the same collector set-up
    set_up_collector()
