"""The one place that sends workshop state to clients.

- publish(): versioned deltas, right after the transaction that made them commits.
- votes_changed(): vote tallies, coalesced per workshop (TALLY_INTERVAL, ~150 ms; sent
  when the votes pause, at most 4 intervals late: coalescer.py): the flush reads the
  totals from the database (the truth, whichever worker took the votes), records one
  `votes.tallied` change and broadcasts it. What a crash leaves pending is
  flushed by the sweeper (start_tally_sweeper, services/tallies.py).
- presence_changed(): the count of connected attendees, coalesced (leading edge; over
  every worker when they share Redis: presence.py), to consoles and projectors only.
- enter_rooms() / revoke(): each joined socket is also in a room for the grant it used;
  revoking that grant tells those sockets why (`access.revoked`) and disconnects them, on
  every worker (queue.py: closing a 'revoke:' room disconnects its members).

All of it is a Broadcaster, one per app (create_app puts it in app.extensions): its
coalescers, clock waits and sweeper run in that app, on its database and its Socket.IO
server, and never in another app built in the same process. The module functions below
the class are the current app's, for views, commands and handlers.
"""
import logging
import threading

from flask import current_app
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from ..extensions import db, socketio
from ..services import changes, tallies
from . import presence
from .coalescer import Coalescer
from .queue import REVOKE_PREFIX

log = logging.getLogger(__name__)
EXTENSION = "plenary_broadcaster"


def room(workshop_id: int) -> str:
    return f"w:{workshop_id}"


def facilitators_room(workshop_id: int) -> str:
    return f"f:{workshop_id}"


def counters_room(workshop_id: int) -> str:
    """The screens that show how many attendees are connected (consoles and projectors):
    the count changes with every arrival and every dropped phone, and sending it to every
    phone (which never shows it) was a fan-out to the whole room every TALLY_INTERVAL while
    a crowd arrives."""
    return f"c:{workshop_id}"


def link_room(workshop_id: int) -> str:
    """Sockets that joined with the workshop's facilitator link (any version of it)."""
    return f"{REVOKE_PREFIX}link:{workshop_id}"


def projector_room(workshop_id: int) -> str:
    return f"{REVOKE_PREFIX}projector:{workshop_id}"


def organiser_room(event_id: int, organiser_id: int) -> str:
    return f"{REVOKE_PREFIX}organiser:{event_id}:{organiser_id}"


def event_room(event_id: int) -> str:
    """Every socket joined to a workshop of the event (cut off when it is deleted)."""
    return f"{REVOKE_PREFIX}event:{event_id}"


def person_room(person_id: int) -> str:
    """One attendee's phones, for their meeting changes (realtime/meeting_handlers.py)."""
    return f"m:{person_id}"


def to_person(person_id: int, envelope: dict) -> dict:
    """A meeting change among a command's envelopes: `publish` sends it to that person's
    room only, not to the workshop."""
    return {"person_id": person_id, "envelope": envelope}


def _grant_room(workshop, actor) -> str | None:
    kind, value = actor.grant or (None, None)
    if kind == "link":
        return link_room(workshop.id)
    if kind == "projector":
        return projector_room(workshop.id)
    if kind == "organiser":
        return organiser_room(workshop.event_id, value)
    return None


def enter_rooms(workshop, actor) -> None:
    """Put the current socket in the workshop's rooms, and in the rooms of its grant."""
    rooms = [room(workshop.id), event_room(workshop.event_id), _grant_room(workshop, actor)]
    if actor.role == "facilitator":
        rooms.append(facilitators_room(workshop.id))
    if actor.role in ("facilitator", "screen"):
        rooms.append(counters_room(workshop.id))
    for name in rooms:
        if name:
            join_room(name)


def leave_rooms(workshop_id: int) -> None:
    """Take the current socket out of the workshop's broadcasts (its grant was revoked)."""
    leave_room(room(workshop_id))
    leave_room(facilitators_room(workshop_id))
    leave_room(counters_room(workshop_id))


