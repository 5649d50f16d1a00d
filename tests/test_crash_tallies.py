"""A crash cannot leave wrong tallies: wsgi.py is killed with SIGKILL while phones vote,
after every vote was acknowledged but before its coalesced `votes.tallied` went out. After
the restart, phones that rejoin by version must show exactly what the database says."""
import signal
import uuid

from app.extensions import db
from app.models import Idea, PendingTally
from app.services import changes
from helpers import make_workshop
from live import LivePhone, LiveServer, wait_until

PHONES, IDEAS = 6, 3


def cid():
    return uuid.uuid4().hex


def database_tallies(app, workshop_id):
    with app.app_context():
        totals = changes.tallies(workshop_id)
        db.session.remove()
        return totals


def test_votes_acked_before_a_sigkill_reach_every_phone_after_the_restart(app, db_url,
                                                                         tmp_path):
    workshop = make_workshop(app, phase="voting")
    with app.app_context():
        ideas = [Idea(workshop_id=workshop["id"], text=f"Idea {n}") for n in range(IDEAS)]
        db.session.add_all(ideas)
        db.session.commit()
        idea_ids = [idea.id for idea in ideas]
    # A long tally interval: after the first flush, the next ones wait in this process's
    # memory, which the kill throws away.
    server = LiveServer(db_url, TALLY_INTERVAL="60").start(tmp_path)
    phones = [LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
              for _ in range(PHONES)]
    try:
        for phone in phones:
            phone.connect()
        for n, phone in enumerate(phones):
            for vote in range(3):
                ack = phone.call("vote.cast", {"client_id": cid(),
                                               "idea_id": idea_ids[(n + vote) % IDEAS]})
                assert ack["ok"], ack
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
    finally:
        for phone in phones:
            if phone.sio.connected:
                phone.disconnect()
        server.stop()
    truth = database_tallies(app, workshop["id"])
    assert sum(truth.values()) == PHONES * 3  # every acked vote was stored
    shown = {i: phones[0].votes_of(i) for i in idea_ids}
    assert shown != truth, "the kill came too late to test anything"
    with app.app_context():
        assert db.session.query(PendingTally).count() > 0  # left behind by the crash

    restarted = LiveServer(db_url).start(tmp_path)
    try:
        again = []
        for phone in phones:  # the same browsers rejoin from the version they had
            back = LivePhone(restarted.url, workshop["id"], f"/j/{workshop['code']}")
            back.http.cookies.clear()
            back.http.cookies.update(phone.http.cookies)
            back.version, back.ideas, back.phase = phone.version, phone.ideas, phone.phase
            again.append(back)
        for phone in again:
            phone.connect()

        def converged():
            return all({i: p.votes_of(i) for i in idea_ids} == truth for p in again)
        assert wait_until(converged, timeout=10), [
            {i: p.votes_of(i) for i in idea_ids} for p in again] + [truth]
        with app.app_context():
            assert db.session.query(PendingTally).count() == 0
    finally:
        for phone in again:
            if phone.sio.connected:
                phone.disconnect()
        restarted.stop()
