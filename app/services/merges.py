"""Merging a duplicate idea into another moves its votes, and undoing the merge moves them
back: one place for both, so a merge redone moves the votes exactly as a merge does.

A merge keeps, per voter, `[participant, dots, moved, refund]`: the dots they had on the
merged idea, how many went onto the idea it was merged into (up to the per-idea cap) and
how many came back to their budget (votes_used) because of the cap."""
from sqlalchemy import select

from ..extensions import db
from ..models import Idea, Participant, Vote, Workshop


def move_votes(workshop: Workshop, merged: Idea, into: Idea) -> list[list[int]]:
    """Merge `merged` into `into`: its votes move over (a voter who would pass the per-idea
    cap on `into` gets the surplus back); returns the votes as kept by the board action."""
    moved_votes = []
    for vote in db.session.scalars(select(Vote).where(Vote.idea_id == merged.id)
                                   .order_by(Vote.id)).all():
        target = _vote(into.id, vote.participant_id)
        if target is None:
            target = Vote(workshop_id=workshop.id, participant_id=vote.participant_id,
                          idea_id=into.id, dots=0)
            db.session.add(target)
        moved = max(min(workshop.vote_cap - target.dots, vote.dots), 0)
        refund = vote.dots - moved
        target.dots += moved
        moved_votes.append([vote.participant_id, vote.dots, moved, refund])
        if refund:
            db.session.get(Participant, vote.participant_id).votes_used -= refund
        db.session.delete(vote)
    merged.merged_into_id = into.id
    db.session.flush()
    return moved_votes


def give_back_votes(workshop: Workshop, merged: Idea, into_id: int,
                    moved_votes: list[list[int]]) -> None:
    """Undo `move_votes`: the merged idea is back on its own, with its voters' dots."""
    merged.merged_into_id = None
    for participant_id, dots, moved, refund in moved_votes:
        target = _vote(into_id, participant_id)
        if target is not None:
            target.dots = max(0, target.dots - moved)
            if target.dots == 0:
                db.session.delete(target)
        db.session.add(Vote(workshop_id=workshop.id, participant_id=participant_id,
                            idea_id=merged.id, dots=dots))
        db.session.get(Participant, participant_id).votes_used += refund
    db.session.flush()


def _vote(idea_id: int, participant_id: int) -> Vote | None:
    return db.session.scalar(select(Vote).where(
        Vote.idea_id == idea_id, Vote.participant_id == participant_id))
