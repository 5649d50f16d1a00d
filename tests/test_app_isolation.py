"""Two apps in one process share no realtime state: each has its own connection registry
and broadcaster (app.extensions), so one app's sockets never count in the other's
presence, and an app's background work (tally flushes) never runs in another app's
database. Flask-SocketIO serves one app per process, the one built last: the background
work of an app built earlier stops instead."""
import time
from datetime import timedelta

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Change, PendingTally, utcnow
from helpers import Client, count_rows, make_workshop, new_client_id, wait_for


@pytest.fixture
def second_app(app, tmp_path):
    """Another app, built after the `app` fixture, on a database of its own."""
    other = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'second.sqlite3'}")
    with other.app_context():
        upgrade()
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def command(http, workshop, name, **fields):
    body = {"workshop_id": workshop["id"], "client_id": new_client_id(), **fields}
    answer = http.post(f"/api/workshops/{workshop['id']}/commands/{name}", json=body)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_sockets_and_attendees_of_one_app_never_count_in_another(app, workshop, request):
    first_phones = [Client(app, workshop, "attendee") for _ in range(2)]
    for phone in first_phones:
        phone.join()
    assert app.test_client().get("/healthz").get_json()["sockets"] == 2

    second = request.getfixturevalue("second_app")
    other_workshop = make_workshop(second)
    assert other_workshop["id"] == workshop["id"]  # same id, different databases
    assert second.test_client().get("/healthz").get_json()["sockets"] == 0
    phone = Client(second, other_workshop, "attendee")
    assert phone.join()["connected"] == 1  # the first app's two attendees are not here
    assert second.test_client().get("/healthz").get_json()["sockets"] == 1
    assert app.test_client().get("/healthz").get_json()["sockets"] == 2
    assert second.extensions["plenary_broadcaster"] is not app.extensions["plenary_broadcaster"]


def test_a_tally_flush_of_an_earlier_app_never_runs_in_the_later_apps_database(app, workshop,
                                                                              request):
    attendee, facilitator = app.test_client(), app.test_client()
    assert attendee.get(f"/j/{workshop['code']}").status_code == 200
    assert facilitator.get(f"/f/{workshop['token']}").status_code == 302
    idea = command(attendee, workshop, "idea.post", text="Shared testbeds for SMEs")["idea"]
    command(facilitator, workshop, "phase.set", phase="voting")

    # The later app's workshop has the same id, and a tally a crash left pending.
    second = request.getfixturevalue("second_app")
    other_workshop = make_workshop(second, phase="voting")
    assert other_workshop["id"] == workshop["id"]
    with second.app_context():
        db.session.add(PendingTally(workshop_id=other_workshop["id"], idea_id=idea["id"]))
        db.session.commit()
        db.session.remove()
    changes_before = count_rows(second, Change)

    # A vote through the earlier app: its flush must not read or write the later app's
    # database. Flask-SocketIO now serves the later app, so the earlier app's flush does
    # nothing at all, and its pending row waits for a sweep, as after a crash.
    assert command(attendee, workshop, "vote.cast", idea_id=idea["id"])["ok"]
    time.sleep(4 * app.config["TALLY_INTERVAL"])
    assert count_rows(second, PendingTally) == 1
    assert count_rows(second, Change) == changes_before
    assert count_rows(app, PendingTally) == 1


def test_an_earlier_apps_tally_sweeper_stops_once_a_later_app_is_built(tmp_path):
    def build(name, **overrides):
        made = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}",
                          **overrides)
        with made.app_context():
            upgrade()
        return made

    def leave_pending(target, workshop_id):  # as a crash would, a minute ago
        with target.app_context():
            db.session.add(PendingTally(workshop_id=workshop_id, idea_id=1,
                                        created_at=utcnow() - timedelta(minutes=1)))
            db.session.commit()
            db.session.remove()

    first = build("first.sqlite3", TALLY_SWEEP_INTERVAL=0.05)
    workshop = make_workshop(first)
    leave_pending(first, workshop["id"])
    with first.app_context():
        first.extensions["plenary_broadcaster"].start_tally_sweeper()
    assert wait_for(lambda: count_rows(first, PendingTally) == 0)  # swept while served

    second = build("second.sqlite3")
    leave_pending(first, workshop["id"])
    time.sleep(0.5)  # ten sweep intervals
    assert count_rows(first, PendingTally) == 1  # nobody sweeps for an app no longer served
    for made in (first, second):
        with made.app_context():
            db.session.remove()
            db.engine.dispose()
