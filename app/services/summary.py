"""The facts of one workshop that exports are built from."""
from collections import Counter

from sqlalchemy import func, select

from ..extensions import db
from ..models import STAKEHOLDER_KINDS, Idea, Participant, Theme, Vote, Workshop, isoformat, \
    utcnow
from . import board, changes


def workshop_summary(workshop: Workshop) -> dict:
    ideas = db.session.scalars(
        select(Idea).where(Idea.workshop_id == workshop.id).order_by(Idea.id)).all()
    counts = changes.tallies(workshop.id)
    voters = db.session.execute(
        select(Vote.participant_id, func.sum(Vote.dots)).where(Vote.workshop_id == workshop.id)
        .group_by(Vote.participant_id).having(func.sum(Vote.dots) > 0)).all()
    people = db.session.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id)).all()
    also_said = {}
    for idea in ideas:
        if idea.merged_into_id is not None and not idea.deleted:
            also_said.setdefault(idea.merged_into_id, []).append(idea.text)
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(
        Theme.workshop_id == workshop.id, Theme.deleted.is_(False)).order_by(Theme.position))}
    # The board as the room last saw it: no merged, deleted, hidden or unapproved ideas.
    on_board = [i for i in ideas if i.merged_into_id is None and not i.deleted
                and not i.hidden and i.approved]
    ranked = sorted(on_board, key=lambda idea: (-counts.get(idea.id, 0), idea.id))
    ranking, rank, previous = [], 0, None
    for position, idea in enumerate(ranked, start=1):
        votes = counts.get(idea.id, 0)
        if votes != previous:
            rank, previous = position, votes
        ranking.append({"rank": rank, "id": idea.id, "text": idea.text, "votes": votes,
                        "created_at": isoformat(idea.created_at),
                        "theme": themes[idea.theme_id].name if idea.theme_id in themes else None,
                        "also_said": also_said.get(idea.id, [])})
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
        "vote_on": workshop.vote_on,
        "themes": _themes(workshop, themes, ranking),
        "history": board.history(workshop.id),
    }


def _themes(workshop: Workshop, themes: dict, ranking: list[dict]) -> list[dict]:
    """The themes with their ideas and votes; ranked by votes when people voted on themes."""
    counts = changes.theme_tallies(workshop.id)
    listed = [{"id": t.id, "name": t.name, "colour": t.colour, "votes": counts.get(t.id, 0),
               "idea_ids": [i["id"] for i in ranking if i["theme"] == t.name]}
              for t in themes.values()]
    if workshop.vote_on == "themes":
        listed.sort(key=lambda t: -t["votes"])
    return listed
