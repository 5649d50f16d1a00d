"""The inbound wall's rules, one connection at a time, on a stand-in Engine.IO server whose
clock and sleep the test controls (the live behaviour is in test_slow_readers.py): over its
rate a connection under eventlet waits (is not read) and loses nothing, elsewhere its extra
messages are dropped; a flood is closed and its browser held back for a while, others not."""
import pytest

from werkzeug.http import parse_cookie

from app.realtime.inbound import MAX_HELD_BROWSERS, InboundWall, cookie_value

class Connection:
    """What eventlet's server puts in the environ: the input, and under it the socket."""
    def __init__(self):
        self.shut = False

    def get_socket(self):
        return self

    def shutdown(self, _how):
        self.shut = True


EVENTLET = {"eventlet.input": object()}  # a server that does not say where the socket is


class FakeEngineIO:
    class reason:
        SERVER_DISCONNECT = "server disconnect"

    def __init__(self, clock):
        self.clock = clock
        self.delivered, self.connected, self.slept, self.closed = [], [], [], []
        self.sockets = {}
        self.handlers = {"connect": self.connected_handler,
                         "message": lambda sid, data: self.delivered.append((sid, data)),
                         "disconnect": lambda sid, *args: None}

    def connected_handler(self, sid, environ, *args):
        self.connected.append(sid)
        self.sockets[sid] = FakeSocket(sid, self.closed)
        return True

    def on(self, event, handler):
        self.handlers[event] = handler

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.clock.now += seconds


class FakeSocket:
    def __init__(self, sid, closed):
        self.sid, self.closed_list = sid, closed

    def close(self, **_kwargs):
        self.closed_list.append(self.sid)


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def wall_with(burst=5, rate=10.0, strikes=20, hold_back=30.0):
    clock = Clock()
    eio = FakeEngineIO(clock)
    wall = InboundWall(eio, burst, rate, strikes, hold_back, "session", clock=clock)
    return wall, eio, clock


def environ_for(cookie=None, server=EVENTLET):
    return {**server, **({"HTTP_COOKIE": f"session={cookie}"} if cookie else {})}


def test_over_its_rate_an_eventlet_connection_waits_and_loses_nothing():
    wall, eio, _clock = wall_with(burst=5, rate=10.0, strikes=100)
    wall.connect("a", environ_for("phone-a"))
    for n in range(12):
        wall.message("a", n)
    assert [data for _sid, data in eio.delivered] == list(range(12))  # all, in order
    assert eio.slept[:0] == [] and len(eio.slept) == 7  # the 6th message on waited
    assert all(s == pytest.approx(0.1) for s in eio.slept)  # one token due every 0.1 s


def test_where_the_server_reads_ahead_the_extra_messages_are_dropped():
    wall, eio, clock = wall_with(burst=5, rate=10.0, strikes=100)
    wall.connect("g", {"SERVER_SOFTWARE": "gevent/26", "HTTP_COOKIE": "session=x"})
    for n in range(12):
        wall.message("g", n)
    assert [data for _sid, data in eio.delivered] == [0, 1, 2, 3, 4]
    assert eio.slept == [0] * 7  # each drop yields to the other connections
    clock.now += 0.1  # a dropped message cost nothing: one token later, it is heard again
    wall.message("g", "later")
    assert eio.delivered[-1] == ("g", "later")


def test_a_flood_is_closed_and_its_browser_held_back_but_not_its_neighbours():
    wall, eio, clock = wall_with(burst=5, rate=10.0, strikes=20, hold_back=30.0)
    connection = Connection()
    wall.connect("flood", environ_for("browser-1", {"eventlet.input": connection}))
    wall.connect("honest", environ_for("browser-2"))
    for n in range(5 + 21):
        wall.message("flood", n)
    assert eio.closed == ["flood"] and "flood" not in eio.sockets
    assert connection.shut  # its TCP connection, so that nothing reads it any more
    assert len(eio.delivered) == 5 + 20  # the one that tipped it over was not passed on
    assert wall.connect("again", environ_for("browser-1")) is False
    assert wall.connect("neighbour", environ_for("browser-3")) is True
    wall.message("honest", "still heard")
    assert eio.delivered[-1] == ("honest", "still heard")
    clock.now += 31
    assert wall.connect("later", environ_for("browser-1")) is True  # held back, not banned


def test_a_closed_connection_that_keeps_sending_is_not_heard():
    wall, eio, _clock = wall_with(burst=2, rate=10.0, strikes=3)
    wall.connect("flood", environ_for("browser-1"))
    for n in range(2 + 4):
        wall.message("flood", n)
    heard = len(eio.delivered)
    wall.message("flood", "after the close")
    assert len(eio.delivered) == heard
    # no server connection to shut down in this stand-in: the reader is made to wait long
    assert eio.slept[-1] == 30.0


def test_the_hold_back_list_has_a_memory_bound():
    wall, _eio, clock = wall_with()
    for n in range(MAX_HELD_BROWSERS + 50):
        wall._hold_back(f"browser-{n}", clock())
    assert len(wall.held) <= MAX_HELD_BROWSERS


def test_a_connection_the_server_closed_is_ended_when_it_keeps_sending():
    """E.g. closed for budget abuse: Engine.IO's reader would go on reading what it sends."""
    wall, eio, _clock = wall_with()
    connection = Connection()
    wall.connect("abuser", environ_for("browser-1", {"eventlet.input": connection}))
    eio.sockets.pop("abuser")  # Engine.IO closed it ...
    wall.disconnect("abuser", FakeEngineIO.reason.SERVER_DISCONNECT)
    assert not connection.shut
    wall.message("abuser", "still sending")  # ... and it does not stop
    assert connection.shut and eio.delivered == []


def test_large_messages_spend_a_byte_budget_too():
    """Reading a frame costs by its size: a few large messages wait like many small ones."""
    clock = Clock()
    eio = FakeEngineIO(clock)
    wall = InboundWall(eio, 100, 30.0, 100, 30.0, "session", byte_burst=200_000,
                       byte_rate=50_000, clock=clock)
    wall.connect("big", environ_for("browser-1"))
    for _ in range(4):
        wall.message("big", "x" * 100_000)
    assert len(eio.delivered) == 4  # nothing lost
    assert eio.slept == [pytest.approx(2.0), pytest.approx(2.0)]  # 100 KB at 50 KB/s each


@pytest.mark.parametrize("header", [
    "", "a=1", "session=abc.def-ghi; other=2", "x=1; session=eyJ.aa.bb",
    "sessionx=1; session=2", 'session="q"', "session=a=b; session=second", " session = sp ",
])
def test_the_hold_back_reads_the_same_browser_key_as_werkzeug(header):
    """The wall keys its hold-back on the session cookie, read without parsing every cookie:
    the value it reads is the one Flask reads."""
    assert cookie_value(header, "session") == (parse_cookie(header).get("session") or None)
