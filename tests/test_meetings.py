"""Bilateral meetings, the services: requests, answers, scheduling, every refusal (with
nothing changed), and the database rules against double booking."""
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import MeetingBlock, MeetingPerson, MeetingRequest, MeetingSeat, Participant, \
    Workshop
from app.services import meeting_people, meeting_reports, meeting_slots, meetings
from app.services.errors import DomainError
from app.vocabulary import MEETING_LIMITS
from meeting_factory import BEFORE, make_event


def person(event, token):
    return meeting_people.person(event.id, token)


def ask(event, a, b, message="Let's talk hydrogen", now=BEFORE):
    meeting, _ = meetings.request_meeting(event, a, b.id, message, now=now)
    db.session.commit()
    return meeting


def state():
    """Everything the meeting rules may change."""
    return [db.session.scalar(select(func.count()).select_from(m)) for m in
            (MeetingRequest, MeetingSeat, MeetingBlock)] + \
        sorted((r.id, r.status, r.slot_start, r.table_name) for r in
               db.session.scalars(select(MeetingRequest)))


@pytest.fixture
def four(ctx):
    event, _workshop, tokens = make_event(people=4)
    return event, [person(event, t) for t in tokens]


def test_the_plan_cuts_each_day_into_slots_around_the_breaks(ctx):
    event, _w, _t = make_event(day_start="09:00", day_end="11:00", slot_minutes=30,
                               breaks=[["09:45", "10:00"]], days=("2030-05-12", "2030-05-13"))
    plan = meeting_slots.plan_of(event.id)
    starts = [s.strftime("%d %H:%M") for s in meeting_slots.slots(plan)]
    assert starts == ["12 09:00", "12 10:00", "12 10:30", "13 09:00", "13 10:00", "13 10:30"]


def test_an_accepted_request_gets_the_earliest_slot_free_for_both_at_a_free_table(four):
    event, (a, b, c, d) = four
    first = ask(event, a, b)
    assert meetings.accept(event, b, first.id, now=BEFORE)[0].status == "accepted"
    second = ask(event, c, d)
    meetings.accept(event, d, second.id, now=BEFORE)
    third = ask(event, a, c)
    meetings.accept(event, c, third.id, now=BEFORE)
    db.session.commit()
    assert (first.slot_start, first.table_name) == (datetime(2030, 5, 12, 9, 0), "T1")
    assert (second.slot_start, second.table_name) == (datetime(2030, 5, 12, 9, 0), "T2")
    assert (third.slot_start, third.table_name) == (datetime(2030, 5, 12, 9, 20), "T1")


def test_both_see_the_same_meeting_and_contacts_only_once_accepted(four):
    event, (a, b, _c, _d) = four
    meeting = ask(event, a, b)
    mine = meetings.agenda(event, a)["meetings"][0]
    theirs = meetings.agenda(event, b)["meetings"][0]
    assert (mine["direction"], theirs["direction"]) == ("out", "in")
    assert "contact" not in mine["other"] and "contact" not in theirs["other"]
    assert theirs["shared"] == ["Hydrogen valleys"] and theirs["message"] == "Let's talk hydrogen"
    _meeting, envelopes = meetings.accept(event, b, meeting.id, now=BEFORE)
    db.session.commit()
    assert [pid for pid, _env in envelopes] == [a.id, b.id]
    assert envelopes[0][1]["data"]["meeting"]["other"]["contact"] == "p1@example.org"
    assert envelopes[1][1]["data"]["meeting"]["other"]["contact"] == "p0@example.org"
    mine, theirs = (meetings.agenda(event, p)["meetings"][0] for p in (a, b))
    assert (mine["start"], mine["table"]) == (theirs["start"], theirs["table"]) == \
        ("2030-05-12T09:00", "T1")
    assert meetings.agenda(event, a)["version"] == 2  # requested, accepted


def test_cancelling_frees_the_slot_and_table(four):
    event, (a, b, c, d) = four
    first = ask(event, a, b)
    meetings.accept(event, b, first.id, now=BEFORE)
    meetings.cancel(event, a, first.id, now=BEFORE)
    again = ask(event, c, d)
    meetings.accept(event, d, again.id, now=BEFORE)
    db.session.commit()
    assert first.status == "cancelled" and first.slot_start is None
    assert (again.slot_start, again.table_name) == (datetime(2030, 5, 12, 9, 0), "T1")
    assert db.session.scalar(select(func.count()).select_from(MeetingSeat)) == 2
    assert ask(event, b, a).status == "pending"  # the pair may ask again


