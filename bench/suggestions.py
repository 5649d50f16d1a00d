"""Suggestion speed and quality, measured (not a test): `.venv/bin/python bench/suggestions.py`.

- grouping quality: adjusted Rand index of k-means (k=5) against tests/data/ideas_labelled.csv;
- speed on 500 ideas: one "someone already said this" lookup, and k-means grouping,
  for each installed backend (the embedding model loaded first, as in a warm server).
Prints a Markdown table for docs/SUGGESTIONS.md.
"""
import csv
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from app.services.suggestions import group_labels  # noqa: E402
from app.suggest.embeddings import EmbeddingBackend, available  # noqa: E402
from app.suggest.tfidf import TfidfBackend  # noqa: E402


def timed(fn, repeat=5):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main():
    rows = list(csv.DictReader((ROOT / "tests/data/ideas_labelled.csv").open(encoding="utf-8")))
    texts, truth = [r["text"] for r in rows], [r["topic"] for r in rows]
    ideas = [f"{texts[n % len(texts)]} ({n})" for n in range(500)]
    engines = [TfidfBackend()] + ([EmbeddingBackend()] if available() else [])
    print(f"Machine: {platform.machine()}, {platform.python_version()}; 500 ideas\n")
    print("| backend | ARI (150 labelled ideas, k=5) | similar-idea lookup, 500 ideas | "
          "k-means grouping, 500 ideas | first load |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for engine in engines:
        load = timed(lambda: engine.vectors(ideas), repeat=1)  # warms the model and cache
        ari = adjusted_rand_score(truth, group_labels(texts, 5, engine))

        fresh = iter(range(10**6))

        def lookup():  # a new text each time: the embedding cache cannot answer it
            text = f"Testbeds shared by SMEs to try robots, take {next(fresh)}"
            vectors = engine.vectors([text] + ideas)
            return int(np.argmax(vectors[1:] @ vectors[0]))
        print(f"| {engine.name} | {ari:.3f} | {timed(lookup) * 1000:.0f} ms | "
              f"{timed(lambda: group_labels(ideas, 12, engine), repeat=3) * 1000:.0f} ms | "
              f"{load:.2f} s |")


if __name__ == "__main__":
    main()
