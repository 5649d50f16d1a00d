"""Erase means erased (docs/PRIVACY.md, "For how long"): the erased values leave the
database files, an erased event takes no new personal data, and nothing claims "erased"
while some is stored."""
import logging
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Event, Participant, Workshop
from app.services import privacy
from helpers import make_workshop
from test_web import organiser_client

# (not `from conftest import …`: with tests/browser collected, that names the other conftest)
ON_POSTGRES = bool(os.environ.get("PLENARY_TEST_DATABASE_URL"))

JSON = {"Accept": "application/json"}
CLOSED = "The organiser has erased this event's personal data; profiles are closed."
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

@pytest.mark.skipif(ON_POSTGRES, reason="SQLite files only")
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


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite only")
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


# --- no new personal data after an erase -------------------------------------------------

def test_a_workshop_reopened_after_an_erase_takes_no_new_profiles(app, filled, connect,
                                                                  workshop):
    console, ana, ben = filled
    organiser = erase(app, workshop, console)
    event_id = event_id_of(app, workshop)
    assert console.write("phase.set", phase="collecting")["ok"]  # moved back

    ack = ana.join()
    assert ack["me"]["profiles_closed"] is True
    assert ack["me"]["profile"]["organisation"] == ""
    newcomer = connect()  # joins after the erase
    assert newcomer.join()["me"]["profiles_closed"] is True
    for phone in (ana, newcomer):
        for fields in ({"organisation": "Late Org", "region": "Murcia"},
                       {"region": "Murcia", "contact": "late@example.org", "match_opt_in": True},
                       {"display_name": ""}):
            assert phone.write("profile.update", **fields) == {"ok": False, "error": CLOSED}
    api = newcomer.http.post(f"/api/workshops/{workshop['id']}/commands/profile.update",
                             json={"workshop_id": workshop["id"], "client_id": "api-1",
                                   "organisation": "Late Org"})
    assert api.status_code == 409 and api.get_json() == {"ok": False, "error": CLOSED}
    state = newcomer.http.get(f"/api/workshops/{workshop['id']}/state").get_json()
    assert state["me"]["profiles_closed"] is True

    # nothing changed: no personal data, still erased, ideas still welcome
    with app.app_context():
        assert privacy.holders(db.session.get(Event, event_id)) == 0
    assert newcomer.write("idea.post", text="Ideas are still welcome")["ok"] is True
    export = organiser.get(f"/organiser/events/{event_id}/export.json").get_json()
    assert export["personal_data_erased"] is True
    assert export["participation"]["organisations"] == []
    page = organiser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
    assert "Profiles are closed" in page and "Erase personal data" not in page
    # the phone's "About you" says so instead of offering the form
    phone_page = newcomer.http.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert '<p id="profile-closed" role="status">' in phone_page
    assert '<form id="profile-form" hidden>' in phone_page


def test_profiles_stay_open_for_events_never_erased(app, connect, workshop):
    phone = connect()
    assert phone.join()["me"]["profiles_closed"] is False
    assert phone.write("profile.update", organisation="Early Org")["ok"] is True
    phone_page = phone.http.get(f"/j/{workshop['code']}").get_data(as_text=True)
    assert '<p id="profile-closed" role="status" hidden>' in phone_page
    assert '<form id="profile-form">' in phone_page


# --- "erased" only while nothing personal is stored --------------------------------------

def sneak_in(app, workshop, organisation="Late Org"):
    """Personal data stored after the erase by a way round the rule (from before it
    existed, or a write that raced the erase)."""
    with app.app_context():
        participant = db.session.query(Participant).filter_by(
            workshop_id=workshop["id"]).order_by(Participant.id).first()
        participant.organisation = organisation
        db.session.commit()


def test_exports_never_claim_erased_while_personal_data_is_stored(app, filled, workshop):
    console, _ana, _ben = filled
    organiser = erase(app, workshop, console)
    event_id = event_id_of(app, workshop)
    exports = (f"/organiser/events/{event_id}/export.json",
               f"/workshops/{workshop['id']}/export.json")
    for url in exports:
        assert organiser.get(url).get_json()["personal_data_erased"] is True, url

    sneak_in(app, workshop)
    for url in exports:
        data = organiser.get(url).get_json()
        assert data["personal_data_erased"] is False, url
        assert data["participation"]["organisations"] == ["Late Org"], url
    for fmt in ("md", "pdf"):
        body = organiser.get(f"/organiser/events/{event_id}/export.{fmt}").data
        assert b"Personal data of this event was erased" not in body, fmt
    page = organiser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
    assert "1 attendees have personal data stored since then" in page
    assert "Erase personal data again" in page

    assert organiser.post(f"/organiser/events/{event_id}/erase-personal-data",
                          json={"confirm": True}, headers=JSON).get_json()["ok"] is True
    for url in exports:
        data = organiser.get(url).get_json()
        assert data["personal_data_erased"] is True and \
            data["participation"]["organisations"] == [], url
    page = organiser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
    assert "Erase personal data again" not in page and "Profiles are closed" in page


