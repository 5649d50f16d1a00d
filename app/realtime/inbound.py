"""The outer wall against message floods: a connection that sends too fast is not read.

The event budgets (budgets.py) answer each event with a clear ack, but only once Socket.IO
has decoded it. Earlier, extra messages were dropped here, still after eventlet had read
and unmasked each websocket frame in Python: a few clients writing without pause kept a
worker busy reading and discarding, and every honest phone in the room waited
(docs/PERFORMANCE.md, hostile load).

So the wall throttles by not reading. python-socketio runs the Engine.IO `message` handler
in the connection's own reader (Engine.IO's async_handlers is off; Socket.IO spawns the
event handlers itself), so when a connection has spent its budget (INBOUND_BURST messages
at once, then INBOUND_RATE a second) this wrapper sleeps until its next token is due before
passing the message on; the same for bytes (INBOUND_BYTES_BURST, then INBOUND_BYTES_RATE a
second), as large frames cost the server by size. Under eventlet, whose websocket reads a
frame only when asked, nothing then reads that socket: its kernel buffer fills and TCP flow
control stops the sender, at no cost to the server and no loss to the client (its messages
arrive late, in order). Under gevent and threading (simple-websocket reads ahead in a task
of its own) the messages over budget are dropped instead, as sleeping would only grow that
read-ahead.

A connection still over budget after INBOUND_STRIKES messages within STRIKE_WINDOW seconds
is flooding: its TCP connection is shut down, and its browser (the signed session cookie,
never the address: a venue puts every phone behind one) may not connect again for
INBOUND_HOLD_BACK seconds. An honest page sends a few messages a second at most (its outbox
after a reconnect: a few dozen at once) and is never throttled.

Hooked through python-engineio's public `on()`: the handlers python-socketio registered are
wrapped, once per app.
"""
import hashlib
import logging
import socket
import threading
import time

log = logging.getLogger(__name__)
STRIKE_WINDOW = 10.0
MAX_HELD_BROWSERS = 10_000  # memory bound on the hold-back list


class Connection:
    """One Engine.IO connection's budget: messages and bytes (token buckets), how often it
    was over them lately, and who it is (browser key, WSGI environ)."""
    __slots__ = ("messages", "bytes", "stamp", "throttled", "window", "browser", "environ")

    def __init__(self, burst: float, byte_burst: float, now: float, browser=None,
                 environ=None):
        self.messages, self.bytes, self.stamp = burst, byte_burst, now
        self.throttled, self.window = 0, now
        self.browser, self.environ = browser, environ


def cookie_value(header: str, name: str) -> str | None:
    """The value of the cookie `name` in a Cookie header (the first, as werkzeug's
    parse_cookie keeps it), without parsing every cookie into a MultiDict: that cost 3 % of
    a join burst's server time (docs/PERFORMANCE.md). Only a key for the hold-back: the
    session itself is read and verified by Flask."""
    if name not in header:
        return None
    for part in header.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == name:
            return value.strip().strip('"') or None
    return None


