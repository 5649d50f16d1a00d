"""300 attendees, 150 requests accepted at the same moment from many threads (each its own
database connection and transaction): no person and no table is booked twice, checked in
SQL; the time taken is printed. On PostgreSQL (PLENARY_TEST_DATABASE_URL) the races are
real concurrent transactions; on SQLite they queue on BEGIN IMMEDIATE."""
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from app.extensions import db
from app.services import meeting_people, meetings
from meeting_factory import BEFORE, make_event

PEOPLE, PAIRS = 300, 150
# SQLite takes one writer at a time (BEGIN IMMEDIATE); its busy handler is not fair, so a
# crowd of threads may starve one past the busy timeout: fewer threads there. On PostgreSQL
# fewer threads than the pool has connections (5 + 10 overflow): the pool's queue is not
# fair either, and a 16th thread starved past its 30 s checkout timeout on a slow host.
THREADS = 12 if os.environ.get("PLENARY_TEST_DATABASE_URL") else 4


def test_150_requests_accepted_at_once_never_double_book(app):
    with app.app_context():
        # 40 tables, 20-minute slots: 150 meetings cannot all start at 09:00; pairs
        # (0,1), (1,2) … (149,150) share people, so bookings race for people and tables
        event, _w, tokens = make_event(people=PEOPLE, tables=40, day_end="18:00",
                                       regions=["Valencia", "Navarra", "Bavaria"])
        event_id = event.id
        people = [meeting_people.person(event_id, t).id for t in tokens]
        db.session.commit()
        request_ids = []
        for i in range(PAIRS):
            a, b = (db.session.get(meeting_people.MeetingPerson, people[j]) for j in (i, i + 1))
            request_ids.append(meetings.request_meeting(event, a, b.id, "", now=BEFORE)[0].id)
        db.session.commit()
        invitees = {rid: people[i + 1] for i, rid in enumerate(request_ids)}
        db.session.remove()

    start = threading.Barrier(THREADS)
    started = threading.local()

    def accept(request_id):
        if not getattr(started, "done", False):
            start.wait()
            started.done = True
        with app.app_context():
            try:
                event = db.session.get(meetings.Event, event_id)
                me = db.session.get(meeting_people.MeetingPerson, invitees[request_id])
                meetings.accept(event, me, request_id, now=BEFORE)
                db.session.commit()
                return "ok"
            except Exception as error:  # noqa: BLE001 (reported below)
                db.session.rollback()
                return f"{type(error).__name__}: {error}"
            finally:
                db.session.remove()

    began = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(accept, request_ids))
    took = time.perf_counter() - began
    print(f"\n{PAIRS} accepts from {THREADS} threads on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: "  # noqa: E501
          f"{took:.2f} s ({took / PAIRS * 1000:.1f} ms each)")
    assert answers == ["ok"] * PAIRS

    with app.app_context():
        def scalar(sql):
            return db.session.execute(text(sql)).scalar()
        assert scalar("SELECT count(*) FROM meeting_request WHERE status = 'accepted'") == PAIRS
        assert scalar("SELECT count(*) FROM (SELECT person_id, slot_start FROM meeting_seat "
                      "GROUP BY person_id, slot_start HAVING count(*) > 1) AS twice") == 0
        assert scalar("SELECT count(*) FROM (SELECT slot_start, table_name FROM meeting_request "
                      "WHERE slot_start IS NOT NULL GROUP BY slot_start, table_name "
                      "HAVING count(*) > 1) AS twice") == 0
        # each meeting holds exactly its two people at its own slot
        assert scalar("SELECT count(*) FROM meeting_request r WHERE r.status = 'accepted' AND "
                      "(SELECT count(*) FROM meeting_seat s WHERE s.meeting_id = r.id AND "
                      "s.slot_start = r.slot_start AND s.person_id IN "
                      "(r.requester_id, r.invitee_id)) = 2") == PAIRS
        # packed early: 150 meetings at 40 tables need 4 slots; chained pairs share a
        # person, so neighbours cannot share a slot: a few more at most
        slots = scalar("SELECT count(DISTINCT slot_start) FROM meeting_request")
        assert 4 <= slots <= 6, slots
        db.session.remove()
