"""Events and workshops: creation, join codes, facilitator links, phases and settings."""
import re
import secrets

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Change, Event, Vote, Workshop
from ..vocabulary import CLOSED, N_, PHASE_ORDER
from . import access, changes, fields, projector
from .errors import InvalidInput, NotFound
from .validation import bounded_int, shown

# No 0/O, 1/I/L: a code read aloud or from the back of a room cannot be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# What secrets.token_urlsafe makes: anything else in a link is unknown without a query
# (PostgreSQL refuses a NUL in a bound text).
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_BUDGET = 100
# What a closed workshop says to a change, by what was to be changed.
_CLOSED = {
    None: N_("This workshop is closed."),
    "board": N_("This workshop is closed; reopen it to change the board."),
    "conclusions": N_("This workshop is closed; reopen it to change its conclusions."),
}


def is_closed(workshop: Workshop) -> bool:
    return workshop.phase == CLOSED


def require_open(workshop: Workshop, to_change: str | None = None) -> None:
    """The one guard for "this workshop is closed": nothing in it changes until reopened."""
    if is_closed(workshop):
        raise InvalidInput(_(_CLOSED[to_change]))


def normalise_code(raw) -> str:
    if not isinstance(raw, str):
        return ""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def new_code() -> str:
    """A join code not used by any open workshop."""
    for _attempt in range(100):
        code = "".join(secrets.choice(CODE_ALPHABET) for _position in range(CODE_LENGTH))
        taken = db.session.scalar(
            select(Workshop.id).where(Workshop.code == code, Workshop.phase != CLOSED))
        if not taken:
            return code
    raise RuntimeError("Could not find a free join code")  # 31^6 codes: never in practice


def create_event(title: str, organiser_id: int | None = None) -> Event:
    event = Event(title=fields.EVENT_TITLE.clean(title),
                  created_by_id=organiser_id)
    db.session.add(event)
    db.session.flush()
    if organiser_id is not None:
        access.add_owner(event, organiser_id)
    return event


def publish_results(event: Event) -> str:
    """The read-only results page /r/<token>, for anyone with the link (attendees too)."""
    if not event.published_token:
        event.published_token = secrets.token_urlsafe(16)
        db.session.flush()
    return event.published_token


def unpublish_results(event: Event) -> None:
    event.published_token = None
    db.session.flush()


def find_published(token) -> Event | None:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(Event).where(Event.published_token == token,
                                                 Event.deleted_at.is_(None)))


def create_workshop(event: Event, title: str, question: str = "", vote_budget=5,
                    vote_cap=1) -> Workshop:
    budget = bounded_int("vote_budget", vote_budget, 1, MAX_BUDGET)
    workshop = Workshop(
        event=event,
        title=fields.WORKSHOP_TITLE.clean(title),
        question=fields.WORKSHOP_QUESTION.clean(question),
        vote_budget=budget,
        vote_cap=bounded_int("vote_cap", vote_cap, 1, budget),
        code=new_code(),
        facilitator_token=secrets.token_urlsafe(24),
        screen_token=secrets.token_urlsafe(24),
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def get_workshop(workshop_id) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id) if isinstance(workshop_id, int) else None
    if workshop is None:
        raise NotFound(_("This workshop does not exist."))
    return workshop


def find_by_code(raw_code) -> Workshop | None:
    """The open workshop with this code, else the most recent closed one, else None."""
    code = normalise_code(raw_code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(_BY_CODE, {"code": code})


# Built once (the join page runs it for every phone that arrives): building the statement
# and its cache key cost as much as running it.
_BY_CODE = (select(Workshop).options(joinedload(Workshop.event))
            .where(Workshop.code == bindparam("code"))
            .order_by((Workshop.phase == CLOSED).asc(), Workshop.id.desc()).limit(1))


def _by_link_token(column, token) -> Workshop | None:
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(Workshop).where(column == token))


def find_by_facilitator_token(token: str) -> Workshop | None:
    return _by_link_token(Workshop.facilitator_token, token)


def find_by_screen_token(token: str) -> Workshop | None:
    return _by_link_token(Workshop.screen_token, token)


def rotate_facilitator_token(workshop: Workshop) -> str:
    """A new facilitator link; consoles opened with the old one are cut off."""
    workshop.facilitator_token = secrets.token_urlsafe(24)
    db.session.flush()
    return workshop.facilitator_token


def rotate_screen_token(workshop: Workshop) -> str:
    """A new projector link; screens opened with the old one are cut off."""
    workshop.screen_token = secrets.token_urlsafe(24)
    db.session.flush()
    return workshop.screen_token


def set_phase(workshop: Workshop, phase) -> Change | None:
    """Move the workshop to any phase, forward or back. None when it is already there."""
    if phase not in PHASE_ORDER:
        raise InvalidInput(f"Unknown phase '{shown(phase)}'. Use one of: {', '.join(PHASE_ORDER)}.")
    previous = workshop.phase
    if phase == previous:
        return None
    if previous == CLOSED:
        # Reopening: the code may have been given to another open workshop meanwhile.
        taken = db.session.scalar(select(Workshop.id).where(
            Workshop.code == workshop.code, Workshop.phase != CLOSED, Workshop.id != workshop.id))
        if taken:
            workshop.code = new_code()
    workshop.phase = phase
    db.session.flush()
    return changes.record(workshop.id, "phase.changed", {"phase": phase, "previous": previous})


def change_phase(workshop: Workshop, phase) -> list[Change]:
    """set_phase, and the projectors go back to their first page with no spotlight (one
    transaction, both changes recorded): what the facilitator does for every phase change."""
    change = set_phase(workshop, phase)
    if change is None:
        return []
    reset = projector.phase_changed(workshop)
    return [change] + ([reset] if reset else [])


def update_settings(workshop: Workshop, vote_budget=None, vote_cap=None,
                    premoderation=None, hide_until_reveal=None, vote_on=None) -> Change | None:
    if workshop.phase == "closed":
        raise InvalidInput(_("This workshop is closed; reopen it to change its settings."))
    budget = workshop.vote_budget if vote_budget is None else bounded_int(
        "vote_budget", vote_budget, 1, MAX_BUDGET)
    cap = workshop.vote_cap if vote_cap is None else \
        bounded_int("vote_cap", vote_cap, 1, MAX_BUDGET)
    if cap > budget:
        raise InvalidInput(_("The per-idea cap (%(cap)d) cannot be larger than the budget "
                             "(%(budget)d).", cap=cap, budget=budget))
    moderated = workshop.premoderation if premoderation is None else premoderation
    secret = workshop.hide_until_reveal if hide_until_reveal is None else hide_until_reveal
    target = workshop.vote_on if vote_on is None else vote_on
    if target not in ("ideas", "themes"):
        raise InvalidInput(_("Vote on 'ideas' or 'themes'."))
    if target != workshop.vote_on and db.session.scalar(
            select(Vote.id).where(Vote.workshop_id == workshop.id).limit(1)):
        raise InvalidInput(_("Votes have been cast: take them all back before changing what "
                             "people vote on."))
    if (budget, cap, moderated, secret, target) == (
            workshop.vote_budget, workshop.vote_cap, workshop.premoderation,
            workshop.hide_until_reveal, workshop.vote_on):
        return None
    workshop.vote_on = target
    workshop.vote_budget, workshop.vote_cap, workshop.premoderation = budget, cap, moderated
    workshop.hide_until_reveal = secret
    db.session.flush()
    return changes.record(workshop.id, "settings.changed", workshop.settings())

