"""Who may see or act on which event and workshop, read from the database on every call.

Events belong to their organisers: the owner (who created it) and the co-organisers the
owner invited. An event with no organiser at all (made from the shell, `flask demo`) is run
by the site administrator. Everyone else is told the event does not exist (404).

A *grant* is what a client holds for one workshop, as a (kind, value) pair:
- ("organiser", organiser_id): an organiser of the workshop's event;
- ("link", token): the facilitator link's token, valid until the link is replaced;
- ("projector", token): the projector link's token, valid until it is replaced;
- ("participant", participant_id): an attendee who opened the workshop's join code.
`grant_holds()` re-checks one against the database: a replaced link, a removed
co-organiser or a deleted event stops working at the next call.
"""
import secrets

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, select

from ..database import Prepared
from ..extensions import db
from ..models import Event, EventOrganiser, Organiser, Participant, Workshop
from . import fields
from .errors import Conflict, Gone, InvalidInput, NotAllowed, NotFound

OWNER, CO_ORGANISER = "owner", "co-organiser"
FACILITATOR_GRANTS = ("organiser", "link")          # may run the console
SCREEN_GRANTS = ("organiser", "link", "projector")  # may show the projector screen


def _has_no_organisers(event_id):
    return ~exists().where(EventOrganiser.event_id == event_id)


def role_in_event(event_id: int, organiser: Organiser | None) -> str | None:
    """'owner', 'co-organiser', or None. The site administrator owns organiser-less events."""
    if organiser is None or not isinstance(event_id, int):
        return None
    role = db.session.scalar(select(EventOrganiser.role).where(
        EventOrganiser.event_id == event_id, EventOrganiser.organiser_id == organiser.id))
    if role is None and organiser.is_admin and db.session.scalar(
            select(_has_no_organisers(event_id))):
        return OWNER
    return role


def event_for(organiser: Organiser | None, event_id, owner_only: bool = False) -> Event:
    """The event, if this organiser runs it; 404 otherwise (as if it did not exist), 410
    once deleted, 403 for an owner-only action asked by a co-organiser."""
    role = role_in_event(event_id, organiser)
    event = db.session.get(Event, event_id) if role else None
    if event is None:
        raise NotFound(_("This event does not exist."))
    if event.deleted_at is not None:
        raise Gone(_("This event was deleted."))
    if owner_only and role != OWNER:
        raise NotAllowed(_("Only the event's owner can do this."))
    return event


def events_of(organiser: Organiser) -> list[Event]:
    """The events this organiser runs, newest first (deleted ones left out)."""
    mine = select(EventOrganiser.event_id).where(EventOrganiser.organiser_id == organiser.id)
    condition = Event.id.in_(mine)
    if organiser.is_admin:
        condition = condition | _has_no_organisers(Event.id)
    return list(db.session.scalars(select(Event).where(condition, Event.deleted_at.is_(None))
                                   .order_by(Event.id.desc())))


def all_events() -> list[tuple[Event, list[str]]]:
    """Every event with its owners' emails: the site administrator's list."""
    events = db.session.scalars(select(Event).where(Event.deleted_at.is_(None))
                                .order_by(Event.id.desc())).all()
    owners = {}
    for event_id, email in db.session.execute(
            select(EventOrganiser.event_id, Organiser.email).join(Organiser)
            .where(EventOrganiser.role == OWNER)):
        owners.setdefault(event_id, []).append(email)
    return [(event, owners.get(event.id, [])) for event in events]


def team_of(event: Event) -> list[EventOrganiser]:
    return list(db.session.scalars(
        select(EventOrganiser).where(EventOrganiser.event_id == event.id)
        .order_by((EventOrganiser.role == OWNER).desc(), EventOrganiser.id)))


def add_owner(event: Event, organiser_id: int) -> None:
    db.session.add(EventOrganiser(event_id=event.id, organiser_id=organiser_id, role=OWNER))
    db.session.flush()


