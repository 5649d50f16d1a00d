"""Who can meet whom: a person of an event (their browser token across its workshops, a
MeetingPerson row whose id is all a client ever sees), their profile (the latest workshop
where they opted in to be introduced), and the directory an attendee searches.

Only opted-in people (a contact and a region, as for "People to meet",
services/matches.py) appear or can be requested. Contacts are not in the directory: they
are shown to the two people of an accepted meeting only (services/meetings.py)."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import MeetingBlock, MeetingPerson, MeetingRequest, Participant, Workshop
from . import matches
from .support import region_key

DIRECTORY_LIMIT = 60
OPEN = ("pending", "accepted")


def _opted_in(p: Participant) -> bool:
    return p.match_opt_in and bool(p.contact) and bool(p.region.strip())


def profiles(event_id: int) -> dict[str, Participant]:
    """token -> the latest opted-in participation, for every opted-in person of the event."""
    rows = db.session.scalars(select(Participant).join(
        Workshop, Workshop.id == Participant.workshop_id).where(
        Workshop.event_id == event_id, Participant.match_opt_in.is_(True))
        .order_by(Participant.id)).all()
    return {p.token: p for p in rows if _opted_in(p)}


def profile(event_id: int, token: str) -> Participant | None:
    """This person's profile for meetings, or None if they have not opted in."""
    rows = db.session.scalars(select(Participant).join(
        Workshop, Workshop.id == Participant.workshop_id).where(
        Workshop.event_id == event_id, Participant.token == token,
        Participant.match_opt_in.is_(True)).order_by(Participant.id.desc())).all()
    return next((p for p in rows if _opted_in(p)), None)


def person(event_id: int, token: str) -> MeetingPerson:
    """The event's person for this browser token, made on first use."""
    found = db.session.scalar(select(MeetingPerson).where(
        MeetingPerson.event_id == event_id, MeetingPerson.token == token))
    if found:
        return found
    try:
        with db.session.begin_nested():
            found = MeetingPerson(event_id=event_id, token=token)
            db.session.add(found)
    except IntegrityError:  # the same person's two phones at the same moment
        found = db.session.scalar(select(MeetingPerson).where(
            MeetingPerson.event_id == event_id, MeetingPerson.token == token))
    return found


def people(event_id: int, tokens) -> dict[str, MeetingPerson]:
    """token -> person for each of these tokens (made where missing)."""
    tokens = set(tokens)
    known = {p.token: p for p in db.session.scalars(select(MeetingPerson).where(
        MeetingPerson.event_id == event_id))}
    for token in tokens - set(known):
        known[token] = person(event_id, token)
    return {t: known[t] for t in tokens}


def card(p: Participant | None, contact: bool = False) -> dict:
    """What the other side sees of a person (the contact only when allowed)."""
    if p is None:  # opted out or erased since
        return {"name": "", "organisation": "", "kind": "", "region": ""}
    shown = {"name": p.display_name, "organisation": p.organisation, "kind": p.kind,
             "region": " ".join(p.region.split())}
    if contact:
        shown["contact"] = p.contact
    return shown


def topics(event) -> tuple[dict, dict]:
    """token -> topics backed, and topic -> name (the same rule as People to meet)."""
    workshop_ids = [w.id for w in event.workshops]
    if not workshop_ids:
        return {}, {}
    return matches._topics(workshop_ids)


def blocked_ids(person_id: int) -> set[int]:
    """People this person blocked, and people who blocked them."""
    rows = db.session.execute(select(MeetingBlock.blocker_id, MeetingBlock.blocked_id).where(
        (MeetingBlock.blocker_id == person_id) | (MeetingBlock.blocked_id == person_id)))
    return {a if b == person_id else b for a, b in rows}


def directory(event, me: MeetingPerson, query: str = "", kind: str = "", region: str = "",
              theme: str = "") -> list[dict]:
    """Opted-in people of the event I may request, suggested ones first (another region,
    themes backed in common), filtered by a text (name, organisation, region, themes), a
    kind, a region and a theme name."""
    everyone = profiles(event.id)
    mine = everyone.get(me.token)
    if mine is None:
        return []
    persons = people(event.id, everyone)
    backed, names = topics(event)
    hidden = blocked_ids(me.id)
    status = {}
    for req in db.session.scalars(select(MeetingRequest).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status.in_(OPEN),
            (MeetingRequest.requester_id == me.id) | (MeetingRequest.invitee_id == me.id))):
        other = req.invitee_id if req.requester_id == me.id else req.requester_id
        status[other] = req.status
    query, theme = query.casefold().strip(), theme.casefold().strip()
    found = []
    for token, p in everyone.items():
        who = persons[token]
        if token == me.token or who.id in hidden:
            continue
        themes = sorted(names[k] for k in backed.get(token, ()))
        shared = sorted(names[k] for k in backed.get(token, set()) & backed.get(me.token, set()))
        text = " ".join([p.display_name, p.organisation, p.region, *themes]).casefold()
        if (query and query not in text) or (kind and p.kind != kind) or \
                (region and region_key(region) != region_key(p.region)) or \
                (theme and not any(theme in t.casefold() for t in themes)):
            continue
        suggested = bool(shared) and region_key(p.region) != region_key(mine.region)
        found.append({"person_id": who.id, **card(p), "themes": themes[:12], "shared": shared,
                      "suggested": suggested, "status": status.get(who.id)})
    found.sort(key=lambda f: (not f["suggested"], -len(f["shared"]), f["name"].casefold(),
                              f["person_id"]))
    return found[:DIRECTORY_LIMIT]
