"""Who the browser is, from the signed Flask session cookie (pages and sockets alike).

- 'pt': the attendee's random participant token (given on /j/<CODE>).
- 'org': the id of the logged-in organiser.
- 'fac': {workshop_id: facilitator token} granted by a facilitator link; a rotated link
  no longer matches and so no longer grants anything.
"""
import secrets

from flask import session

from .extensions import db
from .models import Organiser, Workshop


def participant_token(create: bool = False) -> str | None:
    token = session.get("pt")
    if token is None and create:
        token = secrets.token_urlsafe(18)
        session["pt"] = token
        session.permanent = True
    return token


def current_organiser() -> Organiser | None:
    organiser_id = session.get("org")
    return db.session.get(Organiser, organiser_id) if isinstance(organiser_id, int) else None


def log_in(organiser: Organiser) -> None:
    session["org"] = organiser.id
    session.permanent = True


def log_out() -> None:
    session.pop("org", None)


def grant_facilitator(workshop: Workshop) -> None:
    grants = dict(session.get("fac", {}))
    grants[str(workshop.id)] = workshop.facilitator_token
    session["fac"] = grants
    session.permanent = True


def can_facilitate(workshop: Workshop) -> bool:
    if current_organiser() is not None:
        return True
    granted = session.get("fac", {}).get(str(workshop.id))
    return bool(granted) and secrets.compare_digest(granted, workshop.facilitator_token)
