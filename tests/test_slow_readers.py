"""A socket that stops reading cannot grow the server or slow the room: against wsgi.py, a
projector socket that never reads while it asks for snapshots and the room keeps posting is
closed once SOCKET_MAX_BACKLOG packets wait for it; honest phones notice nothing."""
import json
import socket
import threading
import time
import uuid

import pytest
import websocket

from app.extensions import db
from app.models import Idea
from helpers import make_workshop
from live import LivePhone, LiveServer, raw_screen, wait_until

BACKLOG = 40


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def silent_projector(base_url: str, workshop: dict):
    """A raw Engine.IO/Socket.IO websocket with a tiny receive buffer, joined as screen."""
    return raw_screen(base_url, workshop, rcvbuf=4096)


def drained_to_the_end(ws, timeout: float) -> bool:
    """Read everything the server still sends; True if it closed the connection."""
    ws.settimeout(timeout)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if ws.recv() in ("", None):
                return True
    except (websocket.WebSocketTimeoutException, socket.timeout):
        return False
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return True
    return False


def test_a_socket_that_never_reads_is_dropped_and_the_room_stays_live(app, db_url, tmp_path):
    workshop = make_workshop(app, phase="collecting")
    with app.app_context():  # a heavy board (long texts): every snapshot is some 600 KB,
        # so what it asks for is more than the kernel's buffers hold on loopback
        db.session.add_all([Idea(workshop_id=workshop["id"], text=f"{n} " + "x" * 4000)
                            for n in range(150)])
        db.session.commit()
    server = LiveServer(db_url, SOCKET_MAX_BACKLOG=str(BACKLOG), SOCKET_BUDGETS=json.dumps(
        {"snapshot": [10, 1.0], "post": [1000, 100]})).start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    watcher = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    slow = None
    try:
        phone.connect()
        watcher.connect()
        slow = silent_projector(server.url, workshop)
        before = rss_kb(server.process.pid)
        for n in range(10):  # snapshots it will never read (its budget here: ten at once)
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


def flood(ws, message: str, seconds: float) -> int:
    """Send `message` without pause until the server closes the socket or time is up."""
    sent, deadline = 0, time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ws.send(message)
            sent += 1
    except (websocket.WebSocketException, OSError):
        pass
    return sent


def open_socket(base_url: str, cookie: str):
    return websocket.create_connection(
        base_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: session={cookie}"], timeout=10)


def test_a_message_flood_is_not_read_then_closed_and_held_back(app, db_url, tmp_path):
    """A connection writing without pause: past its budget the server stops reading it
    (the sender blocks), honest phones go on meanwhile, and a connection that keeps it up
    is closed and its browser may not connect again for a while; other browsers can."""
    import requests
    workshop = make_workshop(app, phase="collecting")
    server = LiveServer(db_url, INBOUND_HOLD_BACK="60").start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    watcher = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    flooder = None
    try:
        phone.connect()
        watcher.connect()
        flooder = silent_projector(server.url, workshop)
        junk = "42" + json.dumps(["no.such.event", {"pad": "x" * 200}])  # no event budget
        result = {}
        worker = threading.Thread(target=lambda: result.update(sent=flood(flooder, junk, 30)))
        worker.start()
        slowest = 0.0
        for n in range(10):
            started = time.monotonic()
            assert phone.call("idea.post", {"client_id": uuid.uuid4().hex,
                                            "text": f"Honest idea {n}"})["ok"]
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.3)
        assert wait_until(lambda: len(watcher.ideas) == 10, timeout=10)
        assert slowest < 3, f"an honest post waited {slowest:.1f} s for its ack"
        worker.join(timeout=40)
        assert not worker.is_alive() and result["sent"] < 10_000_000
        assert drained_to_the_end(flooder, timeout=10), "the flooder was never closed"
        log = server.log_path.read_text()
        assert "INBOUND_RATE" in log and "Traceback" not in log
        # the same browser is held back; a phone next to it connects as usual
        with pytest.raises(websocket.WebSocketBadStatusException):
            open_socket(server.url, flooder.session_cookie)
        fresh = open_socket(server.url, requests.Session().get(
            f"{server.url}/j/{workshop['code']}", timeout=10).cookies["session"])
        assert fresh.recv().startswith("0")
        fresh.close()
        assert phone.call("idea.post", {"client_id": uuid.uuid4().hex,
                                        "text": "After the flood"})["ok"]
    finally:
        for client in (phone, watcher):
            if client.sio.connected:
                client.disconnect()
        if flooder is not None:
            flooder.close()
        server.stop()
