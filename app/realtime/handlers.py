"""Socket.IO handlers. The client contract (every event and payload) is docs/PROTOCOL.md.

Contract in short:
- `workshop.join {workshop_id, role, since}` joins the workshop's room as 'attendee',
  'screen' or 'facilitator' and answers with the deltas since `since` or a snapshot. The
  signed session cookie must hold a grant for that very workshop (app/identity.py): its
  join code opened (attendee; a closed workshop takes no new attendees), its facilitator
  link or an organiser of its event (facilitator, screen), its projector link (screen).
- Every later event re-checks that grant in the database; a revoked one is refused, and
  revoking also sends `access.revoked {error}` and disconnects the sockets that used it,
  on every worker.
- `workshop.sync {workshop_id, since}` answers the same for a client that saw a gap.
- Writes: every command in app/commands.py (`idea.post`, `vote.cast`, the board's
  `theme.*`/`idea.*`/`board.undo`/`board.redo`, `phase.set`, `clock.*`, `conclusion.set`,
  `action.*`, `profile.update`, `projector.set`, ...; the full list with payloads is
  docs/PROTOCOL.md) carry `workshop_id` and `client_id`, and are accepted only for a
  workshop this connection joined, in a role allowed to make them. Reads: `board.history`,
  `board.suggest`, `board.hints`, `idea.similar`, `results.support`, `matches.mine`.
- Before any of that, each event spends its budget (budgets.py) and each raw message the
  connection's inbound rate (inbound.py).
- `workshop.join` (joining.py) is the one handler that commits (an attendee's first join
  makes their participant row); every other write goes through commands.execute.
- Every ack is `{ok: true, ...}` or `{ok: false, error: "..."}`; the database session is
  released after every event, even when the handler raises.
"""
import functools
import logging

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import disconnect

from .. import commands, identity, reads, vocabulary
from ..actors import Actor, require_role
from ..extensions import db, socketio
from ..models import Participant
from ..services import access, board_actions, matches, support, \
    workshops
from ..services.errors import DomainError, GrantRevoked, InvalidInput, NotAllowed
from ..services.validation import Id, expect_object
from . import broadcast, budgets, connections, joining

log = logging.getLogger(__name__)


def guarded(event: str, fn):
    """Spend the event's budget first (budgets.py); turn refusals into error acks, never let
    an exception escape, always release the db."""
    kind = budgets.kind_of(event)

    def handler(payload=None, *extra):
        refused = _over_budget(kind)
        if refused:
            return refused
        try:
            if extra:
                raise InvalidInput("Send exactly one JSON object per event.")
            return fn(payload)
        except DomainError as error:
            db.session.rollback()
            return {"ok": False, "error": error.message}
        except Exception:
            log.exception("socket event %s failed", event)
            db.session.rollback()
            return {"ok": False, "error": _("Something went wrong on the server; nothing "
                                            "was changed. Please try again.")}
        finally:
            db.session.remove()
    return handler


PER_BROWSER = ("write", "post", "similar")  # an attendee's tabs share these


def _over_budget(kind: str) -> dict | None:
    """None if this socket (and, for writes, this browser over all its sockets) may send
    the event now; else the error ack, with when to try again. Costs no database work."""
    spending = current_app.extensions["plenary_budgets"]
    wait = spending.wait(request.sid, kind)
    browser = identity.participant_token()
    if not wait and kind in PER_BROWSER and browser:
        wait = spending.wait(("browser", browser), kind)
    if not wait:
        return None
    if spending.strike(request.sid):
        log.warning("disconnecting %s: over its event budget for too long", request.sid)
        _close_connection(request.sid)
    return {"ok": False, "retry_after_ms": int(wait * 1000) + 1,
            "error": _("Too many requests from this connection: slow down for a moment.")}


def _close_connection(sid: str) -> None:
    """Close the whole connection, not only the Socket.IO namespace (which the client could
    connect again on the same websocket at once), and hold its browser back a while
    (inbound.py)."""
    eio_sid = socketio.server.manager.eio_sid_from_sid(sid, "/")
    if eio_sid not in socketio.server.eio.sockets:  # e.g. Flask-SocketIO's test client
        disconnect()
    else:
        current_app.extensions["plenary_inbound"].shut_out(eio_sid)


def register() -> None:
    socketio.on_event("workshop.join", guarded("workshop.join", joining.join))
    socketio.on_event("workshop.sync", guarded("workshop.sync", sync))
    socketio.on_event("board.history", guarded("board.history", board_history))
    socketio.on_event("idea.similar", guarded("idea.similar", similar_idea))
    socketio.on_event("board.suggest", guarded("board.suggest", suggest_themes))
    socketio.on_event("board.hints", guarded("board.hints", placement_hints))
    socketio.on_event("results.support", guarded("results.support", results_support))
    socketio.on_event("matches.mine", guarded("matches.mine", my_matches))
    for name in commands.names():
        socketio.on_event(name, guarded(name, functools.partial(write, name)))
    socketio.on_event("disconnect", on_disconnect)


