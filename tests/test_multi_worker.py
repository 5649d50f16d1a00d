"""Scale-out: two wsgi.py worker processes (eventlet) share one workshop through the real
PostgreSQL and the real Redis, as behind nginx. Phones on different workers see the same
room; the database, not a worker's memory, is the truth for tallies and versions."""
import os
import shutil
import time
import uuid

import pytest
import requests

from app.extensions import db
from app.services import accounts, changes
from helpers import make_workshop
from live import LivePhone, PrivateRedis, Workers, organiser_session, post_form, run_together, \
    wait_until

PG_URL = os.environ.get("PLENARY_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("PLENARY_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(
    not (PG_URL and PG_URL.startswith("postgresql") and REDIS_URL),
    reason="multi-worker tests need the real PostgreSQL and Redis: set "
           "PLENARY_TEST_DATABASE_URL=postgresql+psycopg://… and PLENARY_TEST_REDIS_URL=redis://… "
           "(.ci/run sets both for its PostgreSQL run)")

ATTENDEES = 40   # on two workers, 5 dots each: 200 votes
IDEAS = 10
OUTAGE = 8.0     # seconds the private Redis stays down
RECOVERY = 4.0   # seconds after it is back by which both workers deliver again


def cid():
    return uuid.uuid4().hex


def channel():
    """A channel of the test's own: other runs may share the machine's Redis."""
    return f"plenary-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def workers(app, db_url, tmp_path):
    group = Workers(2, db_url, REDIS_URL, channel()).start(tmp_path)
    yield group
    group.stop()


def phone_on(server, workshop):
    return LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")


def console_on(server, workshop):
    return LivePhone(server.url, workshop["id"], f"/f/{workshop['token']}", "facilitator")


def texts(client):
    return sorted(text for text, _votes in client.board()[2].values())


def test_an_idea_posted_on_one_worker_reaches_a_phone_on_the_other_within_a_second(
        app, workers):
    workshop = make_workshop(app, phase="collecting")
    first, second = phone_on(workers[0], workshop), phone_on(workers[1], workshop)
    try:
        first.connect()
        second.connect()
        for author, reader, text in ((second, first, "Shared testbeds for SMEs"),
                                     (first, second, "A cluster passport")):
            started = time.monotonic()
            assert author.call("idea.post", {"client_id": cid(), "text": text})["ok"]
            assert wait_until(lambda r=reader, t=text: t in texts(r), timeout=1.0), \
                f"{text!r} did not cross workers within a second"
            assert time.monotonic() - started < 1.0
        # Same versions on both workers: one log in the database.
        assert wait_until(lambda: first.board() == second.board())
    finally:
        first.disconnect()
        second.disconnect()


def test_two_hundred_votes_split_across_two_workers_tally_exactly_on_every_client(
        app, workers):
    workshop = make_workshop(app, phase="collecting")
    phones = [phone_on(workers[n % 2], workshop) for n in range(ATTENDEES)]
    consoles = [console_on(workers[0], workshop), console_on(workers[1], workshop)]
    clients = phones + consoles
    try:
        for ack in run_together([c.connect for c in clients]):
            assert not isinstance(ack, Exception) and ack["ok"], ack
        posted = [phones[n].call("idea.post", {"client_id": cid(), "text": f"Idea {n}"})
                  for n in range(IDEAS)]
        ids = [a["idea"]["id"] for a in posted]
        assert consoles[1].call("phase.set", {"client_id": cid(), "phase": "voting"})["ok"]
        assert wait_until(lambda: all(c.board()[1] == "voting" and len(c.board()[2]) == IDEAS
                                      for c in clients))

        # Every attendee spends 5 dots on 5 different ideas, all 200 votes at once.
        votes = [lambda p=p, i=i: p.call("vote.cast", {"client_id": cid(), "idea_id": i})
                 for n, p in enumerate(phones)
                 for i in (ids[(n + k) % IDEAS] for k in range(5))]
        acks = run_together(votes, timeout=120)
        refused = [a for a in acks if isinstance(a, Exception) or not a["ok"]]
        assert not refused, refused[:3]

        with app.app_context():
            truth = changes.tallies(workshop["id"], ids)
            db.session.remove()
        assert sum(truth.values()) == ATTENDEES * 5 == 200
        expected = {i: truth[i] for i in ids}
        assert wait_until(lambda: all({i: c.votes_of(i) for i in ids} == expected
                                      for c in clients), timeout=15), \
            [{i: c.votes_of(i) for i in ids} for c in clients if
             {i: c.votes_of(i) for i in ids} != expected][:2]
        # ...and every client holds the same board at the same version.
        assert wait_until(lambda: all(c.board() == consoles[0].board() for c in clients))
    finally:
        for client in clients:
            client.disconnect()


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed: cannot restart a private Redis")
    server = PrivateRedis(tmp_path).start()
    yield server
    server.kill()


def test_after_redis_restarts_both_workers_deliver_again(app, db_url, tmp_path, private_redis):
    group = Workers(2, db_url, private_redis.url, channel()).start(tmp_path)
    workshop = make_workshop(app, phase="collecting")
    on_first, on_second = phone_on(group[0], workshop), phone_on(group[1], workshop)
    try:
        on_first.connect()
        on_second.connect()
        assert on_second.call("idea.post", {"client_id": cid(), "text": "Before"})["ok"]
        assert wait_until(lambda: "Before" in texts(on_first), timeout=2)

        private_redis.kill()
        down = time.monotonic()
        # Meanwhile each worker still serves its own phones (the database is the truth).
        assert on_first.call("idea.post", {"client_id": cid(), "text": "During"})["ok"]
        assert wait_until(lambda: "During" in texts(on_first), timeout=2)
        # Down long enough for the workers' listeners to back off (stock python-socketio
        # would then wait 8 s before its next try, and up to 60 s after longer outages).
        time.sleep(max(0.0, OUTAGE - (time.monotonic() - down)))
        private_redis.start()
        restarted = time.monotonic()
        # The idea posted while Redis was down reaches the phone on the other worker with
        # no later change to reveal the gap: the reconnected worker asks its clients to sync.
        assert wait_until(lambda: "During" in texts(on_second), timeout=RECOVERY), \
            "a phone on the other worker missed what was posted while Redis was down"

        # Within a bounded time, an idea posted on either worker reaches the other one.
        for author, reader, name in ((on_first, on_second, "first to second"),
                                     (on_second, on_first, "second to first")):
            def crossed(author=author, reader=reader, name=name):
                text = f"After, {name}, {uuid.uuid4().hex[:6]}"
                assert author.call("idea.post", {"client_id": cid(), "text": text})["ok"]
                return wait_until(lambda: text in texts(reader), timeout=0.5)
            assert wait_until(crossed, timeout=RECOVERY, interval=0), \
                f"no delivery {name} within {RECOVERY} s after Redis came back " \
                f"(logs: {group[0].log_path}, {group[1].log_path})"
        print(f"both directions delivered {time.monotonic() - restarted:.1f} s after restart")
        assert wait_until(lambda: on_first.board() == on_second.board(), timeout=5)
    finally:
        on_first.disconnect()
        on_second.disconnect()
        group.stop()


def test_presence_counts_distinct_attendees_over_both_workers_and_forgets_a_crashed_one(
        app, db_url, tmp_path):
    group = Workers(2, db_url, REDIS_URL, channel(), PRESENCE_TTL="3").start(tmp_path)
    workshop = make_workshop(app, phase="collecting")
    ana, ben = phone_on(group[0], workshop), phone_on(group[0], workshop)
    cleo = phone_on(group[1], workshop)
    cleo_tablet = phone_on(group[0], workshop)  # Cleo again, in a second browser tab
    cleo_tablet.http.cookies.clear()
    cleo_tablet.http.cookies.update(cleo.http.cookies)
    screens = [LivePhone(server.url, workshop["id"], f"/p/{workshop['screen_token']}", "screen")
               for server in group.servers]
    everyone = [ana, ben, cleo, cleo_tablet] + screens

    def all_see(count, clients, timeout=5.0):
        return wait_until(lambda: all(c.connected == count for c in clients), timeout)

    try:
        for client in screens + [ana, ben, cleo]:
            client.connect()
        assert all_see(3, screens), [c.connected for c in everyone]
        cleo_tablet.connect()
        assert cleo_tablet.connected == 3  # the join ack counts both workers, Cleo once
        cleo_tablet.disconnect()
        ana.disconnect()
        assert all_see(2, screens), [c.connected for c in everyone]

        group[1].process.kill()  # worker 2 crashes: no disconnect handlers run
        assert all_see(1, [screens[0]], timeout=3 + 7), [screens[0].connected]
        assert ben.presence_seen == 0  # phones never show the count: not sent to them
    finally:
        for client in everyone:
            if client.sio.connected:
                client.disconnect()
        group.stop()


def test_a_clock_started_on_a_worker_that_then_crashes_still_reaches_zero(app, workers):
    workshop = make_workshop(app, phase="collecting")
    phone = phone_on(workers[0], workshop)
    console = console_on(workers[1], workshop)
    moved = None
    try:
        phone.connect()
        console.connect()
        started = console.call("clock.start", {"client_id": cid(), "seconds": 3, "advance": True})
        assert started["ok"], started
        workers[1].process.kill()  # the process that was waiting for zero is gone
        moved = console_on(workers[0], workshop)  # the console reconnects, to worker 1
        moved.connect()
        # At zero the workshop moves on to the next phase, and the phone hears it.
        assert wait_until(lambda: phone.board()[1] == "grouping", timeout=3 + 5), \
            phone.board()[1]
        assert wait_until(lambda: moved.board()[1] == "grouping")
    finally:
        phone.disconnect()
        for client in (console, moved):
            if client is not None and client.sio.connected:
                client.disconnect()


def test_replacing_a_link_on_one_worker_cuts_off_its_consoles_on_both(app, workers):
    """Revocation crosses workers: the organiser replaces the facilitator link through
    worker 2; consoles on both workers are told why and disconnected at once, the venue's
    projector link and the phones keep working, and the old link cannot come back."""
    workshop = make_workshop(app, phase="collecting")
    with app.app_context():
        accounts.create_organiser("ana@example.eu", "correct horse battery")
        db.session.commit()
    consoles = [console_on(server, workshop) for server in workers.servers]
    venue_pc = LivePhone(workers[0].url, workshop["id"], f"/p/{workshop['screen_token']}",
                         "screen")
    phone = phone_on(workers[0], workshop)
    everyone = consoles + [venue_pc, phone]
    try:
        for client in everyone:
            client.connect()
        assert consoles[0].call("phase.set", {"client_id": cid(), "phase": "voting"})["ok"]
        organiser = organiser_session(workers[1].url, "ana@example.eu", "correct horse battery")
        started = time.monotonic()
        replaced = post_form(organiser, workers[1].url, "/organiser",
                             f"/organiser/workshops/{workshop['id']}/rotate-link")
        assert replaced.status_code == 302
        assert wait_until(lambda: not any(c.sio.connected for c in consoles), timeout=3), \
            [c.sio.connected for c in consoles]
        assert time.monotonic() - started < 3
        message = {"error": "The facilitator link was replaced: ask the organiser for the new one."}
        assert [c.revoked for c in consoles] == [[message], [message]]
        assert venue_pc.sio.connected and phone.sio.connected
        assert phone.call("workshop.sync", {"since": 0})["ok"]
        assert venue_pc.call("workshop.sync", {"since": 0})["ok"]
        for server in workers.servers:  # the old link opens nothing, on either worker
            assert requests.get(f"{server.url}/f/{workshop['token']}", allow_redirects=False,
                                timeout=10).status_code == 404
            assert consoles[0].http.get(f"{server.url}/w/{workshop['code']}/console",
                                        timeout=10).status_code == 403
    finally:
        for client in everyone:
            if client.sio.connected:
                client.disconnect()
