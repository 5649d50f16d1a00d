"""Budgeted dot voting, enforced atomically in the database.

Dots go on ideas, or on themes when the facilitator chose to vote on themes. Each rule is
a single conditional UPDATE, so no interleaving of concurrent requests (from one phone or
many, on one worker or several) can exceed the budget or the per-target cap or lose a
vote: the database serialises the updates of one participant's row.
"""
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Idea, Participant, Vote, Workshop
from .board import find_theme
from .errors import InvalidInput, NotFound


def _target(workshop: Workshop, idea_id, theme_id) -> tuple:
    """(column, id) of what this vote is on, checked against the workshop's choice."""
    if workshop.phase != "voting":
        raise InvalidInput(_("Voting is not open right now."))
    if workshop.vote_on == "themes":
        if theme_id is None:
            raise InvalidInput(_("This workshop votes on themes: vote for a theme."))
        return Vote.theme_id, find_theme(workshop, theme_id).id
    if idea_id is None:
        raise InvalidInput(_("This workshop votes on ideas: vote for an idea."))
    idea = db.session.get(Idea, idea_id) if isinstance(idea_id, int) else None
    if idea is None or idea.workshop_id != workshop.id:
        raise NotFound(_("This idea does not exist in this workshop."))
    if idea.hidden or idea.deleted or not idea.approved or not idea.revealed:
        raise InvalidInput(_("The facilitator took this idea off the board."))
    if idea.merged_into_id is not None:
        raise InvalidInput(_("This idea was merged into another one: vote for that one."))
    return Vote.idea_id, idea.id


def cast_vote(workshop: Workshop, participant: Participant, idea_id=None, theme_id=None) -> dict:
    column, target = _target(workshop, idea_id, theme_id)
    budget = select(Workshop.vote_budget).where(Workshop.id == workshop.id).scalar_subquery()
    cap = select(Workshop.vote_cap).where(Workshop.id == workshop.id).scalar_subquery()
    spent = db.session.execute(
        update(Participant)
        .where(Participant.id == participant.id, Participant.votes_used < budget)
        .values(votes_used=Participant.votes_used + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if spent != 1:
        raise InvalidInput(_("You have used all %(n)d of your votes. "
                             "Take one back to vote for another idea.", n=workshop.vote_budget))
    added = db.session.execute(
        update(Vote)
        .where(Vote.participant_id == participant.id, column == target, Vote.dots < cap)
        .values(dots=Vote.dots + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if added != 1:
        if _dots(participant.id, column, target) is not None:
            raise InvalidInput(_cap_message(workshop.vote_cap))
        try:
            with db.session.begin_nested():
                db.session.add(Vote(workshop_id=workshop.id, participant_id=participant.id,
                                    dots=1, **{column.key: target}))
        except IntegrityError:  # a concurrent first vote on the same target won the insert
            message = _cap_message(workshop.vote_cap) if workshop.vote_cap == 1 \
                else _("Please try again: your vote crossed another one.")
            raise InvalidInput(message) from None
    return _answer(participant.id, column, target)


def retract_vote(workshop: Workshop, participant: Participant, idea_id=None,
                 theme_id=None) -> dict:
    column, target = _target(workshop, idea_id, theme_id)
    removed = db.session.execute(
        update(Vote)
        .where(Vote.participant_id == participant.id, column == target, Vote.dots > 0)
        .values(dots=Vote.dots - 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        raise InvalidInput(_("You have no vote on this idea to take back."))
    db.session.execute(
        update(Participant)
        .where(Participant.id == participant.id)
        .values(votes_used=Participant.votes_used - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Vote).where(
        Vote.participant_id == participant.id, column == target, Vote.dots == 0))
    return _answer(participant.id, column, target)


def my_votes(participant_id: int, on: str = "ideas") -> dict[int, int]:
    column = Vote.theme_id if on == "themes" else Vote.idea_id
    rows = db.session.execute(select(column, Vote.dots).where(
        Vote.participant_id == participant_id, column.is_not(None), Vote.dots > 0))
    return {target: dots for target, dots in rows}


def _dots(participant_id: int, column, target: int) -> int | None:
    return db.session.scalar(select(Vote.dots).where(
        Vote.participant_id == participant_id, column == target))


def _cap_message(cap: int) -> str:
    if cap == 1:
        return _("You have already voted for this idea (one vote per idea).")
    return _("You have already put %(n)d votes on this idea, the most allowed per idea.", n=cap)


def _answer(participant_id: int, column, target: int) -> dict:
    used, budget = db.session.execute(
        select(Participant.votes_used, Workshop.vote_budget)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Participant.id == participant_id)).one()
    return {column.key: target, "my_dots": _dots(participant_id, column, target) or 0,
            "votes_used": used, "votes_left": max(0, budget - used)}
