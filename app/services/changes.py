"""The versioned change log of a workshop: bumping versions, deltas and snapshots."""
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Change, Idea, Theme, Vote, Workshop, isoformat
from ..vocabulary import CHANGE_TYPES


# Changes only the facilitators see (a queued idea's text); everyone else gets a
# placeholder under the same version, so nobody sees a gap.
FACILITATORS_ONLY = {"idea.queued", "idea.private"}


def visible_envelope(envelope: dict, moderator: bool) -> dict:
    if moderator or envelope["type"] not in FACILITATORS_ONLY:
        return envelope
    return {"version": envelope["version"], "type": "nothing.visible", "data": {}}


def record(workshop_id: int, type_: str, data: dict) -> Change:
    """Bump the workshop's version atomically and log the change under it."""
    if type_ not in CHANGE_TYPES:  # clients listen for exactly these (vocabulary.py)
        raise ValueError(f"unknown change type {type_!r}: add it to vocabulary.CHANGE_TYPES")
    version = db.session.execute(
        update(Workshop)
        .where(Workshop.id == workshop_id)
        .values(version=Workshop.version + 1)
        .returning(Workshop.version)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    change = Change(workshop_id=workshop_id, version=version, type=type_, data=data)
    db.session.add(change)
    db.session.flush()
    return change


def current_version(workshop_id: int) -> int:
    return db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id))


def sync(workshop_id: int, since: int | None, max_deltas: int,
         moderator: bool = False, participant_id: int | None = None,
         cache: "SnapshotCache | None" = None) -> tuple[int, dict]:
    """What a client at version `since` needs: the deltas after it, or a snapshot (from
    `cache` when one was built at this version already)."""
    version, personal = db.session.execute(
        select(Workshop.version, Workshop.hide_until_reveal)
        .where(Workshop.id == workshop_id)).one()
    if since is not None and 0 <= since <= version and version - since <= max_deltas:
        rows = db.session.scalars(
            select(Change)
            .where(Change.workshop_id == workshop_id, Change.version > since)
            .order_by(Change.version)
        ).all()
        if len(rows) == version - since:
            return version, {"mode": "deltas", "deltas": [
                visible_envelope(c.envelope(), moderator) for c in rows]}
    if cache is None or (personal and not moderator):  # each attendee sees their own ideas
        return version, {"mode": "snapshot",
                         "snapshot": snapshot(workshop_id, moderator, participant_id)}
    key = (workshop_id, version, moderator)
    built = cache.get(key)
    if built is None:
        built = cache.put(key, snapshot(workshop_id, moderator, participant_id))
    return version, {"mode": "snapshot", "snapshot": built}


class SnapshotCache:
    """Snapshots by (workshop, version, moderator): built once per version, however many
    clients join or resync at it. A snapshot read at version v may also hold later changes;
    those reach the client again as deltas, and every delta is safe to apply twice. Bounded
    (least recently used out), and a newer version of a workshop drops the older ones."""

    def __init__(self, max_entries: int = 64):
        import threading
        from collections import OrderedDict
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict = OrderedDict()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value):
        workshop_id, version = key[0], key[1]
        with self._lock:
            for old in [k for k in self._entries if k[0] == workshop_id and k[1] < version]:
                del self._entries[old]
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self):
        return len(self._entries)


def idea_dict(idea: Idea, votes: int = 0) -> dict:
    return {"id": idea.id, "text": idea.text, "votes": votes,
            "created_at": isoformat(idea.created_at), "theme_id": idea.theme_id,
            "position": idea.position, "merged_into": idea.merged_into_id,
            "hidden": idea.hidden, "pinned": idea.pinned, "approved": idea.approved,
            "revealed": idea.revealed}


def idea_update(idea: Idea, fields: dict) -> dict:
    """The delta for changed fields of an idea. Unhiding carries the whole idea, since
    attendees never received a hidden idea's text."""
    data = {"id": idea.id, **fields}
    if fields.get("hidden") is False or fields.get("deleted") is False:
        data["idea"] = idea_dict(idea, tallies(idea.workshop_id, [idea.id])[idea.id])
    return data


def tallies(workshop_id: int, idea_ids=None, column=Vote.idea_id) -> dict[int, int]:
    """Total dots per idea (or per theme, with column=Vote.theme_id)."""
    query = (select(column, func.coalesce(func.sum(Vote.dots), 0))
             .where(Vote.workshop_id == workshop_id, column.is_not(None)).group_by(column))
    if idea_ids is not None:
        query = query.where(column.in_(list(idea_ids)))
    counts = {target: int(total) for target, total in db.session.execute(query)}
    if idea_ids is not None:
        return {target: counts.get(target, 0) for target in idea_ids}
    return counts


def theme_tallies(workshop_id: int, theme_ids=None) -> dict[int, int]:
    return tallies(workshop_id, theme_ids, column=Vote.theme_id)


def clock_state(workshop: Workshop) -> dict:
    from .clock import state
    return state(workshop)


def snapshot(workshop_id: int, moderator: bool = False,
             participant_id: int | None = None) -> dict:
    """The whole board. Deleted ideas are left out; hidden, queued and not yet revealed
    ones too, except for the facilitator (moderator) and, for their own ideas, authors."""
    # Version first: anything newer than it reaches the client again as a delta, and
    # every delta is safe to apply twice.
    workshop = db.session.get(Workshop, workshop_id)
    version = current_version(workshop_id)
    query = select(Idea).where(Idea.workshop_id == workshop_id, Idea.deleted.is_(False))
    if not moderator:
        query = query.where(Idea.hidden.is_(False), Idea.approved.is_(True),
                            Idea.revealed.is_(True) | (Idea.participant_id == participant_id))
    ideas = db.session.scalars(query.order_by(Idea.id)).all()
    counts, theme_counts = tallies(workshop_id), theme_tallies(workshop_id)
    from .outcomes import of_workshop
    return {**of_workshop(workshop_id),
        "workshop": {
            "id": workshop.id, "code": workshop.code, "title": workshop.title,
            "question": workshop.question, "event_title": workshop.event.title,
            "phase": workshop.phase, **workshop.settings(), "version": version,
            "clock": clock_state(workshop),
        },
        "ideas": [idea_dict(idea, counts.get(idea.id, 0)) for idea in ideas],
        "themes": [{**theme.as_dict(), "votes": theme_counts.get(theme.id, 0)}
                   for theme in db.session.scalars(
            select(Theme).where(Theme.workshop_id == workshop_id, Theme.deleted.is_(False))
            .order_by(Theme.position, Theme.id))],
    }
