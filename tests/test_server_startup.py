"""wsgi.py's start-up, run in a subprocess (tests never import wsgi.py in-process)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_start_up_objects_are_frozen_out_of_the_garbage_collectors_full_passes(tmp_path):
    # Each full collection walks every tracked object while every connection waits; the
    # ~260,000 objects built at start-up (Flask, SQLAlchemy, scikit-learn) never die, so
    # the server freezes them and full passes only walk what connections create.
    code = ("import gc, wsgi\n"
            "before = len(gc.get_objects())\n"
            "frozen = wsgi.freeze_startup_objects()\n"
            "print(before, frozen, len(gc.get_objects()))\n"
            "print(*wsgi.collect_young_less_often())\n")
    env = {**os.environ, "ASYNC_MODE": "threading", "SECRET_KEY": "startup-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    *_, counts, thresholds = out.stdout.splitlines()
    before, frozen, tracked_after = map(int, counts.split())
    assert frozen >= before * 0.9
    assert tracked_after < before * 0.05
    # young collections less often (a full pass walks every connection's objects), the
    # older generations as Python sets them, so closed connections' cycles still go
    assert tuple(map(int, thresholds.split())) == (5000, 10, 10)
