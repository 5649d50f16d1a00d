"""How well live placement hints (app.services.suggestions.placement_hints) put a new idea
in the right theme, per backend (not a test):

    .venv/bin/python bench/placement_eval.py [--backends tfidf,embeddings,ensemble]

A simulated board per trial: every topic but one or two gets a theme; each theme holds 2
to 8 placed ideas of its topic ("centroid" trials) or none (named only, "name" trials: the
idea is compared with the theme's name); every other idea is a newly posted, unplaced one.
A hint is right when its theme is the idea's topic; an idea whose topic has no theme must
get none. For each backend: the
threshold with the highest recall at precision >= 0.9 on the calibration trials (seeds
0-9 of labelled and valencia), then precision/recall on held-out trials (seeds 10-19) and
on polis (English, another domain, never used to choose). Prints Markdown.
"""
import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from app.services.suggestions import PLACES, theme_scores  # noqa: E402
from app.suggest.tfidf import TfidfBackend  # noqa: E402

DATA = ROOT / "tests" / "data"
POLIS = ROOT.parent / "shared" / "data" / "polis-dev-topics.jsonl"
# Theme names a facilitator might type, in the three languages of the room.
NAMES = {
    "crossborder": ["Cross-border cooperation", "Cooperación transfronteriza",
                    "Cooperació transfronterera"],
    "digital": ["Digitalisation", "Digitalización", "Digitalització"],
    "energy": ["Energy", "Energía", "Energia"],
    "funding": ["Funding", "Financiación", "Finançament"],
    "skills": ["Skills and training", "Formación y talento", "Formació i talent"],
    "agrifood": ["Agrifood", "Agroalimentación", "Agroalimentació"],
    "clusters": ["Clusters and regional innovation", "Clústeres e innovación regional",
                 "Clústers i innovació regional"],
    "mobility": ["Mobility", "Movilidad", "Mobilitat"],
    "tourism": ["Tourism", "Turismo", "Turisme"],
    "minimum-wage": ["Minimum wage"], "brexit": ["Brexit"],
    "electoral-reform": ["Electoral reform"], "football-concussions": ["Concussions in football"],
    "youth-policing": ["Youth and policing"], "farmland-land-bank": ["Farmland land bank"],
}


def sets():
    found = {}
    for name in ("labelled", "valencia"):
        rows = list(csv.DictReader((DATA / f"ideas_{name}.csv").open(encoding="utf-8")))
        found[name] = ([r["text"] for r in rows], [r["topic"] for r in rows])
    if POLIS.exists():
        rows = [json.loads(line) for line in POLIS.open(encoding="utf-8")]
        found["polis"] = ([r["text"] for r in rows], [r["topic"] for r in rows])
    return found


def trial(engine, texts, topics, seed, kind):
    """(kind, score, right, should) per unplaced idea: score the cosine of its best theme,
    right whether that is the idea's topic, should whether the idea's topic has a theme.
    kind "centroid": each theme holds 2 to 8 placed ideas; "name": every theme is empty."""
    rng = np.random.default_rng(seed)
    labels = sorted(set(topics))
    missing = set(rng.choice(labels, size=1 + seed % 2, replace=False))
    themed = [t for t in labels if t not in missing]
    theme_of, placed_count = {}, {}
    for topic in themed:
        placed_count[topic] = int(rng.integers(2, 9)) if kind == "centroid" else 0
    order = rng.permutation(len(texts))
    for n in order:
        topic = topics[n]
        if topic in placed_count and sum(v == topic for v in theme_of.values()) < \
                placed_count[topic]:
            theme_of[int(n)] = topic
    vectors, embed = engine.index(texts)
    vectors = np.asarray(vectors.toarray() if hasattr(vectors, "toarray") else vectors)
    themes = [(topic, [n for n, t in theme_of.items() if t == topic],
               NAMES[topic][int(rng.integers(len(NAMES[topic])))]) for topic in themed]
    unplaced = [n for n in range(len(texts)) if n not in theme_of]
    kinds, scores = theme_scores(vectors, [members for _t, members, _n in themes],
                                 [name for _t, _m, name in themes], embed, unplaced)
    out = []
    for row, n in enumerate(unplaced):
        best = int(np.argmax(scores[row]))
        out.append((kinds[best], float(scores[row][best]), themes[best][0] == topics[n],
                    topics[n] in themed))
    return out


def pr(results, kind, threshold):
    chosen = [r for r in results if r[0] == kind]
    hinted = [r for r in chosen if r[1] >= threshold]
    right = sum(r[2] for r in hinted)
    should = sum(r[3] for r in chosen)
    return (right / len(hinted) if hinted else 1.0), (right / should if should else 0.0)


def calibrate(results, kind):
    """The lowest threshold whose precision is >= 0.9 (highest recall)."""
    for threshold in np.arange(0.0, 1.0, 0.01):
        if pr(results, kind, threshold)[0] >= 0.9:
            return round(float(threshold), 2)
    return 1.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="tfidf,embeddings")
    args = parser.parse_args()
    data = sets()
    print("| backend | kind | threshold (app) | chosen | P/R calibration | P/R held-out | "
          "P/R polis |")
    print("|---|---|---|---|---|---|---|")
    for name in args.backends.split(","):
        if name == "tfidf":
            engine = TfidfBackend()
        else:
            from app.suggest import installed, local_backend
            if not installed(name):
                continue
            engine = local_backend(name)
        for kind in ("centroid", "name"):
            runs = {split: [] for split in ("calibration", "heldout", "polis")}
            for set_name, (texts, topics) in data.items():
                for seed in range(10 if set_name == "polis" else 20):
                    split = "polis" if set_name == "polis" else (
                        "calibration" if seed < 10 else "heldout")
                    runs[split] += trial(engine, texts, topics, seed, kind)
            chosen = calibrate(runs["calibration"], kind)
            used = PLACES[engine.name][kind]
            cells = ["%.2f/%.2f" % pr(runs[split], kind, used) for split in runs]
            print(f"| {engine.name} | {kind} | {used} | {chosen} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
