"""Bilateral meetings scaled out: two wsgi.py workers share the real PostgreSQL and Redis;
phones on both workers accept at the same moment. Nobody is booked twice at a slot, no
table twice, nobody past the plan's maximum (checked in SQL), and both people of each
meeting see the same slot and table live, whichever worker their phone is on."""
import os
import threading
import uuid

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Workshop
from app.services import meeting_slots
from helpers import make_workshop
from live import LivePhone, Workers, run_together, wait_until

PG_URL = os.environ.get("PLENARY_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("PLENARY_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(
    not (PG_URL and PG_URL.startswith("postgresql") and REDIS_URL),
    reason="multi-worker tests need the real PostgreSQL and Redis: set "
           "PLENARY_TEST_DATABASE_URL=postgresql+psycopg://… and PLENARY_TEST_REDIS_URL=redis://…")

PAIRS = 3          # pairs of people besides the one everybody asks
ASKING_HUB = 4     # people who ask the same person, who may meet only MAX of them
MAX = 2
TABLES = 2         # × 3 slots of 20 minutes: 6 places for the 3 + 2 meetings


def cid():
    return uuid.uuid4().hex


class MeetingPhone(LivePhone):
    """A live phone that also keeps the meeting changes pushed to it."""

    def __init__(self, server, workshop, http=None):
        super().__init__(server.url, workshop["id"], f"/j/{workshop['code']}")
        if http is not None:  # the same browser (cookie) as another phone
            self.http.cookies = http.cookies
        self.pushed = {}
        self.pushed_lock = threading.Lock()
        for name in ("meeting.requested", "meeting.accepted", "meeting.cancelled"):
            self.sio.on(name, self._on_meeting)

    def _on_meeting(self, envelope):
        with self.pushed_lock:
            meeting = envelope["data"]["meeting"]
            self.pushed[meeting["id"]] = (envelope["type"], meeting["start"], meeting["table"])

    def seen(self, meeting_id):
        with self.pushed_lock:
            return self.pushed.get(meeting_id)

    def opt_in(self, n):
        ack = self.call("profile.update", {
            "client_id": cid(), "display_name": f"Person {n}", "organisation": f"Org {n}",
            "kind": "company", "region": ("Valencia", "Navarra")[n % 2],
            "contact": f"p{n}@example.org", "match_opt_in": True})
        assert ack["ok"], ack
        agenda = self.call("meetings.mine", {})
        assert agenda["ok"] and agenda["opted_in"], agenda
        return agenda["person_id"]


@pytest.fixture
def workers(app, db_url, tmp_path):
    group = Workers(2, db_url, REDIS_URL, f"plenary-test-{uuid.uuid4().hex[:12]}").start(
        tmp_path)
    yield group
    group.stop()


def _plan(app, workshop_id):
    with app.app_context():
        event = db.session.get(Workshop, workshop_id).event
        meeting_slots.set_plan(event, days=["2030-05-12"], day_start="09:00", day_end="10:00",
                               slot_minutes=20, breaks=[],
                               tables=[f"T{i}" for i in range(1, TABLES + 1)],
                               timezone="Europe/Madrid", max_meetings=MAX)
        db.session.commit()
        db.session.remove()


def _sql(app, query):
    with app.app_context():
        rows = db.session.execute(text(query)).all()
        db.session.remove()
    return rows


def test_accepts_at_the_same_moment_on_two_workers_never_double_book(app, workers):
    workshop = make_workshop(app, phase="collecting")
    _plan(app, workshop["id"])
    hub = MeetingPhone(workers[0], workshop)
    # the same person's other phones (one browser's cookie), on both workers
    hub_phones = [hub] + [MeetingPhone(workers[n % 2], workshop, http=hub.http)
                          for n in range(1, ASKING_HUB)]
    askers = [MeetingPhone(workers[n % 2], workshop) for n in range(ASKING_HUB)]
    pairs = [(MeetingPhone(workers[n % 2], workshop), MeetingPhone(workers[(n + 1) % 2],
                                                                   workshop))
             for n in range(PAIRS)]
    phones = [*hub_phones, *askers, *(p for pair in pairs for p in pair)]
    try:
        for ack in run_together([p.connect for p in phones]):
            assert not isinstance(ack, Exception) and ack["ok"], ack
        ids = {phone: phone.opt_in(n) for n, phone in enumerate(phones)
               if phone not in hub_phones[1:]}
        for phone in hub_phones[1:]:  # each joins the person's room
            assert phone.call("meetings.mine", {})["person_id"] == ids[hub]
            ids[phone] = ids[hub]

        requests = [(a, ids[hub]) for a in askers] + [(a, ids[b]) for a, b in pairs]
        sent = [a.call("meeting.request", {"client_id": cid(), "person_id": pid,
                                           "message": "Hydrogen?"}) for a, pid in requests]
        assert all(s["ok"] for s in sent), sent
        hub_asks, pair_asks = [s["id"] for s in sent[:ASKING_HUB]], [s["id"] for s in
                                                                     sent[ASKING_HUB:]]
        assert wait_until(lambda: all(p.seen(i) for p in hub_phones for i in hub_asks))

        # Every accept at the same instant: the hub's, one on each of its phones (both
        # workers), each pair's on the invitee's phone (alternating workers).
        accepts = [lambda p=p, i=i: p.call("meeting.accept", {"client_id": cid(),
                                                              "request_id": i})
                   for p, i in zip(hub_phones, hub_asks, strict=True)]
        accepts += [lambda p=b, i=i: p.call("meeting.accept", {"client_id": cid(),
                                                               "request_id": i})
                    for (_a, b), i in zip(pairs, pair_asks, strict=True)]
        acks = run_together(accepts, timeout=60)
        assert not [a for a in acks if isinstance(a, Exception)], acks
        hub_acks = acks[:ASKING_HUB]
        assert sum(a["ok"] for a in hub_acks) == MAX, hub_acks
        assert {a.get("error") for a in hub_acks if not a["ok"]} == {
            "No slot is free for both of you: one of your agendas is full."}
        assert all(a["ok"] for a in acks[ASKING_HUB:]), acks[ASKING_HUB:]

        # The database: one table per slot, one meeting per person per slot, the maximum.
        booked = _sql(app, "SELECT id, requester_id, invitee_id, slot_start, table_name "
                           "FROM meeting_request WHERE status = 'accepted'")
        assert len(booked) == MAX + PAIRS
        assert len({(r.slot_start, r.table_name) for r in booked}) == len(booked)
        per_slot = [(p, r.slot_start) for r in booked for p in (r.requester_id, r.invitee_id)]
        assert len(set(per_slot)) == len(per_slot)
        assert _sql(app, "SELECT person_id FROM meeting_seat GROUP BY person_id "
                         f"HAVING count(*) > {MAX}") == []
        seats = _sql(app, "SELECT s.person_id, s.slot_start FROM meeting_seat s JOIN "
                          "meeting_request r ON r.id = s.meeting_id AND "
                          "r.slot_start = s.slot_start WHERE r.status = 'accepted'")
        assert sorted(seats) == sorted(per_slot)
        assert _sql(app, "SELECT count(*) FROM meeting_seat")[0][0] == len(per_slot)

        # Live, on every phone of both people, whichever worker: the same slot and table.
        phone_of = {pid: [p for p in phones if ids[p] == pid] for pid in set(ids.values())}
        for r in booked:
            expected = ("meeting.accepted", r.slot_start.isoformat(timespec="minutes"),
                        r.table_name)
            for phone in phone_of[r.requester_id] + phone_of[r.invitee_id]:
                assert wait_until(lambda p=phone, i=r.id: p.seen(i) == expected), \
                    (r.id, phone.seen(r.id), expected)
        refused = [i for i, a in zip(hub_asks, hub_acks, strict=True) if not a["ok"]]
        for i in refused:  # still waiting for an answer, on every phone of the hub
            assert {p.seen(i)[0] for p in hub_phones} == {"meeting.requested"}
    finally:
        for phone in phones:
            if phone.sio.connected:
                phone.disconnect()
