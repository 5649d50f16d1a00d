"""The direct fan-out (app/realtime/fanout.py): frames written straight to idle websockets.

What a screen relies on: every message arrives whole, once and in order, whether it went
straight to the socket or through its queue, and a screen that reads slowly holds up nobody
else. Checked on real sockets: a socket pair for the frame and the partial write, and a
live wsgi.py (eventlet and gevent) with raw websocket screens, one of them not reading.
"""
import json
import socket
import struct
import threading
import time
import uuid
import zlib

import pytest
from websocket import ABNF

from app.extensions import db
from app.models import Idea
from app.realtime.fanout import Outlet, Rest, text_frame
from helpers import make_workshop
from live import LivePhone, LiveServer, raw_screen, screen_cookie, wait_until


@pytest.mark.parametrize("text", ["42[\"idea.posted\",{}]", "x" * 125, "é" * 63, "y" * 126,
                                  "z" * 65535, "ü" * 40000, "w" * 70000])
def test_a_frame_is_what_a_websocket_library_builds(text):
    """Every length form of RFC 6455 (7-bit, 16-bit, 64-bit), counted in bytes, not
    characters, compared with websocket-client's own server-side (unmasked) frame."""
    expected = ABNF(1, 0, 0, 0, ABNF.OPCODE_TEXT, 0, text.encode()).format()
    assert text_frame(text) == expected


class Plain:
    """A websocket stand-in over a real socket, as eventlet's frames and sends."""

    def __init__(self, sock):
        self.socket = sock
        self.version = 13

    def send(self, message):
        self.socket.sendall(text_frame(message))


def small_pair():
    server, client = socket.socketpair()
    for sock in (server, client):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    server.settimeout(5)
    return server, client


def read_exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "closed early"
        data += chunk
    return data


def test_what_the_kernel_does_not_take_is_left_to_send_whole_and_first():
    server, client = small_pair()
    outlet = Outlet(Plain(server), server)
    big = text_frame("a" * 300_000)
    rest = outlet.write_now(big)
    assert rest and len(rest) < len(big)  # the kernel took part, and nothing waited
    assert server.gettimeout() == 5  # the socket is as it was
    later = "after"
    writer = threading.Thread(target=lambda: (outlet.send(Rest(rest)), outlet.send(later)))
    writer.start()
    assert read_exactly(client, len(big)) == big
    assert read_exactly(client, len(text_frame(later))) == text_frame(later)
    writer.join(5)
    server.close(), client.close()


def test_no_direct_write_while_another_write_is_under_way():
    server, client = small_pair()
    outlet = Outlet(Plain(server), server)
    big = "b" * 300_000
    writer = threading.Thread(target=outlet.send, args=(big,))  # blocks: nobody reads yet
    writer.start()
    assert wait_until(lambda: outlet._lock.locked(), timeout=5)
    assert outlet.write_now(text_frame("cut in")) is None  # refused: the caller queues it
    assert read_exactly(client, len(text_frame(big))) == text_frame(big)  # not cut into
    writer.join(5)
    assert outlet.write_now(text_frame("now")) == b""
    assert read_exactly(client, len(text_frame("now"))) == text_frame("now")
    server.close(), client.close()


