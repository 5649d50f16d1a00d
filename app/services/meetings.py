"""Bilateral meetings between attendees of an event: a request with a short message, an
answer, and (accepted) a slot and a table (services/meeting_slots.py books them).

Rules, each refused with a message and nothing changed:
- both people opted in to be introduced (a contact and a region); never oneself;
- one open request or meeting per pair, whoever asked (the database's unique pair key);
- at most MEETING_LIMITS["open_requests"] requests waiting for an answer per person;
- not to someone whose agenda is full (their meetings at the plan's maximum, or no free
  slot left), nor after the event's last slot;
- a person who blocked the other (or was blocked) neither sends nor gets requests;
- at most MEETING_LIMITS["request_burst"] requests sent per person in any
  request_burst × request_every_s seconds (counted in the database, so on every worker).
Contacts are shown only in an accepted meeting, only to its two people.

Two writes about the same person run one at a time: each write first locks the rows of
the people it concerns (`_lock`, ascending ids; SQLite already runs one writer at a time),
then reads what it checks. So the maximum of meetings per person, the waiting requests
and the pace hold when two phones on two workers answer at the same moment.

Every change bumps the agenda version of the two people concerned and returns, for each,
the envelope {version, type, data: {meeting}} to send them (their own view of it).
"""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Event, MeetingBlock, MeetingPerson, MeetingRequest, MeetingSeat, \
    isoformat, utcnow
from ..vocabulary import LIMITS, MEETING_LIMITS, N_
from . import meeting_people, meeting_slots
from .errors import Conflict, InvalidInput, NotAllowed, NotFound
from .fields import TextField

MESSAGE = TextField("message", LIMITS["meeting_message"], multiline=True, optional=True,
                    not_text=N_("The message must be text."),
                    too_long=N_("The message is too long (%(n)d characters; at most %(max)d)."))
OPEN = meeting_people.OPEN
NOT_TAKING = N_("This attendee is not taking meeting requests.")


def _pair(a: int, b: int) -> str:
    return f"{min(a, b)}-{max(a, b)}"


def plan_for(event: Event, now=None):
    """The plan, and the venue's time now; refused before the organiser made a plan or
    after its last slot."""
    plan = meeting_slots.plan_of(event.id)
    if plan is None:
        raise Conflict(_("The organiser has not opened meetings for this event yet."))
    now = now or meeting_slots.venue_now(plan)
    if not meeting_slots.future_slots(plan, now):
        raise Conflict(_("The meetings of this event are over."))
    return plan, now


def _lock(*person_ids: int) -> None:
    """Hold these people's rows until the commit (PostgreSQL: SELECT … FOR UPDATE, in id
    order so that two writers never wait for each other in a circle)."""
    db.session.execute(select(MeetingPerson.id).where(
        MeetingPerson.id.in_(sorted(set(person_ids)))).order_by(MeetingPerson.id)
        .with_for_update())


def _pace(me: MeetingPerson) -> None:
    """A burst of requests, then one every few seconds: at most `request_burst` sent in the
    last burst × every seconds (withdrawn ones count too)."""
    burst, every = MEETING_LIMITS["request_burst"], MEETING_LIMITS["request_every_s"]
    since = utcnow() - timedelta(seconds=burst * every)
    recent = db.session.scalars(select(MeetingRequest.created_at).where(
        MeetingRequest.requester_id == me.id, MeetingRequest.created_at > since)
        .order_by(MeetingRequest.created_at.desc()).limit(burst)).all()
    if len(recent) >= burst:
        wait = (recent[-1] - since).total_seconds()
        raise Conflict(_("You are sending requests too fast: wait %(s)d seconds.",
                         s=int(wait) + 1))


def _accepted_count(person_id: int) -> int:
    return db.session.scalar(select(func.count(MeetingRequest.id)).where(
        MeetingRequest.status == "accepted",
        (MeetingRequest.requester_id == person_id) | (MeetingRequest.invitee_id == person_id)))


def _full(event, plan, who: MeetingPerson, now) -> bool:
    if _accepted_count(who.id) >= plan.max_meetings:
        return True
    blocked = meeting_slots.workshop_times(event, who.token)
    return not meeting_slots.free_slots(plan, [who.id], blocked, now)


