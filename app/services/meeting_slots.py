"""When and where bilateral meetings happen: the event's meeting plan (days, a daily window
cut into slots, breaks, tables), workshop times, and booking an accepted request into the
earliest slot free for both people at a free table.

Times are the venue's wall-clock time (naive datetimes in the plan's time zone). No double
booking is the database's rule, not this module's: a person holds one MeetingSeat per slot
(unique person/slot) and a table one meeting per slot (unique event/slot/table); a booking
that loses a race gets an IntegrityError inside its savepoint and tries again with what is
taken now.
"""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Event, MeetingPlan, MeetingRequest, MeetingSeat, Participant, Workshop
from .errors import Conflict, InvalidInput, NotFound
from .validation import plain_text

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_DAYS, MAX_TABLES, MAX_SLOTS = 14, 500, 2000


def _clock(value, what: str) -> str:
    if not isinstance(value, str) or not HHMM.match(value.strip()):
        raise InvalidInput(_("%(what)s must be a time like 09:00.", what=what))
    return value.strip()


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def parse_days(text: str) -> list[str]:
    """'2026-05-12, 2026-05-13' (or one per line) -> sorted ISO dates."""
    days = set()
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        try:
            days.add(date.fromisoformat(part).isoformat())
        except ValueError:
            raise InvalidInput(_("“%(day)s” is not a date: write days like 2026-05-12.",
                                 day=part[:20])) from None
    return sorted(days)


def parse_breaks(text: str) -> list[list[str]]:
    """'12:30-13:30, 16:00-16:15' -> [["12:30", "13:30"], ...]"""
    breaks = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in re.split(r"\s*[-–]\s*", part)]
        if len(pieces) != 2:
            raise InvalidInput(_("Write each break as 12:30-13:30."))
        breaks.append(pieces)
    return breaks


def parse_tables(text: str) -> list[str]:
    """'12' -> Table 1 … Table 12; otherwise one name per line (or comma)."""
    text = (text or "").strip()
    if text.isdigit():
        count = int(text)
        if not 1 <= count <= MAX_TABLES:
            raise InvalidInput(_("Give from 1 to %(n)d tables.", n=MAX_TABLES))
        return [_("Table %(n)d", n=i) for i in range(1, count + 1)]
    return [p for p in (" ".join(plain_text("tables", x).split())
                        for x in re.split(r"[,;\n]+", text)) if p]


def set_plan(event: Event, *, days, day_start, day_end, slot_minutes, breaks, tables,
             timezone="UTC", max_meetings=12) -> MeetingPlan:
    """Create or change the event's plan; everything checked before anything is stored."""
    if not isinstance(days, list) or not days or len(days) > MAX_DAYS:
        raise InvalidInput(_("Give the meeting days (1 to %(n)d).", n=MAX_DAYS))
    days = parse_days(" ".join(d for d in days if isinstance(d, str)))
    start, end = _clock(day_start, _("The start")), _clock(day_end, _("The end"))
    if _minutes(start) >= _minutes(end):
        raise InvalidInput(_("The daily window must end after it starts."))
    if isinstance(slot_minutes, bool) or not isinstance(slot_minutes, int) \
            or not 5 <= slot_minutes <= 240:
        raise InvalidInput(_("A slot lasts from 5 to 240 minutes."))
    cleaned_breaks = []
    for pair in breaks or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InvalidInput(_("Write each break as 12:30-13:30."))
        b_start, b_end = _clock(pair[0], _("A break")), _clock(pair[1], _("A break"))
        if _minutes(b_start) >= _minutes(b_end):
            raise InvalidInput(_("A break must end after it starts."))
        cleaned_breaks.append([b_start, b_end])
    if not isinstance(tables, list) or not tables or len(tables) > MAX_TABLES:
        raise InvalidInput(_("Give from 1 to %(n)d tables.", n=MAX_TABLES))
    names = [" ".join(plain_text("tables", t).split()) if isinstance(t, str) else ""
             for t in tables]
    if any(not n or len(n) > 80 for n in names) or len(set(names)) != len(names):
        raise InvalidInput(_("Each table needs its own name (at most 80 characters)."))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(_("Unknown time zone “%(tz)s”: use a name like Europe/Madrid.",
                             tz=str(timezone)[:40])) from None
    if isinstance(max_meetings, bool) or not isinstance(max_meetings, int) \
            or not 1 <= max_meetings <= 100:
        raise InvalidInput(_("Meetings per person: from 1 to 100."))
    plan = plan_of(event.id) or MeetingPlan(event_id=event.id)
    plan.days, plan.day_start, plan.day_end = days, start, end
    plan.slot_minutes, plan.breaks, plan.tables = slot_minutes, cleaned_breaks, names
    plan.timezone, plan.max_meetings = timezone, max_meetings
    if len(slots(plan)) > MAX_SLOTS:
        raise InvalidInput(_("That makes more than %(n)d slots: use longer slots or fewer "
                             "days.", n=MAX_SLOTS))
    db.session.add(plan)
    db.session.flush()
    return plan


def plan_of(event_id: int) -> MeetingPlan | None:
    return db.session.scalar(select(MeetingPlan).where(MeetingPlan.event_id == event_id))


