"""Budgeted dot voting, enforced atomically in the database, in few round trips.

Dots go on ideas, or on themes when the facilitator chose to vote on themes. Each rule is
a single conditional statement, so no interleaving of concurrent requests (from one phone
or many, on one worker or several) can exceed the budget or the per-target cap or lose a
vote: the database serialises the updates of one participant's row and of one vote row.

A vote is three statements: one read (the workshop's phase and settings with the idea or
theme voted on), one conditional `UPDATE participant ... RETURNING` (the budget, read by
the statement itself) and one upsert `INSERT ... ON CONFLICT DO UPDATE ... WHERE dots <
cap RETURNING dots` (the cap, likewise); a refusal after the budget was spent is undone by
the caller's rollback. A burst of votes is CPU-bound on running statements, so they are
compiled once (bound parameters) and run on the session's DBAPI connection, in its
transaction (database.Prepared).
Plain ids in: the caller need not load the workshop or the participant.
"""
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, delete, select, text, update

from ..database import Prepared
from ..extensions import db
from ..models import Idea, Participant, Theme, Vote, Workshop
from .errors import InvalidInput, NotFound


def _setting(column):
    """The workshop's setting as the database has it when the statement runs."""
    return select(column).where(Workshop.id == bindparam("workshop")).scalar_subquery()


_READ = Prepared(select(Workshop.phase, Workshop.vote_on, Workshop.vote_budget, Workshop.vote_cap,
                Idea.id.label("idea"), Idea.hidden, Idea.deleted, Idea.approved,
                Idea.revealed, Idea.merged_into_id,
                Theme.id.label("theme"), Theme.deleted.label("theme_deleted"))
         .select_from(Workshop)
         .outerjoin(Idea, and_(Idea.id == bindparam("idea"), Idea.workshop_id == Workshop.id))
         .outerjoin(Theme, and_(Theme.id == bindparam("theme"),
                                Theme.workshop_id == Workshop.id))
         .where(Workshop.id == bindparam("workshop")))


def _spend(bound, step: int):
    return Prepared(update(Participant)
            .where(Participant.id == bindparam("participant"),
                   Participant.workshop_id == bindparam("workshop"), bound)
            .values(votes_used=Participant.votes_used + step)
            .returning(Participant.votes_used))


_SPEND = _spend(Participant.votes_used < _setting(Workshop.vote_budget), 1)
_GIVE_BACK = _spend(Participant.votes_used > 0, -1)
_MINE = {column.key: (Vote.participant_id == bindparam("participant"),
                      column == bindparam("target")) for column in (Vote.idea_id, Vote.theme_id)}
_LAST_DOT = {key: Prepared(delete(Vote).where(*mine, Vote.dots == 1))
             for key, mine in _MINE.items()}
_ONE_DOT_OFF = {key: Prepared(update(Vote).where(*mine, Vote.dots > 1)
                              .values(dots=Vote.dots - 1).returning(Vote.dots))
                for key, mine in _MINE.items()}


def _add_dot(target: str):
    """The first dot inserts the row; later ones add to it while under the cap; no row
    back when the cap is reached. A concurrent first vote on the same target is the
    conflict, not an error. Written out because SQLAlchemy does not cache the compiled
    form of its dialect-specific upserts (a burst then spends its time compiling); the
    text is the same on SQLite (>= 3.35) and PostgreSQL."""
    return Prepared(text(
        f"INSERT INTO vote (workshop_id, participant_id, {target}, dots) "
        "VALUES (:workshop, :participant, :target, 1) "
        f"ON CONFLICT (participant_id, {target}) DO UPDATE SET dots = vote.dots + 1 "
        "WHERE vote.dots < (SELECT vote_cap FROM workshop WHERE id = :workshop) "
        "RETURNING dots"))


_ADD_DOT = {column.key: _add_dot(column.key) for column in (Vote.idea_id, Vote.theme_id)}


