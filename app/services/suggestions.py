"""Suggestions that never overwrite the facilitator: the closest existing idea to a new
text, and proposals for placing the ideas not yet in a theme. Nothing here changes the
board; the facilitator accepts a proposal with the ordinary board commands."""
from typing import NamedTuple

import numpy as np
from sqlalchemy import select

from ..database import end_read
from ..extensions import db
from ..models import Idea, Theme
from ..suggest import backend, grouping
from ..suggest.grouping import MAX_THEMES, MIN_THEMES  # noqa: F401  (the range, for readers)
from ..suggest.languages import without_language_means
from ..suggest.naming import names
from . import changes

# Cosine similarity above which two texts count as "the same idea": chosen by
# bench/suggestions_eval.py on the calibration half of tests/data/paraphrases.csv, capped
# so that at most one real statement in five is prompted (docs/SUGGESTIONS.md: paraphrases
# that share few words score like different ideas on one topic, so recall stays low);
# and the similarity to a theme's centroid above which an idea "fits this theme".
SIMILAR = {"tfidf": 0.35, "embeddings": 0.64, "ensemble": 0.92}
# The ensemble's "fits" is set a little under its placement level, as USE's is (0.45 and
# 0.48): not measured on its own.
FITS_THEME = {"tfidf": 0.2, "embeddings": 0.45, "ensemble": 0.7}
# Live placement hints: the cosine to a theme's centroid (the mean of its placed ideas), or
# to its name while it is empty, above which a new idea is hinted into it. Chosen by
# bench/placement_eval.py (highest recall at precision >= 0.9 on the calibration trials of
# tests/data; docs/SUGGESTIONS.md; TF-IDF's name level is a floor: any shared word); an
# idea whose topic has no theme then rarely gets one.
PLACES = {"tfidf": {"centroid": 0.28, "name": 0.1},
          "embeddings": {"centroid": 0.48, "name": 0.35},
          "ensemble": {"centroid": 0.72, "name": 0.6}}
MAX_HINTS = 50  # ideas per board.hints question
# Grouping: the number of themes is chosen between MIN_THEMES and MAX_THEMES
# (app/suggest/grouping.py), and a proposed theme has at least MIN_GROUP ideas (or 2% of
# them): smaller groups stay unproposed.
MIN_GROUP = 3


def _board_ideas(workshop_id: int) -> list[Idea]:
    return db.session.scalars(select(Idea).where(
        Idea.workshop_id == workshop_id, Idea.merged_into_id.is_(None),
        Idea.deleted.is_(False), Idea.hidden.is_(False), Idea.approved.is_(True))
        .order_by(Idea.id)).all()


class BoardIndex:
    """The board's ideas as vectors, built once per workshop version (a VersionCache): a
    similar-idea check then embeds one text instead of the whole board (it was the costliest
    read an attendee could send). A few workshops' latest versions are kept."""

    def __init__(self, size: int = 16):
        self._cache = changes.VersionCache(size)

    def get(self, workshop_id: int, engine_for):
        """(ideas, vectors, embed) at the workshop's current version; the backend
        (`engine_for()`, which may load a model) is only asked for when there are ideas.
        Its read transaction is over when it returns: the caller's `embed` may wait for the
        (maybe remote) encoder, and must not do so holding the database."""
        key = (workshop_id, changes.current_version(workshop_id))
        found = self._cache.get(key)
        if found is None:
            ideas = [(i.id, i.text, i.revealed, i.participant_id, i.theme_id)
                     for i in _board_ideas(workshop_id)]
            end_read(db.session)
            vectors, embed = engine_for().index([row[1] for row in ideas]) \
                if ideas else (np.zeros((0, 1)), None)
            found = self._cache.put(key, (ideas, vectors, embed))
        else:
            end_read(db.session)
        return found


