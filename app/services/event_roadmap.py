"""The event roadmap: every workshop rolled up. Actions of all workshops on one timeline by
horizon, recurring themes (confirmed by the organiser) listed together, and which kinds of
organisation and which regions took part where."""
from collections import Counter

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Idea, Participant, RecurringTheme, Theme, Vote, isoformat, utcnow
from ..vocabulary import CLOSED, HORIZONS, STAKEHOLDER_KINDS
from . import meeting_reports, privacy, roadmap, support


def event_roadmap(event: Event, public: bool = False) -> dict:
    workshops = [w for w in event.workshops]
    bodies = []
    for workshop in workshops:
        body = roadmap.workshop_body(workshop, public)
        bodies.append({"draft": workshop.phase != CLOSED, **body})
    timeline = {h: [a for b in bodies for a in b["actions"][h]] for h in HORIZONS}
    erased = privacy.personal_data_erased(event)  # never true while some remains
    return {
        "schema": roadmap.SCHEMA, "schema_version": roadmap.SCHEMA_VERSION, "scope": "event",
        "draft": any(b["draft"] for b in bodies) or not bodies, "public": public,
        "generated_at": isoformat(utcnow()), "personal_data_erased": erased,
        "event": roadmap.event_head(event),
        "participation": _participation(event, bodies, public or erased),
        "where": [{"workshop_id": b["workshop"]["id"], "workshop": b["workshop"]["title"],
                   "people": b["participation"]["people"],
                   "kinds": b["participation"]["kinds"],
                   "regions": b["participation"]["regions"]} for b in bodies],
        "timeline": timeline,
        "recurring_themes": _recurring(event, bodies),
        "collaborations": collaborations(event),
        "workshops": bodies,
    }


def collaborations(event: Event) -> dict:
    """"Collaborations started": bilateral meetings booked between which kinds of
    organisation and which regions, around which themes. Counts only, no names, except
    the meetings whose two people both agreed to be listed (`listed`, by organisation)."""
    counts = meeting_reports.summary(event)

    def kinds(pair: str) -> str:
        return " + ".join(STAKEHOLDER_KINDS.get(k, k) for k in pair.split(" + "))
    return {"requested": counts.get("requested", 0), "accepted": counts.get("accepted", 0),
            "held": counts.get("held", 0),
            "kinds": {kinds(k): v for k, v in (counts.get("kinds") or {}).items()},
            "regions": dict(counts.get("regions") or {}),
            "themes": dict(counts.get("themes") or {}),
            "listed": list(counts.get("listed") or [])}


def _participation(event: Event, bodies: list[dict], anonymous: bool) -> dict:
    """Event-wide figures count a person once, however many workshops they joined (one
    browser token); their kind and region from the first workshop where they gave one."""
    ids = [b["workshop"]["id"] for b in bodies]
    rows = db.session.execute(select(
        Participant.id, Participant.token, Participant.kind, Participant.region,
        Participant.organisation).where(Participant.workshop_id.in_(ids))
        .order_by(Participant.id)).all() if ids else []
    token_of = {r.id: r.token for r in rows}
    kind, region = {}, {}
    for r in rows:
        if r.kind in STAKEHOLDER_KINDS:
            kind.setdefault(r.token, r.kind)
        if r.region and r.region.strip():
            region.setdefault(r.token, r.region)
    posters = set(db.session.scalars(select(Idea.participant_id).where(
        Idea.workshop_id.in_(ids), Idea.participant_id.is_not(None)).distinct())) if ids else set()
    voters = set(db.session.scalars(select(Vote.participant_id).where(
        Vote.workshop_id.in_(ids), Vote.dots > 0).distinct())) if ids else set()
    names = support.RegionNames(region.values())
    if all(w.segments_frozen for w in event.workshops) and event.workshops:
        kinds, regions = Counter(), Counter()
        for b in bodies:  # erased: the frozen per-workshop figures, summed
            kinds.update(b["participation"]["kinds"])
            regions.update(b["participation"]["regions"])
    else:
        kinds = Counter(kind.values())
        regions = Counter(names(r) for r in region.values())
    return {
        "workshops": len(bodies), "people": len(set(token_of.values())),
        "contributors": len({token_of[p] for p in posters if p in token_of}),
        "voters": len({token_of[p] for p in voters if p in token_of}),
        "ideas": sum(b["participation"]["ideas"] for b in bodies),
        "votes": sum(b["participation"]["votes"] for b in bodies),
        "organisations": [] if anonymous else sorted(
            {r.organisation for r in rows if r.organisation}, key=str.casefold),
        "kinds": {k: kinds[k] for k in STAKEHOLDER_KINDS if kinds.get(k)},
        "regions": dict(sorted(((k, v) for k, v in regions.items() if k),
                               key=lambda kv: (-kv[1], kv[0]))),
    }


def _recurring(event: Event, bodies: list[dict]) -> list[dict]:
    groups = db.session.scalars(select(RecurringTheme).where(
        RecurringTheme.event_id == event.id).order_by(RecurringTheme.id)).all()
    if not groups:
        return []
    member_of = dict(db.session.execute(select(Theme.id, Theme.recurring_theme_id).where(
        Theme.recurring_theme_id.in_([g.id for g in groups]),
        Theme.deleted.is_(False))).all())
    listed = []
    for group in groups:
        themes = [{"workshop_id": b["workshop"]["id"], "workshop": b["workshop"]["title"],
                   "theme_id": t["id"], "name": t["name"], "votes": t["votes"],
                   "backers": t["segments"]["backers"], "conclusion": t["conclusion"]}
                  for b in bodies for t in b["themes"] if member_of.get(t["id"]) == group.id]
        if themes:
            listed.append({"id": group.id, "name": group.name,
                           "votes": sum(t["votes"] for t in themes),
                           "backers": sum(t["backers"] for t in themes), "themes": themes})
    listed.sort(key=lambda g: (-g["votes"], -g["backers"], g["id"]))
    return listed
