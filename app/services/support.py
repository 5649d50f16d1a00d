"""Who backs what: each theme's and idea's support broken down by stakeholder kind and by
region, from the attendees' optional profiles. A backer is an attendee with at least one dot
on it (for a theme: on the theme, or on any of its ideas when the workshop votes on ideas).

Segments: {"backers": 23, "kinds": {"company": 14, ...}, "regions": {"Valencia": 5, ...}}:
kinds in vocabulary order, regions most backers first; empty profile fields are not listed.
After the organiser erased personal data, the breakdown frozen at that moment is used.
"""
from collections import Counter, defaultdict
from typing import NamedTuple

from sqlalchemy import select

from ..extensions import db
from ..models import Idea, Participant, Theme, Vote, Workshop
from ..vocabulary import STAKEHOLDER_KINDS


class Person(NamedTuple):
    kind: str
    region: str | None  # the region's shown spelling


def region_key(region: str) -> str:
    """Regions are typed freely: 'Comunitat  valenciana' and 'Comunitat Valenciana' match."""
    return " ".join(region.split()).casefold()


class RegionNames:
    """The spelling shown for a region: the one most attendees typed."""

    def __init__(self, regions):
        spellings = defaultdict(Counter)
        for region in regions:
            if region and region.strip():
                spellings[region_key(region)][" ".join(region.split())] += 1
        self.names = {key: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                      for key, c in spellings.items()}

    def __call__(self, region: str) -> str | None:
        return self.names.get(region_key(region)) if region and region.strip() else None


def breakdown(people, names: RegionNames | None = None) -> dict:
    """Segments of a set of participants (objects or rows with .kind and .region; without
    `names`, the regions are taken as already resolved)."""
    kinds = Counter(p.kind for p in people if p.kind in STAKEHOLDER_KINDS)
    resolve = names or (lambda region: region)
    regions = Counter(r for r in (resolve(p.region) for p in people) if r)
    return {"backers": len(people),
            "kinds": {k: kinds[k] for k in STAKEHOLDER_KINDS if kinds[k]},
            "regions": dict(sorted(regions.items(), key=lambda kv: (-kv[1], kv[0])))}


def workshop_segments(workshop: Workshop) -> dict:
    """{"themes": {theme_id: Segments}, "ideas": {idea_id: Segments}, "people": Segments of
    everyone who joined}."""
    if workshop.segments_frozen:
        frozen = workshop.segments_frozen
        return {"themes": {int(k): v for k, v in frozen["themes"].items()},
                "ideas": {int(k): v for k, v in frozen["ideas"].items()},
                "people": frozen["people"]}
    rows = db.session.execute(select(Participant.id, Participant.kind, Participant.region)
                              .where(Participant.workshop_id == workshop.id)).all()
    names = RegionNames(r.region for r in rows)
    people = {r.id: Person(r.kind, names(r.region)) for r in rows}
    theme_of = dict(db.session.execute(select(Idea.id, Idea.theme_id).where(
        Idea.workshop_id == workshop.id, Idea.theme_id.is_not(None))).all())
    live_themes = set(db.session.scalars(select(Theme.id).where(
        Theme.workshop_id == workshop.id, Theme.deleted.is_(False))))
    idea_backers, theme_backers = defaultdict(set), defaultdict(set)
    for participant_id, idea_id, theme_id in db.session.execute(
            select(Vote.participant_id, Vote.idea_id, Vote.theme_id)
            .where(Vote.workshop_id == workshop.id, Vote.dots > 0)):
        if idea_id is not None:
            idea_backers[idea_id].add(participant_id)
            theme_id = theme_of.get(idea_id)
        if theme_id in live_themes:
            theme_backers[theme_id].add(participant_id)

    def of(ids):
        return breakdown([people[i] for i in ids if i in people])

    return {"themes": {t: of(theme_backers.get(t, ())) for t in live_themes},
            "ideas": {i: of(ids) for i, ids in idea_backers.items()},
            "people": breakdown(list(people.values()))}


def empty() -> dict:
    return {"backers": 0, "kinds": {}, "regions": {}}


def freeze(workshop: Workshop) -> None:
    """Keep the anonymous breakdown before the profiles it comes from are erased."""
    if workshop.segments_frozen:
        return
    live = workshop_segments(workshop)
    workshop.segments_frozen = {"themes": {str(k): v for k, v in live["themes"].items()},
                                "ideas": {str(k): v for k, v in live["ideas"].items()},
                                "people": live["people"]}