def test_workshop_times_block_the_slots_of_those_who_take_part(four):
    event, (a, b, _c, _d) = four
    workshop = event.workshops[0]
    meeting_slots.set_workshop_times(event, workshop.id, datetime(2030, 5, 12, 9, 0),
                                     datetime(2030, 5, 12, 9, 30))
    meeting = ask(event, a, b)
    meetings.accept(event, b, meeting.id, now=BEFORE)
    assert meeting.slot_start == datetime(2030, 5, 12, 9, 40)
    assert meetings.agenda(event, a)["workshops"] == [
        {"title": "Hydrogen", "start": "2030-05-12T09:00", "end": "2030-05-12T09:30"}]


def test_the_person_asked_may_choose_a_common_slot(four):
    event, (a, b, _c, _d) = four
    meeting = ask(event, a, b)
    free = meetings.common_slots(event, b, meeting.id, now=BEFORE)
    assert len(free) == 6
    meetings.accept(event, b, meeting.id, now=BEFORE, at=free[3])
    assert meeting.slot_start == free[3]


@pytest.mark.parametrize("case, error", [
    ("self", "You cannot request a meeting with yourself."),
    ("duplicate", "You already have an open request or a meeting with this person."),
    ("reverse", "You already have an open request or a meeting with this person."),
    ("over", "The meetings of this event are over."),
    ("not opted in", "This attendee is not taking meeting requests."),
    ("me not opted in", "Opt in to be introduced"),
    ("blocked", "This attendee is not taking meeting requests."),
    ("unknown", "This attendee is not taking meeting requests."),
    ("long", "The message is too long (301 characters; at most 300)."),
    ("full", "Their agenda is full: they have no free slot left."),
    ("too many", "You have 2 requests waiting for an answer"),
])
def test_bad_requests_are_refused_and_change_nothing(four, monkeypatch, case, error):
    event, (a, b, c, d) = four
    target, message, now = b, "Hello", BEFORE
    if case == "self":
        target = a
    elif case in ("duplicate", "reverse"):
        ask(event, a, b)
        if case == "reverse":
            a, target = b, a
    elif case == "over":
        now = datetime(2030, 5, 12, 11, 0)
    elif case == "not opted in":
        db.session.query(Participant).filter_by(token=b.token).update({"match_opt_in": False})
    elif case == "me not opted in":
        db.session.query(Participant).filter_by(token=a.token).update({"contact": ""})
    elif case == "blocked":
        meetings.block(event, b, a.id)
    elif case == "unknown":
        target = MeetingPerson(id=999_999)
    elif case == "long":
        message = "x" * 301
    elif case == "full":
        plan = meeting_slots.plan_of(event.id)
        plan.max_meetings = 1
        meetings.accept(event, b, ask(event, c, b).id, now=BEFORE)
    elif case == "too many":
        monkeypatch.setitem(MEETING_LIMITS, "open_requests", 2)
        ask(event, a, c)
        ask(event, a, d)
    db.session.commit()
    before = state()
    with pytest.raises(DomainError) as refused:
        meetings.request_meeting(event, a, target.id, message, now=now)
    db.session.rollback()
    assert refused.value.message.startswith(error)
    assert state() == before


def test_only_the_person_asked_answers_and_only_once(four):
    event, (a, b, c, _d) = four
    meeting = ask(event, a, b)
    for who, action, error in [(a, meetings.accept, "Only the person you asked can accept."),
                               (c, meetings.accept, "This meeting request does not exist."),
                               (b, meetings.cancel, "Decline the request instead.")]:
        with pytest.raises(DomainError) as refused:
            action(event, who, meeting.id)
        assert refused.value.message == error
    meetings.decline(event, b, meeting.id)
    with pytest.raises(DomainError) as refused:
        meetings.accept(event, b, meeting.id, now=BEFORE)
    assert refused.value.message == "This request is no longer waiting for an answer."


def test_no_common_slot_refuses_the_accept_and_keeps_the_request(ctx):
    event, _w, tokens = make_event(people=3, day_end="09:20")  # one slot
    a, b, c = (person(event, t) for t in tokens)
    waiting = ask(event, c, b)
    meetings.accept(event, b, ask(event, a, b).id, now=BEFORE)
    db.session.commit()
    before = state()
    with pytest.raises(DomainError) as refused:
        meetings.accept(event, b, waiting.id, now=BEFORE)
    db.session.rollback()
    assert refused.value.message == "No slot is free for both of you: one of your agendas is full."
    assert state() == before and waiting.status == "pending"


