"""Who the browser is, from the signed Flask session cookie (pages and sockets alike), and
which grants it holds for a workshop (app/services/access.py checks them in the database).

- 'pt': the attendee's random participant token (one per browser).
- 'att': the ids of the workshops whose join code this browser opened (/j/<code>): an
  attendee may only take part in those.
- 'org': the id of the logged-in organiser (and 'ov', the account's login version: a
  logout ends every copy of the cookie).
- 'fac': {workshop_id: token} granted by a facilitator link; a replaced link no longer
  matches and so no longer grants anything.
- 'scr': {workshop_id: token} granted by a projector link, the same way.
"""
import secrets

from flask import session
from flask_babel import gettext as _

from .actors import ROLES, Actor
from .extensions import db
from .models import Organiser, Participant, Workshop
from .services import access, participants, workshops
from .services.errors import Gone, InvalidInput, NotAllowed
from .services.validation import shown

MAX_ATTENDEE_GRANTS = 40  # the cookie keeps the most recent workshops joined


def participant_token(create: bool = False) -> str | None:
    token = session.get("pt")
    if not isinstance(token, str):
        token = None
    if token is None and create:
        token = secrets.token_urlsafe(18)
        session["pt"] = token
        session.permanent = True
    return token


def current_organiser() -> Organiser | None:
    organiser_id = session.get("org")
    if not isinstance(organiser_id, int):
        return None
    organiser = db.session.get(Organiser, organiser_id)
    if organiser is None or session.get("ov") != organiser.login_version:
        return None
    return organiser


def log_in(organiser: Organiser) -> None:
    session["org"] = organiser.id
    session["ov"] = organiser.login_version
    session.permanent = True


def log_out() -> None:
    organiser = current_organiser()
    if organiser is not None:  # every other copy of this login stops working too
        organiser.login_version += 1
        db.session.commit()
    session.pop("org", None)
    session.pop("ov", None)


def grant_attendee(workshop: Workshop) -> None:
    """Opening the join code lets this browser take part in this workshop."""
    joined = [wid for wid in session.get("att", []) if isinstance(wid, int)
              and wid != workshop.id]
    session["att"] = (joined + [workshop.id])[-MAX_ATTENDEE_GRANTS:]
    participant_token(create=True)
    session.permanent = True


def _token_map(key: str, workshop: Workshop, token: str) -> None:
    grants = {k: v for k, v in dict(session.get(key, {})).items() if isinstance(v, str)}
    grants[str(workshop.id)] = token
    session[key] = dict(list(grants.items())[-MAX_ATTENDEE_GRANTS:])
    session.permanent = True


def grant_facilitator(workshop: Workshop) -> None:
    _token_map("fac", workshop, workshop.facilitator_token)


def grant_projector(workshop: Workshop) -> None:
    _token_map("scr", workshop, workshop.screen_token)


def _token_grant(key: str, kind: str, workshop: Workshop):
    """The cookie's link grant, if it is the workshop's current link (as just read)."""
    granted = session.get(key, {})
    token = granted.get(str(workshop.id)) if isinstance(granted, dict) else None
    if isinstance(token, str) and access.link_holds(workshop, kind, token):
        return (kind, token)
    return None


def facilitator_grant(workshop: Workshop):
    """("organiser", id) for an organiser of the workshop's event, ("link", token) for a
    current facilitator link, else None."""
    organiser = current_organiser()
    if organiser is not None and access.role_in_event(workshop.event_id, organiser):
        return ("organiser", organiser.id)
    return _token_grant("fac", "link", workshop)


def screen_grant(workshop: Workshop):
    """Whoever may run the console may show the projector; so may a projector link."""
    return facilitator_grant(workshop) or _token_grant("scr", "projector", workshop)


def can_facilitate(workshop: Workshop) -> bool:
    return facilitator_grant(workshop) is not None


def can_show_screen(workshop: Workshop) -> bool:
    return screen_grant(workshop) is not None


def opened_join_code(workshop: Workshop) -> bool:
    return _opened(workshop.id)


def _opened(workshop_id: int) -> bool:
    joined = session.get("att", [])
    return participant_token() is not None and isinstance(joined, list) \
        and workshop_id in joined


# role -> (how the cookie's grant for it is found, what a caller without one is told)
_GRANTED_BY = {
    "facilitator": (facilitator_grant, lambda: _(
        "Only the workshop's facilitator can open the console: use the facilitator link.")),
    "screen": (screen_grant, lambda: _(
        "The projector screen opens from the facilitator's console or with the workshop's "
        "projector link.")),
}


_LOOK_UP = object()


def admit(workshop_id, role, connection=None) -> tuple[Workshop, Actor, Participant | None]:
    """`workshop.join`'s door: the workshop, its event and this browser's participant in
    one query (participants.admission), then the checks of actor(); a new attendee's
    participant is made (not committed; IntegrityError if another tab of the browser made
    it meanwhile: roll back and admit again). Returns it too (None for other roles).
    `connection`: a database.DriverTransaction to read and write on instead of the ORM
    session, the rows returned in no session. Only for an attendee, whose door reads
    nothing else (the other roles' grants are read in the session, which on SQLite would
    wait for this transaction's write lock)."""
    _known_role(role)
    if connection is not None and role != "attendee":
        raise ValueError("only an attendee is admitted on a driver connection")
    token = participant_token() if role == "attendee" and _opened(workshop_id) else None
    workshop, participant = participants.admission(workshop_id, token, connection)
    return (workshop, *_actor(workshop, role, True, participant,
                              make=lambda w, t: participants.add(w, t, connection)))


def _known_role(role) -> None:
    if role not in ROLES:
        raise InvalidInput(f"Unknown role '{shown(role)}'. Use one of: {', '.join(ROLES)}.")


def actor(workshop: Workshop, role: str, new_participant: bool = True) -> Actor:
    """The caller as `role` in this workshop, or a refusal saying how to get in. With
    new_participant=False (reads), an attendee who never joined gets participant_id None
    instead of a new participant row."""
    _known_role(role)
    return _actor(workshop, role, new_participant, _LOOK_UP)[0]


def _actor(workshop: Workshop, role: str, new_participant: bool, participant,
           make=participants.create) -> tuple[Actor, Participant | None]:
    """actor(), with the attendee's participant row; `participant` is that row (or None)
    when the caller read it already, else _LOOK_UP; `make` makes a new one."""
    if workshop.event.deleted_at is not None:
        raise Gone(_("This event was deleted."))
    if role in _GRANTED_BY:
        find_grant, refusal = _GRANTED_BY[role]
        grant = find_grant(workshop)
        if grant is None:
            raise NotAllowed(refusal())
        return Actor(role, workshop.id, grant=grant), None
    if not opened_join_code(workshop):
        raise NotAllowed(_("Open the workshop's join link first to take part."))
    if participant is _LOOK_UP:
        participant = participants.find(workshop.id, participant_token())
    if participant is None:
        if not new_participant:
            return Actor(role, workshop.id), None
        if workshops.is_closed(workshop):
            raise NotAllowed(_("This workshop has ended: it takes no new participants."))
        participant = make(workshop, participant_token())
    return Actor(role, workshop.id, participant.id,
                 grant=("participant", participant.id)), participant


def best_actor(workshop: Workshop) -> Actor:
    """For reads: the most the caller may see (facilitator, then attendee, then screen)."""
    if workshop.event.deleted_at is None and (grant := facilitator_grant(workshop)):
        return Actor("facilitator", workshop.id, grant=grant)  # checked once, not twice
    if opened_join_code(workshop):
        return actor(workshop, "attendee", new_participant=False)
    return actor(workshop, "screen")
