"""How much database work a join costs (issue 16: joins at bare speed): the cookie page and
`workshop.join` for a new attendee, a returning one and a facilitator, counted in SQL
statements and transactions. A regression guard on the numbers, not a timing: one query
authorises (participant by token with its workshop and event), the snapshot comes from the
per-version cache with no query beyond the version, and a participant who never voted costs
no vote query."""
import threading
from contextlib import contextmanager

import pytest

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db, socketio
from helpers import Client, wait_for


class Counter:
    """The statements (BEGIN left out) and transactions this thread runs inside a
    `window()` (the Socket.IO test client runs handlers in the caller's thread; coalesced
    tally and presence flushes run in their own). A transaction is counted when it takes a
    connection from the pool, whether in the ORM session or straight on the driver
    (database.DriverTransaction). Listening starts before any other thread uses the engine:
    adding a listener while another thread fires the event is not safe."""

    def __init__(self, engine):
        self.me, self.seen = None, None
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "checkout", self._began)

    def _statement(self, _conn, _cursor, sql, *_args):
        if self.me == threading.get_ident() and not sql.startswith("BEGIN"):
            self.seen["statements"].append(" ".join(sql.split()[:8]))

    def _began(self, *_connection):
        if self.me == threading.get_ident():
            self.seen["transactions"] += 1

    def _session_began(self, *_args):
        if self.me == threading.get_ident():
            self.seen["sessions"] += 1

    @contextmanager
    def window(self):
        self.me, self.seen = threading.get_ident(), {"statements": [], "transactions": 0,
                                                     "sessions": 0}
        try:
            yield self.seen
        finally:
            self.me = None


@pytest.fixture
def counter(app):
    """Also counts the transactions begun in an ORM session (a listener on every Session,
    taken off again after the test)."""
    with app.app_context():
        found = Counter(db.engine)
    event.listen(Session, "after_begin", found._session_began)
    yield found
    event.remove(Session, "after_begin", found._session_began)


def _rejoin(client, since=None):
    """The same browser (same cookie) on a new socket: a returning attendee or console."""
    client.sio = socketio.test_client(client.app, flask_test_client=client.http)
    return client.join(since)


def _votes_queried(statements):
    return [s for s in statements if "vote.dots FROM vote" in s]  # voting.my_votes


def test_the_join_page_reads_the_workshop_and_its_event_at_once(app, workshop, counter):
    with counter.window() as seen:
        assert app.test_client().get(f"/j/{workshop['code']}").status_code == 200
    assert len(seen["statements"]) == 1, seen  # was 2: the workshop, then its event


def test_a_new_attendee_joins_in_one_transaction_with_few_statements(app, workshop, counter):
    Client(app, workshop, "attendee").join()  # the snapshot at this version is built
    newcomer = Client(app, workshop, "attendee")
    with counter.window() as seen:
        ack = newcomer.join()
    # authorise (one query), INSERT, the version: was 13 in 2 transactions
    assert len(seen["statements"]) <= 3, seen
    assert seen["transactions"] == 1, seen
    assert seen["sessions"] == 0, seen  # on the driver: no ORM session set up (joining.py)
    assert not _votes_queried(seen["statements"])
    assert ack["sync"]["mode"] == "snapshot" and ack["me"]["votes_used"] == 0
    assert ack["me"]["participant_id"] and ack["me"]["votes"] == {}
    assert ack["me"]["profile"]["display_name"] == "" and ack["me"]["profiles_closed"] is False
    # the participant was committed: the socket's next event is authorised by it
    assert newcomer.call("workshop.sync", {"workshop_id": workshop["id"]})["ok"]


def test_a_returning_attendee_costs_two_statements(app, workshop, counter):
    attendee = Client(app, workshop, "attendee")
    first = attendee.join()
    with counter.window() as seen:
        ack = _rejoin(attendee)
    assert len(seen["statements"]) <= 2, seen  # authorise, the version: was 9
    assert seen["transactions"] == 1
    assert ack["me"]["participant_id"] == first["me"]["participant_id"]


