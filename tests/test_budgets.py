"""One bad client cannot stall a room: every socket (and every browser, over its sockets)
spends a budget per kind of event, snapshot reads the strictest; a refusal costs no
database work and says when to try again; sustained abuse is disconnected. And repeated
syncs at one version build the snapshot once."""
import pytest
from sqlalchemy import event

from app import create_app
from app.extensions import db
from app.models import Idea, ProcessedWrite
from app.realtime.budgets import STRIKES_TO_DISCONNECT, Budgets
from app.services import changes, snapshots
from helpers import Client, count_rows, make_workshop

SMALL = {"snapshot": (3, 1.0), "read": (5, 2.0), "suggest": (1, 0.1), "write": (5, 2.0),
         "post": (5, 0.2), "similar": (2, 0.5)}  # slow refills: a loaded machine stays exact
SLOW_DOWN = "Too many requests from this connection: slow down for a moment."


@pytest.fixture
def strict_app(db_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url, SOCKET_BUDGETS=SMALL)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def queries_during(app, action):
    """How many SQL statements `action` sends to the database."""
    seen = []

    def count(*_args):
        seen.append(1)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(seen)


def test_a_flooding_socket_is_refused_without_touching_the_database(strict_app):
    workshop = make_workshop(strict_app)
    flooder, honest = Client(strict_app, workshop, "attendee"), \
        Client(strict_app, workshop, "attendee")
    flooder.join()
    honest.join()
    syncs = [flooder.call("workshop.sync", {"workshop_id": workshop["id"], "since": 0})
             for _ in range(6)]
    assert [s["ok"] for s in syncs[:2]] == [True, True]  # the join took the first token
    refused = syncs[-1]
    assert refused["ok"] is False and refused["error"] == SLOW_DOWN
    assert 0 < refused["retry_after_ms"] <= 1001
    answer, queries = queries_during(strict_app, lambda: flooder.call(
        "workshop.sync", {"workshop_id": workshop["id"], "since": 0}))
    assert answer["retry_after_ms"] and queries == 0
    # posts have a budget of their own, and the refused ones change nothing
    posted = [flooder.write("idea.post", text=f"Flood {n}") for n in range(8)]
    assert sum(p["ok"] for p in posted) == 5 and posted[-1]["error"] == SLOW_DOWN
    assert count_rows(strict_app, Idea) == 5 and count_rows(strict_app, ProcessedWrite) == 5
    # ... apart from other writes: this one is judged on its merits, not refused for speed
    other = flooder.write("phase.set", phase="voting")
    assert other["ok"] is False and other["error"] != SLOW_DOWN
    # the honest phone next to it is not slowed down at all
    assert honest.call("workshop.sync", {"workshop_id": workshop["id"], "since": 0})["ok"]
    assert honest.write("idea.post", text="Shared testbeds for SMEs")["ok"]


def test_a_refused_write_is_applied_once_when_sent_again_later(strict_app):
    workshop = make_workshop(strict_app)
    phone = Client(strict_app, workshop, "attendee")
    phone.join()
    for n in range(5):
        assert phone.write("idea.post", text=f"Idea {n}")["ok"]
    refused = phone.write("idea.post", client_id="later-1", text="Sent again")
    assert refused["retry_after_ms"]
    strict_app.extensions["plenary_budgets"].clock = lambda: 1e12  # time passes
    again = phone.write("idea.post", client_id="later-1", text="Sent again")
    assert again["ok"] and phone.write("idea.post", client_id="later-1", text="Sent again") \
        == again
    assert count_rows(strict_app, Idea) == 6


def test_one_browser_shares_its_write_budget_over_all_its_sockets(strict_app):
    workshop = make_workshop(strict_app)
    first = Client(strict_app, workshop, "attendee")
    first.join()
    second = Client(strict_app, workshop, "attendee")
    second.http = first.http  # the same browser, a second tab
    from flask_socketio import SocketIOTestClient
    from app.extensions import socketio
    second.sio = SocketIOTestClient(strict_app, socketio, flask_test_client=first.http)
    second.join()
    answers = [client.write("idea.post", text=f"Tab idea {n}")
               for n in range(4) for client in (first, second)]
    assert sum(a["ok"] for a in answers) == 5


def test_sustained_abuse_is_disconnected(strict_app):
    workshop = make_workshop(strict_app)
    flooder = Client(strict_app, workshop, "attendee")
    flooder.join()
    for _ in range(STRIKES_TO_DISCONNECT + 10):
        if not flooder.sio.is_connected():
            break
        flooder.call("results.support", {"workshop_id": workshop["id"]})
    assert not flooder.sio.is_connected()


def test_budgets_refill_at_their_rate():
    now = [0.0]
    budgets = Budgets({"write": (2, 4.0)}, clock=lambda: now[0])
    assert [budgets.wait("s", "write") for _ in range(3)] == [0, 0, pytest.approx(0.25)]
    now[0] += 0.25
    assert budgets.wait("s", "write") == 0
    budgets.forget("s")
    assert len(budgets) == 0


def test_syncs_at_one_version_build_the_snapshot_once(app, workshop):
    cache = changes.VersionCache(8)
    with app.app_context():
        for n in range(30):
            db.session.add(Idea(workshop_id=workshop["id"], text=f"Idea {n}"))
        db.session.commit()

        def sync():
            return snapshots.sync(workshop["id"], None, 500, cache=cache)
        (version, first), built = queries_during(app, sync)
        (same_version, again), reused = queries_during(app, sync)
        assert same_version == version and again["snapshot"] is first["snapshot"]
        assert reused == 1 < built  # only the version is read again
        assert len(first["snapshot"]["ideas"]) == 30
        # a new version builds a new snapshot and drops the old one
        changes.record(workshop["id"], "phase.changed", {"phase": "voting",
                                                         "previous": "collecting"})
        db.session.commit()
        (newer, fresh), _ = queries_during(app, sync)
        assert newer == version + 1 and fresh["snapshot"] is not first["snapshot"]
        assert len(cache) == 1
        db.session.remove()


def test_health_check_answers_for_load_balancers(app, connect):
    before = app.test_client().get("/healthz").get_json()["sockets"]
    connect()
    answer = app.test_client().get("/healthz")
    body = answer.get_json()
    assert answer.status_code == 200 and body["ok"] is True
    assert body["checks"]["database"]["ok"] and body["sockets"] == before + 1


def test_health_check_names_a_database_that_does_not_answer():
    # (an app of its own, and no sockets: Flask-SocketIO serves the app built last)
    broken = create_app("test", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    down = broken.test_client().get("/healthz")
    assert down.status_code == 503 and down.get_json()["checks"]["database"]["ok"] is False