def test_erase_expired_finds_personal_data_stored_after_an_erase(app, filled, workshop):
    console, _ana, _ben = filled
    erase(app, workshop, console)
    runner = app.test_cli_runner()
    assert "Nothing to erase." in runner.invoke(args=["erase-expired"]).output
    sneak_in(app, workshop)
    # at once, not 90 days later: the organiser already asked for it to go
    result = runner.invoke(args=["erase-expired"])
    assert "Erased the personal data of “Grow your Region 2026” (1 attendees)." in result.output
    with app.app_context():
        assert privacy.personal_data_erased(db.session.get(Event, event_id_of(app, workshop)))
    assert "Nothing to erase." in runner.invoke(args=["erase-expired"]).output


def test_erase_expired_also_cleans_up_a_deleted_event(app, filled, workshop):
    console, _ana, _ben = filled
    organiser = organiser_client(app)
    event_id = event_id_of(app, workshop)
    assert organiser.post(f"/organiser/events/{event_id}/delete", json={"confirm": True},
                          headers=JSON).get_json()["ok"] is True
    sneak_in(app, workshop, "Ghost Org")
    result = app.test_cli_runner().invoke(args=["erase-expired"])
    assert "(1 attendees)" in result.output
    with app.app_context():
        assert {p.organisation for p in db.session.query(Participant)} == {""}


def test_an_event_still_open_is_left_for_later(app, filled, workshop):
    """Stored again while a workshop is open (reopened): erased once every one is closed."""
    console, _ana, _ben = filled
    erase(app, workshop, console)
    console.write("phase.set", phase="voting")
    sneak_in(app, workshop)
    runner = app.test_cli_runner()
    assert "Nothing to erase." in runner.invoke(args=["erase-expired"]).output
    console.write("phase.set", phase="closed")
    assert "(1 attendees)" in runner.invoke(args=["erase-expired"]).output


def test_other_events_are_not_touched(app, filled, workshop):
    console, _ana, _ben = filled
    other = make_workshop(app)
    with app.app_context():
        db.session.add(Participant(workshop_id=other["id"], token="t-other",
                                   organisation="Other Event Org"))
        db.session.commit()
    erase(app, workshop, console)
    with app.app_context():
        assert db.session.query(Participant).filter_by(
            organisation="Other Event Org").count() == 1
        assert privacy.holders(db.session.get(Workshop, other["id"]).event) == 1


def test_a_profile_write_cannot_slip_in_while_an_erase_runs(app, filled, workshop):
    """The erase has blanked the profiles but not committed yet when a profile write
    starts: the write waits for the erase, then is refused (PostgreSQL: the event row
    lock; SQLite: one writer at a time). Without the lock it would read the event as not
    erased, wait only on the row, and store its profile after the erase."""
    import threading

    from app.services import participants
    from app.services.errors import Conflict
    console, ana, _ben = filled
    console.write("phase.set", phase="closed")
    erased, go, outcome = threading.Event(), threading.Event(), {}

    def erase_slowly():
        with app.app_context():
            privacy.erase_personal_data(db.session.get(Workshop, workshop["id"]).event)
            db.session.flush()
            erased.set()
            go.wait(10)
            db.session.commit()
            db.session.remove()

    def write_profile():
        with app.app_context():
            try:
                privacy.refuse_new_profiles(db.session.get(Workshop, workshop["id"]))
                participant = db.session.query(Participant).filter_by(
                    workshop_id=workshop["id"]).order_by(Participant.id).first()
                participants.update_profile(participant, organisation="Racing Org")
                db.session.commit()
                outcome["result"] = "stored"
            except Conflict as error:
                db.session.rollback()
                outcome["result"] = error.message
            finally:
                db.session.remove()

    eraser = threading.Thread(target=erase_slowly)
    eraser.start()
    assert erased.wait(10)
    writer = threading.Thread(target=write_profile)
    writer.start()
    writer.join(0.5)
    assert writer.is_alive()  # waiting for the erase
    go.set()
    eraser.join(10)
    writer.join(10)
    assert outcome["result"] == CLOSED
    with app.app_context():
        event = db.session.get(Workshop, workshop["id"]).event
        assert privacy.holders(event) == 0 and privacy.personal_data_erased(event)
