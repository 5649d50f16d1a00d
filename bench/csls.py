"""Tried for the similar-idea check, not used by the app (bench/suggestions_eval.py):
similarity corrected for crowded neighbourhoods (CSLS, "cross-domain similarity local
scaling", Conneau et al. 2018): 2·cos(a, b) − r(a) − r(b), where r(x) is the mean cosine of
x with its K nearest ideas on the board. On a board about one subject every idea is close to
many others; a raw cosine threshold then either prompts on most posts or only on
near-copies. Scored against each statement's earlier ones only (a board grows), it did not
lift held-out recall at the cap on prompts (docs/SUGGESTIONS.md)."""
import numpy as np

K = 10
MIN_BOARD = 2 * K  # fewer ideas than this: the neighbourhoods are noise, cosine instead


def neighbour_levels(vectors, k: int = K):
    """r for each row: the mean of its k highest cosines with the other rows."""
    sims = np.asarray(vectors @ vectors.T)
    np.fill_diagonal(sims, -np.inf)
    return np.sort(sims, axis=1)[:, -k:].mean(axis=1)


def csls(cosines, board_levels, k: int = K):
    """CSLS of one new text against each board idea, from its cosines to them."""
    cosines = np.asarray(cosines).ravel()
    own = np.sort(cosines)[-k:].mean()
    return 2 * cosines - own - board_levels