class InboundWall:
    def __init__(self, eio_server, burst: float, rate: float, strikes: int, hold_back: float,
                 cookie_name: str, byte_burst: float = 256 * 1024,
                 byte_rate: float = 64 * 1024, clock=time.monotonic):
        self.eio, self.burst, self.rate, self.strikes = eio_server, burst, rate, strikes
        self.byte_burst, self.byte_rate = byte_burst, byte_rate
        self.hold_back, self.cookie_name, self.clock = hold_back, cookie_name, clock
        self.lock = threading.Lock()
        self.state: dict = {}  # eio sid -> Connection
        # closed by the server, still open underneath: eio sid -> its socket (None: unknown)
        self.closed: dict = {}
        self.held: dict = {}  # browser key -> monotonic time until which it is refused
        self.on_connect = eio_server.handlers["connect"]
        self.on_message = eio_server.handlers["message"]
        self.on_disconnect = eio_server.handlers["disconnect"]
        eio_server.on("connect", self.connect)
        eio_server.on("message", self.message)
        eio_server.on("disconnect", self.disconnect)

    def browser_of(self, environ) -> str | None:
        cookie = cookie_value(environ.get("HTTP_COOKIE", ""), self.cookie_name)
        return hashlib.blake2b(cookie.encode(), digest_size=16).hexdigest() if cookie else None

    def connect(self, eio_sid, environ, *args):
        browser = self.browser_of(environ)
        now = self.clock()
        with self.lock:
            until = self.held.get(browser) if browser else None
            if until is not None and until <= now:
                del self.held[browser]
                until = None
            if until is None:
                self.state[eio_sid] = Connection(self.burst, self.byte_burst, now, browser,
                                                 environ)
        if until is not None:
            log.info("refusing a connection from a browser closed for flooding (%.0f s left)",
                     until - now)
            return False
        return self.on_connect(eio_sid, environ, *args)

    def message(self, eio_sid, data):
        if eio_sid not in self.eio.sockets:
            self._still_sending(eio_sid)
            return None
        now = self.clock()
        with self.lock:
            conn = self.state.get(eio_sid)
            if conn is None:
                conn = self.state[eio_sid] = Connection(self.burst, self.byte_burst, now)
            elapsed, conn.stamp = now - conn.stamp, now
            size = len(data if isinstance(data, (str, bytes)) else b"")
            messages = min(self.burst, conn.messages + elapsed * self.rate) - 1
            size_left = min(self.byte_burst, conn.bytes + elapsed * self.byte_rate) - size
            # until both are back above zero: the next message may then be read
            wait = max(-messages / self.rate if messages < 0 else 0.0,
                       -size_left / self.byte_rate if size_left < 0 else 0.0)
            flooding, environ = False, conn.environ
            if wait and not reads_on_demand(environ):  # dropped: it costs no tokens
                conn.messages, conn.bytes = messages + 1, size_left + size
            else:  # passed on now, or after the wait
                conn.messages, conn.bytes = messages, size_left
            if wait:
                if now - conn.window > STRIKE_WINDOW:
                    conn.throttled, conn.window = 0, now
                conn.throttled += 1
                flooding = conn.throttled > self.strikes
        if flooding:
            log.warning("closing %s: still over %g messages/s or %g bytes/s after %d messages "
                        "in %.0f s (INBOUND_RATE); its browser may reconnect in %.0f s",
                        eio_sid, self.rate, self.byte_rate, self.strikes, STRIKE_WINDOW,
                        self.hold_back)
            self.shut_out(eio_sid)
            return None
        if wait and reads_on_demand(environ):
            # Not reading this socket is the throttle: its sender blocks on a full window.
            self.eio.sleep(wait)
        elif wait:
            # Dropped; and since the next message is already buffered, yield to the others.
            self.eio.sleep(0)
            return None
        return self.on_message(eio_sid, data)

    def shut_out(self, eio_sid) -> None:
        """Close an abusive connection without waiting for it to read anything (its TCP
        connection first, so its reader stops; then its Engine.IO socket), and hold its
        browser back for INBOUND_HOLD_BACK seconds."""
        now = self.clock()
        with self.lock:
            conn = self.state.get(eio_sid)
            environ = conn.environ if conn else None
            if conn and conn.browser:
                self._hold_back(conn.browser, now)
        sock = raw_socket(environ)
        self._end(sock)
        engine_socket = self.eio.sockets.pop(eio_sid, None)
        if engine_socket is not None:
            try:
                engine_socket.close(wait=False, abort=True,
                                    reason=self.eio.reason.SERVER_DISCONNECT)
            except Exception:  # already going away
                log.debug("closing a flooding socket failed", exc_info=True)
        if sock is None:
            self._remember_closed(eio_sid, None)

    def _still_sending(self, eio_sid) -> None:
        """A message on a connection the server has closed: Engine.IO's reader goes on
        reading until the client hangs up, so end the TCP connection now; where the server
        does not say where it is, sleep, so the sender blocks (a tarpit)."""
        with self.lock:
            known = eio_sid in self.closed
            sock = self.closed.get(eio_sid)
            if sock is not None:  # ended once is enough; an unknown one stays a tarpit
                del self.closed[eio_sid]
        if sock is not None:
            self._end(sock)
        elif known:
            self.eio.sleep(max(self.hold_back, 1.0))

    @staticmethod
    def _end(sock) -> None:
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone

    def _remember_closed(self, eio_sid, sock) -> None:
        with self.lock:
            if len(self.closed) >= MAX_HELD_BROWSERS:
                self.closed.pop(next(iter(self.closed)))
            self.closed[eio_sid] = sock

    def _hold_back(self, browser: str, now: float) -> None:
        if len(self.held) >= MAX_HELD_BROWSERS:
            for key in [k for k, until in self.held.items() if until <= now]:
                del self.held[key]
            if len(self.held) >= MAX_HELD_BROWSERS:
                self.held.pop(next(iter(self.held)))
        self.held[browser] = now + self.hold_back

    def disconnect(self, eio_sid, *args):
        with self.lock:
            conn = self.state.pop(eio_sid, None)
        if args and args[0] == self.eio.reason.SERVER_DISCONNECT and conn and conn.environ:
            # Closed by the server (budget abuse, a revoked grant): should the client go on
            # sending, its reader is still reading; keep what ends it.
            self._remember_closed(eio_sid, raw_socket(conn.environ))
        return self.on_disconnect(eio_sid, *args)


def raw_socket(environ):
    """The client's TCP connection, where the WSGI server says (as simple-websocket finds it)."""
    environ = environ or {}
    for key in ("werkzeug.socket", "gunicorn.socket"):
        if environ.get(key) is not None:
            return environ[key]
    if "eventlet.input" in environ:
        return getattr(environ["eventlet.input"], "get_socket", lambda: None)()
    if environ.get("SERVER_SOFTWARE", "").startswith("gevent"):
        stream = environ.get("wsgi.input")
        stream = getattr(stream, "rfile", stream)
        return getattr(getattr(stream, "raw", None), "_sock", None)
    return None


def reads_on_demand(environ) -> bool:
    """True where a websocket frame is read only when Engine.IO asks for the next one
    (eventlet's websocket), so not asking stops reading. simple-websocket (gevent, threading)
    reads in a task of its own and buffers what Engine.IO has not taken yet: there, sleeping
    would only grow that buffer, so messages over budget are dropped instead."""
    return "eventlet.input" in (environ or {})


def limit_inbound(eio_server, config) -> InboundWall:
    return InboundWall(eio_server, config["INBOUND_BURST"], config["INBOUND_RATE"],
                       config["INBOUND_STRIKES"], config["INBOUND_HOLD_BACK"],
                       config["SESSION_COOKIE_NAME"], config["INBOUND_BYTES_BURST"],
                       config["INBOUND_BYTES_RATE"])
