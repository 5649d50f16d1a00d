"""Attendees: one participant per browser token per workshop, with an optional profile
and, if they opt in to collaboration matches, a contact (email or web page)."""
import functools

from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ..database import Prepared, new_row
from ..loaded_rows import PreparedLoad, attach, detached
from ..extensions import db
from ..models import Event, Participant, Workshop
from . import fields, privacy, voting
from .errors import InvalidInput, NotFound

PROFILE_FIELDS = ("display_name", "organisation", "kind", "region", "contact", "match_opt_in")


def find(workshop_id: int, token: str) -> Participant | None:
    return db.session.scalar(select(Participant).where(
        Participant.workshop_id == workshop_id, Participant.token == token))


@functools.cache
def _admission():
    """Built once, on first use (the models' mappers are configured by then)."""
    return PreparedLoad((Workshop, Event, Participant), lambda statement: statement
                        .select_from(Workshop)
                        .join(Event, Event.id == Workshop.event_id)
                        .outerjoin(Participant, and_(Participant.workshop_id == Workshop.id,
                                                     Participant.token == bindparam("token")))
                        .where(Workshop.id == bindparam("workshop_id")))


def admission(workshop_id, token: str | None, connection=None
              ) -> tuple[Workshop, Participant | None]:
    """A join's one query: the workshop with its event (deleted? closed?) and, for a browser
    token, its participant there (None if it never joined). NotFound for no such workshop.
    On the driver (loaded_rows.py): the ORM's query was most of a join's database CPU.
    With `connection` (a database.DriverTransaction), read on it, the instances in no
    session."""
    params = {"workshop_id": workshop_id, "token": token}
    if not isinstance(workshop_id, int):
        found = None
    elif connection is None:
        found = _admission().first(db.session, params)
    else:
        found = _admission().first_detached(connection, params)
    if found is None:
        raise NotFound(_("This workshop does not exist."))
    workshop, event, participant = found
    set_committed_value(workshop, "event", event)  # loaded with it, as contains_eager did
    return workshop, participant


def get_or_create(workshop: Workshop, token: str) -> Participant:
    return find(workshop.id, token) or create(workshop, token)


_ADD = Prepared(insert(Participant).values(
    {column.key: bindparam(column.key) for column in Participant.__table__.columns
     if not column.primary_key}).returning(Participant.id))


def add(workshop: Workshop, token: str, connection=None) -> Participant:
    """The browser's participant in the workshop, made now, without a savepoint: an
    IntegrityError (another tab of the same browser made it at the same moment) spoils
    the transaction, and the caller starts it again (realtime/joining.py). One INSERT on
    the driver (a join burst is CPU-bound; the ORM's flush took a third of a join), then
    the row joins the session as loaded, every column set; with `connection` (a
    database.DriverTransaction), made on it and in no session."""
    row = new_row(Participant, workshop_id=workshop.id, token=token)
    if connection is not None:
        return detached(Participant, {"id": _ADD.scalar(connection, row), **row})
    return attach(db.session, Participant,
                  {"id": _ADD.scalar(db.session.connection(), row), **row})


def create(workshop: Workshop, token: str) -> Participant:
    """The browser's participant in the workshop, made now (found, if another tab of the
    same browser made it at the same moment)."""
    try:
        with db.session.begin_nested():
            participant = Participant(workshop_id=workshop.id, token=token)
            db.session.add(participant)
    except IntegrityError:  # the same browser joined twice at the same moment
        participant = find(workshop.id, token)
    return participant


def update_profile(participant: Participant, **values) -> Participant:
    cleaned = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise InvalidInput(f"Unexpected field '{name}'.")
        if value is None:
            continue
        if name == "match_opt_in":
            if not isinstance(value, bool):
                raise InvalidInput("Field 'match_opt_in' must be true or false.")
            cleaned[name] = value
        else:
            cleaned[name] = fields.profile_field(name).clean(value)
    contact = cleaned.get("contact")
    if contact and not (fields.is_email(contact) or fields.is_web_page(contact)):
        raise InvalidInput(_("The contact must be an email address or a web page "
                             "(https://…)."))
    if cleaned.get("kind"):
        fields.stakeholder_kind(cleaned["kind"])
    if cleaned.get("match_opt_in") is False:
        cleaned["contact"] = ""  # opting out takes the contact away too
    opt_in = cleaned.get("match_opt_in", participant.match_opt_in)
    if opt_in:
        if not cleaned.get("contact", participant.contact):
            raise InvalidInput(_("Give a contact (email or web page) so the people you are "
                                 "matched with can reach you."))
        if not cleaned.get("region", participant.region).strip():
            raise InvalidInput(_("Give your region: matches are with people from other "
                                 "regions."))
    for name, value in cleaned.items():
        setattr(participant, name, value)
    db.session.flush()
    return participant


def own_state(participant_id: int, participant: Participant | None = None,
              event: Event | None = None) -> dict:
    """What an attendee's own screen needs besides the shared board. `profiles_closed`:
    the event's personal data was erased, so "About you" takes nothing new. No query for
    what a join loaded already (participants.admission), nor for the votes of someone who
    has none (votes_used is the sum of their dots: voting.py, merges.py). `participant` and
    `event`: the rows, when the caller read them already."""
    if participant is None or participant.id != participant_id:
        participant, event = db.session.get(Participant, participant_id), None
    if event is None:
        event = db.session.get(Workshop, participant.workshop_id).event
    voted = participant.votes_used != 0
    return {"participant_id": participant.id, "votes_used": participant.votes_used,
            "votes": {str(k): v for k, v in voting.my_votes(participant.id).items()}
            if voted else {},
            "theme_votes": {str(k): v for k, v in
                            voting.my_votes(participant.id, "themes").items()}
            if voted else {},
            "profile": participant.profile(),
            "profiles_closed": privacy.profiles_closed(event)}