def invite(event: Event, email) -> EventOrganiser:
    """Make an existing organiser account a co-organiser of the event (owner's action)."""
    email = fields.email(email)
    if not email:
        raise InvalidInput(_("Type the email of the organiser account to invite."))
    organiser = db.session.scalar(select(Organiser).where(Organiser.email == email))
    if organiser is None:
        raise NotFound(_("There is no organiser account with this email. Ask the site "
                         "administrator to create it first (flask create-organiser)."))
    if db.session.scalar(select(EventOrganiser.id).where(
            EventOrganiser.event_id == event.id, EventOrganiser.organiser_id == organiser.id)):
        raise Conflict(_("%(email)s already organises this event.", email=email))
    member = EventOrganiser(event_id=event.id, organiser_id=organiser.id, role=CO_ORGANISER)
    db.session.add(member)
    db.session.flush()
    return member


def remove(event: Event, organiser_id, by: Organiser) -> Organiser:
    """Take a co-organiser off the event: the owner may remove anyone but an owner; a
    co-organiser may remove themself (leave)."""
    member = db.session.scalar(select(EventOrganiser).where(
        EventOrganiser.event_id == event.id, EventOrganiser.organiser_id == organiser_id)) \
        if isinstance(organiser_id, int) else None
    if member is None:
        raise NotFound(_("This organiser does not organise this event."))
    if member.role == OWNER:
        raise InvalidInput(_("The owner cannot be removed from the event."))
    if organiser_id != by.id and role_in_event(event.id, by) != OWNER:
        raise NotAllowed(_("Only the event's owner can do this."))
    removed = member.organiser
    db.session.delete(member)
    db.session.flush()
    return removed


# An attendee's grant, checked on every event they send: built once.
_PARTICIPANT_HOLDS = Prepared(
    select(Workshop.id).join(Event, Event.id == Workshop.event_id)
    .join(Participant, Participant.workshop_id == Workshop.id)
    .where(Workshop.id == bindparam("workshop"), Event.deleted_at.is_(None),
           Participant.id == bindparam("participant")))


def grant_holds(workshop_id: int, grant, conn=None) -> bool:
    """Is this grant still good for this workshop, by the database, now? (one query)
    `conn`: the write's own connection for an attendee's grant (a vote's DriverTransaction);
    the others are read in the session."""
    if not grant or not isinstance(workshop_id, int):
        return False
    kind, value = grant
    if kind == "participant":  # first: building the other kinds costs as much as the query
        return participant_holds(conn or db.session.connection(), workshop_id, value)
    live = (Workshop.id == workshop_id) & Event.deleted_at.is_(None)
    base = select(Workshop.id).join(Event, Event.id == Workshop.event_id)
    if kind == "organiser":
        member = exists().where(EventOrganiser.event_id == Event.id,
                                EventOrganiser.organiser_id == value)
        admin = exists().where(Organiser.id == value, Organiser.is_admin.is_(True)) \
            & _has_no_organisers(Event.id)
        return db.session.scalar(base.where(live, member | admin)) is not None
    if kind in ("link", "projector"):
        column = Workshop.facilitator_token if kind == "link" else Workshop.screen_token
        current = db.session.scalar(select(column).join(Event, Event.id == Workshop.event_id)
                                    .where(live))
        return _same_token(current, value)
    return False


def participant_holds(conn, workshop_id: int, participant_id) -> bool:
    """grant_holds for an attendee's grant, on `conn` (the session's connection, or a
    database.DriverTransaction: a vote's own)."""
    return _PARTICIPANT_HOLDS.scalar(conn, {"workshop": workshop_id,
                                            "participant": participant_id}) is not None


def link_holds(workshop: Workshop, kind: str, token) -> bool:
    """grant_holds for a ("link" | "projector", token) grant, against the workshop row (and
    its event) the caller read from the database in this very call: no further query."""
    current = {"link": workshop.facilitator_token, "projector": workshop.screen_token}.get(kind)
    return workshop.event.deleted_at is None and _same_token(current, token)


def _same_token(current, value) -> bool:
    return bool(current) and isinstance(value, str) and \
        secrets.compare_digest(current.encode(), value.encode())