def sync(payload):
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int}, {"since": int})
    actor = _member(workshop_id)
    return {"ok": True, **reads.state(actor, payload.get("since"))}


def board_history(payload):
    """Every board action as a sentence, and what Undo and Redo would do next; with
    `summary: true` only the latter (the console asks it after every board change)."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int}, {"summary": bool})
    require_role(_member(workshop_id), "facilitator")
    answer = {"ok": True, **board_actions.next_steps(workshop_id)}
    if not payload.get("summary"):
        answer["actions"] = board_actions.described_history(workshop_id)
    return answer


def _suggestions():
    """The suggestion services, imported at their first use: they bring numpy (22 MB of a
    serving process that may never be asked for a suggestion; docs/PERFORMANCE.md)."""
    from ..services import suggestions
    return suggestions


def _board_index():
    """This app's BoardIndex (services/suggestions.py), made at its first use."""
    index = current_app.extensions.get(BOARD_INDEX)
    if index is None:
        index = current_app.extensions.setdefault(BOARD_INDEX, _suggestions().BoardIndex())
    return index


BOARD_INDEX = "plenary_board_index"


def similar_idea(payload):
    """Before posting: has someone already said this? (read-only)"""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int, "text": str})
    actor = _member(workshop_id)
    return {"ok": True, "match": _suggestions().similar_idea(
        workshop_id, payload["text"][:vocabulary.LIMITS["idea"]],
        participant_id=actor.participant_id, moderator=actor.role == "facilitator",
        index=_board_index())}


def suggest_themes(payload):
    """Proposals for the ideas not yet in a theme; nothing moves until accepted."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int})
    require_role(_member(workshop_id), "facilitator")
    return {"ok": True, **_suggestions().propose_themes(workshop_id)}


def placement_hints(payload):
    """A suggested theme for each of `idea_ids` (at most MAX_HINTS) not yet in a theme, when
    one is close enough; nothing moves (the console's chip sends an ordinary idea.move)."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int, "idea_ids": [Id]})
    suggestions = _suggestions()
    if len(payload["idea_ids"]) > suggestions.MAX_HINTS:
        raise InvalidInput(_("Ask for at most %(n)d ideas at a time.", n=suggestions.MAX_HINTS))
    require_role(_member(workshop_id), "facilitator")
    hints = suggestions.placement_hints(workshop_id, payload["idea_ids"],
                                        index=_board_index())
    return {"ok": True, "hints": [{"idea_id": idea_id, "theme_id": theme_id, "score": score}
                                  for idea_id, (theme_id, score) in hints.items()]}


def results_support(payload):
    """Each theme's and idea's backers by stakeholder kind and region (read-only, any
    member): what the projector shows as "supported by 14 companies … from 7 regions"."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int})
    _member(workshop_id)
    segments = support.workshop_segments(workshops.get_workshop(workshop_id))
    return {"ok": True, "themes": {str(k): v for k, v in segments["themes"].items()},
            "ideas": {str(k): v for k, v in segments["ideas"].items()},
            "people": segments["people"]}


def my_matches(payload):
    """The people suggested to this attendee (opted in, other regions, same themes)."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int})
    actor = _member(workshop_id)
    if actor.role != "attendee":
        raise NotAllowed(_("Only attendees have matches."))
    workshop = workshops.get_workshop(workshop_id)
    participant = db.session.get(Participant, actor.participant_id)
    return {"ok": True, **matches.for_attendee(workshop, participant)}


def write(name, payload):
    """The grant is checked in the write's own transaction (one transaction, not two)."""
    workshop_id = commands.workshop_id_of(payload)
    try:
        return commands.execute(name, _joined(workshop_id), payload, check_grant=True)
    except GrantRevoked:
        joining.leave(workshop_id)
        raise


def on_disconnect(*_reason):
    current_app.extensions["plenary_budgets"].forget(request.sid)
    for workshop_id in connections.leave_all(request.sid):
        broadcast.presence_changed(workshop_id)


def _member(workshop_id: int) -> Actor:
    """The actor this connection joined the workshop as, if its grant still holds in the
    database now: a replaced link, a removed co-organiser or a deleted event is refused at
    the next event, whichever worker revoked it."""
    actor = _joined(workshop_id)
    if not access.grant_holds(workshop_id, actor.grant):
        joining.leave(workshop_id)
        raise GrantRevoked()
    return actor


def _joined(workshop_id: int) -> Actor:
    """The actor this connection joined the workshop as (its grant not checked yet)."""
    actor = connections.actor_for(request.sid, workshop_id)
    if actor is None:
        raise NotAllowed(_("You have not joined this workshop."))
    return actor