def similar_idea(workshop_id: int, text: str, participant_id: int | None = None,
                 moderator: bool = False, index: BoardIndex | None = None) -> dict | None:
    """The existing idea closest to `text`, when it is close enough to be the same.
    Only ideas the asker can see are compared: while ideas are hidden until the reveal,
    an attendee is never shown someone else's idea (nor kept from posting by it)."""
    if not text.strip():
        return None
    ideas, vectors, embed = (index or BoardIndex(1)).get(workshop_id, backend)
    rows = [n for n, (_id, _text, revealed, author, _theme) in enumerate(ideas)
            if moderator or revealed or author == participant_id]
    if not rows:
        return None
    scores, level = similarity_scores(backend(), vectors[rows], embed(text))
    best = int(np.argmax(scores))
    if scores[best] < level:
        return None
    idea_id, idea_text = ideas[rows[best]][:2]
    return {"id": idea_id, "text": idea_text, "score": round(float(scores[best]), 3)}


def similarity_scores(engine, board, query):
    """Cosine of `query` with each row of `board` (the visible ideas), and the level at which
    it counts as the same idea. The ensemble compares with its e5 half (e5 tells paraphrases
    from same-topic ideas best: docs/SUGGESTIONS.md)."""
    view = getattr(engine, "similarity_view", None)
    if view is not None:
        board, query = view(board), view(query)
    return np.asarray(board @ np.asarray(query).ravel()).ravel(), SIMILAR[engine.name]


def placement_hints(workshop_id: int, idea_ids, index: BoardIndex | None = None) -> dict:
    """{idea_id: (theme_id, score)} for those of `idea_ids` not yet in a theme whose best
    theme passes PLACES: the theme whose centroid (or, while empty, name) is closest. Only a
    hint: nothing is moved. Built on the per-version board index, so a question costs the
    empty themes' names at most (each encoded once per process with embeddings)."""
    wanted = set(idea_ids)
    ideas, vectors, embed = (index or BoardIndex(1)).get(workshop_id, backend)
    rows = [n for n, row in enumerate(ideas) if row[0] in wanted and row[4] is None]
    if not rows:
        return {}
    themes = db.session.execute(select(Theme.id, Theme.name).where(
        Theme.workshop_id == workshop_id, Theme.deleted.is_(False)).order_by(Theme.id)).all()
    end_read(db.session)  # empty themes' names may go to the (maybe remote) encoder
    if not themes:
        return {}
    members = {theme_id: [] for theme_id, _name in themes}
    for n, row in enumerate(ideas):
        if row[4] in members:
            members[row[4]].append(n)
    kinds, scores = theme_scores(vectors, [members[t] for t, _n in themes],
                                 [name for _t, name in themes], embed, rows)
    levels = PLACES[backend().name]
    over = scores - np.array([levels[kind] for kind in kinds])
    hints = {}
    for k, n in enumerate(rows):
        best = int(np.argmax(over[k]))
        if over[k][best] >= 0:
            hints[ideas[n][0]] = (themes[best][0], round(float(scores[k][best]), 3))
    return hints


def theme_scores(vectors, members: list[list[int]], names: list[str], embed, rows):
    """Each theme's kind ("centroid" when it holds ideas, else "name") and the cosine of
    each of `rows` with each theme (rows x themes)."""
    kinds, columns = [], []
    for placed, name in zip(members, names, strict=True):
        if placed:
            columns.append(_centroid(vectors, placed))
            kinds.append("centroid")
        else:
            columns.append(_unit(embed(name)))
            kinds.append("name")
    return kinds, np.asarray(vectors[rows] @ np.vstack(columns).T)


def _centroid(vectors, rows: list[int]):
    """The unit-length mean of these rows (a theme's centre)."""
    return _unit(vectors[rows].mean(axis=0))


def _unit(vector):
    vector = np.asarray(vector).ravel()
    return vector / (np.linalg.norm(vector) or 1)


