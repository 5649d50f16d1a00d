"""The roadmap facts of a workshop or a whole event, as one dict (docs/EXPORTS.md and
docs/roadmap.schema.json describe it); app/export/ turns it into Markdown, PDF, CSV, JSON
and HTML. Reads only: a handful of bulk queries per workshop, whatever its size."""
from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..models import ActionItem, Conclusion, Event, Idea, Participant, Theme, \
    Vote, Workshop, isoformat, utcnow
from ..vocabulary import CLOSED, HORIZONS
from . import board_actions, changes, privacy, ranking, support, theme_history

SCHEMA = "plenary.roadmap"
SCHEMA_VERSION = 2


def _date(moment) -> str:
    return moment.date().isoformat()


def event_head(event: Event) -> dict:
    first = min((w.created_at for w in event.workshops), default=event.created_at)
    return {"id": event.id, "title": event.title, "date": _date(first)}


def workshop_roadmap(workshop: Workshop, public: bool = False) -> dict:
    event = workshop.event
    return {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "scope": "workshop",
            "draft": workshop.phase != CLOSED, "public": public,
            "generated_at": isoformat(utcnow()),
            "personal_data_erased": privacy.personal_data_erased(event),
            "event": event_head(event), **workshop_body(workshop, public)}


def workshop_body(workshop: Workshop, public: bool) -> dict:
    wid = workshop.id
    # plain rows, not ORM objects: a big workshop has hundreds of ideas
    ideas = db.session.execute(select(
        Idea.id, Idea.text, Idea.created_at, Idea.theme_id, Idea.merged_into_id, Idea.deleted,
        Idea.hidden, Idea.approved, Idea.participant_id).where(Idea.workshop_id == wid)
        .order_by(Idea.id)).all()
    themes = db.session.scalars(select(Theme).where(Theme.workshop_id == wid)
                                .order_by(Theme.position, Theme.id)).all()
    counts, theme_counts = changes.tallies(wid), changes.theme_tallies(wid)
    segments = support.workshop_segments(workshop)
    people = db.session.execute(select(Participant.id, Participant.organisation)
                                .where(Participant.workshop_id == wid)).all()
    voters = set(db.session.scalars(select(Vote.participant_id).where(
        Vote.workshop_id == wid, Vote.dots > 0).distinct()))
    conclusions = {(c.theme_id, c.idea_id): c.text for c in db.session.scalars(
        select(Conclusion).where(Conclusion.workshop_id == wid)) if c.text}
    theme_names = {t.id: t.name for t in themes}
    text_of = {i.id: i.text for i in ideas}
    actions = defaultdict(list)
    by_horizon = {h: [] for h in HORIZONS}
    for item in db.session.scalars(select(ActionItem).where(ActionItem.workshop_id == wid)
                                   .order_by(ActionItem.id)):
        kind, target = ("theme", item.theme_id) if item.theme_id else ("idea", item.idea_id)
        name = theme_names.get(target, "") if kind == "theme" else text_of.get(target, "")
        entry = {"id": item.id, "what": item.what, "owner": item.owner, "horizon": item.horizon,
                 "about": {"kind": kind, "id": target, "name": name},
                 "workshop_id": wid, "workshop": workshop.title}
        actions[(item.theme_id, item.idea_id)].append(entry)
        by_horizon[item.horizon].append(entry)

    also_said = defaultdict(list)
    for idea in ideas:
        if idea.merged_into_id is not None and not idea.deleted:
            also_said[idea.merged_into_id].append(idea.text)
    live_themes = [t for t in themes if not t.deleted]
    live_ids = {t.id for t in live_themes}
    on_board = ranking.ranked([i for i in ideas if i.merged_into_id is None and not i.deleted
                               and not i.hidden and i.approved],
                              votes=lambda i: counts.get(i.id, 0), board_order=lambda i: i.id)
    ranked = []
    for rank, idea in zip(ranking.ranks([counts.get(i.id, 0) for i in on_board]), on_board,
                          strict=True):
        votes = counts.get(idea.id, 0)
        theme_id = idea.theme_id if idea.theme_id in live_ids else None
        ranked.append({
            "rank": rank, "id": idea.id, "text": idea.text, "votes": votes,
            "created_at": isoformat(idea.created_at), "theme_id": theme_id,
            "theme": theme_names.get(theme_id), "also_said": also_said.get(idea.id, []),
            "segments": segments["ideas"].get(idea.id, support.empty()),
            "conclusion": conclusions.get((None, idea.id), ""),
            "actions": actions.get((None, idea.id), [])})

    story = theme_history.by_theme(wid)
    listed = []
    for theme in live_themes:
        members = [i for i in ranked if i["theme_id"] == theme.id]
        votes = theme_counts.get(theme.id, 0) if workshop.vote_on == "themes" \
            else sum(i["votes"] for i in members)
        listed.append({
            "id": theme.id, "name": theme.name, "colour": theme.colour, "votes": votes,
            "segments": segments["themes"].get(theme.id, support.empty()),
            "conclusion": conclusions.get((theme.id, None), ""),
            "actions": actions.get((theme.id, None), []),
            "idea_ids": [i["id"] for i in members], "history": story.get(theme.id, [])})
    board_place = {t.id: (t.position, t.id) for t in live_themes}
    listed = ranking.ranked(listed, votes=lambda t: t["votes"],
                            board_order=lambda t: board_place[t["id"]])
    for rank, theme in zip(ranking.ranks([t["votes"] for t in listed]), listed, strict=True):
        theme["rank"] = rank
    # Once erased there are none to list; any stored since (the event then no longer counts
    # as erased: privacy.personal_data_erased) are listed like before an erase.
    organisations = [] if public else sorted(
        {o for _id, o in people if o}, key=str.casefold)
    return {
        "workshop": {"id": wid, "title": workshop.title, "question": workshop.question,
                     "code": workshop.code, "phase": workshop.phase,
                     "date": _date(workshop.created_at), "vote_on": workshop.vote_on,
                     "vote_budget": workshop.vote_budget, "vote_cap": workshop.vote_cap},
        "participation": {
            "people": len(people),
            "contributors": len({i.participant_id for i in ideas if i.participant_id}),
            "voters": len(voters), "ideas": len(ideas), "votes": sum(counts.values()) +
            sum(theme_counts.values()),
            "organisations": organisations,
            "kinds": segments["people"]["kinds"], "regions": segments["people"]["regions"]},
        "themes": listed, "ideas": ranked, "actions": by_horizon,
        "history": board_actions.history(wid)}
