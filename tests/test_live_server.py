"""The real server: wsgi.py (eventlet, file SQLite) in a subprocess, real websocket phones."""
import uuid

import pytest

from helpers import make_workshop
from live import LivePhone, LiveServer, run_together, wait_until

PHONES = 50


@pytest.fixture(params=["eventlet"])
def live(request, app, db_url, tmp_path):
    workshop = make_workshop(app, phase="collecting")
    server = LiveServer(db_url, async_mode=request.param).start(tmp_path)
    yield server, workshop
    server.stop()


def cid():
    return uuid.uuid4().hex


def test_fifty_phones_post_and_vote_at_once_and_every_tally_is_exact(live):
    server, workshop = live
    phones = [LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
              for _ in range(PHONES)]
    console = LivePhone(server.url, workshop["id"], f"/f/{workshop['token']}", "facilitator")
    try:
        for client in run_together([p.connect for p in phones] + [console.connect]):
            assert client["ok"], client
        posted = run_together([lambda p=p, n=n: p.call("idea.post", {
            "client_id": cid(), "text": f"Idea number {n} from the room"})
            for n, p in enumerate(phones)])
        assert all(a["ok"] for a in posted), [a for a in posted if not a["ok"]][:3]
        ids = sorted(a["idea"]["id"] for a in posted)
        assert wait_until(lambda: all(len(c.board()[2]) == PHONES for c in phones + [console]))

        assert console.call("phase.set", {"client_id": cid(), "phase": "voting"})["ok"]
        assert wait_until(lambda: all(p.board()[1] == "voting" for p in phones))
        target = ids[0]
        acks = run_together([lambda p=p: p.call("vote.cast", {"client_id": cid(),
                                                               "idea_id": target})
                             for p in phones])
        assert all(a["ok"] for a in acks), [a for a in acks if not a["ok"]][:3]
        assert wait_until(lambda: all(c.votes_of(target) == PHONES for c in phones + [console]))

        # One phone fires 20 votes at once on 20 ideas: it ends within its budget of 5.
        eager = phones[1]
        burst = run_together([lambda i=i: eager.call("vote.cast", {"client_id": cid(),
                                                                   "idea_id": i})
                              for i in ids[1:21]])
        accepted = [a for a in burst if a["ok"]]
        refused = [a for a in burst if not a["ok"]]
        # It had already spent one vote on the target idea: 4 more fit in a budget of 5.
        assert len(accepted) == 4 and len(refused) == 16
        assert all("used all 5" in a["error"] for a in refused)
        assert max(a["votes_used"] for a in accepted) == 5
        assert wait_until(lambda: sum(v for _t, v in console.board()[2].values()) == PHONES + 4)
        assert wait_until(lambda: all(p.board() == console.board() for p in phones))
    finally:
        for client in phones + [console]:
            client.disconnect()


@pytest.mark.parametrize("live", ["eventlet", "gevent", "threading"], indirect=True)
def test_phone_that_misses_updates_converges_after_reconnecting(live):
    """The same app under each async mode (a config value): a phone that was away catches up."""
    server, workshop = live
    phone, other = (LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
                    for _ in range(2))
    console = LivePhone(server.url, workshop["id"], f"/f/{workshop['token']}", "facilitator")
    try:
        for client in (phone, other, console):
            client.connect()
        queued_id = cid()
        first = phone.call("idea.post", {"client_id": queued_id, "text": "Before the tunnel"})
        assert wait_until(lambda: len(other.board()[2]) == 1)
        phone.disconnect()
        for n in range(5):
            assert other.call("idea.post", {"client_id": cid(), "text": f"Missed {n}"})["ok"]
        assert console.call("phase.set", {"client_id": cid(), "phase": "voting"})["ok"]
        idea_ids = sorted(other.board()[2])
        assert wait_until(lambda: len(other.board()[2]) == 6)
        for idea_id in idea_ids[:3]:
            assert other.call("vote.cast", {"client_id": cid(), "idea_id": idea_id})["ok"]
        assert wait_until(lambda: console.votes_of(idea_ids[2]) == 1)

        phone.sio = type(phone.sio)(reconnection=False)
        for name in ("idea.posted", "phase.changed", "settings.changed", "votes.tallied"):
            phone.sio.on(name, phone._on_delta)
        ack = phone.connect()
        assert ack["sync"]["mode"] == "deltas"
        # The write it was unsure about, resent with the same id: answered, applied once.
        again = phone.call("idea.post", {"client_id": queued_id, "text": "Before the tunnel"})
        assert again == first
        assert wait_until(lambda: phone.board() == other.board() == console.board())
        assert len(phone.board()[2]) == 6
    finally:
        for client in (phone, other, console):
            client.disconnect()


def test_huge_text_gets_a_clear_error_and_megabytes_close_only_that_socket(live):
    server, workshop = live
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    try:
        phone.connect()
        ack = phone.call("idea.post", {"client_id": cid(), "text": "x" * 100_000})
        assert ack == {"ok": False,
                       "error": "The idea is too long (100000 characters; at most 500)."}
        assert phone.call("idea.post", {"client_id": cid(), "text": "Still connected"})["ok"]
        assert wait_until(lambda: [t for t, _v in phone.board()[2].values()] == ["Still connected"])
        # 3 MB is no phone's message: the server reads no more than SOCKETIO_MAX_BUFFER of it
        # and closes that socket; the phone reconnects and everything is still there
        phone.sio.emit("idea.post", {"workshop_id": workshop["id"], "client_id": cid(),
                                     "text": "x" * 3_000_000})
        assert wait_until(lambda: not phone.sio.connected, timeout=5)
        phone.connect()
        assert [t for t, _v in phone.board()[2].values()] == ["Still connected"]
    finally:
        if phone.sio.connected:
            phone.disconnect()
