"""wsgi.py's start-up, run in a subprocess (tests never import wsgi.py in-process)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_start_up_objects_are_frozen_out_of_the_garbage_collectors_full_passes(tmp_path):
    # Each full collection walks every tracked object while every connection waits; the
    # ~100,000 objects built at start-up (Flask, SQLAlchemy, the models) never die, so
    # the server freezes them and full passes only walk what connections create. Young
    # collections run less often than Python's default (each one counts toward a full
    # pass); the older generations keep Python's thresholds, so closed connections'
    # cycles are still collected. Importing wsgi.py is what gunicorn does (python wsgi.py
    # calls the same set_up_collector() in main(), after warming the suggestions up).
    code = ("import gc, wsgi\n"
            "print(len(gc.get_objects()), gc.get_freeze_count(), *gc.get_threshold())\n")
    env = {**os.environ, "ASYNC_MODE": "threading", "SECRET_KEY": "startup-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    tracked, frozen, *thresholds = map(int, out.stdout.split()[-5:])
    assert frozen > 50_000
    assert tracked < frozen * 0.05
    assert thresholds == [5000, 10, 10]