def _connection():
    """The session's connection, in its transaction (changes made through the ORM first)."""
    db.session.flush()
    return db.session.connection()


def _as_id(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _target(conn, workshop_id: int, idea_id, theme_id):
    """(column, id, settings row) of what this vote is on, checked against the workshop's
    choice and the idea's or theme's state, in one query."""
    idea_id, theme_id = _as_id(idea_id), _as_id(theme_id)
    row = _READ.first(conn, {"workshop": workshop_id, "idea": idea_id, "theme": theme_id})
    if row is None:
        raise NotFound(_("This workshop does not exist."))
    if row.phase != "voting":
        raise InvalidInput(_("Voting is not open right now."))
    if row.vote_on == "themes":
        if theme_id is None:
            raise InvalidInput(_("This workshop votes on themes: vote for a theme."))
        if row.theme is None or row.theme_deleted:
            raise NotFound(_("This theme does not exist in this workshop."))
        return Vote.theme_id, row.theme, row
    if idea_id is None:
        raise InvalidInput(_("This workshop votes on ideas: vote for an idea."))
    if row.idea is None:
        raise NotFound(_("This idea does not exist in this workshop."))
    if row.hidden or row.deleted or not row.approved or not row.revealed:
        raise InvalidInput(_("The facilitator took this idea off the board."))
    if row.merged_into_id is not None:
        raise InvalidInput(_("This idea was merged into another one: vote for that one."))
    return Vote.idea_id, row.idea, row


def cast_vote(workshop_id: int, participant_id: int, idea_id=None, theme_id=None,
              conn=None) -> dict:
    """`conn`: where to run (a database.DriverTransaction); by default the session's."""
    conn = conn or _connection()
    column, target, settings = _target(conn, workshop_id, idea_id, theme_id)
    params = {"workshop": workshop_id, "participant": participant_id, "target": target}
    used = _SPEND.scalar(conn, params)
    if used is None:
        raise InvalidInput(_("You have used all %(n)d of your votes. "
                             "Take one back to vote for another idea.", n=settings.vote_budget))
    dots = _ADD_DOT[column.key].scalar(conn, params)
    if dots is None:  # the caller's rollback gives the budget's dot back
        raise InvalidInput(_cap_message(settings.vote_cap))
    return _answer(column, target, dots, used, settings.vote_budget)


def retract_vote(workshop_id: int, participant_id: int, idea_id=None, theme_id=None,
                 conn=None) -> dict:
    conn = conn or _connection()
    column, target, settings = _target(conn, workshop_id, idea_id, theme_id)
    params = {"workshop": workshop_id, "participant": participant_id, "target": target}
    # The last dot takes the row with it; otherwise one dot comes off.
    if _LAST_DOT[column.key].rowcount(conn, params) == 1:
        dots = 0
    else:
        dots = _ONE_DOT_OFF[column.key].scalar(conn, params)
        if dots is None:
            raise InvalidInput(_("You have no vote on this idea to take back."))
    used = _GIVE_BACK.scalar(conn, params)
    if used is None:  # a vote row without its spent dot: never in a consistent database
        raise InvalidInput(_("You have no vote on this idea to take back."))
    return _answer(column, target, dots, used, settings.vote_budget)


def my_votes(participant_id: int, on: str = "ideas") -> dict[int, int]:
    column = Vote.theme_id if on == "themes" else Vote.idea_id
    rows = db.session.execute(select(column, Vote.dots).where(
        Vote.participant_id == participant_id, column.is_not(None), Vote.dots > 0))
    return {target: dots for target, dots in rows}


def _cap_message(cap: int) -> str:
    if cap == 1:
        return _("You have already voted for this idea (one vote per idea).")
    return _("You have already put %(n)d votes on this idea, the most allowed per idea.", n=cap)


def _answer(column, target: int, dots: int, used: int, budget: int) -> dict:
    return {column.key: target, "my_dots": dots, "votes_used": used,
            "votes_left": max(0, budget - used)}
