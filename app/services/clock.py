"""The facilitator's countdown, kept in server time so every screen shows the same clock
whatever its own clock says. Times travel as milliseconds since the epoch (UTC)."""
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import update

from ..extensions import db
from ..models import Change, Workshop, utcnow
from ..vocabulary import PHASE_ORDER
from . import changes, workshops
from .errors import InvalidInput
from .validation import bounded_int

MAX_SECONDS = 4 * 3600


def epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def now_ms() -> int:
    return epoch_ms(utcnow())


def state(workshop: Workshop) -> dict:
    return {"running": workshop.clock_ends_at is not None,
            "ends_at": epoch_ms(workshop.clock_ends_at),
            "remaining_ms": workshop.clock_remaining_ms, "advance": workshop.clock_advance}


def start(workshop: Workshop, seconds, advance=False) -> Change:
    seconds = bounded_int("seconds", seconds, 1, MAX_SECONDS)
    if not isinstance(advance, bool):
        raise InvalidInput(_("Field '%(name)s' must be true or false.", name="advance"))
    workshop.clock_ends_at = utcnow() + timedelta(seconds=seconds)
    workshop.clock_remaining_ms, workshop.clock_advance = None, advance
    return _changed(workshop)


def pause(workshop: Workshop) -> Change:
    if workshop.clock_ends_at is None:
        raise InvalidInput(_("The clock is not running."))
    left = workshop.clock_ends_at - utcnow()
    workshop.clock_remaining_ms = max(0, int(left.total_seconds() * 1000))
    workshop.clock_ends_at = None
    return _changed(workshop)


def resume(workshop: Workshop) -> Change:
    if workshop.clock_ends_at is not None or not workshop.clock_remaining_ms:
        raise InvalidInput(_("The clock is not paused."))
    workshop.clock_ends_at = utcnow() + timedelta(milliseconds=workshop.clock_remaining_ms)
    workshop.clock_remaining_ms = None
    return _changed(workshop)


def extend(workshop: Workshop, seconds) -> Change:
    seconds = bounded_int("seconds", seconds, 1, MAX_SECONDS)
    if workshop.clock_ends_at is not None:
        workshop.clock_ends_at += timedelta(seconds=seconds)
    elif workshop.clock_remaining_ms:
        workshop.clock_remaining_ms += seconds * 1000
    else:
        raise InvalidInput(_("Start the clock first."))
    return _changed(workshop)


def stop(workshop: Workshop) -> Change:
    workshop.clock_ends_at, workshop.clock_remaining_ms = None, None
    return _changed(workshop)


def expire(workshop_id: int, expected_ends_at: datetime) -> list[Change]:
    """The clock reached zero. Only the first caller for this exact end time acts (one
    conditional UPDATE), so several workers or a restarted clock never double-advance."""
    done = db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id,
                               Workshop.clock_ends_at == expected_ends_at)
        .values(clock_ends_at=None, clock_remaining_ms=0)
        .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        return []
    workshop = db.session.get(Workshop, workshop_id)
    db.session.refresh(workshop)
    made = [changes.record(workshop_id, "clock.changed", state(workshop))]
    position = PHASE_ORDER.index(workshop.phase)
    if workshop.clock_advance and position < len(PHASE_ORDER) - 1:
        made.extend(workshops.change_phase(workshop, PHASE_ORDER[position + 1]))
    return made


def _changed(workshop: Workshop) -> Change:
    workshops.require_open(workshop)
    db.session.flush()
    return changes.record(workshop.id, "clock.changed", state(workshop))
