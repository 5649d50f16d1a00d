"""Bilateral meetings over Socket.IO: requests and answers reach exactly the two people,
live, versioned; every refusal is an error ack with nothing changed."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import MeetingRequest, Workshop
from app.services import meeting_slots
from helpers import new_client_id


def meeting_events(client):
    return [m for m in client.received() if m["name"].startswith("meeting.")]


@pytest.fixture
def room(app, connect, workshop):
    """Three opted-in attendees (Valencia, Navarra, Bavaria) and one who did not opt in;
    the event's meeting plan far in the future."""
    phones = [connect() for _ in range(4)]
    regions = ("Valencia", "Navarra", "Bavaria", "Lazio")
    for i, (phone, region) in enumerate(zip(phones, regions, strict=True)):
        fields = {"display_name": f"P{i}", "organisation": f"Org {i}", "region": region,
                  "kind": "company"}
        if i < 3:
            fields.update(contact=f"p{i}@example.org", match_opt_in=True)
        assert phone.write("profile.update", **fields)["ok"]
    with app.app_context():
        event = db.session.get(Workshop, workshop["id"]).event
        meeting_slots.set_plan(event, days=["2030-05-12"], day_start="09:00", day_end="10:00",
                               slot_minutes=20, breaks=[], tables=["T1"],
                               timezone="Europe/Madrid")
        db.session.commit()
    agendas = [p.call("meetings.mine", {"workshop_id": workshop["id"]}) for p in phones]
    assert all(a["ok"] for a in agendas) and [a["opted_in"] for a in agendas] == \
        [True, True, True, False]
    for phone in phones:
        phone.received()
    return phones, [a["person_id"] for a in agendas]


def count_requests(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(MeetingRequest))


def test_a_request_and_its_acceptance_reach_both_phones_live_and_nobody_else(app, room):
    (ana, ben, cai, _dee), ids = room
    people = ana.call("meetings.people", {"workshop_id": ana.workshop["id"]})["people"]
    assert sorted(p["person_id"] for p in people) == sorted(ids[1:3])
    assert all("contact" not in p for p in people)
    assert ana.call("meetings.people", {"workshop_id": ana.workshop["id"],
                                        "query": "navarra"})["people"][0]["name"] == "P1"
    sent = ana.write("meeting.request", person_id=ids[1], message="Hydrogen?")
    assert sent["ok"] and sent["version"] == 1
    [asked] = meeting_events(ben)
    assert asked["name"] == "meeting.requested"
    envelope = asked["args"][0]
    assert envelope["version"] == 1 and envelope["data"]["meeting"]["message"] == "Hydrogen?"
    assert envelope["data"]["meeting"]["direction"] == "in"
    assert meeting_events(cai) == [] and len(meeting_events(ana)) == 1
    accepted = ben.write("meeting.accept", request_id=sent["id"])
    assert accepted["ok"]
    [mine] = meeting_events(ana)
    [theirs] = meeting_events(ben)
    a, b = mine["args"][0]["data"]["meeting"], theirs["args"][0]["data"]["meeting"]
    assert (a["start"], a["table"]) == (b["start"], b["table"]) == ("2030-05-12T09:00", "T1")
    assert a["other"]["contact"] == "p1@example.org" and b["other"]["contact"] == "p0@example.org"
    assert meeting_events(cai) == []
    agenda = ana.call("meetings.mine", {"workshop_id": ana.workshop["id"], "since": 0})
    assert agenda["version"] == 2 and agenda["meetings"][0]["status"] == "accepted"


def test_a_resent_request_is_applied_once(app, room):
    (ana, _ben, _cai, _dee), ids = room
    client_id = new_client_id()
    first = ana.write("meeting.request", client_id=client_id, person_id=ids[1])
    again = ana.write("meeting.request", client_id=client_id, person_id=ids[1])
    assert first == again and count_requests(app) == 1


