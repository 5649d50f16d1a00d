"""`workshop.join {workshop_id, role, since}`: a socket enters a workshop (the contract is
in handlers.py and docs/PROTOCOL.md), and leaves it again when its grant is revoked.

One transaction, one query to authorise (identity.admit). The rooms are entered before the
version is read, so a change committed meanwhile is either in the answer or broadcast to
this socket; the snapshot comes from the per-version cache.

Most joins are phones arriving: an attendee with nothing to catch up on (no `since`). Theirs
runs on the driver (database.DriverTransaction: the door, a new participant and the version
with no ORM session, whose set-up and tear-down cost as much as the rest of the join,
docs/PERFORMANCE.md), and whatever the cache does not hold yet is read after the commit, as
any other join reads it (in the session).
"""
from flask import request
from sqlalchemy.exc import IntegrityError

from .. import commands, identity, reads
from ..database import DriverTransaction
from ..extensions import db
from ..services import clock
from ..services.validation import expect_object
from . import broadcast, connections


def join(payload):
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int, "role": str}, {"since": int})
    role, since = payload["role"], payload.get("since")
    answer = _arriving(workshop_id) if role == "attendee" and since is None \
        else _joining(workshop_id, role, since)
    return {"ok": True, "role": role, "connected": broadcast.attendee_count(workshop_id),
            "server_time": clock.now_ms(), **answer}


def leave(workshop_id: int) -> None:
    """This connection is no longer in the workshop (nor counted present)."""
    if connections.leave(request.sid, workshop_id):
        broadcast.presence_changed(workshop_id)
    broadcast.leave_rooms(workshop_id)


def _arriving(workshop_id: int) -> dict:
    """An attendee's join with nothing to catch up on, on the driver."""
    try:
        return _arriving_once(workshop_id)
    except IntegrityError:  # another tab of this browser made its participant meanwhile
        return _arriving_once(workshop_id)


def _arriving_once(workshop_id: int) -> dict:
    entered = False
    try:
        with DriverTransaction(db.engine) as connection:
            workshop, actor, me = identity.admit(workshop_id, "attendee", connection)
            _enter(workshop, actor)
            entered = True
            answer = reads.cached_state(actor, me, workshop.event, connection)
        return answer or reads.state(actor, None, me, workshop.event)
    except Exception:
        if entered:
            leave(workshop_id)  # not joined after all
        raise


def _joining(workshop_id: int, role: str, since) -> dict:
    """Any other join (a console, a screen, a phone catching up), in the ORM session."""
    try:
        workshop, actor, me = identity.admit(workshop_id, role)  # refuses without this grant
    except IntegrityError:  # another tab of this browser made its participant meanwhile
        db.session.rollback()
        workshop, actor, me = identity.admit(workshop_id, role)
    _enter(workshop, actor)
    try:
        answer = reads.state(actor, since, me)
        db.session.commit()  # an attendee's first join made their participant
    except Exception:
        leave(workshop_id)  # not joined after all (nor their participant made)
        raise
    return answer


def _enter(workshop, actor) -> None:
    if workshop.clock_ends_at is not None:  # the process that started it may be gone
        broadcast.clock_running(workshop.id, workshop.clock_ends_at)
    broadcast.enter_rooms(workshop, actor)
    broadcast.start_tally_sweeper()  # once per process: what a crash left pending
    if connections.join(request.sid, actor):
        broadcast.presence_changed(workshop.id)
