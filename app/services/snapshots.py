"""What a client (re)joining a workshop receives: the deltas it missed, or a snapshot of the
whole board (built once per workshop version and role, in a `changes.VersionCache`)."""

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ..database import Prepared
from ..extensions import db
from ..models import Idea, Theme, Workshop
from . import changes, clock, outcomes, projector
from .errors import NotFound


# Every join and sync runs it: on the driver (database.Prepared), in the session's transaction.
_VERSION = Prepared(select(Workshop.version, Workshop.hide_until_reveal).where(
    Workshop.id == bindparam("workshop_id")))


def sync(workshop_id: int, since: int | None, max_deltas: int,
         moderator: bool = False, participant_id: int | None = None,
         cache: "changes.VersionCache | None" = None) -> tuple[int, dict]:
    """What a client at version `since` needs: the deltas after it, or a snapshot (from
    `cache` when one was built at this version already)."""
    found = _VERSION.first(db.session.connection(), {"workshop_id": workshop_id})
    if found is None:
        raise NotFound(_("This workshop does not exist."))
    version, personal = found
    missed = changes.deltas(workshop_id, since, version, max_deltas, moderator)
    if missed is not None:
        return version, {"mode": "deltas", "deltas": missed}
    key = _cache_key(workshop_id, version, personal, moderator)
    if cache is None or key is None:
        return version, {"mode": "snapshot",
                         "snapshot": snapshot(workshop_id, moderator, participant_id)}
    built = cache.get(key)
    if built is None:
        built = cache.put(key, snapshot(workshop_id, moderator, participant_id))
    return version, {"mode": "snapshot", "snapshot": built}


def cached(workshop_id: int, cache: "changes.VersionCache", connection
           ) -> tuple[int, dict] | None:
    """sync() for an attendee with no `since`, on `connection` alone: the version read on
    it and the attendees' snapshot `cache` holds at that version; None when it holds none
    (or the workshop shows each attendee their own ideas until revealed)."""
    found = _VERSION.first(connection, {"workshop_id": workshop_id})
    if found is None:
        return None
    version, personal = found
    key = _cache_key(workshop_id, version, personal, False)
    built = cache.get(key) if key is not None else None
    return None if built is None else (version, {"mode": "snapshot", "snapshot": built})


def _cache_key(workshop_id: int, version: int, personal: bool, moderator: bool):
    """Where the snapshot at `version` is kept for a role; None when it is not shared
    (`personal`: each attendee sees their own ideas until they are revealed)."""
    return None if personal and not moderator else (workshop_id, version, moderator)


def snapshot(workshop_id: int, moderator: bool = False,
             participant_id: int | None = None) -> dict:
    """The whole board. Deleted ideas are left out; hidden, queued and not yet revealed
    ones too, except for the facilitator (moderator) and, for their own ideas, authors."""
    # Version first: anything newer than it reaches the client again as a delta, and
    # every delta is safe to apply twice. The workshop is read again after it, even when
    # the session holds it already (a join loaded it before reading the version).
    version = changes.current_version(workshop_id)
    workshop = db.session.get(Workshop, workshop_id, populate_existing=True)
    query = select(Idea).where(Idea.workshop_id == workshop_id, Idea.deleted.is_(False))
    if not moderator:
        query = query.where(Idea.hidden.is_(False), Idea.approved.is_(True),
                            Idea.revealed.is_(True) | (Idea.participant_id == participant_id))
    ideas = db.session.scalars(query.order_by(Idea.id)).all()
    counts, theme_counts = changes.tallies(workshop_id), changes.theme_tallies(workshop_id)
    return {**outcomes.of_workshop(workshop_id),
        "workshop": {
            "id": workshop.id, "code": workshop.code, "title": workshop.title,
            "question": workshop.question, "event_title": workshop.event.title,
            "phase": workshop.phase, **workshop.settings(), "version": version,
            "clock": clock.state(workshop), "projector": projector.view(workshop),
        },
        "ideas": [changes.idea_dict(idea, counts.get(idea.id, 0)) for idea in ideas],
        "themes": [{**theme.as_dict(), "votes": theme_counts.get(theme.id, 0)}
                   for theme in db.session.scalars(
            select(Theme).where(Theme.workshop_id == workshop_id, Theme.deleted.is_(False))
            .order_by(Theme.position, Theme.id))],
    }