def _shared(event, a: MeetingPerson, b: MeetingPerson) -> list[str]:
    backed, names = meeting_people.topics(event)
    return sorted(names[k] for k in backed.get(a.token, set()) & backed.get(b.token, set()))


def request_meeting(event: Event, me: MeetingPerson, person_id, message, now=None):
    plan, now = plan_for(event, now)
    if meeting_people.profile(event.id, me.token) is None:
        raise NotAllowed(_("Opt in to be introduced (About you: a contact and your region) "
                           "before you request meetings."))
    other = db.session.get(MeetingPerson, person_id)
    if other is not None and other.id == me.id:
        raise InvalidInput(_("You cannot request a meeting with yourself."))
    if other is None or other.event_id != event.id or other.id in \
            meeting_people.blocked_ids(me.id) or \
            meeting_people.profile(event.id, other.token) is None:
        raise NotFound(_(NOT_TAKING))
    text = MESSAGE.clean(message)
    _lock(me.id, other.id)
    _pace(me)
    if db.session.scalar(select(MeetingRequest.id).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.open_pair == _pair(me.id, other.id))):
        raise Conflict(_("You already have an open request or a meeting with this person."))
    waiting = db.session.scalar(select(func.count(MeetingRequest.id)).where(
        MeetingRequest.requester_id == me.id, MeetingRequest.status == "pending"))
    if waiting >= MEETING_LIMITS["open_requests"]:
        raise Conflict(_("You have %(n)d requests waiting for an answer: cancel some or wait "
                         "for answers first.", n=waiting))
    if _full(event, plan, other, now):
        raise Conflict(_("Their agenda is full: they have no free slot left."))
    if _full(event, plan, me, now):
        raise Conflict(_("Your agenda is full: cancel a meeting to request another."))
    meeting = MeetingRequest(event_id=event.id, requester_id=me.id, invitee_id=other.id,
                             open_pair=_pair(me.id, other.id), message=text,
                             status="pending", shared=_shared(event, me, other))
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
            db.session.flush()
    except IntegrityError:  # the other side asked at the same moment
        raise Conflict(_("You already have an open request or a meeting with this "
                         "person.")) from None
    return meeting, notify(event, meeting, "meeting.requested")


def _meeting(event: Event, me: MeetingPerson | None, request_id) -> MeetingRequest:
    """The request, its two people locked and then read again (`me`: one of them; None:
    the organiser)."""
    meeting = db.session.get(MeetingRequest, request_id) if isinstance(request_id, int) else None
    if meeting is None or meeting.event_id != event.id or \
            (me is not None and me.id not in (meeting.requester_id, meeting.invitee_id)):
        raise NotFound(_("This meeting request does not exist."))
    _lock(meeting.requester_id, meeting.invitee_id)
    db.session.refresh(meeting)  # as another write may have left it meanwhile
    return meeting


def _waiting(meeting: MeetingRequest) -> None:
    if meeting.status != "pending":
        raise Conflict(_("This request is no longer waiting for an answer."))


def common_slots(event: Event, me: MeetingPerson, request_id, now=None) -> list:
    """The slots free for both people of a request (to propose one when accepting)."""
    plan, now = plan_for(event, now)
    meeting = _meeting(event, me, request_id)
    return meeting_slots.free_slots(plan, (meeting.requester_id, meeting.invitee_id),
                                    _workshops(event, meeting), now)


def _workshops(event, meeting) -> list:
    people = db.session.scalars(select(MeetingPerson).where(
        MeetingPerson.id.in_((meeting.requester_id, meeting.invitee_id))))
    return [t for p in people for t in meeting_slots.workshop_times(event, p.token)]


def accept(event: Event, me: MeetingPerson, request_id, now=None, at=None):
    """The person asked accepts: the earliest slot free for both (or `at`, a slot they
    chose from common_slots) at a free table."""
    plan, now = plan_for(event, now)
    meeting = _meeting(event, me, request_id)
    if meeting.invitee_id != me.id:
        raise NotAllowed(_("Only the person you asked can accept."))
    _waiting(meeting)
    for person_id in (meeting.requester_id, meeting.invitee_id):
        if _accepted_count(person_id) >= plan.max_meetings:
            raise Conflict(_("No slot is free for both of you: one of your agendas is full."))
    meeting_slots.book(plan, meeting, _workshops(event, meeting), now, at)
    meeting.status, meeting.answered_at = "accepted", utcnow()
    requester = db.session.get(MeetingPerson, meeting.requester_id)
    meeting.shared = _shared(event, requester, me)
    db.session.flush()
    return meeting, notify(event, meeting, "meeting.accepted")


