"""Collaboration matches: attendees who opted in ("introduce me to people from other
regions who backed the same themes") paired with opted-in people from another region who
supported the same themes, ranked by shared support. Nobody who did not opt in appears;
contacts go to the two people concerned and to the organiser's export, nowhere else."""
from collections import defaultdict
from itertools import combinations

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Idea, Participant, Theme, Vote, Workshop
from .support import region_key


def _people(workshop_ids: list[int]) -> dict[str, Participant]:
    """Opted-in people by browser token (one person across workshops), with the profile of
    their latest opted-in participation."""
    rows = db.session.scalars(select(Participant).where(
        Participant.workshop_id.in_(workshop_ids), Participant.match_opt_in.is_(True))
        .order_by(Participant.id)).all()
    return {p.token: p for p in rows if p.contact and p.region.strip()}


def _topics(workshop_ids: list[int]) -> tuple[dict, dict]:
    """token -> set of topics backed, and topic -> name. A topic is a recurring theme (the
    same topic across rooms), else a theme, else an idea not in any theme."""
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(
        Theme.workshop_id.in_(workshop_ids), Theme.deleted.is_(False)))}
    ideas = {i.id: i for i in db.session.execute(select(Idea.id, Idea.theme_id, Idea.text)
                                                 .where(Idea.workshop_id.in_(workshop_ids)))}
    names = {}

    def topic_of_theme(theme_id):
        theme = themes[theme_id]
        if theme.recurring_theme_id:
            key = ("recurring", theme.recurring_theme_id)
            names.setdefault(key, theme.name)
        else:
            key = ("theme", theme_id)
            names[key] = theme.name
        return key

    backed = defaultdict(set)
    rows = db.session.execute(
        select(Participant.token, Vote.idea_id, Vote.theme_id)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Vote.workshop_id.in_(workshop_ids), Vote.dots > 0,
               Participant.match_opt_in.is_(True))).all()
    for token, idea_id, theme_id in rows:
        if idea_id is not None:
            theme_id = ideas[idea_id].theme_id if idea_id in ideas else None
            if theme_id not in themes:
                key = ("idea", idea_id)
                names[key] = ideas[idea_id].text if idea_id in ideas else "?"
                backed[token].add(key)
                continue
        if theme_id in themes:
            backed[token].add(topic_of_theme(theme_id))
    return backed, names


def _card(p: Participant) -> dict:
    return {"name": p.display_name, "organisation": p.organisation, "kind": p.kind,
            "region": " ".join(p.region.split()), "contact": p.contact}


def event_matches(event: Event) -> list[dict]:
    """Every suggested pair: [{"score", "shared": [topic names], "a": card, "b": card}],
    most shared support first."""
    workshop_ids = [w.id for w in event.workshops]
    if not workshop_ids:
        return []
    people = _people(workshop_ids)
    backed, names = _topics(workshop_ids)
    pairs = []
    for (ta, a), (tb, b) in combinations(sorted(people.items(), key=lambda kv: kv[1].id), 2):
        if region_key(a.region) == region_key(b.region):
            continue
        shared = backed.get(ta, set()) & backed.get(tb, set())
        if shared:
            pairs.append({"score": len(shared), "shared": sorted(names[k] for k in shared),
                          "a": _card(a), "b": _card(b), "_tokens": (ta, tb)})
    pairs.sort(key=lambda p: (-p["score"], p["a"]["name"].casefold(), p["b"]["name"].casefold()))
    return pairs


def for_attendee(workshop: Workshop, participant: Participant) -> dict:
    """What one attendee sees: whether they are in, and the people suggested to them."""
    opted_in = participant.match_opt_in and bool(participant.contact) and bool(
        participant.region.strip())
    if not opted_in:
        return {"opted_in": False, "matches": []}
    mine = []
    for pair in event_matches(workshop.event):
        ta, tb = pair["_tokens"]
        if participant.token in (ta, tb):
            other = pair["b"] if participant.token == ta else pair["a"]
            mine.append({"score": pair["score"], "shared": pair["shared"], **other})
    return {"opted_in": True, "matches": mine}


def public(pairs: list[dict]) -> list[dict]:
    """The pairs without internal keys (for exports)."""
    return [{k: v for k, v in p.items() if not k.startswith("_")} for p in pairs]
