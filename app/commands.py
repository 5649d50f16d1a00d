"""Client writes, shared by the socket handlers and the JSON API.

Each command validates its payload, checks the caller's role, runs the domain service in
one transaction, records the answer under the caller's client_id (so a resent write is
answered again and applied once), commits, and only then broadcasts.
"""
import json
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from . import write_batches
from .actors import Actor, require_role
from .database import DriverTransaction, Prepared
from .extensions import db
from .models import Participant, ProcessedWrite, utcnow
from .realtime import broadcast
from .services import access, board, board_actions, changes, clock, ideas, meetings, moderation, \
    outcomes, participants, privacy, projector, tallies, voting, workshops
from .services.errors import GrantRevoked, InvalidInput, NotAllowed, NotFound
from .services.validation import MAX_ID, Id, expect_object, is_id, shown
from .services.validation import client_id as valid_client_id


_COMMANDS = {}


def command(name: str, role: str, required: dict, optional: dict | None = None):
    def register(fn):
        _COMMANDS[name] = (fn, role, required, optional or {})
        return fn
    return register


def names() -> list[str]:
    return list(_COMMANDS)


def fields(name: str) -> tuple[dict, dict]:
    """The fields a command takes: (required, optional), each name -> type."""
    _fn, _role, required, optional = _COMMANDS[name]
    return {"workshop_id": Id, "client_id": str, **required}, dict(optional)


def role_of(name: str) -> str:
    if name not in _COMMANDS:
        raise NotFound(f"Unknown command '{shown(name)}'.")
    return _COMMANDS[name][1]


def workshop_id_of(payload) -> int:
    """The workshop a payload is for, checked before anything else is looked at."""
    if not isinstance(payload, dict):
        raise InvalidInput("The message must be a JSON object.")
    if "workshop_id" not in payload:
        raise InvalidInput("Missing field 'workshop_id'.")
    value = payload["workshop_id"]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("Field 'workshop_id' must be a whole number.")
    if not is_id(value):  # never bound to a query: it would not fit a database integer
        raise InvalidInput(f"Field 'workshop_id' must be a whole number from 1 to {MAX_ID}.")
    return value


def execute(name: str, actor: Actor, payload, check_grant: bool = False) -> dict:
    """Run a client write. `check_grant`: the caller did not check the actor's grant in the
    database yet (a socket's vote): it is checked here, in the write's own transaction, and
    GrantRevoked is raised if it no longer holds."""
    if name not in _COMMANDS:
        raise InvalidInput(f"Unknown command '{shown(name)}'.")
    fn, role = _COMMANDS[name][:2]
    expect_object(payload, *fields(name))
    require_role(actor, role)
    if payload["workshop_id"] != actor.workshop_id:
        raise NotAllowed(_("You have not joined this workshop."))
    client_id = valid_client_id(payload["client_id"])
    driver = name in _ON_THE_DRIVER
    own = driver and not _in_transaction()  # else in the caller's (which may hold locks)
    unit = partial(DriverTransaction, db.engine) if own else _SessionUnit
    write = partial(_write, fn, driver, actor, payload, client_id, check_grant)
    try:
        if own:  # a vote: with the votes that came with it, in one transaction
            done = current_app.extensions[write_batches.EXTENSION].run(write)
        if not own or done is write_batches.ALONE:
            with unit() as conn:
                done = write(conn)
    except IntegrityError:  # the same write twice at the same moment: the other one won
        with unit() as conn:
            answered = _answer_given(conn, actor, client_id)
        if answered is None:
            raise
        return answered
    response, published = done
    return response if published is None else _published(actor, response, *published)


def _write(fn, driver: bool, actor: Actor, payload, client_id: str, check_grant: bool,
           conn) -> tuple:
    """(the answer, (envelopes, voted ideas) to publish once committed, or None when the
    answer was given before). A vote runs on the driver (`conn` a DriverTransaction: every
    statement Prepared, no ORM session, whose set-up and tear-down cost more than the vote;
    docs/PERFORMANCE.md, "Votes"), any other write in the ORM session."""
    if check_grant and not access.grant_holds(actor.workshop_id, actor.grant, conn):
        raise GrantRevoked()
    answered = _answer_given(conn, actor, client_id)
    if answered is not None:
        return answered, None
    response, envelopes, voted_ideas = fn(actor, payload, conn) if driver \
        else fn(actor, payload)
    _record(conn, actor, client_id, response, voted_ideas)
    return response, (envelopes, voted_ideas)


