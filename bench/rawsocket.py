"""A websocket that stops reading: the hostile projector of bench/flood.py.

aiohttp reads whatever arrives into its own buffers, so a client built on it cannot stop
reading. This one is a plain socket with a small receive buffer (SO_RCVBUF, set before
connecting so the TCP window stays small), the HTTP upgrade and Engine.IO/Socket.IO
handshake done by hand; after the join it pauses reading for good and only writes. Once
the server closes the connection (slow reader, budget, ping timeout), a write fails:
that is how it learns it was dropped.
"""
import asyncio
import base64
import json
import os
import socket
from urllib.parse import urlsplit


class Closed(ConnectionError):
    pass


def frame(text: str) -> bytes:
    """One masked text frame (clients must mask)."""
    payload = text.encode()
    n = len(payload)
    if n < 126:
        head = bytes([0x81, 0x80 | n])
    elif n < 65536:
        head = bytes([0x81, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x81, 0x80 | 127]) + n.to_bytes(8, "big")
    mask = os.urandom(4)
    key = (mask * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
    return head + mask + masked


class SilentSocket:
    def __init__(self, base_url: str, cookie: str | None, rcvbuf: int = 4096,
                 local_address: str | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookie, self.rcvbuf, self.local_address = cookie, rcvbuf, local_address
        self.reader = self.writer = None
        self.silent = False

    async def open(self, timeout: float = 10.0) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.rcvbuf)
        sock.setblocking(False)
        try:
            if self.local_address:
                sock.bind((self.local_address, 0))
            await asyncio.wait_for(asyncio.get_running_loop().sock_connect(
                sock, (self.host, self.port)), timeout)
        except BaseException:
            sock.close()
            raise
        self.reader, self.writer = await asyncio.open_connection(sock=sock)
        key = base64.b64encode(os.urandom(16)).decode()
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        self.writer.write((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{cookie}\r\n").encode())
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), timeout)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise Closed(f"upgrade refused: {head[:100]!r}")

    async def read_text(self, timeout: float = 10.0) -> str:
        """The next text message (answers pings on the way); only used before going silent."""
        while True:
            b0, b1 = await asyncio.wait_for(self.reader.readexactly(2), timeout)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(await self.reader.readexactly(2), "big")
            elif n == 127:
                n = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await asyncio.wait_for(self.reader.readexactly(n), timeout)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise Closed("closed by the server")
            if opcode == 0x1:
                text = payload.decode()
                if text == "2":  # Engine.IO ping
                    await self.send("3")
                    continue
                return text

    async def join(self, workshop_id: int, role: str = "screen", timeout: float = 10.0) -> dict:
        """Engine.IO open, Socket.IO connect, workshop.join; returns the join's ack."""
        if not (await self.read_text(timeout)).startswith("0"):
            raise Closed("no Engine.IO open packet")
        await self.send("40")
        while not (await self.read_text(timeout)).startswith("40"):
            pass
        await self.send("420" + json.dumps(["workshop.join", {
            "workshop_id": workshop_id, "role": role, "since": None}]))
        while True:
            text = await self.read_text(timeout)
            if text.startswith("430"):
                return json.loads(text[3:])[0]

    def go_silent(self) -> None:
        """Never read again: the kernel's small buffer fills, then the server's writes stall."""
        self.writer.transport.pause_reading()
        self.silent = True

    async def send(self, text: str, timeout: float = 5.0) -> None:
        if self.writer.transport.is_closing():
            raise Closed("connection lost")
        self.writer.write(frame(text))
        try:
            await asyncio.wait_for(self.writer.drain(), timeout)
        except (ConnectionError, OSError) as error:
            raise Closed(repr(error)) from error

    def close(self) -> None:
        if self.writer is not None:
            self.writer.transport.abort()