def read_messages(ws, posted: int, asked: set, deadline: float):
    """Socket.IO messages until `posted` ideas and every asked-for ack have come; answers
    the server's pings. Returns the ideas' versions in arrival order and the acks' ids."""
    versions, acks = [], set()
    while (len(versions) < posted or acks != asked) and time.monotonic() < deadline:
        message = ws.recv()
        if message == "2":
            ws.send("3")
        elif message.startswith("42["):
            name, payload = json.loads(message[2:])[:2]
            if name == "idea.posted":
                versions.append(payload["version"])
        elif message.startswith("43"):
            ack_id = int(message[2:message.index("[")])
            ack = json.loads(message[message.index("["):])[0]
            assert ack["ok"], ack
            acks.add(ack_id)
    return versions, acks


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_every_screen_gets_every_message_whole_and_in_order(app, db_url, tmp_path, async_mode):
    """Twelve screens read along while a phone posts 80 long ideas; a thirteenth, with a
    4 KB receive buffer, reads nothing until the end and meanwhile asks for nine snapshots
    of a 600 KB board (5.6 MB: more than the kernel buffers, 4 MB at most, so one is cut
    mid-frame). Everyone gets
    every idea in version order, the slow screen its snapshots too, and the posts never
    wait for the slow screen."""
    workshop = make_workshop(app, phase="collecting")
    with app.app_context():
        db.session.add_all([Idea(workshop_id=workshop["id"], text=f"{n} " + "x" * 4000)
                            for n in range(150)])
        db.session.commit()
    server = LiveServer(  # snapshots too go straight to the socket here (16 K by default)
        db_url, async_mode, SOCKET_MAX_BACKLOG="100000", DIRECT_FANOUT_MAX_CHARS="10000000",
        SOCKET_BUDGETS=json.dumps({"snapshot": [10, 1.0], "post": [1000, 100]})).start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    readers, slow = [], None
    try:
        phone.connect()
        readers = [raw_screen(server.url, workshop, timeout=20) for _ in range(12)]
        slow = raw_screen(server.url, workshop, rcvbuf=4096, timeout=20)
        asked = set(range(11, 20))
        for ack_id in sorted(asked):
            slow.send(f"42{ack_id}" + json.dumps(["workshop.sync", {
                "workshop_id": workshop["id"], "since": None}]))
        results = [None] * len(readers)

        def read(index):
            results[index] = read_messages(readers[index], 80, set(), time.monotonic() + 60)

        threads = [threading.Thread(target=read, args=(i,)) for i in range(len(readers))]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        for n in range(80):
            ack = phone.call("idea.post", {"client_id": uuid.uuid4().hex,
                                           "text": f"Idea {n}: " + "long text " * 40})
            assert ack["ok"], ack
        took = time.monotonic() - started
        for thread in threads:
            thread.join(70)
        first = results[0][0]
        assert len(first) == 80 and first == sorted(first) and len(set(first)) == 80
        assert all(result == (first, set()) for result in results), "a screen differs"
        assert took < 30, f"80 posts took {took:.1f} s"
        versions, acks = read_messages(slow, 80, asked, time.monotonic() + 60)
        assert versions == first and acks == asked
        assert wait_until(lambda: len(phone.ideas) == 230, timeout=10)
    finally:
        phone.disconnect()
        for ws in readers + [slow]:
            if ws is not None:
                ws.close()
        server.stop()


class DeflateScreen:
    """A raw websocket with the projector's cookie that offers permessage-deflate as
    browsers do; it reads frames itself to see which came compressed (RSV1)."""

    def __init__(self, base_url, workshop):
        host, port = base_url.split("//")[1].split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=20)
        self.sock.sendall((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate\r\n"
            f"Cookie: session={screen_cookie(base_url, workshop)}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head and b"permessage-deflate" in head.lower(), head
        self.inflate = zlib.decompressobj(-15)  # the server keeps its context: one for all

    def frame(self):
        """(compressed?, text) of the next message."""
        first, second = read_exactly(self.sock, 2)
        size = second & 0x7F
        if size == 126:
            size = struct.unpack("!H", read_exactly(self.sock, 2))[0]
        elif size == 127:
            size = struct.unpack("!Q", read_exactly(self.sock, 8))[0]
        payload = read_exactly(self.sock, size)
        compressed = bool(first & 0x40)
        if compressed:
            payload = self.inflate.decompress(payload + b"\x00\x00\xff\xff")
        return compressed, payload.decode()

    def send(self, text):
        data = text.encode()  # a client masks its frames: a zero mask leaves them as they are
        assert len(data) < 126
        self.sock.sendall(bytes((0x81, 0x80 | len(data))) + b"\0\0\0\0" + data)


def test_a_browser_that_asks_for_compression_still_gets_its_snapshot_compressed(
        app, db_url, tmp_path):
    """Room messages are one plain frame for every socket (small: 16 K characters at most);
    a join's 600 KB snapshot still goes compressed to a browser that negotiated it."""
    workshop = make_workshop(app, phase="collecting")
    with app.app_context():
        db.session.add_all([Idea(workshop_id=workshop["id"], text=f"{n} " + "x" * 4000)
                            for n in range(150)])
        db.session.commit()
    server = LiveServer(db_url).start(tmp_path)
    phone = LivePhone(server.url, workshop["id"], f"/j/{workshop['code']}")
    screen = None
    try:
        screen = DeflateScreen(server.url, workshop)
        assert screen.frame()[1].startswith("0{")  # Engine.IO open
        screen.send("40")
        compressed, text = screen.frame()
        assert text.startswith("40{") and not compressed
        screen.send("421" + json.dumps(["workshop.join", {"workshop_id": workshop["id"],
                                                           "role": "screen"}]))
        compressed, text = screen.frame()
        assert text.startswith("431[") and compressed, (compressed, text[:40])
        assert len(json.loads(text[3:])[0]["sync"]["snapshot"]["ideas"]) == 150
        phone.connect()
        assert phone.call("idea.post", {"client_id": uuid.uuid4().hex, "text": "Plain"})["ok"]
        compressed, text = screen.frame()
        while not text.startswith('42["idea.posted"'):  # presence and the like come first
            compressed, text = screen.frame()
        assert not compressed and json.loads(text[2:])[1]["data"]["idea"]["text"] == "Plain"
    finally:
        phone.disconnect()
        if screen is not None:
            screen.sock.close()
        server.stop()
