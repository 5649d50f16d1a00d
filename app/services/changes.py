"""The versioned change log of a workshop: bumping versions, the deltas since a version,
the idea dicts that changes carry, and vote tallies. Snapshots are built in snapshots.py."""
import threading
from collections import OrderedDict

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Change, Idea, Vote, Workshop, isoformat
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


class VersionCache:
    """What is built from a workshop at one version, keyed (workshop, version, ...): built
    once per version however often it is asked for (snapshots per role, the similar-idea
    index). A snapshot read at version v may also hold later changes;
    those reach the client again as deltas, and every delta is safe to apply twice. Bounded
    (least recently used out), and a newer version of a workshop drops the older ones."""

    def __init__(self, max_entries: int = 64):
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


def current_version(workshop_id: int) -> int:
    return db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id))


def deltas(workshop_id: int, since: int | None, version: int, max_deltas: int,
           moderator: bool = False) -> list[dict] | None:
    """The logged changes after `since` up to `version`, as each reader may see them; None
    when they cannot all be given (no or a future version, too far behind, log trimmed)."""
    if since is None or not 0 <= since <= version or version - since > max_deltas:
        return None
    rows = db.session.scalars(
        select(Change)
        .where(Change.workshop_id == workshop_id, Change.version > since)
        .order_by(Change.version)
    ).all()
    if len(rows) != version - since:
        return None
    return [visible_envelope(c.envelope(), moderator) for c in rows]


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
