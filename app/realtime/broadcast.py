"""The one place that sends workshop state to clients.

- publish(): versioned deltas, right after the transaction that made them commits.
- votes_changed(): vote tallies, coalesced per workshop (TALLY_INTERVAL, ~150 ms): the
  flush reads the totals from the database (the truth, whichever worker took the votes),
  records one `votes.tallied` change and broadcasts it. What a crash leaves pending is
  flushed by the sweeper (start_tally_sweeper, services/tallies.py).
- presence_changed(): the count of connected attendees, coalesced the same way (over
  every worker when they share Redis: presence.py).
- enter_rooms() / revoke(): each joined socket is also in a room for the grant it used;
  revoking that grant tells those sockets why (`access.revoked`) and disconnects them, on
  every worker (queue.py: closing a 'revoke:' room disconnects its members).
"""
import logging
import threading

from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from ..extensions import db, socketio
from ..services import changes, tallies
from . import presence
from .queue import REVOKE_PREFIX

log = logging.getLogger(__name__)
_tallies = None
_presence = None
_attendees = None  # counts connected attendees (this process, or every worker via Redis)
_app = None
_sweeper_app = None  # the app whose tally sweeper runs in this process
_clock_lock = threading.Lock()
_clock_waits: set = set()  # (workshop_id, ends_at) this process waits for


def room(workshop_id: int) -> str:
    return f"w:{workshop_id}"


def facilitators_room(workshop_id: int) -> str:
    return f"f:{workshop_id}"




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
    for name in rooms:
        if name:
            join_room(name)


def leave_rooms(workshop_id: int) -> None:
    """Take the current socket out of the workshop's broadcasts (its grant was revoked)."""
    leave_room(room(workshop_id))
    leave_room(facilitators_room(workshop_id))


def revoke(room_name: str, message: str) -> None:
    """Tell the sockets that used a revoked grant, then disconnect them (every worker).
    Call after the commit that revoked it, so that a reconnect is refused."""
    socketio.emit("access.revoked", {"error": message}, to=room_name)
    socketio.close_room(room_name, namespace="/")


def facilitator_link_replaced(workshop_id: int) -> None:
    revoke(link_room(workshop_id),
           _("The facilitator link was replaced: ask the organiser for the new one."))


def projector_link_replaced(workshop_id: int) -> None:
    revoke(projector_room(workshop_id), _(
        "This projector link was replaced. Open the projector from the console or with "
        "the new link."))


def init_app(app) -> None:
    from .coalescer import Coalescer

    global _tallies, _presence, _attendees, _app
    _app = app
    interval = app.config["TALLY_INTERVAL"]

    def in_app(fn):
        def run(key, items):
            if _app is not app:  # a flush left over from an app built before this one
                return
            with app.app_context():
                try:
                    fn(key, items)
                except Exception:  # a failed flush must not kill later ones
                    log.exception("broadcast flush failed for workshop %s", key)
                    db.session.rollback()
                finally:
                    db.session.remove()
        return run

    _tallies = Coalescer(interval, in_app(_flush_tallies), socketio.start_background_task,
                         socketio.sleep)
    _presence = Coalescer(interval, in_app(_flush_presence), socketio.start_background_task,
                          socketio.sleep)
    _attendees = presence.for_app(app, socketio.start_background_task, socketio.sleep,
                                  presence_changed)


def publish(workshop_id: int, envelopes: list[dict]) -> None:
    for envelope in envelopes:
        if envelope["type"] in changes.FACILITATORS_ONLY:
            # facilitators first: the placeholder with the same version then reaches them
            # as an old version and is ignored
            socketio.emit(envelope["type"], envelope, to=facilitators_room(workshop_id))
            envelope = changes.visible_envelope(envelope, moderator=False)
        socketio.emit(envelope["type"], envelope, to=room(workshop_id))


def votes_changed(workshop_id: int) -> None:
    """Votes of the workshop changed: flush its pending tallies (services/tallies.py)."""
    _tallies.mark(workshop_id)


def presence_changed(workshop_id: int) -> None:
    _presence.mark(workshop_id)


def attendee_count(workshop_id: int) -> int:
    return _attendees.count(workshop_id)


def clock_running(workshop_id: int, ends_at) -> None:
    """Wake up when the clock should reach zero, and let the database decide whether it
    still does (it may have been paused, extended or stopped meanwhile). Also called when a
    client joins a workshop whose clock runs, so that a clock started in a process that has
    since died or restarted still reaches zero (one wait per end time and process)."""
    from ..models import utcnow
    from ..services import clock
    app = _app
    with _clock_lock:
        if (workshop_id, ends_at) in _clock_waits:
            return
        _clock_waits.add((workshop_id, ends_at))

    def wait_and_expire():
        socketio.sleep(max(0.0, (ends_at - utcnow()).total_seconds()))
        with _clock_lock:
            _clock_waits.discard((workshop_id, ends_at))
        if _app is not app:
            return
        with app.app_context():
            try:
                made = clock.expire(workshop_id, ends_at)
                envelopes = [change.envelope() for change in made if change]
                db.session.commit()
                publish(workshop_id, envelopes)
            except Exception:
                log.exception("clock expiry failed for workshop %s", workshop_id)
                db.session.rollback()
            finally:
                db.session.remove()

    socketio.start_background_task(wait_and_expire)


def _flush_tallies(workshop_id: int, _items) -> None:
    change = tallies.flush(workshop_id)  # whatever is pending, whichever worker took it
    if change is None:
        return
    envelope = change.envelope()
    db.session.commit()
    publish(workshop_id, [envelope])


def start_tally_sweeper() -> None:
    """Once per process: flush the tallies that a dead worker (or this process, before a
    crash) left pending, now and every TALLY_SWEEP_INTERVAL seconds (docs/ARCHITECTURE.md,
    crash-safe tallies)."""
    global _sweeper_app
    app = _app
    if not app.config["TALLY_SWEEP_INTERVAL"]:
        return
    with _clock_lock:
        if _sweeper_app is app:
            return
        _sweeper_app = app
    interval = app.config["TALLY_SWEEP_INTERVAL"]

    def sweep_forever():
        older_than = 0.0  # at start-up, whatever is pending
        while _app is app and _sweeper_app is app:
            with app.app_context():
                try:
                    for workshop_id in tallies.stale_workshops(older_than):
                        _tallies.mark(workshop_id)
                except Exception:
                    log.exception("tally sweep failed")
                finally:
                    db.session.remove()
            older_than = max(2.0, 4 * app.config["TALLY_INTERVAL"])
            socketio.sleep(interval)

    socketio.start_background_task(sweep_forever)


def _flush_presence(workshop_id: int, _items) -> None:
    socketio.emit("presence.changed", {"connected": attendee_count(workshop_id)},
                  to=room(workshop_id))
