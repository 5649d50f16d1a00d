"""JSON API: the same reads and writes as the socket protocol, over plain HTTP.

- GET  /api/workshops/<id>/state?since=N  -> {ok, role, version, sync, me?}
- POST /api/workshops/<id>/commands/<name> with the socket payload as JSON body
  -> the same ack, with HTTP 200, or {ok: false, error} with 400/403/404/409.
Cross-site forms cannot send JSON bodies, so the API needs no CSRF token. The cookie must
hold a grant for this very workshop, checked in the database on every request
(app/identity.py); reads never create a participant.
"""
from flask import Blueprint, current_app, jsonify, request

from .. import commands, identity
from ..extensions import csrf
from ..services import participants, snapshots, workshops
from ..services.errors import InvalidInput
from ..services.validation import MAX_INT, MIN_INT
from . import json_body

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


@bp.get("/workshops/<int:workshop_id>/state")
def state(workshop_id):
    workshop = workshops.get_workshop(workshop_id)
    actor = identity.best_actor(workshop)  # a read: never makes a participant
    since = request.args.get("since")
    if since is not None:
        try:
            since = int(since)
        except ValueError:
            raise InvalidInput("Parameter 'since' must be a whole number.") from None
        if not MIN_INT <= since <= MAX_INT:
            raise InvalidInput(f"Parameter 'since' must be a whole number from {MIN_INT} "
                               f"to {MAX_INT}.")
    version, sync = snapshots.sync(workshop.id, since, current_app.config["MAX_DELTAS"],
                                   moderator=actor.role == "facilitator",
                                   participant_id=actor.participant_id,
                                   cache=current_app.extensions["plenary_snapshots"])
    answer = {"ok": True, "role": actor.role, "version": version, "sync": sync}
    if actor.role == "attendee":
        answer["me"] = participants.own_state(actor.participant_id) \
            if actor.participant_id else None
    return jsonify(answer)


@bp.post("/workshops/<int:workshop_id>/commands/<name>")
def command(workshop_id, name):
    role = commands.role_of(name)
    workshop = workshops.get_workshop(workshop_id)
    actor = identity.actor(workshop, role)  # this workshop's grant, checked now
    payload = json_body()
    if payload is None:
        raise InvalidInput("The body must be a JSON object (Content-Type: application/json).")
    return jsonify(commands.execute(name, actor, payload))
