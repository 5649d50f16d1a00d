"""Coalesced broadcasts (app/realtime/coalescer.py) on a stand-in clock: how many flushes a
stream of marks makes, and when. Tallies wait for a burst of votes to pause, so that every
vote of the burst is answered before the fan-out that shows them, but never for longer than
max_wait, so a projector keeps moving under a steady stream."""
from app.realtime.coalescer import Coalescer


class Room:
    """A stand-in clock and scheduler: marks happen at given times while the flush task
    sleeps, as votes arrive while a tally waits."""

    def __init__(self, marks_at=(), **options):
        self.now, self.flushed, self.tasks = 0.0, [], []
        self.marks_at = sorted(marks_at)
        self.coalescer = Coalescer(0.15, self._flush, self._start, self._sleep,
                                   clock=lambda: self.now, **options)

    def _flush(self, key, items):
        self.flushed.append((round(self.now, 3), key, sorted(items)))

    def _start(self, fn, *args):
        self.tasks.append((fn, args))

    def _sleep(self, seconds):
        until = self.now + seconds
        while self.marks_at and self.marks_at[0] <= until:
            self.now = self.marks_at.pop(0)
            self.coalescer.mark("w", [self.now])
        self.now = until

    def run(self):
        while self.tasks or self.marks_at:
            if not self.tasks:  # nothing waiting: the next vote arrives
                self.now = self.marks_at.pop(0)
                self.coalescer.mark("w", [self.now])
                continue
            fn, args = self.tasks.pop(0)
            fn(*args)


def test_the_first_mark_after_a_quiet_spell_flushes_at_once_by_default():
    room = Room()
    room.coalescer.mark("w", [1])
    room.run()
    assert room.flushed == [(0.0, "w", [1])]


def test_a_burst_is_flushed_once_after_it_pauses():
    burst = [0.001 * n for n in range(1, 300)]  # 300 votes in 0.3 s
    room = Room(marks_at=burst, quiet=0.15, max_wait=0.6)
    room.coalescer.mark("w", [0.0])
    room.run()
    assert len(room.flushed) == 1
    when, _key, items = room.flushed[0]
    assert len(items) == 300 and when == round(0.299 + 0.15, 3)


def test_a_steady_stream_still_flushes_every_max_wait():
    stream = [0.05 * n for n in range(1, 40)]  # a vote every 50 ms for 2 s
    room = Room(marks_at=stream, quiet=0.15, max_wait=0.6)
    room.coalescer.mark("w", [0.0])
    room.run()
    gaps = [b[0] - a[0] for a, b in zip(room.flushed, room.flushed[1:], strict=False)]
    assert len(room.flushed) >= 3 and max(gaps) <= 0.6 + 0.15 + 1e-9
    assert sum(len(items) for *_, items in room.flushed) == 40  # every vote shown


def test_a_lone_vote_is_shown_after_the_quiet_time():
    room = Room(quiet=0.15, max_wait=0.6)
    room.coalescer.mark("w", [1])
    room.run()
    assert room.flushed == [(0.15, "w", [1])]