def decline(event: Event, me: MeetingPerson, request_id):
    meeting = _meeting(event, me, request_id)
    if meeting.invitee_id != me.id:
        raise NotAllowed(_("Only the person you asked can decline; withdraw it instead."))
    _waiting(meeting)
    return _close(event, meeting, "declined", "meeting.declined")


def cancel(event: Event, me: MeetingPerson, request_id, now=None):
    """The requester withdraws a request, or either side cancels a meeting not yet held:
    its slot and table are free again."""
    meeting = _meeting(event, me, request_id)
    if meeting.status == "pending" and meeting.requester_id != me.id:
        raise NotAllowed(_("Decline the request instead."))
    if meeting.status not in OPEN:
        raise Conflict(_("This request was already answered or cancelled."))
    if meeting.slot_start is not None:
        plan = meeting_slots.plan_of(event.id)
        if meeting.slot_start < (now or meeting_slots.venue_now(plan)):
            raise Conflict(_("This meeting has already started."))
    return _close(event, meeting, "cancelled", "meeting.cancelled")


def remove(event: Event, request_id):
    """The organiser removes an abusive request or meeting (frees its slot)."""
    meeting = _meeting(event, None, request_id)
    if meeting.status == "removed":
        return meeting, []
    return _close(event, meeting, "removed", "meeting.removed")


def set_listed(event: Event, me: MeetingPerson, request_id, listed: bool):
    """My side's "list our meeting in the public roadmap": the roadmap names the two
    organisations of an accepted meeting only when both sides said yes; either may take it
    back."""
    meeting = _meeting(event, me, request_id)
    if meeting.status != "accepted":
        raise Conflict(_("Only a booked meeting can be listed."))
    if meeting.requester_id == me.id:
        meeting.requester_listed = bool(listed)
    else:
        meeting.invitee_listed = bool(listed)
    db.session.flush()
    return meeting, notify(event, meeting, "meeting.listed")


def _close(event, meeting, status: str, change: str):
    meeting_slots.unbook(meeting)
    meeting.status, meeting.open_pair, meeting.answered_at = status, None, utcnow()
    db.session.flush()
    return meeting, notify(event, meeting, change)


def block(event: Event, me: MeetingPerson, person_id, report: bool = False):
    """No more requests between me and this person, either way; open ones are closed. A
    report also shows it to the organiser."""
    other = db.session.get(MeetingPerson, person_id) if isinstance(person_id, int) else None
    if other is None or other.event_id != event.id or other.id == me.id:
        raise NotFound(_("This attendee does not exist."))
    _lock(me.id, other.id)
    found = db.session.scalar(select(MeetingBlock).where(
        MeetingBlock.blocker_id == me.id, MeetingBlock.blocked_id == other.id))
    if found is None:
        found = MeetingBlock(event_id=event.id, blocker_id=me.id, blocked_id=other.id)
        db.session.add(found)
    found.reported = found.reported or bool(report)
    envelopes = []
    for meeting in db.session.scalars(select(MeetingRequest).where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.open_pair == _pair(me.id, other.id))).all():
        status = "declined" if meeting.status == "pending" else "cancelled"
        envelopes += _close(event, meeting, status, f"meeting.{status}")[1]
    db.session.flush()
    return found, envelopes


def opted_out(event: Event, token: str) -> list:
    """After a profile change: someone no longer opted in anywhere in the event takes no
    requests and waits for no answer, so their pending requests, either way, are
    cancelled (both sides told). Booked meetings stay until either side cancels them."""
    if meeting_people.profile(event.id, token) is not None:
        return []
    me = db.session.scalar(select(MeetingPerson).where(
        MeetingPerson.event_id == event.id, MeetingPerson.token == token))
    if me is None:
        return []
    envelopes = []
    for meeting in db.session.scalars(select(MeetingRequest).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status == "pending",
            (MeetingRequest.requester_id == me.id) | (MeetingRequest.invitee_id == me.id))
            .order_by(MeetingRequest.id)).all():
        meeting = _meeting(event, me, meeting.id)
        if meeting.status == "pending":
            envelopes += _close(event, meeting, "cancelled", "meeting.cancelled")[1]
    return envelopes