def venue_now(plan: MeetingPlan) -> datetime:
    return datetime.now(ZoneInfo(plan.timezone)).replace(tzinfo=None, microsecond=0)


def slots(plan: MeetingPlan) -> list[datetime]:
    """Every slot start of the plan, in time order; a slot that overlaps a break is left
    out, and so is the end of a window too short for a whole slot."""
    length = plan.slot_minutes
    breaks = [(_minutes(a), _minutes(b)) for a, b in plan.breaks or []]
    found = []
    for day in plan.days:
        midnight = datetime.combine(date.fromisoformat(day), time())
        minute, last = _minutes(plan.day_start), _minutes(plan.day_end)
        while minute + length <= last:
            clash = next((b for b in breaks if minute < b[1] and b[0] < minute + length), None)
            if clash:  # the next slot starts when the break ends
                minute = clash[1]
                continue
            found.append(midnight + timedelta(minutes=minute))
            minute += length
    return found


def slot_end(plan: MeetingPlan, start: datetime) -> datetime:
    return start + timedelta(minutes=plan.slot_minutes)


def future_slots(plan: MeetingPlan, now: datetime | None = None) -> list[datetime]:
    now = now or venue_now(plan)
    return [s for s in slots(plan) if s >= now]


def timed_workshops(event: Event, person_token: str) -> list[Workshop]:
    """The event's workshops with a time that this person takes part in, in time order."""
    return list(db.session.scalars(select(Workshop).join(
        Participant, Participant.workshop_id == Workshop.id).where(
        Workshop.event_id == event.id, Participant.token == person_token,
        Workshop.starts_at.is_not(None), Workshop.ends_at.is_not(None))
        .order_by(Workshop.starts_at)))


def workshop_times(event: Event, person_token: str) -> list[tuple[datetime, datetime]]:
    """When this person is in a workshop (no meeting for them then)."""
    return [(w.starts_at, w.ends_at) for w in timed_workshops(event, person_token)]


def set_workshop_times(event: Event, workshop_id: int, starts_at, ends_at) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None or workshop.event_id != event.id:
        raise NotFound(_("This workshop is not part of this event."))
    if (starts_at is None) != (ends_at is None):
        raise InvalidInput(_("Give both the start and the end, or neither."))
    if starts_at is not None and starts_at >= ends_at:
        raise InvalidInput(_("A workshop must end after it starts."))
    workshop.starts_at, workshop.ends_at = starts_at, ends_at
    db.session.flush()
    return workshop


def _busy(person_ids, plan, blocked) -> set[datetime]:
    taken = set(db.session.scalars(select(MeetingSeat.slot_start).where(
        MeetingSeat.person_id.in_(person_ids))))
    length = timedelta(minutes=plan.slot_minutes)
    for slot in slots(plan):
        if any(slot < end and start < slot + length for start, end in blocked):
            taken.add(slot)
    return taken


def free_slots(plan, person_ids, blocked, now=None) -> list[datetime]:
    """The slots from now on at which none of these people has a meeting or a workshop."""
    busy = _busy(person_ids, plan, blocked)
    return [s for s in future_slots(plan, now) if s not in busy]


def _tables_taken(event_id: int, slot: datetime) -> set[str]:
    return set(db.session.scalars(select(MeetingRequest.table_name).where(
        MeetingRequest.event_id == event_id, MeetingRequest.slot_start == slot)))


def book(plan: MeetingPlan, meeting: MeetingRequest, blocked, now=None,
         at: datetime | None = None) -> None:
    """Give the meeting the earliest slot free for both people (or exactly `at`) and the
    first free table there. Each try is a savepoint: a seat or table another booking took
    meanwhile makes the database refuse it, and the next free slot or table is tried."""
    people = (meeting.requester_id, meeting.invitee_id)
    candidates = free_slots(plan, people, blocked, now)
    if at is not None:
        candidates = [s for s in candidates if s == at]
    for slot in candidates:
        while True:
            free = [t for t in plan.tables if t not in _tables_taken(plan.event_id, slot)]
            if not free:
                break
            try:
                with db.session.begin_nested():
                    meeting.slot_start, meeting.table_name = slot, free[0]
                    db.session.add_all([MeetingSeat(person_id=p, meeting_id=meeting.id,
                                                    slot_start=slot) for p in people])
                    db.session.flush()
                return
            except IntegrityError:
                # a table taken meanwhile: try the next; a person taken: the next slot
                if db.session.scalar(select(MeetingSeat.id).where(
                        MeetingSeat.person_id.in_(people), MeetingSeat.slot_start == slot)):
                    break
    if at is not None:
        raise Conflict(_("That slot is not free for both of you any more: choose another."))
    raise Conflict(_("No slot is free for both of you: one of your agendas is full."))


def unbook(meeting: MeetingRequest) -> None:
    """Free the meeting's slot and table (cancelled, removed)."""
    db.session.execute(delete(MeetingSeat).where(MeetingSeat.meeting_id == meeting.id))
    meeting.slot_start, meeting.table_name = None, None
    db.session.flush()
