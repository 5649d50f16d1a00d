"""GET /healthz: is this worker able to serve? For load balancers, systemd and monitoring.

200 {"ok": true, ...} when the database answers (and Redis, with MESSAGE_QUEUE_URL);
503 with the failing part named otherwise. Counts only: nothing about any workshop.
"""
import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from ..realtime import connections

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = {"database": _timed(lambda: db.session.execute(text("SELECT 1")))}
    url = current_app.config["MESSAGE_QUEUE_URL"]
    if url and url.startswith(("redis://", "rediss://")):
        checks["queue"] = _timed(lambda: _redis_ping(url))
    ok = all(check["ok"] for check in checks.values())
    return jsonify(ok=ok, checks=checks, sockets=connections.socket_count(),
                   snapshots_cached=len(current_app.extensions["plenary_snapshots"])), \
        200 if ok else 503


def _timed(probe) -> dict:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # the answer names what failed, and why
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round(1000 * (time.perf_counter() - started), 1)}


def _redis_ping(url: str) -> None:
    import redis
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