@pytest.mark.parametrize("event, fields, error", [
    ("meeting.request", {}, "Missing field 'person_id'."),
    ("meeting.request", {"person_id": "2"}, "Field 'person_id' must be"),
    ("meeting.request", {"person_id": "self"}, "You cannot request a meeting with yourself."),
    ("meeting.request", {"person_id": "dee"}, "This attendee is not taking meeting requests."),
    ("meeting.request", {"person_id": 99999}, "This attendee is not taking meeting requests."),
    ("meeting.request", {"person_id": "ben", "message": 7}, "The message must be text."),
    ("meeting.accept", {"request_id": 99999}, "This meeting request does not exist."),
    ("meeting.accept", {"request_id": 1, "slot": "tomorrow"}, "The slot must look like"),
    ("meeting.block", {"person_id": 99999}, "This attendee does not exist."),
])
def test_bad_input_is_refused_with_a_clear_ack_and_nothing_changed(app, room, event, fields,
                                                                    error):
    (ana, _ben, _cai, _dee), ids = room
    names = {"self": ids[0], "ben": ids[1], "dee": ids[3]}
    fields = {k: names.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    ack = ana.write(event, **fields)
    assert ack["ok"] is False and ack["error"].startswith(error), ack
    assert count_requests(app) == 0 and meeting_events(ana) == []


def test_only_attendees_of_the_workshop_may_use_meetings(app, room, connect):
    (ana, _ben, _cai, _dee), ids = room
    console = connect("facilitator")
    refused = console.write("meeting.request", person_id=ids[1])
    assert refused == {"ok": False, "error": "Only attendees can do this (open the workshop's "
                                             "join link on your phone)."}
    stranger = connect(join=False)
    assert stranger.call("meetings.mine", {"workshop_id": ana.workshop["id"]}) == {
        "ok": False, "error": "You have not joined this workshop."}
    assert count_requests(app) == 0


def test_requests_are_paced_per_person_in_the_database(app, room):
    """Counted from the requests stored (withdrawn ones too), so every worker agrees; a
    refused attempt changes nothing and costs nothing."""
    (ana, _ben, _cai, _dee), ids = room
    assert ana.write("meeting.request", person_id=99999)["error"] == \
        "This attendee is not taking meeting requests."
    for n in range(5):
        sent = ana.write("meeting.request", person_id=ids[1 + n % 2])
        assert sent["ok"], (n, sent)
        assert ana.write("meeting.cancel", request_id=sent["id"])["ok"]
    refused = ana.write("meeting.request", person_id=ids[1])
    assert refused["error"].startswith("You are sending requests too fast: wait ")
    assert count_requests(app) == 5
    with app.app_context():  # the window passes: the next request goes through
        db.session.execute(update(MeetingRequest).values(
            created_at=MeetingRequest.created_at - timedelta(seconds=60)))
        db.session.commit()
    assert ana.write("meeting.request", person_id=ids[1])["ok"]


def test_a_phone_that_missed_changes_gets_the_whole_agenda(app, room):
    (ana, ben, _cai, _dee), ids = room
    ben.sio.disconnect()
    sent = ana.write("meeting.request", person_id=ids[1])
    ana.write("meeting.cancel", request_id=sent["id"])
    again = ana.write("meeting.request", person_id=ids[1])
    ben.sio.connect()
    ben.join()
    agenda = ben.call("meetings.mine", {"workshop_id": ben.workshop["id"], "since": 0})
    assert agenda["version"] == 3
    assert [(m["id"], m["status"]) for m in agenda["meetings"]] == \
        [(again["id"], "pending"), (sent["id"], "cancelled")]


def test_opting_out_cancels_the_pending_requests_either_way_and_both_sides_are_told(app, room):
    (ana, ben, cai, _dee), ids = room
    booked = ana.write("meeting.request", person_id=ids[1])
    assert ben.write("meeting.accept", request_id=booked["id"])["ok"]
    asked = cai.write("meeting.request", person_id=ids[0])
    for phone in (ana, ben, cai):
        phone.received()
    assert ana.write("profile.update", match_opt_in=False)["ok"]
    [told_cai] = meeting_events(cai)
    assert told_cai["name"] == "meeting.cancelled"
    assert told_cai["args"][0]["data"]["meeting"]["id"] == asked["id"]
    assert [(m["name"], m["args"][0]["data"]["meeting"]["id"]) for m in meeting_events(ana)] \
        == [("meeting.cancelled", asked["id"])]
    assert meeting_events(ben) == []  # the booked meeting stays until someone cancels it
    statuses = {m["id"]: m["status"] for m in ana.call(
        "meetings.mine", {"workshop_id": ana.workshop["id"]})["meetings"]}
    assert statuses == {booked["id"]: "accepted", asked["id"]: "cancelled"}
    assert cai.write("meeting.request", person_id=ids[0])["error"] == \
        "This attendee is not taking meeting requests."
    # opted in again: requests are welcome again, and a profile edit that keeps the
    # opt-in cancels nothing
    assert ana.write("profile.update", match_opt_in=True, contact="ana@example.org")["ok"]
    again = cai.write("meeting.request", person_id=ids[0])
    assert again["ok"]
    assert ana.write("profile.update", organisation="Org Zero")["ok"]
    assert {m["id"]: m["status"] for m in cai.call(
        "meetings.mine", {"workshop_id": cai.workshop["id"]})["meetings"]}[again["id"]] == \
        "pending"


def test_a_meeting_is_listed_in_the_roadmap_only_when_both_sides_agreed(app, room):
    (ana, ben, _cai, _dee), ids = room
    sent = ana.write("meeting.request", person_id=ids[1])
    assert ana.write("meeting.list", request_id=sent["id"], listed=True)["error"] == \
        "Only a booked meeting can be listed."
    assert ben.write("meeting.accept", request_id=sent["id"])["ok"]
    ben.received()

    def listed():
        from app.services import event_roadmap
        with app.app_context():
            event = db.session.get(Workshop, ana.workshop["id"]).event
            return event_roadmap.collaborations(event)["listed"]

    assert ana.write("meeting.list", request_id=sent["id"], listed=True)["ok"]
    [told] = meeting_events(ben)
    assert told["name"] == "meeting.listed"
    assert (told["args"][0]["data"]["meeting"]["listed"],
            told["args"][0]["data"]["meeting"]["other_listed"]) == (False, True)
    assert listed() == []  # one side only: counts, no names
    assert ben.write("meeting.list", request_id=sent["id"], listed=True)["ok"]
    assert listed() == [{"a": "Org 0", "b": "Org 1", "themes": []}]
    assert ana.write("meeting.list", request_id=sent["id"], listed=False)["ok"]
    assert listed() == []
