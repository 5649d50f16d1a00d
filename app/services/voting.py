"""Budgeted dot voting, enforced atomically in the database.

Each rule is a single conditional UPDATE, so no interleaving of concurrent requests (from
one phone or many, on one worker or several) can exceed the budget or the per-idea cap or
lose a vote: the database serialises the updates of one participant's row.
"""
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Idea, Participant, Vote, Workshop
from .errors import InvalidInput, NotFound


def _voteable_idea(workshop: Workshop, idea_id) -> Idea:
    if workshop.phase != "voting":
        raise InvalidInput(_("Voting is not open right now."))
    idea = db.session.get(Idea, idea_id) if isinstance(idea_id, int) else None
    if idea is None or idea.workshop_id != workshop.id:
        raise NotFound(_("This idea does not exist in this workshop."))
    if idea.hidden or idea.deleted or not idea.approved or not idea.revealed:
        raise InvalidInput(_("The facilitator took this idea off the board."))
    if idea.merged_into_id is not None:
        raise InvalidInput(_("This idea was merged into another one: vote for that one."))
    return idea


def cast_vote(workshop: Workshop, participant: Participant, idea_id) -> dict:
    idea = _voteable_idea(workshop, idea_id)
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
        .where(Vote.participant_id == participant.id, Vote.idea_id == idea.id, Vote.dots < cap)
        .values(dots=Vote.dots + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if added != 1:
        if _dots(participant.id, idea.id) is not None:
            raise InvalidInput(_cap_message(workshop.vote_cap))
        try:
            with db.session.begin_nested():
                db.session.add(Vote(workshop_id=workshop.id, participant_id=participant.id,
                                    idea_id=idea.id, dots=1))
        except IntegrityError:  # a concurrent first vote on the same idea won the insert
            raise InvalidInput(_cap_message(workshop.vote_cap)) if workshop.vote_cap == 1 \
                else InvalidInput(_("Please try again: your vote crossed another one."))
    return _answer(participant.id, idea.id)


def retract_vote(workshop: Workshop, participant: Participant, idea_id) -> dict:
    idea = _voteable_idea(workshop, idea_id)
    removed = db.session.execute(
        update(Vote)
        .where(Vote.participant_id == participant.id, Vote.idea_id == idea.id, Vote.dots > 0)
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
        Vote.participant_id == participant.id, Vote.idea_id == idea.id, Vote.dots == 0))
    return _answer(participant.id, idea.id)


def my_votes(participant_id: int) -> dict[int, int]:
    rows = db.session.execute(select(Vote.idea_id, Vote.dots).where(
        Vote.participant_id == participant_id, Vote.dots > 0))
    return {idea_id: dots for idea_id, dots in rows}


def _dots(participant_id: int, idea_id: int) -> int | None:
    return db.session.scalar(select(Vote.dots).where(
        Vote.participant_id == participant_id, Vote.idea_id == idea_id))


def _cap_message(cap: int) -> str:
    if cap == 1:
        return _("You have already voted for this idea (one vote per idea).")
    return _("You have already put %(n)d votes on this idea, the most allowed per idea.", n=cap)


def _answer(participant_id: int, idea_id: int) -> dict:
    used, budget = db.session.execute(
        select(Participant.votes_used, Workshop.vote_budget)
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Participant.id == participant_id)).one()
    return {"idea_id": idea_id, "my_dots": _dots(participant_id, idea_id) or 0,
            "votes_used": used, "votes_left": max(0, budget - used)}
