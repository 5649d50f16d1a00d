"""Suggestions: "someone already said this", theme proposals that never move a placed
idea, and how well each backend groups a labelled set of 150 workshop ideas (EN + ES)."""
import csv
from pathlib import Path

import pytest
from sklearn.metrics import adjusted_rand_score

from app.services.suggestions import group_labels
from app.suggest.embeddings import EmbeddingBackend, available
from app.suggest.tfidf import TfidfBackend
from helpers import make_workshop

LABELLED = Path(__file__).parent / "data" / "ideas_labelled.csv"
BACKENDS = ["tfidf"] + (["embeddings"] if available() else [])


@pytest.fixture(params=BACKENDS)
def suggest_backend(request, monkeypatch):
    """Run the test with each installed backend."""
    import app.suggest
    engine = TfidfBackend() if request.param == "tfidf" else EmbeddingBackend()
    monkeypatch.setattr(app.suggest, "_backend", engine)
    return engine


def labelled():
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    return [r["text"] for r in rows], [r["topic"] for r in rows]


def test_the_labelled_set_is_big_bilingual_and_balanced():
    rows = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    assert len(rows) >= 150
    assert {r["lang"] for r in rows} == {"en", "es"}
    topics = {r["topic"] for r in rows}
    assert len(topics) == 5 and all(sum(r["topic"] == t for r in rows) == 30 for t in topics)


def test_tfidf_grouping_quality_is_measured():
    texts, truth = labelled()
    ari = adjusted_rand_score(truth, group_labels(texts, 5, TfidfBackend()))
    assert ari >= 0.03, ari  # measured 0.036: see docs/SUGGESTIONS.md


@pytest.mark.skipif(not available(), reason="the ML extra is not installed (make ML=1)")
def test_embeddings_group_far_better_than_tfidf():
    texts, truth = labelled()
    tfidf = adjusted_rand_score(truth, group_labels(texts, 5, TfidfBackend()))
    embeddings = adjusted_rand_score(truth, group_labels(texts, 5, EmbeddingBackend()))
    assert embeddings >= 0.25 and embeddings > tfidf + 0.15, (embeddings, tfidf)


def test_phone_is_told_someone_already_said_it(app, connect, suggest_backend):
    workshop = make_workshop(app)
    phone = connect(target=workshop)
    posted = phone.write("idea.post", text="Shared testbeds so SMEs can try robots first")
    for other in ("Energy communities in industrial parks", "Dual vocational training"):
        phone.write("idea.post", text=other)
    ask = {"workshop_id": workshop["id"]}
    match = phone.call("idea.similar", {**ask, "text": "Testbeds shared by SMEs to try robots"})
    assert match["ok"] and match["match"]["id"] == posted["idea"]["id"]
    assert phone.call("idea.similar", {**ask, "text": "Lower taxes on wine"})["match"] is None
    assert phone.call("idea.similar", {**ask, "text": 5})["ok"] is False


def test_theme_proposals_never_move_a_placed_idea(app, connect, suggest_backend):
    workshop = make_workshop(app)
    phone, console = connect(target=workshop), connect("facilitator", target=workshop)
    ids = {t: phone.write("idea.post", text=t)["idea"]["id"] for t in (
        "Renewable energy communities for SMEs", "Solar energy communities in industrial parks",
        "Energy communities sharing solar storage", "Dual vocational training in companies",
        "Vocational training with more company practice", "Faster payment of innovation grants",
        "Pay innovation grants faster to SMEs")}
    theme = console.write("theme.create", name="Energy")["theme"]
    placed = ids["Renewable energy communities for SMEs"]
    console.write("idea.move", idea_id=placed, theme_id=theme["id"], position=0)
    answer = console.call("board.suggest", {"workshop_id": workshop["id"]})
    assert answer["ok"] and answer["backend"] == suggest_backend.name
    proposed = [p["idea_id"] for p in answer["existing"]] + [
        i for group in answer["new"] for i in group["idea_ids"]]
    assert placed not in proposed and len(proposed) == len(set(proposed))
    into_energy = {p["idea_id"] for p in answer["existing"] if p["theme_id"] == theme["id"]}
    assert ids["Solar energy communities in industrial parks"] in into_energy
    assert all(group["name"] for group in answer["new"])
    assert phone.call("board.suggest", {"workshop_id": workshop["id"]})["ok"] is False


def test_a_similar_idea_check_embeds_the_board_once_per_version(app, suggest_backend):
    """Anyone may ask; the board's ideas are indexed once per workshop version, so a check
    costs one text (and one query for the version), not the whole board again."""
    from sqlalchemy import event

    from app.extensions import db
    from app.models import Idea
    from app.services import changes, suggestions
    workshop = make_workshop(app)
    index = suggestions.BoardIndex()
    with app.app_context():
        db.session.add_all([Idea(workshop_id=workshop["id"], text=f"Shared testbeds {n} for SMEs")
                            for n in range(40)] + [
            Idea(workshop_id=workshop["id"], text="Joint calls between energy clusters")])
        db.session.commit()
        calls = []
        original = suggest_backend.index
        suggest_backend.index = lambda texts: (calls.append(len(texts)), original(texts))[1]
        seen = []
        def count(*_args):
            seen.append(1)
        event.listen(db.engine, "before_cursor_execute", count)
        first = suggestions.similar_idea(workshop["id"], "Joint calls of the energy clusters",
                                         index=index)
        queries_first, seen[:] = len(seen), []
        again = suggestions.similar_idea(workshop["id"], "Joint calls of the energy clusters!",
                                         index=index)
        assert first and again and first["id"] == again["id"]
        assert calls == [41] and len(seen) == 1 < queries_first  # only the version was read
        changes.record(workshop["id"], "phase.changed", {"phase": "voting",
                                                         "previous": "collecting"})
        db.session.commit()
        suggestions.similar_idea(workshop["id"], "Joint calls", index=index)
        assert calls == [41, 41]  # a new version: built again
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