def _in_transaction() -> bool:
    """Whether this context's session has a transaction open (without making a session)."""
    return db.session.registry.has() and db.session().in_transaction()


class _SessionUnit:
    """A write in the ORM session, as DriverTransaction is one on the driver: the
    connection; committed on a clean exit, rolled back on an exception (a failed commit
    too, so the session can be used again)."""

    def __enter__(self):
        return db.session.connection()

    def __exit__(self, kind, _error, _traceback) -> None:
        if kind is not None:
            db.session.rollback()
            return
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise


def _record(conn, actor: Actor, client_id: str, response: dict, voted_ideas) -> None:
    """The answer under the caller's client_id, and the tallies to send, in the write's
    own transaction (one statement each, no unit of work)."""
    _RECORD_ANSWER.run(conn, {"actor": actor.key, "client_id": client_id,
                              "response": response, "created_at": utcnow()}).close()
    tallies.mark_pending(actor.workshop_id, voted_ideas, conn)


def _published(actor: Actor, response: dict, envelopes, voted_ideas) -> dict:
    """After the commit, never before."""
    broadcast.publish(actor.workshop_id, envelopes)
    if voted_ideas:
        broadcast.votes_changed(actor.workshop_id)
    return response


# Compiled once, run on the driver: a burst of writes is CPU-bound on running statements
# (docs/PERFORMANCE.md, "Votes").
_ANSWER_GIVEN = Prepared(select(ProcessedWrite.response).where(
    ProcessedWrite.actor == bindparam("actor"), ProcessedWrite.client_id == bindparam("client_id")))
_RECORD_ANSWER = Prepared(insert(ProcessedWrite).values(
    {name: bindparam(name) for name in ("actor", "client_id", "response", "created_at")}))


def _answer_given(conn, actor: Actor, client_id: str) -> dict | None:
    stored = _ANSWER_GIVEN.scalar(conn, {"actor": actor.key, "client_id": client_id})
    return json.loads(stored) if isinstance(stored, str) else stored  # SQLite gives the text


def _participant(actor: Actor) -> Participant:
    return db.session.get(Participant, actor.participant_id)


