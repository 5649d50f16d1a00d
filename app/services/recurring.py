"""Themes that recur across the workshops of an event. Suggested by the same text
similarity as the facilitator's suggestions (app/suggest/), confirmed by the organiser;
the event roadmap then lists them together. Nothing is linked without the organiser."""
from typing import NamedTuple

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select

from ..database import end_read
from ..extensions import db
from ..models import Event, Idea, RecurringTheme, Theme, Workshop
from ..suggest import backend
from . import fields
from .errors import InvalidInput, NotFound
from .validation import shown

# Cosine similarity of two themes (name + ideas) above which they are proposed as one topic.
# Embeddings (USE): 0.55 keeps pair precision >= 0.92 on every simulated event of
# bench/recurring_eval.py (0.99 over all) at recall 0.63; 0.6 (set for MiniLM) found 0.52.
# The ensemble (USE + e5): 0.75 by the same rule (1.00 over all, recall 0.53).
SAME_TOPIC = {"tfidf": 0.3, "embeddings": 0.55, "ensemble": 0.75}


def _event_themes(event: Event) -> list[Theme]:
    return db.session.scalars(select(Theme).join(Workshop, Workshop.id == Theme.workshop_id)
                              .where(Workshop.event_id == event.id, Theme.deleted.is_(False))
                              .order_by(Theme.workshop_id, Theme.position, Theme.id)).all()


class _Named(NamedTuple):
    id: int
    workshop_id: int
    name: str


def suggest(event: Event) -> list[dict]:
    """Groups of not-yet-linked themes from at least two workshops that read alike:
    [{"name": proposed name, "theme_ids": [...], "score": lowest similarity in the group}]."""
    themes = [_Named(t.id, t.workshop_id, t.name) for t in _event_themes(event)
              if t.recurring_theme_id is None]
    if len({t.workshop_id for t in themes}) < 2:
        return []
    texts = {t.id: [t.name] for t in themes}
    for theme_id, text in db.session.execute(select(Idea.theme_id, Idea.text).where(
            Idea.theme_id.in_(list(texts)), Idea.merged_into_id.is_(None),
            Idea.deleted.is_(False), Idea.hidden.is_(False))):
        texts[theme_id].append(text)
    end_read(db.session)  # before the (maybe remote) encoder: never wait holding it
    engine = backend()
    # the name counts twice: it is what the facilitator decided the theme is about
    vectors = engine.vectors([" . ".join([t.name] + texts[t.id]) for t in themes])
    scores = vectors @ vectors.T
    threshold = SAME_TOPIC[engine.name]
    parent = list(range(len(themes)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(themes)):
        for j in range(i + 1, len(themes)):
            if themes[i].workshop_id != themes[j].workshop_id and scores[i, j] >= threshold:
                parent[root(i)] = root(j)
    groups = {}
    for i in range(len(themes)):
        groups.setdefault(root(i), []).append(i)
    proposals = []
    for members in groups.values():
        if len({themes[i].workshop_id for i in members}) < 2:
            continue
        pairs = [scores[i, j] for i in members for j in members
                 if i < j and themes[i].workshop_id != themes[j].workshop_id]
        proposals.append({"name": themes[members[0]].name,
                          "theme_ids": [themes[i].id for i in members],
                          "score": round(float(np.max(pairs)), 3)})
    proposals.sort(key=lambda p: -p["score"])
    return proposals


def confirm(event: Event, theme_ids, name) -> RecurringTheme:
    """Link themes of different workshops of this event as one recurring theme."""
    if isinstance(theme_ids, list) and not all(
            isinstance(i, int) and not isinstance(i, bool) for i in theme_ids):
        raise InvalidInput(_("Theme ids must be whole numbers."))
    if not isinstance(theme_ids, list) or len(set(theme_ids)) < 2:
        raise InvalidInput(_("Choose at least two themes to link."))
    mine = {t.id: t for t in _event_themes(event)}
    chosen = []
    for theme_id in dict.fromkeys(theme_ids):
        theme = mine.get(theme_id)
        if theme is None:
            raise NotFound(_("Theme %(id)s is not a theme of this event.", id=shown(theme_id)))
        if theme.recurring_theme_id is not None:
            raise InvalidInput(_("The theme “%(name)s” is already linked; unlink it first.",
                                 name=theme.name))
        chosen.append(theme)
    if len({t.workshop_id for t in chosen}) < 2:
        raise InvalidInput(_("A recurring theme links themes of at least two workshops."))
    name = fields.RECURRING_NAME.clean(name) or chosen[0].name
    group = RecurringTheme(event_id=event.id, name=name)
    db.session.add(group)
    db.session.flush()
    for theme in chosen:
        theme.recurring_theme_id = group.id
    db.session.flush()
    return group


def unlink(event: Event, recurring_id) -> None:
    group = db.session.get(RecurringTheme, recurring_id) if isinstance(recurring_id, int) else None
    if group is None or group.event_id != event.id:
        raise NotFound(_("This recurring theme does not exist in this event."))
    for theme in db.session.scalars(select(Theme).where(Theme.recurring_theme_id == group.id)):
        theme.recurring_theme_id = None
    db.session.delete(group)
    db.session.flush()


def of_event(event: Event) -> list[dict]:
    """The confirmed groups with their themes, for the organiser's event page."""
    groups = db.session.scalars(select(RecurringTheme).where(
        RecurringTheme.event_id == event.id).order_by(RecurringTheme.id)).all()
    themes = _event_themes(event)
    titles = {w.id: w.title for w in event.workshops}
    return [{"id": g.id, "name": g.name,
             "themes": [{"id": t.id, "name": t.name, "workshop": titles.get(t.workshop_id)}
                        for t in themes if t.recurring_theme_id == g.id]} for g in groups]
