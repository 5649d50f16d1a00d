"""The sentence-encoder backend seen from a serving process: the same interface as
EmbeddingBackend (vectors, index, and choose_groups), answered by the suggestion worker
process (app/suggest/worker.py), started on first use (or by warm_up at start-up) and again
if it dies. Plain sockets, so the wait is cooperative under eventlet and gevent.

A worker that cannot be reached within START_TIMEOUT, or that fails a request, makes the
suggestion refused with Unavailable (a clear error ack); the next request starts a new one.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ..services.errors import Unavailable
from .worker import recv_frame, send_frame

START_TIMEOUT = 60.0    # loading the model takes 1-3 s on a quiet machine
REQUEST_TIMEOUT = 30.0  # grouping 500 ideas takes 1-3 s
CHUNK = 100  # texts per "vectors" request
ROOT = Path(__file__).resolve().parents[2]


class RemoteBackend:
    reduce_for_grouping = False

    def __init__(self, name: str = "embeddings"):
        self.name = name  # "embeddings" or "ensemble": which backend the worker loads
        if name == "ensemble":
            from .ensemble import BLOCKS
            self.blocks = BLOCKS
        else:
            self.blocks = ()
        self._lock = threading.Lock()  # one request at a time on the one connection
        self._process = None
        self._sock = None
        self._dir = None

    # --- the backend interface ------------------------------------------------------------

    def vectors(self, texts: list[str]):
        """In requests of at most CHUNK texts: with the ensemble, 500 new ideas took longer
        than REQUEST_TIMEOUT in one (~45 ms each, more on a busy machine)."""
        texts = list(texts)
        if len(texts) <= CHUNK:
            return self._call("vectors", texts)
        import numpy as np  # (the worker's answers are numpy arrays: loaded with them)
        return np.vstack([self._call("vectors", texts[n:n + CHUNK])
                          for n in range(0, len(texts), CHUNK)])

    def index(self, texts: list[str]):
        return self.vectors(texts), lambda text: self.vectors([text])[0]

    def choose_groups(self, points) -> list[int]:
        return self._call("choose_groups", points)

    def start(self) -> str:
        """Start the worker now (it loads the model) and wait until it answers."""
        return self._call("ping")

    # --- the worker -----------------------------------------------------------------------

    def _call(self, op: str, *args):
        with self._lock:
            try:
                if self._sock is None:
                    self._connect()
                send_frame(self._sock, (op, args))
                status, value = recv_frame(self._sock)
            except (OSError, ConnectionError, EOFError) as error:
                self._stop()
                raise Unavailable("Suggestions are not available right now; try again in a "
                                  "moment.") from error
        if status != "ok":
            raise Unavailable(f"Suggestions failed: {value}")
        return value

    def _connect(self) -> None:
        if self._process is None or self._process.poll() is not None:
            self._spawn()
        path = os.path.join(self._dir, "worker.sock")
        deadline = time.monotonic() + START_TIMEOUT
        while not os.path.exists(path):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise ConnectionError("the suggestion worker did not start")
            time.sleep(0.05)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(REQUEST_TIMEOUT)
        sock.connect(path)
        self._sock = sock

    def _spawn(self) -> None:
        self._stop()
        self._dir = tempfile.mkdtemp(prefix="plenary-suggest-")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "app.suggest.worker",
             os.path.join(self._dir, "worker.sock"), str(os.getpid()), self.name],
            cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)

    def _stop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
            self._sock = None
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process = None
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def close(self) -> None:
        with self._lock:
            self._stop()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None
