"""JSON API: the same reads and writes as the socket protocol, over plain HTTP.

- GET  /api/workshops/<id>/state?since=N  -> {ok, role, version, sync, me?}
- POST /api/workshops/<id>/commands/<name> with the socket payload as JSON body
  -> the same ack, with HTTP 200, or {ok: false, error} with 400/403/404/409.
Cross-site forms cannot send JSON bodies, so the API needs no CSRF token.
"""
from flask import Blueprint, current_app, jsonify, request

from .. import commands, identity
from ..actors import Actor
from ..extensions import csrf, db
from ..services import changes, participants, workshops
from ..services.errors import InvalidInput, NotAllowed

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)


def _actor(workshop, wanted_role: str | None) -> Actor:
    """The caller as the role a command needs (or the best role it has, for reads)."""
    if wanted_role in (None, "facilitator") and identity.can_facilitate(workshop):
        return Actor("facilitator", workshop.id)
    if wanted_role == "facilitator":
        raise NotAllowed("Only the workshop's facilitator can do this.")
    token = identity.participant_token()
    if token:
        participant = participants.get_or_create(workshop, token)
        db.session.commit()
        return Actor("attendee", workshop.id, participant.id)
    if wanted_role == "attendee":
        raise NotAllowed("Open the workshop's join link first to take part.")
    return Actor("screen", workshop.id)


@bp.get("/workshops/<int:workshop_id>/state")
def state(workshop_id):
    workshop = workshops.get_workshop(workshop_id)
    actor = _actor(workshop, None)
    since = request.args.get("since")
    if since is not None:
        try:
            since = int(since)
        except ValueError:
            raise InvalidInput("Parameter 'since' must be a whole number.") from None
    version, sync = changes.sync(workshop.id, since, current_app.config["MAX_DELTAS"],
                                 moderator=actor.role == "facilitator",
                                 participant_id=actor.participant_id)
    answer = {"ok": True, "role": actor.role, "version": version, "sync": sync}
    if actor.role == "attendee":
        answer["me"] = participants.own_state(actor.participant_id)
    return jsonify(answer)


@bp.post("/workshops/<int:workshop_id>/commands/<name>")
def command(workshop_id, name):
    role = commands.role_of(name)
    workshop = workshops.get_workshop(workshop_id)
    payload = request.get_json(silent=True)
    if payload is None:
        raise InvalidInput("The body must be a JSON object (Content-Type: application/json).")
    return jsonify(commands.execute(name, _actor(workshop, role), payload))
