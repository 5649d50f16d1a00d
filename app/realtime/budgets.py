"""Per-connection budgets for socket events: one hostile or buggy client cannot stall a room.

Each socket (and each attendee, over all of their sockets) has a token bucket per kind of
event: a bucket holds up to `burst` tokens and refills at `rate` per second; an event takes
one token or is refused with a clear error ack, before any database work. Reads that can
build a snapshot are the strictest. A socket refused more than STRIKES_TO_DISCONNECT times
within STRIKE_WINDOW seconds is disconnected (sustained abuse); an honest client never gets
near that, and its outbox resends what was refused (the ack says when: `retry_after_ms`).

The numbers are settings (SOCKET_BUDGETS in config.py) so an installation can tune them.
"""
import threading
import time

# kind -> events of that kind; anything else is a write
KINDS = {
    "snapshot": ("workshop.join", "workshop.sync"),
    "suggest": ("board.suggest",),
    "hints": ("board.hints",),  # the console asks after board changes, at most ~1/s
    "read": ("board.history", "results.support", "matches.mine"),
    "similar": ("idea.similar",),  # compares the text with every idea on the board
    "post": ("idea.post",),  # every post is delivered to every phone in the room
}
KIND_OF = {event: kind for kind, events in KINDS.items() for event in events}
STRIKES_TO_DISCONNECT = 60
STRIKE_WINDOW = 10.0


def kind_of(event: str) -> str:
    return KIND_OF.get(event, "write")


class Bucket:
    __slots__ = ("tokens", "stamp")

    def __init__(self, burst: float, now: float):
        self.tokens, self.stamp = burst, now

    def take(self, burst: float, rate: float, now: float) -> float:
        """0 when a token was taken, else the seconds until one will be there."""
        self.tokens = min(burst, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / rate


class Budgets:
    """Buckets per (owner, kind); an owner is a socket id or ("participant", id)."""

    def __init__(self, rules: dict, clock=time.monotonic):
        self.rules = rules  # kind -> (burst, rate per second)
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets: dict = {}
        self._strikes: dict = {}  # sid -> [window start, refusals in it]

    def wait(self, owner, kind: str) -> float:
        """0 if the event may go ahead, else the seconds to wait before trying again."""
        burst, rate = self.rules[kind]
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get((owner, kind))
            if bucket is None:
                bucket = self._buckets[(owner, kind)] = Bucket(burst, now)
            return bucket.take(burst, rate, now)

    def strike(self, sid) -> bool:
        """Count a refusal; True when the socket has been refused too often to keep."""
        now = self.clock()
        with self._lock:
            start, count = self._strikes.get(sid, (now, 0))
            if now - start > STRIKE_WINDOW:
                start, count = now, 0
            self._strikes[sid] = (start, count + 1)
            return count + 1 > STRIKES_TO_DISCONNECT

    def forget(self, owner) -> None:
        """A socket closed (or an attendee left): drop its buckets."""
        with self._lock:
            for kind in self.rules:
                self._buckets.pop((owner, kind), None)
            self._strikes.pop(owner, None)

    def __len__(self) -> int:
        return len(self._buckets)
