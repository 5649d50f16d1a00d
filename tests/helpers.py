"""Helpers shared by the tests: workshops made in-process, and a browser-like client
(HTTP test client + Socket.IO test client sharing its cookies) that applies deltas."""
import itertools
import time
import uuid

from app.extensions import db, socketio
from app.services import workshops


def make_workshop(app, phase="collecting", **settings):
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026")
        workshop = workshops.create_workshop(
            event, "Interregional value chains",
            "How can clusters multiply the connections between value chains?", **settings)
        workshop.phase = phase
        db.session.commit()
        info = {"id": workshop.id, "code": workshop.code,
                "token": workshop.facilitator_token, "screen_token": workshop.screen_token}
        db.session.remove()
        return info


_ids = itertools.count(1)


def new_client_id():
    return f"c-{next(_ids)}-{uuid.uuid4().hex[:8]}"


class Client:
    """A browser: an HTTP client with its cookie jar and a Socket.IO client sharing it.
    Every one made in a test is disconnected after it (conftest.py), so that no membership
    outlives its test in its app's connection registry."""

    made: list = []

    def __init__(self, app, workshop, role):
        Client.made.append(self)
        self.app, self.workshop, self.role = app, workshop, role
        self.http = app.test_client()
        if role == "attendee":
            assert self.http.get(f"/j/{workshop['code']}").status_code == 200
        elif role == "facilitator":
            assert self.http.get(f"/f/{workshop['token']}").status_code == 302
        elif role == "screen":  # the projector link of a venue PC
            assert self.http.get(f"/p/{workshop['screen_token']}").status_code == 302
        self.sio = socketio.test_client(app, flask_test_client=self.http)
        self.version = None
        self.state = {}

    def join(self, since=None, role=None):
        ack = self.call("workshop.join", {"workshop_id": self.workshop["id"],
                                          "role": role or self.role, "since": since})
        assert ack["ok"], ack
        self.apply_sync(ack)
        return ack

    def call(self, event, payload):
        return self.sio.emit(event, payload, callback=True)

    def write(self, event, client_id=None, **fields):
        payload = {"workshop_id": self.workshop["id"], "client_id": client_id or new_client_id(),
                   **fields}
        return self.call(event, payload)

    def received(self):
        return self.sio.get_received()

    def apply_sync(self, ack):
        sync = ack["sync"]
        if sync["mode"] == "snapshot":
            snap = sync["snapshot"]
            self.state = {"phase": snap["workshop"]["phase"],
                          "ideas": {i["id"]: dict(i) for i in snap["ideas"]},
                          "themes": {t["id"]: dict(t) for t in snap["themes"]}}
            self.version = snap["workshop"]["version"]
        else:
            for envelope in sync["deltas"]:
                self.apply(envelope)
        self.version = max(self.version or 0, ack["version"])

    def apply(self, envelope):
        """The same rules as static/js/realtime.js: ignore old, apply next."""
        if self.version is not None and envelope["version"] <= self.version:
            return
        kind, data = envelope["type"], envelope["data"]
        if kind == "idea.posted":
            self.state["ideas"].setdefault(data["idea"]["id"], dict(data["idea"]))
        elif kind == "ideas.revealed":
            for idea in data["ideas"]:
                self.state["ideas"].setdefault(idea["id"], dict(idea))
        elif kind == "phase.changed":
            self.state["phase"] = data["phase"]
        elif kind == "votes.tallied":  # ideas this client never saw are skipped, as in JS
            for idea_id, count in data["tallies"].items():
                if int(idea_id) in self.state["ideas"]:
                    self.state["ideas"][int(idea_id)]["votes"] = count
        elif kind in ("theme.created", "theme.updated"):
            self.state["themes"][data["theme"]["id"]] = dict(data["theme"])
        elif kind == "theme.deleted":
            self.state["themes"].pop(data["id"], None)
        elif kind == "themes.reordered":
            for position, theme_id in enumerate(data["order"]):
                self.state["themes"][theme_id]["position"] = position
        elif kind == "ideas.placed":
            for idea_id, theme_id, position in data["placements"]:
                if idea_id in self.state["ideas"]:  # ideas this client may not see are skipped
                    self.state["ideas"][idea_id].update(theme_id=theme_id, position=position)
        elif kind in ("idea.merged", "idea.unmerged"):
            self.state["ideas"][data["id"]]["merged_into"] = (
                data["into"] if kind == "idea.merged" else None)
        self.version = envelope["version"]

    def pump(self):
        """Apply every broadcast received so far; returns them."""
        packets = self.received()
        for packet in packets:
            args = packet["args"]
            if args and isinstance(args[0], dict) and "version" in args[0]:
                self.apply(args[0])
        return packets


def wait_for(predicate, timeout=3.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()


def count_rows(app, model) -> int:
    """How many rows a table holds now (read in a fresh app context)."""
    with app.app_context():
        n = db.session.query(model).count()
        db.session.remove()
        return n
