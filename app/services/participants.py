"""Attendees: one participant per browser token per workshop, with an optional profile."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import STAKEHOLDER_KINDS, Participant, Workshop
from . import voting
from .errors import InvalidInput
from .validation import short_text

PROFILE_FIELDS = ("display_name", "organisation", "kind", "region")


def find(workshop_id: int, token: str) -> Participant | None:
    return db.session.scalar(select(Participant).where(
        Participant.workshop_id == workshop_id, Participant.token == token))


def get_or_create(workshop: Workshop, token: str) -> Participant:
    participant = find(workshop.id, token)
    if participant:
        return participant
    try:
        with db.session.begin_nested():
            participant = Participant(workshop_id=workshop.id, token=token)
            db.session.add(participant)
    except IntegrityError:  # the same browser joined twice at the same moment
        participant = find(workshop.id, token)
    return participant


def update_profile(participant: Participant, **fields) -> Participant:
    cleaned = {}
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise InvalidInput(f"Unexpected field '{name}'.")
        if value is None:
            continue
        cleaned[name] = short_text(name, value, 80)
    kind = cleaned.get("kind")
    if kind and kind not in STAKEHOLDER_KINDS:
        raise InvalidInput(_("Unknown stakeholder kind '%(kind)s'. Use one of: %(kinds)s.",
                             kind=kind, kinds=", ".join(STAKEHOLDER_KINDS)))
    for name, value in cleaned.items():
        setattr(participant, name, value)
    db.session.flush()
    return participant


def own_state(participant_id: int) -> dict:
    """What an attendee's own screen needs besides the shared board."""
    participant = db.session.get(Participant, participant_id)
    return {"participant_id": participant.id, "votes_used": participant.votes_used,
            "votes": {str(k): v for k, v in voting.my_votes(participant.id).items()},
            "theme_votes": {str(k): v for k, v in
                            voting.my_votes(participant.id, "themes").items()},
            "profile": participant.profile()}
