"""Fan-out: each message framed once, written straight to every websocket that is idle.

python-engineio gives every packet for every socket to that socket's queue, where a writer
task of its own (one green thread per connection) wakes up, frames the packet and writes it.
For one idea sent to a room of 3,000 phones that is 3,000 queue puts, 3,000 green-thread
switches and 3,000 websocket frames built, one after the other: the time between the first
screen and the last (docs/PERFORMANCE.md, issue 16).

Here, under eventlet or gevent, a packet is framed once (python-socketio's broadcast hands
one Engine.IO packet object to every recipient; the frame is kept on it) and written at
once, without waiting, to each websocket that is idle: nothing in its queue and no write of
its writer under way (both take the connection's lock). If the kernel takes only part of
the frame (a slow reader), the rest goes into that socket's queue, ahead of anything later,
and its packets take the queue, as before, until it has drained: every socket gets its
packets whole and in order, and a reader that stops reading still meets SOCKET_MAX_BACKLOG
(backpressure.py). Acks and one-socket sends use the same path. Messages over
DIRECT_FANOUT_MAX_CHARS (16 K: snapshots, large acks) do not: a frame written once to many
sockets cannot be compressed per connection, while eventlet's websocket compresses when the
browser asks (permessage-deflate), which counts for a 100 KB snapshot on venue Wi-Fi and
little for a 400-byte idea (under gevent every frame is plain: see Outlet.around). Polling
clients, upgrades in progress, closed sockets and the threading mode (where threads preempt
each other between the check and the write) take python-engineio's path unchanged.

Two hooks, once per app: the Engine.IO server's send_packet (as backpressure.py), and the
websocket class it builds per connection, so that each connection's websocket is known and
its writer's sends take the connection's lock.
"""
import struct
import threading

from engineio import packet as eio_packet

GREEN_MODES = ("eventlet", "gevent")
FRAME = "_plenary_frame"  # attribute of an Engine.IO packet: its websocket frame, once built


def text_frame(text: str) -> bytes:
    """A final, unmasked websocket text frame (RFC 6455 5.2): what a server sends."""
    data = text.encode()
    size = len(data)
    if size < 126:
        header = struct.pack("!BB", 0x81, size)
    elif size < 65536:
        header = struct.pack("!BBH", 0x81, 126, size)
    else:
        header = struct.pack("!BBQ", 0x81, 127, size)
    return header + data


def frame_of(pkt, max_chars: int) -> bytes | None:
    """The packet's frame, built the first time any recipient needs it; None for packets
    this path leaves to python-engineio: binary ones, and text over `max_chars`."""
    frame = pkt.__dict__.get(FRAME)
    if frame is None:
        if pkt.packet_type != eio_packet.MESSAGE or pkt.binary or len(pkt.data) > max_chars:
            frame = b""
        else:
            frame = text_frame(pkt.encode())
        setattr(pkt, FRAME, frame)
    return frame or None


class Rest(bytes):
    """The part of a frame the kernel did not take: the writer sends it as it is."""


class RestPacket:
    """Queued ahead of anything later for the socket's own writer, which writes
    `ws.send(pkt.encode())`."""
    __slots__ = ("rest",)

    def __init__(self, rest: bytes):
        self.rest = Rest(rest)

    def encode(self, b64=False):
        return self.rest


class Outlet:
    """One websocket connection as its Engine.IO handler sees it (every attribute is the
    websocket's), with one lock over every write: its writer's and the direct ones."""

    def __init__(self, ws, raw, frames_text: bool = False):
        self._ws, self._raw, self._frames_text = ws, raw, frames_text
        self._lock = threading.Lock()  # green under eventlet and gevent (monkey-patched)

    @classmethod
    def around(cls, ws):
        """An Outlet for a websocket this module knows how to frame for: eventlet's RFC 6455
        websocket, or simple-websocket's (gevent without gevent-websocket), whose own send
        writes a frame with one `socket.send` and drops what the kernel did not take (a
        slow reader then gets a broken stream): the Outlet frames text itself and writes
        it whole. None for any other websocket."""
        inner = getattr(ws, "ws", None)
        if inner is not None and hasattr(inner, "sock"):
            return cls(ws, inner.sock, frames_text=True)
        if getattr(ws, "version", None) in (8, 13) and hasattr(ws, "socket"):
            return cls(ws, ws.socket)
        return None

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def send(self, message):
        with self._lock:
            if isinstance(message, Rest):
                return self._raw.sendall(message)
            if self._frames_text and isinstance(message, str):
                return self._raw.sendall(text_frame(message))
            return self._ws.send(message)

    def wait(self):
        return self._ws.wait()

    def close(self):
        return self._ws.close()

    def write_now(self, frame: bytes) -> bytes | None:
        """Write the frame without waiting, if no other write is under way. Returns None if
        it could not start (the caller queues the packet), else what is left of the frame
        (b"" when the kernel took it all)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            raw = self._raw
            timeout = raw.gettimeout()
            raw.settimeout(0.0)
            try:
                sent = raw.send(frame)
            except (BlockingIOError, InterruptedError, TimeoutError):
                sent = 0
            finally:
                raw.settimeout(timeout)
        except OSError:  # the peer has gone: the writer and the reader find out and close
            return None
        finally:
            self._lock.release()
        return frame[sent:]


def websocket_class(base):
    """python-engineio's websocket class for the async mode, building each connection's
    handler an Outlet around its websocket and keeping it on the Engine.IO socket."""

    def build(handler, server):
        engineio_socket = handler.__self__

        def handle(ws):
            outlet = Outlet.around(ws)
            if outlet is None:
                return handler(ws)
            engineio_socket.plenary_outlet = outlet
            try:
                return handler(outlet)
            finally:
                engineio_socket.plenary_outlet = None

        return base(handle, server)

    return build


def send_directly(eio_server, max_chars: int) -> bool:
    """Install the direct path on this app's Engine.IO server, for messages of up to
    `max_chars` characters; False (and nothing changed) in the threading mode or where the
    server has no websockets."""
    if eio_server.async_mode not in GREEN_MODES or not eio_server._async.get("websocket"):
        return False
    # the driver's table is shared by every server in the process: this server gets a copy
    eio_server._async = dict(eio_server._async,
                             websocket=websocket_class(eio_server._async["websocket"]))
    send_packet = eio_server.send_packet
    sockets = eio_server.sockets

    def send(sid, pkt):
        socket = sockets.get(sid)
        outlet = getattr(socket, "plenary_outlet", None)
        if outlet is None or socket.closed or socket.closing or socket.upgrading \
                or not socket.upgraded or not socket.queue.empty():
            return send_packet(sid, pkt)
        frame = frame_of(pkt, max_chars)
        if frame is None:
            return send_packet(sid, pkt)
        if not socket.check_ping_timeout():  # gone quiet: now closing, as Socket.send does
            return None
        rest = outlet.write_now(frame)
        if rest is None:
            return send_packet(sid, pkt)
        if rest:
            socket.queue.put(RestPacket(rest))
        return None

    eio_server.send_packet = send
    return True
