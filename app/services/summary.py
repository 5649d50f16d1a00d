"""The facts of one workshop that exports are built from."""
from collections import Counter

from sqlalchemy import func, select

from ..extensions import db
from ..models import STAKEHOLDER_KINDS, Idea, Participant, Vote, Workshop, isoformat, utcnow
from . import changes


def workshop_summary(workshop: Workshop) -> dict:
    ideas = db.session.scalars(
        select(Idea).where(Idea.workshop_id == workshop.id).order_by(Idea.id)).all()
    counts = changes.tallies(workshop.id)
    voters = db.session.execute(
        select(Vote.participant_id, func.sum(Vote.dots)).where(Vote.workshop_id == workshop.id)
        .group_by(Vote.participant_id).having(func.sum(Vote.dots) > 0)).all()
    people = db.session.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id)).all()
    ranked = sorted(ideas, key=lambda idea: (-counts.get(idea.id, 0), idea.id))
    ranking, rank, previous = [], 0, None
    for position, idea in enumerate(ranked, start=1):
        votes = counts.get(idea.id, 0)
        if votes != previous:
            rank, previous = position, votes
        ranking.append({"rank": rank, "id": idea.id, "text": idea.text, "votes": votes,
                        "created_at": isoformat(idea.created_at)})
    organisations = sorted({p.organisation for p in people if p.organisation},
                           key=str.casefold)
    kinds = Counter(p.kind for p in people if p.kind)
    return {
        "event": workshop.event.title,
        "workshop": workshop.title,
        "question": workshop.question,
        "code": workshop.code,
        "phase": workshop.phase,
        "generated_at": isoformat(utcnow()),
        "vote_budget": workshop.vote_budget,
        "vote_cap": workshop.vote_cap,
        "participation": {
            "people": len(people),
            "contributors": len({idea.participant_id for idea in ideas if idea.participant_id}),
            "voters": len(voters),
            "ideas": len(ideas),
            "votes": sum(counts.values()),
            "organisations": organisations,
            "stakeholder_kinds": {STAKEHOLDER_KINDS[k]: n for k, n in sorted(kinds.items())
                                  if k in STAKEHOLDER_KINDS},
        },
        "ideas": ranking,
    }
