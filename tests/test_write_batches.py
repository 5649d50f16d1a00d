"""Votes that arrive together are written in one transaction (app/write_batches.py), over
real Socket.IO clients on threads and the real database. The leader's yield is replaced
by a wait for the whole burst to queue, so each test knows what one batch holds."""
import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, func, select, text

from app import write_batches
from app.extensions import db, socketio
from app.models import Participant, ProcessedWrite, Vote
from app.write_batches import ALONE, WriteBatches
from helpers import Client, make_workshop, new_client_id


def _batches(app, burst: int) -> WriteBatches:
    """The app's WriteBatches, its leader waiting (up to 5 s) until `burst` votes queue."""
    def wait_for_burst(_seconds):
        deadline = time.monotonic() + 5
        while len(batches._queue) < burst and time.monotonic() < deadline:
            time.sleep(0.005)
    with app.app_context():
        engine = db.engine
    batches = WriteBatches(lambda: engine, wait_for_burst, threading.Event)
    app.extensions[write_batches.EXTENSION] = batches
    return batches


def _together(calls) -> list:
    """Each call on its own thread, all at once; their results in order."""
    results = [None] * len(calls)

    def run(i):
        results[i] = calls[i]()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


def _commits(app):
    """A list that grows by one at every transaction the engine commits."""
    seen = []
    with app.app_context():
        event.listen(db.engine.pool, "checkout", lambda *_: seen.append(1))
    return seen


def _room(app, phones: int, **settings):
    workshop = make_workshop(app, **settings)
    facilitator = Client(app, workshop, "facilitator")
    facilitator.join()
    clients = [Client(app, workshop, "attendee") for _ in range(phones)]
    for phone in clients:
        phone.join()
    ideas = [clients[0].write("idea.post", text=f"Idea {n}")["idea"]["id"] for n in range(3)]
    assert facilitator.write("phase.set", phase="voting")["ok"]
    return workshop, clients, ideas


def _counts(app, workshop_id):
    with app.app_context():
        used = db.session.scalar(select(func.sum(Participant.votes_used))
                                 .where(Participant.workshop_id == workshop_id))
        dots = db.session.execute(select(Vote.idea_id, func.sum(Vote.dots))
                                  .where(Vote.workshop_id == workshop_id)
                                  .group_by(Vote.idea_id)).all()
        answers = db.session.scalar(select(func.count(ProcessedWrite.id)))
        db.session.remove()
    return used, dict(dots), answers


def test_a_burst_of_votes_is_one_transaction_and_every_phone_gets_its_own_answer(app):
    workshop, phones, ideas = _room(app, 12, vote_budget=3)
    batches = _batches(app, 12)
    checkouts = _commits(app)
    acks = _together([lambda p=p, i=i: p.write("vote.cast", idea_id=ideas[i % 3])
                      for i, p in enumerate(phones)])
    assert acks == [{"ok": True, "idea_id": ideas[i % 3], "my_dots": 1, "votes_used": 1,
                     "votes_left": 2} for i in range(12)]
    assert (batches.batches, batches.largest) == (1, 12)
    assert len(checkouts) == 1  # one transaction for the twelve votes
    used, dots, _answers = _counts(app, workshop["id"])
    assert used == 12 and dots == {idea: 4 for idea in ideas}


def test_a_refused_vote_in_a_burst_is_refused_alone_in_its_phones_language(app):
    """Its savepoint is rolled back, the others are kept, and its phone runs it again on its
    own: the refusal is worded as without batching, in Spanish for a Spanish phone."""
    workshop, phones, ideas = _room(app, 6, vote_budget=1)
    spanish = phones[5]
    spanish.http.get(f"/j/{workshop['code']}?lang=es")
    spanish.sio.disconnect()
    spanish.sio = socketio.test_client(app, flask_test_client=spanish.http)
    spanish.join()
    assert spanish.write("vote.cast", idea_id=ideas[0])["ok"]  # its one vote, spent
    before = _counts(app, workshop["id"])
    batches = _batches(app, 6)
    acks = _together([lambda p=p: p.write("vote.cast", idea_id=ideas[1]) for p in phones])
    assert acks[5] == {"ok": False,
                       "error": "Has usado tus 1 votos. Retira uno para votar otra idea."}
    assert all(ack["ok"] and ack["votes_used"] == 1 for ack in acks[:5])
    assert batches.largest == 6
    used, dots, answers = _counts(app, workshop["id"])
    assert used == before[0] + 5 and dots[ideas[1]] == 5 and dots[ideas[0]] == 1
    assert answers == before[2] + 5  # nothing recorded for the refused vote


