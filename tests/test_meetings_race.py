"""Two writes about the same person at the same moment, on PostgreSQL (SQLite runs one
writer at a time, so there is no race to lose there): the second waits for the first's
commit and then reads what it committed. Each test holds the first write open until the
second one is seen waiting for a lock in pg_stat_activity (or has finished: then it did
not wait, and the test fails on what it did)."""
import os
import threading

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import Event, MeetingPerson, MeetingRequest, MeetingSeat
from app.services import meeting_people, meetings
from app.services.errors import DomainError
from live import wait_until
from meeting_factory import BEFORE, make_event

PG_URL = os.environ.get("PLENARY_TEST_DATABASE_URL")

pytestmark = pytest.mark.skipif(
    not (PG_URL and PG_URL.startswith("postgresql")),
    reason="races need the real PostgreSQL: set PLENARY_TEST_DATABASE_URL=postgresql+psycopg://…")


def _someone_waits_for_a_lock() -> bool:
    waiting = db.session.scalar(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"))
    db.session.rollback()  # pg_stat_activity is read once per transaction
    return bool(waiting)


def race(app, first, second):
    """Run `first` (uncommitted), then `second` in another thread and session; commit
    `first` once `second` waits (or is done). Returns what `second` answered."""
    answer = {}

    def other():
        with app.app_context():
            try:
                second()
                db.session.commit()
                answer["ok"] = True
            except DomainError as error:
                db.session.rollback()
                answer["error"] = error.message
            finally:
                db.session.remove()

    first()
    thread = threading.Thread(target=other)
    thread.start()
    with app.app_context():  # a session of its own to look at the server
        assert wait_until(lambda: not thread.is_alive() or _someone_waits_for_a_lock(),
                          timeout=15)
        db.session.remove()
    db.session.commit()
    thread.join(15)
    assert not thread.is_alive()
    return answer


def _people(event_id, tokens):
    people = meeting_people.people(event_id, tokens)
    return [people[t] for t in tokens]


def test_two_accepts_at_once_never_take_a_person_over_the_maximum(app, ctx):
    event, _workshop, tokens = make_event(people=3, tables=3, max_meetings=1)
    ana, ben, cai = _people(event.id, tokens)
    first, _ = meetings.request_meeting(event, ben, ana.id, "", now=BEFORE)
    second, _ = meetings.request_meeting(event, cai, ana.id, "", now=BEFORE)
    db.session.commit()
    event_id, ana_id, second_id = event.id, ana.id, second.id

    def accept_second():
        meetings.accept(db.session.get(Event, event_id), db.session.get(MeetingPerson, ana_id),
                        second_id, now=BEFORE)

    answer = race(app, lambda: meetings.accept(event, ana, first.id, now=BEFORE),
                  accept_second)
    assert answer == {"error": "No slot is free for both of you: one of your agendas is full."}
    assert db.session.scalar(select(func.count()).select_from(MeetingSeat).where(
        MeetingSeat.person_id == ana_id)) == 1
    assert [r.status for r in db.session.scalars(
        select(MeetingRequest).order_by(MeetingRequest.id))] == ["accepted", "pending"]


def test_a_request_withdrawn_while_it_is_accepted_is_never_booked(app, ctx):
    event, _workshop, tokens = make_event(people=2)
    ana, ben = _people(event.id, tokens)
    asked, _ = meetings.request_meeting(event, ben, ana.id, "", now=BEFORE)
    db.session.commit()
    event_id, ana_id, asked_id = event.id, ana.id, asked.id

    def accept():
        meetings.accept(db.session.get(Event, event_id), db.session.get(MeetingPerson, ana_id),
                        asked_id, now=BEFORE)

    answer = race(app, lambda: meetings.cancel(event, ben, asked.id, now=BEFORE), accept)
    assert answer == {"error": "This request is no longer waiting for an answer."}
    assert db.session.scalar(select(func.count()).select_from(MeetingSeat)) == 0
    assert db.session.get(MeetingRequest, asked_id).status == "cancelled"


def test_two_requests_at_once_keep_the_pace(app, ctx, monkeypatch):
    monkeypatch.setitem(meetings.MEETING_LIMITS, "request_burst", 1)
    event, _workshop, tokens = make_event(people=3)
    ana, ben, cai = _people(event.id, tokens)
    db.session.commit()
    event_id, ana_id, cai_id = event.id, ana.id, cai.id

    def second():
        meetings.request_meeting(db.session.get(Event, event_id),
                                 db.session.get(MeetingPerson, ana_id), cai_id, "", now=BEFORE)

    answer = race(app, lambda: meetings.request_meeting(event, ana, ben.id, "", now=BEFORE),
                  second)
    assert answer["error"].startswith("You are sending requests too fast")
    assert db.session.scalar(select(func.count()).select_from(MeetingRequest)) == 1
