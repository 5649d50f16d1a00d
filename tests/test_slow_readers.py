"""A socket that stops reading cannot grow the server or slow the room: against wsgi.py, a
projector socket that never reads while it asks for snapshots and the room keeps posting is
closed once SOCKET_MAX_BACKLOG packets wait for it; honest phones notice nothing."""
import json
import socket
import time
import uuid

import websocket

from app.extensions import db
from app.models import Idea
from helpers import make_workshop
from live import LivePhone, LiveServer, wait_until

BACKLOG = 40


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def silent_projector(base_url: str, workshop: dict):
    """A raw Engine.IO/Socket.IO websocket with a tiny receive buffer, joined as screen."""
    import requests
    http = requests.Session()
    http.get(f"{base_url}/p/{workshop['screen_token']}", allow_redirects=False, timeout=10)
    ws = websocket.create_connection(
        base_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: session={http.cookies['session']}"],
        sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),), timeout=10)
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40")
    assert ws.recv().startswith("40")  # Socket.IO connected
    ws.send("420" + json.dumps(["workshop.join", {"workshop_id": workshop["id"],
                                                  "role": "screen"}]))
    assert '"ok":true' in ws.recv()
    return ws


def drained_to_the_end(ws, timeout: float) -> bool:
    """Read everything the server still sends; True if it closed the connection."""
    ws.settimeout(timeout)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if ws.recv() in ("", None):
                return True
    except websocket.WebSocketConnectionClosedException:
        return True
    except (websocket.WebSocketTimeoutException, socket.timeout):
        return False
    return False


def test_a_socket_that_never_reads_is_dropped_and_the_room_stays_live(app, db_url, tmp_path):
    workshop = make_workshop(app, phase="collecting")
    with app.app_context():  # a heavy board (long texts): every snapshot is some 600 KB,
        # so what it asks for is more than the kernel's buffers hold on loopback
        db.session.add_all([Idea(workshop_id=workshop["id"], text=f"{n} " + "x" * 4000)
                            for n in range(150)])
        db.session.commit()
    server = LiveServer(db_url, SOCKET_MAX_BACKLOG=str(BACKLOG)).start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    watcher = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    slow = None
    try:
        phone.connect()
        watcher.connect()
        slow = silent_projector(server.url, workshop)
        before = rss_kb(server.process.pid)
        for n in range(10):  # snapshots it will never read (its budget allows ten at once)
            slow.send(f"42{n + 1}" + json.dumps(["workshop.sync", {
                "workshop_id": workshop["id"], "since": None}]))
        started = time.monotonic()
        for n in range(BACKLOG + 20):  # the room goes on: every post is one more packet
            ack = phone.call("idea.post", {"client_id": uuid.uuid4().hex,
                                           "text": f"Honest idea {n}"})
            assert ack["ok"], ack
        took = time.monotonic() - started
        assert wait_until(lambda: len(watcher.ideas) == 150 + BACKLOG + 20, timeout=10)
        assert took < 30, f"{BACKLOG + 20} posts took {took:.1f} s"
        assert drained_to_the_end(slow, timeout=10), "the silent socket was never closed"
        grown = rss_kb(server.process.pid) - before
        assert grown < 30_000, f"the server grew by {grown} KB"
        assert "packets unread" in server.log_path.read_text()
    finally:
        for client in (phone, watcher):
            if client.sio.connected:
                client.disconnect()
        if slow is not None:
            slow.close()
        server.stop()


def test_a_message_flood_is_dropped_before_decoding_and_then_closed(app, db_url, tmp_path):
    """Thousands of messages a second from one connection: the extra ones are dropped
    before Socket.IO decodes them, the connection is closed, honest phones go on."""
    workshop = make_workshop(app, phase="collecting")
    server = LiveServer(db_url).start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    watcher = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    flooder = None
    try:
        phone.connect()
        watcher.connect()
        flooder = silent_projector(server.url, workshop)
        junk = "42" + json.dumps(["workshop.sync", {"workshop_id": workshop["id"],
                                                    "since": 0}])
        sent = 0
        try:
            for _ in range(5_000):
                flooder.send(junk)
                sent += 1
        except (websocket.WebSocketConnectionClosedException, BrokenPipeError,
                ConnectionResetError):
            pass
        started = time.monotonic()
        for n in range(10):
            assert phone.call("idea.post", {"client_id": uuid.uuid4().hex,
                                            "text": f"Honest idea {n}"})["ok"]
        assert wait_until(lambda: len(watcher.ideas) == 10, timeout=10)
        assert time.monotonic() - started < 10
        assert drained_to_the_end(flooder, timeout=10), f"{sent} sent, still connected"
        log = server.log_path.read_text()
        assert "INBOUND_RATE" in log and "Traceback" not in log
    finally:
        for client in (phone, watcher):
            if client.sio.connected:
                client.disconnect()
        if flooder is not None:
            flooder.close()
        server.stop()
