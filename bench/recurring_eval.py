"""Is the recurring-themes threshold (app/services/recurring.py SAME_TOPIC) right for each
backend? (not a test)

    .venv/bin/python bench/recurring_eval.py [--backends tfidf,embeddings,ensemble]

Simulated events of three workshops: each workshop has a theme for 4 to 6 of a set's
topics, named by a facilitator (NAMES of bench/placement_eval.py, a random language) and
holding 3 to 10 ideas of its topic (no idea in two workshops). Events are drawn from
valencia alone, labelled alone, labelled + valencia (energy, digital and skills are in
both) and polis. A pair of themes from two workshops is the same topic or not; the text
compared is the one recurring.suggest() builds (name, then ideas). Prints precision and
recall of "proposed as one topic" per threshold, and the lowest threshold with precision
>= 0.95 over all events.
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from placement_eval import NAMES, sets  # noqa: E402

from app.services.recurring import SAME_TOPIC  # noqa: E402
from app.suggest.tfidf import TfidfBackend  # noqa: E402


def event(rng, pools):
    """Three workshops' themes: [(workshop, topic, text)]; `pools` one (texts, topics) per
    workshop."""
    themes, used = [], set()
    for workshop, (texts, topics) in enumerate(pools):
        labels = sorted(set(topics))
        for topic in rng.choice(labels, size=min(len(labels), int(rng.integers(4, 7))),
                                replace=False):
            free = [n for n, t in enumerate(topics) if t == topic and (id(texts), n) not in used]
            chosen = rng.choice(free, size=min(len(free), int(rng.integers(3, 11))),
                                replace=False)
            used.update((id(texts), int(n)) for n in chosen)
            name = NAMES[topic][int(rng.integers(len(NAMES[topic])))]
            themes.append((workshop, topic, " . ".join([name] + [texts[n] for n in chosen])))
    return themes


def pairs(engine, themes):
    vectors = engine.vectors([text for _w, _t, text in themes])
    scores = vectors @ vectors.T
    return [(float(scores[i, j]), themes[i][1] == themes[j][1])
            for i in range(len(themes)) for j in range(i + 1, len(themes))
            if themes[i][0] != themes[j][0]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="tfidf,embeddings")
    args = parser.parse_args()
    data = sets()
    recipes = {"valencia": ["valencia"] * 3, "labelled": ["labelled"] * 3,
               "mixed": ["labelled", "valencia", "valencia"], "polis": ["polis"] * 3}
    for name in args.backends.split(","):
        if name == "tfidf":
            engine = TfidfBackend()
        else:
            from app.suggest import installed, local_backend
            if not installed(name):
                continue
            engine = local_backend(name)
        found = {}
        for recipe, parts in recipes.items():
            if not all(p in data for p in parts):
                continue
            found[recipe] = []
            for seed in range(10):
                rng = np.random.default_rng(seed)
                found[recipe] += pairs(engine, event(rng, [data[p] for p in parts]))
        every = [p for runs in found.values() for p in runs]
        print(f"\n{engine.name} (app: {SAME_TOPIC[engine.name]}); "
              f"pairs same/different: {sum(s for _x, s in every)}/{sum(not s for _x, s in every)}")
        print("| threshold | " + " | ".join(f"P/R {r}" for r in found) + " | P/R all |")
        print("|---" * (len(found) + 2) + "|")
        lowest = None
        for threshold in np.arange(0.2, 0.9, 0.05):
            cells = []
            for runs in list(found.values()) + [every]:
                hit = [same for score, same in runs if score >= threshold]
                should = sum(same for _score, same in runs)
                cells.append("%.2f/%.2f" % (sum(hit) / len(hit) if hit else 1.0,
                                            sum(hit) / should if should else 0))
            print(f"| {threshold:.2f} | " + " | ".join(cells) + " |")
        for threshold in np.arange(0.0, 1.0, 0.01):
            hit = [same for score, same in every if score >= threshold]
            if hit and sum(hit) / len(hit) >= 0.95:
                lowest = round(float(threshold), 2)
                break
        print(f"lowest threshold with precision >= 0.95 over all events: {lowest}")


if __name__ == "__main__":
    main()
