"""Coalescing: many marks for a key within `interval` seconds lead to one flush.

The first mark after a quiet spell flushes at once (leading edge); marks that arrive while
a flush is pending are merged into it; a key is flushed at most once per `interval`.
Thread-safe, and free of any async-library specifics: the caller supplies how to start a
background task and how to sleep (Flask-SocketIO's, so eventlet, gevent or threads).
"""
import threading
import time


class Coalescer:
    def __init__(self, interval: float, flush, start_task, sleep):
        self.interval = interval
        self._flush = flush          # flush(key, items: set)
        self._start_task = start_task
        self._sleep = sleep
        self._lock = threading.Lock()
        self._pending: dict = {}     # key -> set of items waiting for the next flush
        self._scheduled: set = set()
        self._last_flush: dict = {}  # key -> time.monotonic() of the last flush

    def mark(self, key, items=()) -> None:
        with self._lock:
            self._pending.setdefault(key, set()).update(items)
            if key in self._scheduled:
                return
            self._scheduled.add(key)
            delay = self._last_flush.get(key, -1e9) + self.interval - time.monotonic()
        self._start_task(self._run, key, max(0.0, delay))

    def _run(self, key, delay: float) -> None:
        if delay > 0:
            self._sleep(delay)
        with self._lock:
            items = self._pending.pop(key, set())
            self._scheduled.discard(key)
            self._last_flush[key] = time.monotonic()
        self._flush(key, items)