# --- what each side sees --------------------------------------------------------------

def _bump(person_id: int) -> int:
    return db.session.execute(update(MeetingPerson).where(MeetingPerson.id == person_id)
                              .values(version=MeetingPerson.version + 1)
                              .returning(MeetingPerson.version)).scalar_one()


def view(meeting: MeetingRequest, person_id: int, plan, profiles: dict, tokens: dict) -> dict:
    """The meeting as one of its two people sees it."""
    outgoing = meeting.requester_id == person_id
    other_id = meeting.invitee_id if outgoing else meeting.requester_id
    other = profiles.get(tokens.get(other_id))
    start = meeting.slot_start
    return {"id": meeting.id, "status": meeting.status, "direction": "out" if outgoing else "in",
            "message": meeting.message, "person_id": other_id,
            "other": meeting_people.card(other, contact=meeting.status == "accepted"),
            "start": start.isoformat(timespec="minutes") if start else None,
            "end": meeting_slots.slot_end(plan, start).isoformat(timespec="minutes")
            if start and plan else None,
            "table": meeting.table_name, "shared": meeting.shared or [],
            "listed": meeting.requester_listed if outgoing else meeting.invitee_listed,
            "other_listed": meeting.invitee_listed if outgoing else meeting.requester_listed,
            "requested_at": isoformat(meeting.created_at)}


def _tokens(ids) -> dict:
    return dict(db.session.execute(select(MeetingPerson.id, MeetingPerson.token).where(
        MeetingPerson.id.in_(list(ids)))).all())


def notify(event, meeting: MeetingRequest, change: str) -> list[tuple[int, dict]]:
    """(person id, envelope) for both people, each at their new agenda version."""
    plan = meeting_slots.plan_of(event.id)
    profiles = meeting_people.profiles(event.id)
    tokens = _tokens((meeting.requester_id, meeting.invitee_id))
    versions = {pid: _bump(pid) for pid in sorted((meeting.requester_id, meeting.invitee_id))}
    return [(pid, {"version": versions[pid], "type": change,
                   "data": {"meeting": view(meeting, pid, plan, profiles, tokens)}})
            for pid in (meeting.requester_id, meeting.invitee_id)]


def agenda(event: Event, me: MeetingPerson) -> dict:
    """Everything of one person's meetings: the full state a phone resyncs to."""
    plan = meeting_slots.plan_of(event.id)
    rows = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status != "removed",
        (MeetingRequest.requester_id == me.id) | (MeetingRequest.invitee_id == me.id))
        .order_by(MeetingRequest.id)).all()
    profiles = meeting_people.profiles(event.id)
    tokens = _tokens({r.requester_id for r in rows} | {r.invitee_id for r in rows})
    meetings = [view(r, me.id, plan, profiles, tokens) for r in rows]
    meetings.sort(key=lambda m: (m["start"] is None, m["start"] or "", -m["id"]))
    workshops = [{"title": w.title, "start": w.starts_at.isoformat(timespec="minutes"),
                  "end": w.ends_at.isoformat(timespec="minutes")}
                 for w in meeting_slots.timed_workshops(event, me.token)]
    return {"version": db.session.scalar(select(MeetingPerson.version).where(
                MeetingPerson.id == me.id)),
            "person_id": me.id, "opted_in": me.token in profiles,
            "open": plan is not None and bool(meeting_slots.future_slots(plan)),
            "plan": None if plan is None else {
                "days": plan.days, "slot_minutes": plan.slot_minutes,
                "timezone": plan.timezone, "max_meetings": plan.max_meetings},
            "meetings": meetings, "workshops": workshops}


def erase(event_id: int) -> None:
    """Every meeting, request, block and person of the event goes (privacy erase)."""
    ids = select(MeetingRequest.id).where(MeetingRequest.event_id == event_id)
    db.session.execute(delete(MeetingSeat).where(MeetingSeat.meeting_id.in_(ids)))
    db.session.execute(delete(MeetingRequest).where(MeetingRequest.event_id == event_id))
    db.session.execute(delete(MeetingBlock).where(MeetingBlock.event_id == event_id))
    db.session.execute(delete(MeetingPerson).where(MeetingPerson.event_id == event_id))