class Broadcaster:
    """What one app sends to its clients, and the background work behind it."""

    def __init__(self, app, connections):
        self.app = app
        self.server = socketio.server  # this app's, made by socketio.init_app just before
        interval = app.config["TALLY_INTERVAL"]
        start, sleep = self.server.start_background_task, self.server.sleep
        self._lock = threading.Lock()
        self._clock_waits: set = set()  # (workshop_id, ends_at) this app waits for
        self._sweeping = False
        # tallies wait for a burst of votes to pause for one interval, at most four
        # intervals: in a room of 3,000 each fan-out took the CPU from the votes still
        # arriving (a 300-vote burst's acks spread 0.69 s; docs/PERFORMANCE.md)
        self._tallies = Coalescer(interval, self._flush_tallies, start, sleep,
                                  quiet=interval, max_wait=4 * interval)
        self._presence = Coalescer(interval, self._flush_presence, start, sleep)
        # connected attendees: this process's, or every worker's through Redis
        self._attendees = presence.for_app(app, connections, start, sleep,
                                           self.presence_changed, self.serving)

    def serving(self) -> bool:
        """Whether Flask-SocketIO still serves this app. It serves one app per process, the
        one built last (tests build many): background work of an app built before that
        then does nothing, so it can neither write into a database that a later app now
        uses nor keep running for ever."""
        return socketio.server is self.server

    # --- sending ------------------------------------------------------------------------

    def publish(self, workshop_id: int, envelopes: list[dict]) -> None:
        for envelope in envelopes:
            if "person_id" in envelope:  # to_person
                inner = envelope["envelope"]
                self._emit(inner["type"], inner, person_room(envelope["person_id"]))
                continue
            if envelope["type"] in changes.FACILITATORS_ONLY:
                # facilitators first: the placeholder with the same version then reaches
                # them as an old version and is ignored
                self._emit(envelope["type"], envelope, facilitators_room(workshop_id))
                envelope = changes.visible_envelope(envelope, moderator=False)
            self._emit(envelope["type"], envelope, room(workshop_id))

    def revoke(self, room_name: str, message: str) -> None:
        """Tell the sockets that used a revoked grant, then disconnect them (every worker).
        Call after the commit that revoked it, so that a reconnect is refused."""
        self._emit("access.revoked", {"error": message}, room_name)
        self.server.close_room(room_name, namespace="/")

    def send(self, room_name: str, event: str, data: dict) -> None:
        """One message to one room, e.g. a person's meeting change to their phones
        (realtime/meeting_handlers.py), on every worker."""
        self._emit(event, data, room_name)

    def _emit(self, event: str, data: dict, to: str) -> None:
        self.server.emit(event, data, to=to, namespace="/")

    # --- coalesced: tallies and presence ------------------------------------------------

    def votes_changed(self, workshop_id: int) -> None:
        """Votes of the workshop changed: flush its pending tallies (services/tallies.py)."""
        self._tallies.mark(workshop_id)

    def presence_changed(self, workshop_id: int) -> None:
        self._presence.mark(workshop_id)

    def attendee_count(self, workshop_id: int) -> int:
        return self._attendees.count(workshop_id)

    def _flush_tallies(self, workshop_id: int, _items) -> None:
        self._in_app("tally flush", self._record_tallies, workshop_id)

    def _record_tallies(self, workshop_id: int) -> None:
        change = tallies.flush(workshop_id)  # whatever is pending, whichever worker took it
        if change is None:
            return
        envelope = change.envelope()
        db.session.commit()
        self.publish(workshop_id, [envelope])

    def _flush_presence(self, workshop_id: int, _items) -> None:
        self._in_app("presence flush", lambda: self._emit(
            "presence.changed", {"connected": self.attendee_count(workshop_id)},
            counters_room(workshop_id)))

    def start_tally_sweeper(self) -> None:
        """Once per app: flush the tallies that a dead worker (or this process, before a
        crash) left pending, now and every TALLY_SWEEP_INTERVAL seconds
        (docs/ARCHITECTURE.md, crash-safe tallies)."""
        interval = self.app.config["TALLY_SWEEP_INTERVAL"]
        if not interval:
            return
        with self._lock:
            if self._sweeping:
                return
            self._sweeping = True
        self.server.start_background_task(self._sweep_forever, interval)

    def _sweep_forever(self, interval: float) -> None:
        older_than = 0.0  # at start-up, whatever is pending
        while self.serving():
            self._in_app("tally sweep", self._sweep, older_than)
            older_than = max(2.0, 4 * self.app.config["TALLY_INTERVAL"])
            self.server.sleep(interval)

    def _sweep(self, older_than: float) -> None:
        for workshop_id in tallies.stale_workshops(older_than):
            self._tallies.mark(workshop_id)

    # --- the clock ----------------------------------------------------------------------

    def clock_running(self, workshop_id: int, ends_at) -> None:
        """Wake up when the clock should reach zero, and let the database decide whether
        it still does (it may have been paused, extended or stopped meanwhile). Also called
        when a client joins a workshop whose clock runs, so that a clock started in a
        process that has since died or restarted still reaches zero (one wait per end time
        and app)."""
        with self._lock:
            if (workshop_id, ends_at) in self._clock_waits:
                return
            self._clock_waits.add((workshop_id, ends_at))
        self.server.start_background_task(self._wait_and_expire, workshop_id, ends_at)

    def _wait_and_expire(self, workshop_id: int, ends_at) -> None:
        from ..models import utcnow
        self.server.sleep(max(0.0, (ends_at - utcnow()).total_seconds()))
        with self._lock:
            self._clock_waits.discard((workshop_id, ends_at))
        self._in_app("clock expiry", self._expire, workshop_id, ends_at)

    def _expire(self, workshop_id: int, ends_at) -> None:
        from ..services import clock
        made = clock.expire(workshop_id, ends_at)
        envelopes = [change.envelope() for change in made if change]
        db.session.commit()
        self.publish(workshop_id, envelopes)

    def _in_app(self, what: str, fn, *args) -> None:
        """Background work, in this app's context and only while it is served; a failure
        is logged and must not kill later runs; the database session is released."""
        if not self.serving():
            return
        with self.app.app_context():
            try:
                fn(*args)
            except Exception:
                log.exception("%s failed for %s", what, args)
                db.session.rollback()
            finally:
                db.session.remove()


# --- the current app's broadcaster, for views, commands and socket handlers -------------

def current() -> Broadcaster:
    return current_app.extensions[EXTENSION]


def publish(workshop_id: int, envelopes: list[dict]) -> None:
    current().publish(workshop_id, envelopes)


def votes_changed(workshop_id: int) -> None:
    current().votes_changed(workshop_id)


def presence_changed(workshop_id: int) -> None:
    current().presence_changed(workshop_id)


def attendee_count(workshop_id: int) -> int:
    return current().attendee_count(workshop_id)


def clock_running(workshop_id: int, ends_at) -> None:
    current().clock_running(workshop_id, ends_at)


def start_tally_sweeper() -> None:
    current().start_tally_sweeper()


def revoke(room_name: str, message: str) -> None:
    current().revoke(room_name, message)


def facilitator_link_replaced(workshop_id: int) -> None:
    revoke(link_room(workshop_id),
           _("The facilitator link was replaced: ask the organiser for the new one."))


def projector_link_replaced(workshop_id: int) -> None:
    revoke(projector_room(workshop_id), _(
        "This projector link was replaced. Open the projector from the console or with "
        "the new link."))