def test_a_returning_voter_gets_their_votes_back(app, workshop, counter):
    facilitator = Client(app, workshop, "facilitator")
    facilitator.join()
    attendee = Client(app, workshop, "attendee")
    attendee.join()
    idea = attendee.write("idea.post", text="Shared test beds for the regions")
    assert idea["ok"], idea
    assert facilitator.write("phase.set", phase="voting")["ok"]
    assert attendee.write("vote.cast", idea_id=idea["idea"]["id"])["ok"]
    assert attendee.write("profile.update", display_name="Ana")["ok"]
    assert wait_for(lambda: any(p["args"][0].get("type") == "votes.tallied"
                                for p in attendee.pump() if p["args"]))
    Client(app, workshop, "attendee").join()  # the snapshot at this version is built
    with counter.window() as seen:
        ack = _rejoin(attendee)
    assert ack["me"]["votes_used"] == 1
    assert ack["me"]["votes"] == {str(idea["idea"]["id"]): 1}
    assert ack["me"]["profile"]["display_name"] == "Ana"
    assert len(_votes_queried(seen["statements"])) == 2  # only someone who voted
    assert len(seen["statements"]) <= 4, seen


def test_a_facilitator_joins_with_the_cached_snapshot(app, workshop, counter):
    console = Client(app, workshop, "facilitator")
    console.join()  # the facilitators' snapshot at this version is built
    with counter.window() as seen:
        ack = _rejoin(console)
    assert ack["sync"]["mode"] == "snapshot"
    assert len(seen["statements"]) <= 2, seen  # the workshop with its event, the version: was 5
    assert seen["transactions"] == 1


def test_a_snapshot_is_never_older_than_its_version(app, workshop, ctx):
    """A join loads the workshop before it reads the version; the snapshot built then must
    still be the database at that version, not the row the session held already (on
    PostgreSQL another worker may commit in between)."""
    from sqlalchemy import update

    from app.models import Workshop
    from app.services import snapshots
    held = db.session.get(Workshop, workshop["id"])
    assert held.phase == "collecting"
    db.session.execute(update(Workshop).where(Workshop.id == workshop["id"])
                       .values(phase="voting", version=Workshop.version + 1)
                       .execution_options(synchronize_session=False))  # as another worker
    snap = snapshots.snapshot(workshop["id"])
    assert snap["workshop"]["phase"] == "voting" and snap["workshop"]["version"] == 1
    db.session.rollback()


@pytest.mark.parametrize("since", [None, 0], ids=["arriving, on the driver",
                                                 "catching up, in the session"])
def test_two_tabs_joining_at_once_share_one_participant(app, workshop, monkeypatch, since):
    """The join makes a new attendee's participant without a savepoint; if another tab of
    the same browser made it in between (the unique token refuses the second row), the join
    starts again and finds it."""
    from app.models import Participant
    from app.services import participants
    from helpers import count_rows
    first_tab = Client(app, workshop, "attendee")
    made = first_tab.join()["me"]["participant_id"]
    real, calls = participants.admission, []

    def not_yet_made(workshop_id, token, connection=None):  # as read before the other tab
        calls.append(token)                                 # committed
        found = real(workshop_id, token, connection)
        return (found[0], None) if len(calls) == 1 else found
    monkeypatch.setattr(participants, "admission", not_yet_made)
    ack = _rejoin(first_tab, since)  # the second tab: same cookie, new socket
    assert len(calls) == 2 and ack["me"]["participant_id"] == made
    assert count_rows(app, Participant) == 1


def test_an_attendee_catching_up_joins_in_the_session(app, workshop, counter):
    """A phone that comes back with the version it has (`since`) gets the deltas, read in
    the ORM session: the driver's join is only for arrivals with nothing to catch up on."""
    attendee = Client(app, workshop, "attendee")
    first = attendee.join()
    with counter.window() as seen:
        ack = _rejoin(attendee, since=first["version"])
    assert ack["sync"] == {"mode": "deltas", "deltas": []}
    assert seen["sessions"] == 1 and seen["transactions"] == 1, seen


def test_a_version_not_cached_yet_is_read_after_the_arrival_commits(app, workshop, counter):
    """The first arrival at a new version finds no snapshot in the cache: the participant
    is committed on the driver, then the snapshot is built in the session, and holds the
    idea posted just before."""
    author = Client(app, workshop, "attendee")
    author.join()
    assert author.write("idea.post", text="Open data for regional supply chains")["ok"]
    newcomer = Client(app, workshop, "attendee")
    with counter.window() as seen:
        ack = newcomer.join()
    assert [i["text"] for i in ack["sync"]["snapshot"]["ideas"]] == [
        "Open data for regional supply chains"]
    assert ack["version"] == ack["sync"]["snapshot"]["workshop"]["version"]
    assert seen["transactions"] == 2 and seen["sessions"] == 1, seen
    assert newcomer.call("workshop.sync", {"workshop_id": workshop["id"]})["ok"]