def group_labels(texts: list[str], groups: int | None = None, engine=None) -> list[int]:
    """Which group each text falls in: k-means over the backend's vectors, with `groups`
    groups, or the number chosen by choose_groups() when None."""
    engine = engine or backend()
    points = _grouping_points(engine, engine.vectors(texts), texts)
    if groups is not None:
        return grouping.k_groups(points, groups)
    return choose_groups(points, engine)


def _grouping_points(engine, vectors, texts: list[str]):
    """TF-IDF rows reduced to 50 topics (LSA) first: k-means on thousands of sparse word
    columns finds shared rare words, not themes. For an encoder that groups by language
    (the ensemble's e5), each language's mean taken out first (app/suggest/languages.py)."""
    if getattr(engine, "blocks", ()):
        return without_language_means(vectors, texts, engine.blocks)
    if getattr(engine, "reduce_for_grouping", False) and min(vectors.shape) > 60:
        from sklearn.decomposition import TruncatedSVD
        vectors = TruncatedSVD(50, random_state=0).fit_transform(vectors)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    return vectors


def choose_groups(points, engine=None) -> list[int]:
    """grouping.choose_groups, where the backend runs it: in the suggestion worker process
    for the sentence encoder (so scikit-learn never loads in a serving process), else here."""
    run = getattr(engine, "choose_groups", None)
    return run(points) if run else grouping.choose_groups(points)


def propose_themes(workshop_id: int) -> dict:
    """For every idea not yet in a theme: an existing theme it fits, or a new group of
    similar unplaced ideas with a proposed name (its top terms). Placed ideas are never
    proposed for a move."""
    ideas = [_Placed(i.id, i.text, i.theme_id) for i in _board_ideas(workshop_id)]
    themes = db.session.scalars(select(Theme.id).where(
        Theme.workshop_id == workshop_id, Theme.deleted.is_(False))).all()
    end_read(db.session)  # before the (maybe remote) encoder: never wait holding it
    unplaced = [i for i in ideas if i.theme_id is None]
    if not unplaced:
        return {"backend": backend().name, "existing": [], "new": []}
    engine = backend()
    vectors = engine.vectors([i.text for i in ideas])
    row = {idea.id: n for n, idea in enumerate(ideas)}
    existing, rest = [], []
    centroids = {}
    for theme_id in themes:
        members = [row[i.id] for i in ideas if i.theme_id == theme_id]
        if members:
            centroids[theme_id] = _centroid(vectors, members)
    for idea in unplaced:
        scores = {tid: float(vectors[row[idea.id]] @ c) for tid, c in centroids.items()}
        best = max(scores, key=scores.get) if scores else None
        if best is not None and scores[best] >= FITS_THEME[engine.name]:
            existing.append({"idea_id": idea.id, "theme_id": best, "score": round(scores[best], 3)})
        else:
            rest.append(idea)
    return {"backend": engine.name, "existing": existing, "new": _new_groups(rest, vectors, row)}


class _Placed(NamedTuple):
    """An idea as read for proposals (plain values: the session is let go before encoding)."""
    id: int
    text: str
    theme_id: int | None


def _new_groups(rest: list[_Placed], vectors, row) -> list[dict]:
    if len(rest) < 2:
        return []
    engine = backend()
    labels = choose_groups(_grouping_points(engine, vectors[[row[i.id] for i in rest]],
                                            [i.text for i in rest]), engine)
    smallest = max(MIN_GROUP if len(rest) >= 3 * MIN_GROUP else 2, round(0.02 * len(rest)))
    kept = []
    for label in sorted(set(labels)):
        members = [n for n, value in enumerate(labels) if value == label]
        if len(members) >= smallest:
            kept.append(members)
    titles = names([[rest[n].text for n in members] for members in kept])
    return [{"name": (title or "…")[:80], "idea_ids": [rest[n].id for n in members]}
            for title, members in zip(titles, kept, strict=True)]
