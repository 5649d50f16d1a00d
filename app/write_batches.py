"""Group commit: the votes that arrive together are written in one transaction.

A burst of votes (300 phones at once) is bound by the server's CPU, and a vote's own seven
statements cost less than its transaction around them: BEGIN IMMEDIATE, the pool, and a
commit that writes some twelve pages to SQLite's WAL (docs/PERFORMANCE.md, "Issue 16,
seventh pass"). So the first vote to come (the leader) yields once, letting the votes that
arrived with it queue up behind it, then writes them all (at most MAX_BATCH) on one
DriverTransaction, each in its own SAVEPOINT, commits once, and only then wakes the others
with their answers: an ack still means committed, as before. The next vote in the queue,
if any, leads the next batch. A vote alone is written exactly as before (no savepoint).

Only a plain success is decided for another caller. A follower whose write raises
anything is rolled back to its savepoint, and its caller runs it again on its own
(`ALONE`), in its own request context: a refusal (no votes left, voting closed, a revoked
grant) is then worded in that phone's language and handled exactly as without batching;
the same write sent twice at once, or a database error, takes the unbatched path's own
handling. The leader's own refusal is raised to it directly. If the commit fails, nothing
of the batch was written and every caller in it runs its vote again on its own.

Free of async-library specifics (eventlet, gevent or threads): the caller supplies how to
sleep and how to make an event (Flask-SocketIO's).
"""
import logging
import threading
from collections import deque

from .database import DriverTransaction, run_plain

log = logging.getLogger(__name__)

MAX_BATCH = 64  # votes per transaction: bounds how long the write lock is held
EXTENSION = "plenary_write_batches"
ALONE = object()  # the answer for a caller that must run its write on its own


class _Vote:
    __slots__ = ("work", "done", "answer", "error", "leads")

    def __init__(self, work):
        self.work = work  # work(connection) -> answer, on a DriverTransaction
        self.done = None  # a follower's event
        self.answer = ALONE
        self.error = None  # the leader's own refusal
        self.leads = False  # woken to lead the next batch


class WriteBatches:
    def __init__(self, engine_of, sleep, make_event, max_batch: int = MAX_BATCH):
        self._engine_of = engine_of  # () -> the engine, in the caller's app context
        self._sleep = sleep
        self._make_event = make_event
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: deque = deque()
        self._leading = False
        self.batches = 0  # written, for tests and the bench
        self.largest = 0

    def run(self, work):
        """`work(connection)`'s answer, committed with the votes that came with it; ALONE if
        the caller must run its write on its own instead. Raises the caller's own refusal
        when it led the batch."""
        vote = _Vote(work)
        with self._lock:
            self._queue.append(vote)
            leads = not self._leading
            if leads:
                self._leading = True
            else:
                vote.done = self._make_event()
        if not leads:
            vote.done.wait()
            if not vote.leads:
                return vote.answer
        return self._lead(vote)

    def _lead(self, vote: _Vote):
        batch = []
        try:
            self._sleep(0)  # the votes that arrived with this one queue up behind it
            with self._lock:
                batch = [self._queue.popleft()
                         for _ in range(min(len(self._queue), self.max_batch))]
            self._write(batch, vote)
        finally:
            if vote not in batch:  # stopped before it took its batch: no one waits for it
                with self._lock:
                    self._queue.remove(vote)
            self._hand_over()
        if vote.error is not None:
            raise vote.error
        return vote.answer

    def _hand_over(self) -> None:
        with self._lock:
            if not self._queue:
                self._leading = False
                return
            following = self._queue[0]
        following.leads = True
        following.done.set()

    def _write(self, batch: list, leader: _Vote) -> None:
        self.batches += 1
        self.largest = max(self.largest, len(batch))
        try:
            if len(batch) == 1:  # alone: as without batching, its error its own
                with DriverTransaction(self._engine_of()) as connection:
                    leader.answer = leader.work(connection)
                return
            with DriverTransaction(self._engine_of()) as connection:
                for vote in batch:
                    self._one(connection, vote, vote is leader)
        except Exception as error:  # nothing of the batch was written
            if len(batch) == 1:
                leader.answer, leader.error = ALONE, error
            else:
                log.warning("a batch of %d votes failed to commit: each runs alone: %r",
                            len(batch), error)
                for vote in batch:
                    vote.answer, vote.error = ALONE, None
        finally:
            for vote in batch:
                if vote is not leader:
                    vote.done.set()

    @staticmethod
    def _one(connection, vote: _Vote, own: bool) -> None:
        run_plain(connection.connection, "SAVEPOINT vote")
        try:
            vote.answer = vote.work(connection)
        except Exception as error:
            # if this raises, the whole batch fails (and each vote runs alone)
            run_plain(connection.connection, "ROLLBACK TO SAVEPOINT vote")
            vote.answer = ALONE
            if own:
                vote.error = error
        run_plain(connection.connection, "RELEASE SAVEPOINT vote")