@command("idea.post", "attendee", {"text": object})
def _post_idea(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    idea, change = ideas.post_idea(workshop, _participant(actor), payload["text"])
    envelope = change.envelope()
    return {"ok": True, "idea": envelope["data"]["idea"], "version": change.version}, [envelope], []


def _vote(action):
    def run(actor, payload, conn):  # ids only: the service reads what it needs in one query
        answer = action(actor.workshop_id, actor.participant_id, payload.get("idea_id"),
                        payload.get("theme_id"), conn=conn)
        changed = ("theme", answer["theme_id"]) if "theme_id" in answer else answer["idea_id"]
        return {"ok": True, **answer}, [], [changed]
    return run


# Either idea_id or theme_id, whichever the workshop votes on. On the driver (above).
command("vote.cast", "attendee", {}, {"idea_id": Id, "theme_id": Id})(_vote(voting.cast_vote))
command("vote.retract", "attendee", {}, {"idea_id": Id, "theme_id": Id})(
    _vote(voting.retract_vote))
_ON_THE_DRIVER = {"vote.cast", "vote.retract"}


@command("profile.update", "attendee", {},
         {"display_name": str, "organisation": str, "kind": str, "region": str, "contact": str,
          "match_opt_in": bool})
def _update_profile(actor, payload):
    fields = {k: v for k, v in payload.items() if k not in ("workshop_id", "client_id")}
    workshop = workshops.get_workshop(actor.workshop_id)
    workshops.require_open(workshop)
    privacy.refuse_new_profiles(workshop)  # the event's personal data was erased
    participant = participants.update_profile(_participant(actor), **fields)
    told = meetings.opted_out(workshop.event, participant.token)  # pending requests closed
    return {"ok": True, "profile": participant.profile()}, [
        broadcast.to_person(pid, envelope) for pid, envelope in told], []


@command("phase.set", "facilitator", {"phase": str})
def _set_phase(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    made = workshops.change_phase(workshop, payload["phase"])  # the projectors to page 1 too
    version = made[-1].version if made else changes.current_version(workshop.id)
    envelopes = [change.envelope() for change in made]
    return {"ok": True, "phase": workshop.phase, "version": version}, envelopes, []


@command("settings.update", "facilitator", {},
         {"vote_budget": int, "vote_cap": int, "premoderation": bool,
          "hide_until_reveal": bool, "vote_on": str})
def _update_settings(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    change = workshops.update_settings(
        workshop, payload.get("vote_budget"), payload.get("vote_cap"),
        payload.get("premoderation"), payload.get("hide_until_reveal"), payload.get("vote_on"))
    version = change.version if change else changes.current_version(workshop.id)
    envelopes = [change.envelope()] if change else []
    return {"ok": True, **workshop.settings(), "version": version}, envelopes, []


# --- the facilitator's board (app/services/board.py) ---------------------------------

def _board_answer(workshop_id: int, made: list, voted=()) -> tuple:
    envelopes = [change.envelope() for change in made]
    version = envelopes[-1]["version"] if envelopes else changes.current_version(workshop_id)
    answer = {"ok": True, "version": version}
    if envelopes and envelopes[0]["type"] == "theme.created":
        answer["theme"] = envelopes[0]["data"]["theme"]  # so a client can fill the new theme
    return answer, envelopes, list(voted)


def _board(action):
    def run(actor, payload):
        workshop = workshops.get_workshop(actor.workshop_id)
        return _board_answer(workshop.id, action(workshop, payload, actor.key))
    return run


command("theme.create", "facilitator", {"name": str}, {"colour": str})(_board(
    lambda w, p, who: board.create_theme(w, p["name"], p.get("colour"), actor=who)))
command("theme.rename", "facilitator", {"theme_id": Id, "name": str})(_board(
    lambda w, p, who: board.rename_theme(w, p["theme_id"], p["name"], actor=who)))
command("theme.recolour", "facilitator", {"theme_id": Id, "colour": str})(_board(
    lambda w, p, who: board.recolour_theme(w, p["theme_id"], p["colour"], actor=who)))
command("theme.reorder", "facilitator", {"order": [Id]})(_board(
    lambda w, p, who: board.reorder_themes(w, p["order"], actor=who)))
command("theme.delete", "facilitator", {"theme_id": Id})(_board(
    lambda w, p, who: board.delete_theme(w, p["theme_id"], actor=who)))
command("idea.move", "facilitator", {"idea_id": Id, "position": int}, {"theme_id": Id})(_board(
    lambda w, p, who: board.move_idea(w, p["idea_id"], p.get("theme_id"), p["position"],
                                      actor=who)))


@command("idea.merge", "facilitator", {"idea_id": Id, "into_id": Id})
def _merge(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    made = board.merge_ideas(workshop, payload["idea_id"], payload["into_id"], actor=actor.key)
    return _board_answer(workshop.id, made, [payload["idea_id"], payload["into_id"]])


@command("board.undo", "facilitator", {})
def _undo(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    made, voted = board.undo(workshop, actor=actor.key)
    return _stepped(workshop.id, made, voted, "next_redo")


@command("board.redo", "facilitator", {})
def _redo(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    made, voted = board.redo(workshop, actor=actor.key)
    return _stepped(workshop.id, made, voted, "next_undo")


def _stepped(workshop_id: int, made: list, voted: list, now_next: str) -> tuple:
    """An undo's or redo's answer also says what Undo and Redo would do next, and `done`:
    the sentence of the action just undone (now the next redo) or redone (the next undo)."""
    answer, envelopes, voted = _board_answer(workshop_id, made, voted)
    steps = board_actions.next_steps(workshop_id)
    return {**answer, **steps, "done": steps[now_next]}, envelopes, voted


command("idea.hide", "facilitator", {"idea_id": Id, "hidden": bool})(_board(
    lambda w, p, who: moderation.set_flag(w, p["idea_id"], "hidden", p["hidden"], actor=who)))
command("idea.pin", "facilitator", {"idea_id": Id, "pinned": bool})(_board(
    lambda w, p, who: moderation.set_flag(w, p["idea_id"], "pinned", p["pinned"], actor=who)))
command("idea.delete", "facilitator", {"idea_id": Id})(_board(
    lambda w, p, who: moderation.set_flag(w, p["idea_id"], "deleted", True, actor=who)))
command("idea.edit", "facilitator", {"idea_id": Id, "text": object})(_board(
    lambda w, p, who: moderation.edit_text(w, p["idea_id"], p["text"], actor=who)))


# --- the clock ------------------------------------------------------------------------

def _clock(action):
    def run(actor, payload):
        workshop = workshops.get_workshop(actor.workshop_id)
        change = action(workshop, payload)
        if workshop.clock_ends_at is not None:
            broadcast.clock_running(workshop.id, workshop.clock_ends_at)
        return ({"ok": True, "version": change.version, "clock": change.data},
                [change.envelope()], [])
    return run


command("clock.start", "facilitator", {"seconds": int}, {"advance": bool})(_clock(
    lambda w, p: clock.start(w, p["seconds"], p.get("advance") or False)))
command("clock.pause", "facilitator", {})(_clock(lambda w, p: clock.pause(w)))
command("clock.resume", "facilitator", {})(_clock(lambda w, p: clock.resume(w)))
command("clock.extend", "facilitator", {"seconds": int})(_clock(
    lambda w, p: clock.extend(w, p["seconds"])))
command("clock.stop", "facilitator", {})(_clock(lambda w, p: clock.stop(w)))
command("idea.approve", "facilitator", {"idea_id": Id})(_board(
    lambda w, p, who: moderation.approve(w, p["idea_id"], actor=who)))
command("ideas.reveal", "facilitator", {})(_board(
    lambda w, p, who: moderation.reveal_all(w)))


# --- what the workshop concluded (app/services/outcomes.py) ----------------------------

def _outcome(action):
    def run(actor, payload):
        workshop = workshops.get_workshop(actor.workshop_id)
        answer, change = action(workshop, payload)
        version = change.version if change else changes.current_version(workshop.id)
        return {"ok": True, **answer, "version": version}, [change.envelope()] if change else [], []
    return run


def _set_conclusion(workshop, p):
    change = outcomes.set_conclusion(workshop, p["text"], p.get("theme_id"), p.get("idea_id"))
    return {}, change


def _add_action(workshop, p):
    action, change = outcomes.add_action(workshop, p["what"], p.get("owner"),
                                         p["horizon"], p.get("theme_id"), p.get("idea_id"))
    return {"action": action.as_dict()}, change


command("conclusion.set", "facilitator", {"text": object}, {"theme_id": Id, "idea_id": Id})(
    _outcome(_set_conclusion))
command("action.add", "facilitator", {"what": object, "horizon": object},
        {"owner": object, "theme_id": Id, "idea_id": Id})(_outcome(_add_action))
command("action.update", "facilitator", {"action_id": Id},
        {"what": object, "owner": object, "horizon": object})(_outcome(
    lambda w, p: ({}, outcomes.update_action(w, p["action_id"], p.get("what"), p.get("owner"),
                                             p.get("horizon")))))
command("action.delete", "facilitator", {"action_id": Id})(_outcome(
    lambda w, p: ({}, outcomes.delete_action(w, p["action_id"]))))


# --- what the projectors show (app/services/projector.py) -----------------------------

@command("projector.set", "facilitator", {},
         {"page": int, "spotlight_idea_id": Id, "hide_tallies": bool, "auto_advance": int,
          "small_join": bool})
def _set_projector(actor, payload):
    workshop = workshops.get_workshop(actor.workshop_id)
    change = projector.set_view(
        workshop, page=payload.get("page"),
        # null clears the spotlight; leaving the field out keeps it
        spotlight_idea_id=payload["spotlight_idea_id"] if "spotlight_idea_id" in payload
        else projector.UNCHANGED,
        hide_tallies=payload.get("hide_tallies"), auto_advance=payload.get("auto_advance"),
        small_join=payload.get("small_join"))
    version = change.version if change else changes.current_version(workshop.id)
    return ({"ok": True, "projector": projector.view(workshop), "version": version},
            [change.envelope()] if change else [], [])