def test_the_same_vote_sent_twice_in_one_burst_is_applied_once(app):
    workshop, phones, ideas = _room(app, 3, vote_budget=3, vote_cap=3)
    batches = _batches(app, 4)
    again = new_client_id()
    acks = _together([lambda: phones[0].write("vote.cast", client_id=again, idea_id=ideas[0]),
                      lambda: phones[0].write("vote.cast", client_id=again, idea_id=ideas[0]),
                      lambda: phones[1].write("vote.cast", idea_id=ideas[0]),
                      lambda: phones[2].write("vote.cast", idea_id=ideas[0])])
    assert acks[0] == acks[1] == {"ok": True, "idea_id": ideas[0], "my_dots": 1,
                                  "votes_used": 1, "votes_left": 2}
    assert batches.largest == 4
    used, dots, _answers = _counts(app, workshop["id"])
    assert used == 3 and dots == {ideas[0]: 3}


def test_a_phone_whose_grant_ended_in_a_burst_is_refused_and_the_rest_are_kept(app):
    """Its grant is checked in the batch's transaction; the refusal is raised on its own
    phone's socket, as without batching."""
    workshop, phones, ideas = _room(app, 4)
    gone = phones[3].call("workshop.join", {"workshop_id": workshop["id"],
                                            "role": "attendee"})["me"]["participant_id"]
    with app.app_context():
        db.session.execute(text("DELETE FROM participant WHERE id = :id"), {"id": gone})
        db.session.commit()
        db.session.remove()
    _batches(app, 4)
    acks = _together([lambda p=p: p.write("vote.cast", idea_id=ideas[2]) for p in phones])
    assert [ack["ok"] for ack in acks] == [True, True, True, False]
    assert acks[3]["error"].startswith("Your access to this workshop has ended")
    assert _counts(app, workshop["id"])[1] == {ideas[2]: 3}


class _Table:
    """A scratch table whose rows point at a parent row, the check deferred to COMMIT: a
    batch holding one dangling row fails to commit as a whole."""

    def __init__(self, app):
        with app.app_context():
            self.engine = db.engine
            with self.engine.begin() as conn:
                conn.execute(text("CREATE TABLE scratch_parent (id INTEGER PRIMARY KEY)"))
                conn.execute(text("CREATE TABLE scratch_child (id INTEGER PRIMARY KEY, "
                                  "parent INTEGER REFERENCES scratch_parent (id) "
                                  "DEFERRABLE INITIALLY DEFERRED)"))
                conn.execute(text("INSERT INTO scratch_parent (id) VALUES (1)"))

    def insert(self, child: int, parent: int = 1):
        def work(connection):
            cursor = connection.connection.cursor()
            cursor.execute(f"INSERT INTO scratch_child (id, parent) VALUES ({child}, {parent})")
            cursor.close()
            return child
        return work

    def rows(self) -> list:
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(text("SELECT id FROM scratch_child "
                                                        "ORDER BY id"))]


def test_a_batch_that_fails_to_commit_writes_nothing_and_each_caller_runs_alone(app, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the scratch table's deferred foreign key is written for SQLite")
    table = _Table(app)
    batches = _batches(app, 3)
    with app.app_context():
        answers = _together([lambda w=w: _in_app(app, batches, w) for w in
                             (table.insert(1), table.insert(2, parent=99), table.insert(3))])
    assert answers == [ALONE, ALONE, ALONE]  # each caller then writes on its own
    assert table.rows() == []
    assert not batches._leading and not batches._queue  # ready for the next burst
    assert _in_app(app, _batches(app, 1), table.insert(4)) == 4
    assert table.rows() == [4]


def test_the_leaders_own_error_is_raised_to_it_and_the_others_are_kept(app, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("the scratch table is written for SQLite")
    table = _Table(app)
    assert _in_app(app, _batches(app, 1), table.insert(5)) == 5
    batches = _batches(app, 3)
    later = [table.insert(6), table.insert(7)]
    results = _together([lambda: _in_app(app, batches, table.insert(5), catch=True),
                         lambda: (time.sleep(0.2), _in_app(app, batches, later[0]))[1],
                         lambda: (time.sleep(0.2), _in_app(app, batches, later[1]))[1]])
    # the first to come leads: its duplicate row is rolled back to its savepoint and its
    # error raised to it (as a vote alone would raise it); the two that followed are kept
    assert isinstance(results[0], sqlite3.IntegrityError), results[0]
    assert results[1:] == [6, 7] and batches.largest == 3
    assert table.rows() == [5, 6, 7]


def _in_app(app, batches, work, catch=False):
    with app.app_context():
        try:
            return batches.run(work)
        except Exception as error:
            if not catch:
                raise
            return error
