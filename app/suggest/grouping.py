"""Grouping vectors into themes. For every k from MIN_THEMES to MAX_THEMES: k-means RUNS
times (one start each, seeds 0 to RUNS-1), how often each two ideas fell in the same group
(co-association), and groups cut from that (average linkage); the k whose groups separate
best (highest mean silhouette on cosine distance) is kept. Agreeing runs are steadier than
one k-means: the best of four starts moved valencia's ARI between 0.28 and 0.34 with the
seed, and polis's between 0.58 and 0.81 (docs/SUGGESTIONS.md).
Deterministic. Pure numpy in, labels out: it runs in the suggestion worker process
(app/suggest/worker.py) or, with SUGGEST_PROCESS=inline, in the caller's."""
import numpy as np

MIN_THEMES, MAX_THEMES = 2, 12
RUNS = 10
AXES = 128


def choose_groups(points, first_seed: int = 0) -> list[int]:
    """Labels, one per row of `points` (unit rows); `first_seed` only for the evaluation."""
    from sklearn.metrics import silhouette_score  # scikit-learn loads where grouping runs
    from threadpoolctl import threadpool_limits
    n = len(points)
    if n < 4:
        return [0] * n
    distances = np.clip(1 - points @ points.T, 0, 2)
    np.fill_diagonal(distances, 0)
    best, best_score = [0] * n, -2.0
    projected = _principal_axes(points)
    # one thread: on 2 busy cores, OpenMP threads made the fits 25 times slower
    with threadpool_limits(1):
        for k in range(MIN_THEMES, min(MAX_THEMES, n // 2) + 1):
            labels = _agreed_groups(projected, k, first_seed)
            if len(set(labels)) < 2:
                continue
            score = silhouette_score(distances, labels, metric="precomputed")
            if score > best_score:
                best, best_score = labels.tolist(), score
    return best


def _principal_axes(points):
    """The points on their AXES main directions (k-means on 896 dimensions took 4 s for 500
    ideas; the distances between groups live in far fewer)."""
    points = np.asarray(points, dtype=np.float64)
    if points.shape[1] <= AXES:
        return points
    centred = points - points.mean(axis=0)
    _u, _s, directions = np.linalg.svd(centred, full_matrices=False)
    return centred @ directions[:AXES].T


def _agreed_groups(points, k: int, first_seed: int):
    """k groups of the ideas that RUNS k-means runs most often put together."""
    from sklearn.cluster import AgglomerativeClustering, KMeans
    together = np.zeros((len(points), len(points)))
    for seed in range(first_seed, first_seed + RUNS):
        labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(points)
        together += labels[:, None] == labels[None, :]
    apart = 1 - together / RUNS
    return AgglomerativeClustering(n_clusters=k, metric="precomputed",
                                   linkage="average").fit_predict(apart)


def k_groups(points, groups: int) -> list[int]:
    """k-means with a given number of groups (the evaluation's "true k")."""
    from sklearn.cluster import KMeans
    return KMeans(n_clusters=groups, n_init=4, random_state=0).fit_predict(points).tolist()
