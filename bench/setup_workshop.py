"""Prepare a benchmark database in its own process: migrations, then one workshop.

Prints the workshop as JSON ({"id", "code", "token", "screen_token"}). Usage:
    python bench/setup_workshop.py <DATABASE_URL> [first_workshop_id]
first_workshop_id (PostgreSQL only) starts the ids high, so the bench's Socket.IO rooms
(w:<id>) never meet those of tests sharing the same Redis server.
"""
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("ASYNC_MODE", "threading")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.services import workshops  # noqa: E402


def main(url: str, first_id: int | None = None) -> dict:
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="bench",
                     ASYNC_MODE="threading", MESSAGE_QUEUE_URL=None)
    with app.app_context():
        upgrade()
        if first_id and url.startswith("postgresql"):
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('workshop', 'id'), "
                                    ":n)"), {"n": first_id})
        event = workshops.create_event("Benchmark conference")
        workshop = workshops.create_workshop(
            event, "Interregional value chains", "How can clusters connect value chains?",
            vote_budget=20, vote_cap=1)
        workshop.phase = "collecting"
        db.session.commit()
        info = {"id": workshop.id, "code": workshop.code, "token": workshop.facilitator_token,
                "screen_token": workshop.screen_token}  # the projector link, /p/<token>
        db.session.remove()
        db.engine.dispose()
        return info


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)))