def test_blocking_closes_open_requests_and_a_report_reaches_the_organiser(four):
    event, (a, b, c, _d) = four
    pending = ask(event, a, b)
    booked = ask(event, a, c)
    meetings.accept(event, c, booked.id, now=BEFORE)
    _block, envelopes = meetings.block(event, b, a.id, report=True)
    meetings.block(event, c, a.id)
    db.session.commit()
    assert (pending.status, booked.status, booked.slot_start) == ("declined", "cancelled", None)
    assert {env["type"] for _pid, env in envelopes} == {"meeting.declined"}
    assert meeting_reports.reports(event) == [
        {"by": "Person 1 · Org 1", "about": "Person 0 · Org 0", "requests": [pending.id]}]
    with pytest.raises(DomainError):
        meetings.request_meeting(event, b, a.id, "", now=BEFORE)  # either way


def test_the_organiser_removes_an_abusive_request_or_meeting(four):
    event, (a, b, _c, _d) = four
    meeting = ask(event, a, b)
    meetings.accept(event, b, meeting.id, now=BEFORE)
    _m, envelopes = meetings.remove(event, meeting.id)
    db.session.commit()
    assert meeting.status == "removed" and meeting.slot_start is None
    assert [env["type"] for _pid, env in envelopes] == ["meeting.removed"] * 2
    assert meetings.agenda(event, a)["meetings"] == []
    assert db.session.scalar(select(func.count()).select_from(MeetingSeat)) == 0


def test_the_database_refuses_double_booking_whatever_the_code_does(four):
    event, (a, b, c, d) = four
    first = ask(event, a, b)
    meetings.accept(event, b, first.id, now=BEFORE)
    db.session.commit()
    other = ask(event, c, d)
    attempts = [
        lambda: db.session.add(MeetingSeat(person_id=a.id, meeting_id=other.id,
                                           slot_start=first.slot_start)),
        lambda: setattr(other, "slot_start", first.slot_start) or
        setattr(other, "table_name", first.table_name),
        lambda: db.session.add(MeetingRequest(event_id=event.id, requester_id=b.id,
                                              invitee_id=a.id, open_pair=first.open_pair,
                                              status="pending")),
    ]
    for attempt in attempts:
        attempt()
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_the_organiser_counts_requested_accepted_and_held(ctx):
    event, _w, tokens = make_event(people=4, regions=["Valencia", "Navarra", "Bavaria"])
    a, b, c, d = (person(event, t) for t in tokens)
    meetings.accept(event, b, ask(event, a, b).id, now=BEFORE)
    meetings.decline(event, d, ask(event, c, d).id)
    ask(event, a, c)
    db.session.commit()
    during = meeting_reports.summary(event, now=datetime(2030, 5, 12, 9, 25))
    assert {k: during[k] for k in ("requested", "pending", "accepted", "held", "declined")} == \
        {"requested": 3, "pending": 1, "accepted": 1, "held": 1, "declined": 1}
    assert during["kinds"] == {"cluster + company": 1}
    assert during["regions"] == {"Navarra + Valencia": 1}
    assert during["themes"] == {"Hydrogen valleys": 1}
    grid = meeting_reports.grid(event, now=BEFORE)
    assert grid["rows"][0]["cells"][0]["a"] == "Person 0 · Org 0" and grid["tables"] == ["T1", "T2"]
    assert grid["rows"][0]["cells"][0]["held"] is False
    # held: accepted and its slot over (09:00–09:20), by the venue's clock
    for now, held in ((datetime(2030, 5, 12, 9, 19), False), (datetime(2030, 5, 12, 9, 20), True)):
        assert meeting_reports.grid(event, now=now)["rows"][0]["cells"][0]["held"] is held
        assert meeting_reports.summary(event, now=now)["held"] == int(held)


@pytest.mark.parametrize("change, error", [
    ({"days": []}, "Give the meeting days"),
    ({"days": ["12/05/2030"]}, "“12/05/2030” is not a date"),
    ({"day_start": "9am"}, "The start must be a time like 09:00."),
    ({"day_end": "08:00"}, "The daily window must end after it starts."),
    ({"slot_minutes": 2}, "A slot lasts from 5 to 240 minutes."),
    ({"breaks": [["13:00", "12:00"]]}, "A break must end after it starts."),
    ({"tables": ["A", "A"]}, "Each table needs its own name"),
    ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
    ({"max_meetings": 0}, "Meetings per person: from 1 to 100."),
])
def test_a_bad_plan_is_refused_and_the_old_one_kept(ctx, change, error):
    event, _w, _t = make_event()
    good = {"days": ["2030-05-12"], "day_start": "09:00", "day_end": "11:00",
            "slot_minutes": 20, "breaks": [], "tables": ["T1", "T2"],
            "timezone": "Europe/Madrid", "max_meetings": 12}
    with pytest.raises(DomainError) as refused:
        meeting_slots.set_plan(event, **{**good, **change})
    db.session.rollback()
    assert refused.value.message.startswith(error)
    assert meeting_slots.plan_of(event.id).day_end == "11:00"
    assert db.session.get(Workshop, event.workshops[0].id) is not None
