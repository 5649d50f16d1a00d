"""Erase means erased (docs/PRIVACY.md, "For how long"): the erased values leave the
database files."""
import logging
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Workshop
from app.services import privacy
from test_web import organiser_client

JSON = {"Accept": "application/json"}
# Distinctive values: found in the files only if the erase left them there.
CONTACT = "ana.unique-marker@example.eu"
ORGANISATION = "Quillfeather Unique-Marker Cooperative"
EDITED_AWAY = "Zebrafinch Earlier-Name Institute"  # an organisation Ana typed, then changed
WITHDRAWN = "https://withdrawn-marker.example.org"  # a contact given, then opted out


def event_id_of(app, workshop) -> int:
    with app.app_context():
        return db.session.get(Workshop, workshop["id"]).event_id


def sqlite_files(app) -> list[Path]:
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    return [f for f in (path, Path(f"{path}-wal")) if f.exists()]


def found_in_files(app, value: str) -> list[str]:
    return [f.name for f in sqlite_files(app) if value.encode() in f.read_bytes()]


@pytest.fixture
def filled(app, connect, workshop):
    """Two attendees who filled in "About you" (one edited it, one opted out again), a
    facilitator, and an idea."""
    console = connect("facilitator")
    ana, ben = connect(), connect()
    assert ana.write("profile.update", display_name="Ana", organisation=EDITED_AWAY,
                     kind="cluster", region="Valencia")["ok"]
    assert ana.write("profile.update", organisation=ORGANISATION, contact=CONTACT,
                     match_opt_in=True)["ok"]
    assert ben.write("profile.update", display_name="Ben", region="Navarra",
                     contact=WITHDRAWN, match_opt_in=True)["ok"]
    assert ben.write("profile.update", match_opt_in=False)["ok"]
    assert ana.write("idea.post", text="Shared testbeds for regional clusters")["ok"]
    return console, ana, ben


def erase(app, workshop, console):
    console.write("phase.set", phase="closed")
    organiser = organiser_client(app)
    answer = organiser.post(f"/organiser/events/{event_id_of(app, workshop)}"
                            "/erase-personal-data", json={"confirm": True}, headers=JSON)
    assert answer.get_json()["ok"] is True, answer.get_json()
    return organiser


# --- the database files ------------------------------------------------------------------

@pytest.mark.skipif(bool(__import__("conftest").PG_URL), reason="SQLite files only")
def test_erased_values_leave_the_sqlite_files(app, filled, workshop, caplog):
    console, ana, ben = filled
    assert found_in_files(app, CONTACT) and found_in_files(app, ORGANISATION)  # the test sees
    caplog.set_level(logging.INFO, logger="app.services.privacy")
    erase(app, workshop, console)
    # (regions stay, as the anonymous counts frozen for the support breakdown)
    for value in (CONTACT, ORGANISATION, EDITED_AWAY, WITHDRAWN):
        assert found_in_files(app, value) == [], value
    wal = [f for f in sqlite_files(app) if f.name.endswith("-wal")]
    assert not wal or wal[0].stat().st_size < 64 * 1024  # truncated, bar later writes
    assert "storage scrubbed" in caplog.text and "could not" not in caplog.text
    assert ana.write("idea.post", text="Still here")["ok"] is False  # closed, as before


@pytest.mark.skipif(bool(__import__("conftest").PG_URL), reason="SQLite only")
def test_a_busy_checkpoint_is_retried_briefly_logged_and_never_fails(app, filled, caplog):
    database = sqlite_files(app)[0]
    reader = sqlite3.connect(database, isolation_level=None)
    try:  # another connection in the middle of a long read, on a snapshot in the WAL
        with app.app_context():
            db.session.execute(text("UPDATE participant SET region = region"))
            db.session.commit()
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM participant").fetchone()
        with app.app_context():
            started = time.monotonic()
            assert privacy.scrub_storage() is False
            assert time.monotonic() - started < 5
        assert "could not be checkpointed" in caplog.text
    finally:
        reader.execute("COMMIT")
        reader.close()
    with app.app_context():
        assert privacy.scrub_storage() is True  # the next try (erase-expired) completes
    wal = Path(f"{database}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_scrubbing_completes_on_this_database(app, filled, workshop):
    """SQLite: the WAL checkpoint; PostgreSQL: VACUUM, outside any transaction."""
    console, _ana, _ben = filled
    erase(app, workshop, console)
    with app.app_context():
        assert privacy.scrub_storage() is True
        if db.engine.dialect.name == "postgresql":
            vacuumed = db.session.execute(text(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL "
                "AND relname IN ('participant', 'processed_write')")).scalars().all()
            assert sorted(vacuumed) == ["participant", "processed_write"]
