"""Grouping vectors into themes: k-means for every k from MIN_THEMES to MAX_THEMES, keeping
the k whose groups separate best (the highest mean silhouette on cosine distance).
Deterministic (fixed seeds). Pure numpy in, labels out: it runs in the suggestion worker
process (app/suggest/worker.py) or, with SUGGEST_PROCESS=inline, in the caller's."""
import numpy as np

MIN_THEMES, MAX_THEMES = 2, 12


def choose_groups(points) -> list[int]:
    from sklearn.cluster import KMeans  # scikit-learn loads where grouping runs, only
    from sklearn.metrics import silhouette_score
    from threadpoolctl import threadpool_limits
    n = len(points)
    if n < 4:
        return [0] * n
    distances = np.clip(1 - points @ points.T, 0, 2)
    np.fill_diagonal(distances, 0)
    best, best_score = [0] * n, -2.0
    # one thread: on 2 busy cores, OpenMP threads made the 11 fits 25 times slower
    with threadpool_limits(1):
        for k in range(MIN_THEMES, min(MAX_THEMES, n // 2) + 1):
            labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(points)
            if len(set(labels)) < 2:
                continue
            score = silhouette_score(distances, labels, metric="precomputed")
            if score > best_score:
                best, best_score = labels.tolist(), score
    return best


def k_groups(points, groups: int) -> list[int]:
    """k-means with a given number of groups (the evaluation's "true k")."""
    from sklearn.cluster import KMeans
    return KMeans(n_clusters=groups, n_init=4, random_state=0).fit_predict(points).tolist()
