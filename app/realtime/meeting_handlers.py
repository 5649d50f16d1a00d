"""Socket events of bilateral meetings (docs/PROTOCOL.md, "Meetings"). An attendee's
phone asks for its agenda and the people it may meet, and sends requests and answers,
always for the workshop this connection joined (`workshop_id`); the person is the
browser's token across that workshop's event, checked in the database on every call.

- Reads: `meetings.mine {since}` (the full agenda, and this socket joins the person's
  room), `meetings.people {query, kind, region, theme}`, `meetings.slots {request_id}`.
- Writes (with `client_id`, answered once like every write): `meeting.request {person_id,
  message}`, `meeting.accept {request_id, slot?}`, `meeting.decline {request_id}`,
  `meeting.cancel {request_id}`, `meeting.block {person_id, report?}`.
- After the commit, both people get `meeting.requested|accepted|declined|cancelled|removed
  {version, type, data: {meeting}}` in their room on every worker; `version` is their
  agenda's: a phone that sees a gap asks `meetings.mine` again.
"""
from datetime import datetime

from flask_babel import gettext as _
from flask_socketio import join_room
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import commands
from ..actors import require_role
from ..extensions import db, socketio
from ..models import Participant, ProcessedWrite
from ..services import meeting_people, meetings, workshops
from ..services.errors import InvalidInput
from ..services.validation import Id, expect_object
from ..services.validation import client_id as valid_client_id
from . import broadcast, handlers
from .broadcast import person_room


def _caller(payload, required: dict, optional: dict | None = None):
    """(event, person, actor) for an attendee of this very workshop, re-checked now."""
    workshop_id = commands.workshop_id_of(payload)
    expect_object(payload, {"workshop_id": int, **required}, optional or {})
    actor = require_role(handlers._member(workshop_id), "attendee")
    workshop = workshops.get_workshop(workshop_id)
    token = db.session.scalar(select(Participant.token).where(
        Participant.id == actor.participant_id))
    return workshop.event, meeting_people.person(workshop.event_id, token), actor


def mine(payload):
    event, me, _actor = _caller(payload, {}, {"since": int})
    db.session.commit()  # the person row, on first use
    join_room(person_room(me.id))
    return {"ok": True, **meetings.agenda(event, me)}


def people(payload):
    event, me, _actor = _caller(payload, {}, {"query": str, "kind": str, "region": str,
                                              "theme": str})
    db.session.commit()
    found = meeting_people.directory(event, me, *((payload.get(k) or "")[:80] for k in (
        "query", "kind", "region", "theme")))  # null: no filter, as for any optional field
    return {"ok": True, "people": found}


def slots(payload):
    event, me, _actor = _caller(payload, {"request_id": Id})
    free = meetings.common_slots(event, me, payload["request_id"])
    return {"ok": True, "slots": [s.isoformat(timespec="minutes") for s in free[:60]]}


def _slot(value) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("The slot must look like 2026-05-12T09:20.")) from None


ACTIONS = {
    "meeting.request": ({"person_id": Id}, {"message": object},
                        lambda e, me, p: meetings.request_meeting(
                            e, me, p["person_id"], p.get("message"))),
    "meeting.accept": ({"request_id": Id}, {"slot": str},
                       lambda e, me, p: meetings.accept(e, me, p["request_id"],
                                                        at=_slot(p.get("slot")))),
    "meeting.list": ({"request_id": Id, "listed": bool}, {},
                     lambda e, me, p: meetings.set_listed(e, me, p["request_id"],
                                                          p["listed"])),
    "meeting.decline": ({"request_id": Id}, {},
                        lambda e, me, p: meetings.decline(e, me, p["request_id"])),
    "meeting.cancel": ({"request_id": Id}, {},
                       lambda e, me, p: meetings.cancel(e, me, p["request_id"])),
    "meeting.block": ({"person_id": Id}, {"report": bool},
                      lambda e, me, p: meetings.block(e, me, p["person_id"],
                                                      bool(p.get("report")))),
}


def write(name: str, payload):
    required, optional, action = ACTIONS[name]
    event, me, actor = _caller(payload, {"client_id": str, **required}, optional)
    client_id = valid_client_id(payload["client_id"])
    answered = _answer_given(actor.key, client_id)
    if answered is not None:
        return answered
    try:
        thing, envelopes = action(event, me, payload)
        response = {"ok": True, "id": thing.id,
                    "version": next((env["version"] for pid, env in envelopes
                                     if pid == me.id), None)}
        db.session.add(ProcessedWrite(actor=actor.key, client_id=client_id, response=response))
        db.session.commit()
    except IntegrityError:  # the same write twice at once: the other copy won
        db.session.rollback()
        answered = _answer_given(actor.key, client_id)
        if answered is None:
            raise
        return answered
    for person_id, envelope in envelopes:
        broadcast.current().send(person_room(person_id), envelope["type"], envelope)
    return response


def _answer_given(key: str, client_id: str) -> dict | None:
    return db.session.scalar(select(ProcessedWrite.response).where(
        ProcessedWrite.actor == key, ProcessedWrite.client_id == client_id))


def register() -> None:
    for name, fn in (("meetings.mine", mine), ("meetings.people", people),
                     ("meetings.slots", slots)):
        socketio.on_event(name, handlers.guarded(name, fn))
    for name in ACTIONS:
        socketio.on_event(name, handlers.guarded(name, lambda p, n=name: write(n, p)))
