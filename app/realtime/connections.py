"""Who is connected where, in this process: socket id -> workshops joined, with role.

Used to authorise socket events (a write for a workshop the connection never joined is
refused) and to count the distinct attendees connected to a workshop (presence.py adds up
the workers). One registry per app (create_app puts it in app.extensions); the module
functions below are the current app's, for the socket handlers.
"""
import threading
from collections import Counter

from flask import current_app

from ..actors import Actor

EXTENSION = "plenary_connections"


class Connections:
    def __init__(self):
        self._lock = threading.Lock()
        self._joined: dict[str, dict[int, Actor]] = {}  # sid -> {workshop_id: Actor}
        self._attendees: dict[int, Counter] = {}        # workshop_id -> participant_id -> sockets

    def join(self, sid: str, actor: Actor) -> bool:
        """Remember the membership; True when the attendee count of the workshop changed."""
        with self._lock:
            memberships = self._joined.setdefault(sid, {})
            previous = memberships.get(actor.workshop_id)
            if previous == actor:
                return False
            changed = self._forget(actor.workshop_id, previous) if previous else False
            memberships[actor.workshop_id] = actor
            if actor.role == "attendee":
                counter = self._attendees.setdefault(actor.workshop_id, Counter())
                counter[actor.participant_id] += 1
                changed = changed or counter[actor.participant_id] == 1
            return changed

    def actor_for(self, sid: str, workshop_id: int) -> Actor | None:
        with self._lock:
            return self._joined.get(sid, {}).get(workshop_id)

    def leave(self, sid: str, workshop_id: int) -> bool:
        """Forget one membership (its grant was revoked); True when the attendee count
        changed."""
        with self._lock:
            actor = self._joined.get(sid, {}).pop(workshop_id, None)
            return self._forget(workshop_id, actor) if actor else False

    def leave_all(self, sid: str) -> list[int]:
        """Forget a closed connection; the workshops whose attendee count changed."""
        with self._lock:
            memberships = self._joined.pop(sid, {})
            return [wid for wid, actor in memberships.items() if self._forget(wid, actor)]

    def socket_count(self) -> int:
        """Sockets of this process that joined a workshop."""
        with self._lock:
            return len(self._joined)

    def attendee_count(self, workshop_id: int) -> int:
        with self._lock:
            return len(self._attendees.get(workshop_id, ()))

    def attendee_ids(self, workshop_id: int) -> set[int]:
        with self._lock:
            return set(self._attendees.get(workshop_id, ()))

    def _forget(self, workshop_id: int, actor: Actor) -> bool:
        if actor.role != "attendee":
            return False
        counter = self._attendees.get(workshop_id)
        if not counter:
            return False
        counter[actor.participant_id] -= 1
        if counter[actor.participant_id] <= 0:
            del counter[actor.participant_id]
            return True
        return False


def current() -> Connections:
    """The current app's registry."""
    return current_app.extensions[EXTENSION]


def join(sid: str, actor: Actor) -> bool:
    return current().join(sid, actor)


def actor_for(sid: str, workshop_id: int) -> Actor | None:
    return current().actor_for(sid, workshop_id)


def leave(sid: str, workshop_id: int) -> bool:
    return current().leave(sid, workshop_id)


def leave_all(sid: str) -> list[int]:
    return current().leave_all(sid)


def socket_count() -> int:
    return current().socket_count()
