"""Coalescing: many marks for a key within `interval` seconds lead to one flush.

The first mark after a quiet spell flushes at once (leading edge); marks that arrive while
a flush is pending are merged into it; a key is flushed at most once per `interval`.
With `quiet`, a flush waits instead until no mark has come for `quiet` seconds (a burst's
marks first: each vote of a burst is answered before the fan-out that shows them), but
never longer than `max_wait` after the first mark it carries.
Thread-safe, and free of any async-library specifics: the caller supplies how to start a
background task and how to sleep (Flask-SocketIO's, so eventlet, gevent or threads).
"""
import threading
import time


class Coalescer:
    def __init__(self, interval: float, flush, start_task, sleep,
                 quiet: float | None = None, max_wait: float | None = None,
                 clock=time.monotonic):
        self.interval = interval
        self._clock = clock
        self.quiet, self.max_wait = quiet, max_wait
        self._first_mark: dict = {}  # key -> time of the first mark of the pending flush
        self._last_mark: dict = {}   # key -> time of its latest mark
        self._flush = flush          # flush(key, items: set)
        self._start_task = start_task
        self._sleep = sleep
        self._lock = threading.Lock()
        self._pending: dict = {}     # key -> set of items waiting for the next flush
        self._scheduled: set = set()
        self._last_flush: dict = {}  # key -> self._clock() of the last flush

    def mark(self, key, items=()) -> None:
        now = self._clock()
        with self._lock:
            self._pending.setdefault(key, set()).update(items)
            self._last_mark[key] = now
            if key in self._scheduled:
                return
            self._scheduled.add(key)
            self._first_mark[key] = now
            due = self._last_flush.get(key, -1e9) + self.interval
            if self.quiet is not None:
                due = max(due, now + self.quiet)
        self._start_task(self._run, key, max(0.0, due - now))

    def _run(self, key, delay: float) -> None:
        while delay > 0:
            self._sleep(delay)
            delay = self._still_marking(key)
        with self._lock:
            items = self._pending.pop(key, set())
            self._scheduled.discard(key)
            self._first_mark.pop(key, None)
            self._last_flush[key] = self._clock()
        self._flush(key, items)

    def _still_marking(self, key) -> float:
        """How much longer to wait for marks to pause (0: flush now)."""
        if self.quiet is None:
            return 0.0
        now = self._clock()
        with self._lock:
            calm = self.quiet - (now - self._last_mark[key])
            left = self.max_wait - (now - self._first_mark[key]) if self.max_wait else calm
        wait = min(calm, left)
        return wait if wait > 0.001 else 0.0  # a millisecond early is on time
