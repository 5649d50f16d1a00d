"""A live Plenary server (wsgi.py in a subprocess) and real python-socketio phones."""
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str, async_mode: str = "eventlet", **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PORT": str(self.port), "HOST": "127.0.0.1",
                    "DATABASE_URL": database_url, "ASYNC_MODE": async_mode,
                    "SECRET_KEY": "live-test-secret", "PLENARY_CONFIG": "development",
                    # no suggestion model loaded at start (seconds with the ML extra):
                    # the live tests that suggest (the browser's) ask for it
                    "SUGGEST_WARMUP": "0", "PYTHONUNBUFFERED": "1",
                    # scripted phones post faster than people type
                    "SOCKET_BUDGETS": '{"post": [1000, 100], "similar": [1000, 100]}', **env}
        self.process = None
        self.log_path = None

    def start(self, log_dir: Path, timeout: float = 60.0):
        return self.launch(log_dir).wait_ready(timeout)

    def launch(self, log_dir: Path):
        self.log_path = log_dir / f"server-{self.port}.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, str(ROOT / "wsgi.py")], cwd=ROOT,
                                        env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()}")
            try:
                if requests.get(self.url + "/", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"server did not start within {timeout} s: "
                           f"{self.log_path.read_text()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process:
            self._log.close()


def screen_cookie(base_url: str, workshop: dict) -> str:
    """The session cookie a projector gets from its /p/<token> page."""
    http = requests.Session()
    http.get(f"{base_url}/p/{workshop['screen_token']}", allow_redirects=False, timeout=10)
    return http.cookies["session"]


def raw_screen(base_url: str, workshop: dict, rcvbuf: int | None = None, timeout=10):
    """A raw Engine.IO/Socket.IO websocket (websocket-client) joined as the projector, with
    a receive buffer of `rcvbuf` bytes if given; `ws.session_cookie` is its cookie."""
    import websocket
    cookie = screen_cookie(base_url, workshop)
    options = ((socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf),) if rcvbuf else ()
    ws = websocket.create_connection(
        base_url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: session={cookie}"], sockopt=options, timeout=timeout)
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send("40")
    assert ws.recv().startswith("40")  # Socket.IO connected
    ws.send("420" + json.dumps(["workshop.join", {"workshop_id": workshop["id"],
                                                  "role": "screen"}]))
    assert '"ok":true' in ws.recv()
    ws.session_cookie = cookie
    return ws


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def organiser_session(base_url: str, email: str, password: str) -> requests.Session:
    """An organiser logged in on a live server (CSRF protection on, as in production)."""
    session = requests.Session()
    token = csrf_token(session.get(f"{base_url}/login", timeout=10).text)
    response = session.post(f"{base_url}/login", data={
        "email": email, "password": password, "csrf_token": token},
        allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return session


def post_form(session: requests.Session, base_url: str, page: str, action: str):
    """Submit a form of `page` to `action`, with the page's CSRF token."""
    token = csrf_token(session.get(base_url + page, timeout=10).text)
    return session.post(base_url + action, data={"csrf_token": token},
                        allow_redirects=False, timeout=10)


class LivePhone:
    """A browser-like client: a cookie from a page, then a websocket Socket.IO connection
    that applies deltas by version exactly as static/js/realtime.js does."""

    def __init__(self, base_url: str, workshop_id: int, page: str, role: str = "attendee"):
        self.base_url, self.workshop_id, self.role = base_url, workshop_id, role
        self.http = requests.Session()
        response = self.http.get(base_url + page, allow_redirects=False, timeout=10)
        assert response.status_code in (200, 302), response.status_code
        self.lock = threading.Lock()
        self.version = None
        self.phase = None
        self.ideas = {}
        self.connected = None  # attendees connected, as the join ack and presence.changed say
        self.presence_seen = 0  # presence.changed messages received
        self.sio = socketio.Client(reconnection=False)
        for name in ("idea.posted", "phase.changed", "settings.changed", "votes.tallied"):
            self.sio.on(name, self._on_delta)
        self.sio.on("presence.changed", self._on_presence)
        self.sio.on("sync.suggested", self._on_sync_suggested)
        self.revoked = []  # access.revoked messages: the grant this socket used was revoked
        self.sio.on("access.revoked", self.revoked.append)

    def connect(self):
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.sio.connect(self.base_url, headers={"Cookie": cookie}, transports=["websocket"],
                         wait_timeout=10)
        ack = self.sio.call("workshop.join", {"workshop_id": self.workshop_id, "role": self.role,
                                              "since": self.version}, timeout=10)
        assert ack["ok"], ack
        with self.lock:
            self._apply_sync(ack)
            self.connected = ack["connected"]
        return ack

    def disconnect(self):
        self.sio.disconnect()

    def call(self, event, payload, timeout=15):
        return self.sio.call(event, {"workshop_id": self.workshop_id, **payload}, timeout=timeout)

    def votes_of(self, idea_id):
        with self.lock:
            return self.ideas.get(idea_id, {}).get("votes")

    def board(self):
        with self.lock:
            return self.version, self.phase, {i: (d["text"], d["votes"])
                                              for i, d in self.ideas.items()}

    def _on_delta(self, envelope):
        with self.lock:
            if self.version is not None and envelope["version"] > self.version + 1:
                ack = self.sio.call("workshop.sync", {"workshop_id": self.workshop_id,
                                                      "since": self.version}, timeout=10)
                self._apply_sync(ack)
            self._apply(envelope)

    def _on_sync_suggested(self, _data=None):
        with self.lock:
            ack = self.sio.call("workshop.sync", {"workshop_id": self.workshop_id,
                                                  "since": self.version}, timeout=10)
            self._apply_sync(ack)

    def _on_presence(self, data):
        with self.lock:
            self.connected = data["connected"]
            self.presence_seen += 1

    def _apply_sync(self, ack):
        sync = ack["sync"]
        if sync["mode"] == "snapshot":
            snap = sync["snapshot"]
            self.phase = snap["workshop"]["phase"]
            self.ideas = {i["id"]: dict(i) for i in snap["ideas"]}
            self.version = snap["workshop"]["version"]
        else:
            for envelope in sync["deltas"]:
                self._apply(envelope)

    def _apply(self, envelope):
        if self.version is not None and envelope["version"] <= self.version:
            return
        kind, data = envelope["type"], envelope["data"]
        if kind == "idea.posted":
            self.ideas.setdefault(data["idea"]["id"], dict(data["idea"]))
        elif kind == "phase.changed":
            self.phase = data["phase"]
        elif kind == "votes.tallied":
            for idea_id, votes in data["tallies"].items():
                self.ideas[int(idea_id)]["votes"] = votes
        self.version = envelope["version"]


def wait_until(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def run_together(functions, timeout=60):
    """Run the functions in threads released at the same instant; return their results."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(i, fn):
        barrier.wait(timeout)
        try:
            results[i] = fn()
        except Exception as error:  # reported to the test, not swallowed
            results[i] = error

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for i, t in enumerate(threads):
        t.join(max(0.0, deadline - time.monotonic()))
        if t.is_alive():  # a result of its own, so the test fails saying which and why
            results[i] = TimeoutError(f"function {i} of {len(functions)} still running "
                                      f"after {timeout} s")
    return results


class PrivateRedis:
    """A redis-server of the test's own on a free port, which it may kill and restart
    (the machine's shared Redis is never touched)."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process = None

    def start(self, timeout: float = 10.0):
        import redis
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=open(self.workdir / f"redis-{self.port}.log", "a"), stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        if not wait_until(lambda: _answers(client), timeout, 0.05):
            raise RuntimeError(f"private redis-server on port {self.port} did not start")
        client.close()
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


class Workers:
    """Several wsgi.py processes sharing one database and one message queue, as behind
    nginx: the same workshop, phones connected to different processes."""

    def __init__(self, count: int, database_url: str, queue_url: str, channel: str, **env):
        self.servers = [LiveServer(database_url, MESSAGE_QUEUE_URL=queue_url,
                                   MESSAGE_QUEUE_CHANNEL=channel, SUGGEST_WARMUP="0", **env)
                        for _ in range(count)]

    def start(self, log_dir: Path):
        try:
            for server in self.servers:  # side by side: they boot in parallel
                server.launch(log_dir)
            for server in self.servers:
                server.wait_ready()
        except Exception:
            self.stop()
            raise
        return self

    def stop(self):
        for server in self.servers:
            server.stop()

    def __getitem__(self, index) -> LiveServer:
        return self.servers[index]
