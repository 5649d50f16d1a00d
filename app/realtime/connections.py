"""Who is connected where, in this process: socket id -> workshops joined, with role.

Used to authorise socket events (a write for a workshop the connection never joined is
refused) and to count the distinct attendees connected to a workshop (presence.py adds up
the workers).
"""
import threading
from collections import Counter

from ..actors import Actor

_lock = threading.Lock()
_joined: dict[str, dict[int, Actor]] = {}       # sid -> {workshop_id: Actor}
_attendees: dict[int, Counter] = {}              # workshop_id -> participant_id -> sockets


def join(sid: str, actor: Actor) -> bool:
    """Remember the membership; True when the attendee count of the workshop changed."""
    with _lock:
        memberships = _joined.setdefault(sid, {})
        previous = memberships.get(actor.workshop_id)
        if previous == actor:
            return False
        changed = _forget(actor.workshop_id, previous) if previous else False
        memberships[actor.workshop_id] = actor
        if actor.role == "attendee":
            counter = _attendees.setdefault(actor.workshop_id, Counter())
            counter[actor.participant_id] += 1
            changed = changed or counter[actor.participant_id] == 1
        return changed


def actor_for(sid: str, workshop_id: int) -> Actor | None:
    with _lock:
        return _joined.get(sid, {}).get(workshop_id)


def leave(sid: str, workshop_id: int) -> bool:
    """Forget one membership (its grant was revoked); True when the attendee count changed."""
    with _lock:
        actor = _joined.get(sid, {}).pop(workshop_id, None)
        return _forget(workshop_id, actor) if actor else False


def leave_all(sid: str) -> list[int]:
    """Forget a closed connection; the workshops whose attendee count changed."""
    with _lock:
        memberships = _joined.pop(sid, {})
        return [wid for wid, actor in memberships.items() if _forget(wid, actor)]


def socket_count() -> int:
    """Sockets of this process that joined a workshop."""
    with _lock:
        return len(_joined)


def attendee_count(workshop_id: int) -> int:
    with _lock:
        return len(_attendees.get(workshop_id, ()))


def attendee_ids(workshop_id: int) -> set[int]:
    with _lock:
        return set(_attendees.get(workshop_id, ()))


def _forget(workshop_id: int, actor: Actor) -> bool:
    if actor.role != "attendee":
        return False
    counter = _attendees.get(workshop_id)
    if not counter:
        return False
    counter[actor.participant_id] -= 1
    if counter[actor.participant_id] <= 0:
        del counter[actor.participant_id]
        return True
    return False
