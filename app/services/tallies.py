"""Crash-safe vote tallies.

Votes are not versioned one by one: the totals reach clients in a coalesced
`votes.tallied` change. The invariant (docs/ARCHITECTURE.md): every committed vote change
either is covered by a `votes.tallied` version recorded after it, or still has its
PendingTally row. Both the vote and its pending row commit in one transaction
(`mark_pending`), and `flush` records the change and deletes the rows it covers in another.
A worker that dies between the two leaves the rows behind, and any worker's sweep
(`stale_workshops`, at start-up and every few seconds) flushes them: a phone at the
server's version then always sees the database's totals.
"""
from datetime import timedelta

from sqlalchemy import bindparam, delete, insert, select

from ..database import Prepared
from ..extensions import db
from ..models import Change, PendingTally, utcnow
from . import changes

_MARK = Prepared(insert(PendingTally).values(
    {name: bindparam(name) for name in ("workshop_id", "idea_id", "theme_id", "created_at")}))


def mark_pending(workshop_id: int, targets, conn=None) -> None:
    """In the vote's transaction (`conn`, by default the session's): these ideas' (or
    ("theme", id) themes') totals changed."""
    rows = [{"workshop_id": workshop_id, "created_at": utcnow(),
             "idea_id": None if isinstance(t, tuple) else t,
             "theme_id": t[1] if isinstance(t, tuple) else None} for t in targets]
    if rows:  # on the session's connection: one statement, no ORM bulk machinery
        _MARK.rowcount(conn or db.session.connection(), many=rows)


def flush(workshop_id: int) -> Change | None:
    """Record one `votes.tallied` with the current totals of every pending idea and theme
    of the workshop, and delete those pending rows, in the caller's transaction. None (and
    nothing written) when nothing is pending."""
    if db.session.scalar(select(PendingTally.id).where(
            PendingTally.workshop_id == workshop_id).limit(1)) is None:
        return None
    # The version is bumped first: it locks the workshop row, so flushes of one workshop
    # queue up, and a later version always carries totals read later.
    change = changes.record(workshop_id, "votes.tallied", {})
    pending = db.session.execute(select(PendingTally.id, PendingTally.idea_id,
                                        PendingTally.theme_id)
                                 .where(PendingTally.workshop_id == workshop_id)).all()
    if not pending:  # another worker flushed them while we waited for the lock
        db.session.rollback()
        return None
    ideas = sorted({row.idea_id for row in pending if row.idea_id is not None})
    themes = sorted({row.theme_id for row in pending if row.theme_id is not None})
    data = {"tallies": {str(k): v for k, v in changes.tallies(workshop_id, ideas).items()}
            if ideas else {}}
    if themes:  # the workshop votes on themes
        data["themes"] = {str(k): v for k, v in
                          changes.theme_tallies(workshop_id, themes).items()}
    change.data = data
    db.session.execute(delete(PendingTally).where(
        PendingTally.id.in_([row.id for row in pending])))
    db.session.flush()
    return change


def stale_workshops(older_than: float) -> list[int]:
    """Workshops with pending tallies older than `older_than` seconds: their worker may have
    died before flushing them."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    return list(db.session.scalars(select(PendingTally.workshop_id)
                                   .where(PendingTally.created_at <= cutoff).distinct()))
