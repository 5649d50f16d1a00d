"""Every bad input gets a clear error (issue 11, finding 4).

- The five cases seen from outside, each with its own test.
- The text rule (docs/PROTOCOL.md, "Limits"): control characters and bidi overrides out,
  line breaks kept only where the UI allows them, right-to-left text untouched.
- Numbers bounded: ids 1..2^31-1 (the id columns' INTEGER) in payloads and URLs, other
  whole numbers 64-bit.
- A fuzz of every socket event (the writes of app/commands.py, the reads of
  app/realtime/handlers.py, the meeting events of app/realtime/meeting_handlers.py),
  every JSON API route and the organiser's JSON endpoints:
  hostile values put in each field of a valid payload, and hostile whole payloads. Each
  answer is a clear refusal (never the generic server error, never an ERROR in the log)
  that changes nothing, or, for an input that is truly valid, an ok. A value of the wrong
  type for its field (by the command's declared fields) must be refused.
"""
import json
import logging
import math
import re
import time
import types

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import commands, suggest
from app.extensions import db, socketio
from app.models import MeetingBlock, MeetingPerson, MeetingPlan, MeetingRequest, MeetingSeat
from app.models import ActionItem, BoardAction, Change, Conclusion, Event, EventOrganiser, Idea, \
    Participant, ProcessedWrite, RecurringTheme, Theme, Vote, Workshop
from app.services import accounts, board, ideas, outcomes, participants, workshops
from app.services import meeting_slots
from app.services.validation import CLIENT_ID, MAX_ID, MAX_INT, MIN_INT, Id, is_id
from app.suggest.tfidf import TfidfBackend
from helpers import Client, make_workshop, new_client_id

GENERIC = "Something went wrong"
ORGANISER, PASSWORD = "ana@example.eu", "correct horse battery"
SURROGATE = re.compile("[\ud800-\udfff]")
# What no stored text may hold: controls other than \n and \t, bidi embeddings,
# overrides and isolates, lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


# --- the five cases seen from outside ---------------------------------------------------

def test_a_lone_surrogate_in_an_idea_is_refused_clearly(app, connect, caplog):
    phone = connect()
    ack = phone.write("idea.post", text="\ud800")
    assert ack == {"ok": False, "error": "Field 'text' is not valid Unicode text (it has a "
                                         "lone surrogate)."}
    assert phone.write("idea.post", text="Half an emoji \ud83d")["ok"] is False
    assert not errors_logged(caplog)
    assert count(app, Idea) == 0


def test_an_id_too_big_for_the_database_in_a_url_is_a_json_404(app, connect, caplog):
    phone = connect()
    for huge in (MAX_ID + 1, 2 ** 63, 10 ** 30):
        response = phone.http.get(f"/api/workshops/{huge}/state")
        assert response.status_code == 404
        assert response.get_json() == {"ok": False, "error": "This page does not exist."}
        response = phone.http.post(f"/api/workshops/{huge}/commands/idea.post",
                                   json={"workshop_id": 1, "client_id": "a", "text": "x"})
        assert response.status_code == 404 and response.get_json()["ok"] is False
    largest = phone.http.get(f"/api/workshops/{MAX_ID}/state")
    assert largest.status_code == 404
    assert largest.get_json() == {"ok": False, "error": "This workshop does not exist."}
    assert not errors_logged(caplog)


def test_a_lone_surrogate_in_a_json_body_is_a_400(app, connect, caplog):
    phone = connect()
    url = f"/api/workshops/{phone.workshop['id']}/commands/idea.post"
    body = '{"workshop_id": %d, "client_id": "s-1", "text": "\\ud800"}' % phone.workshop["id"]
    response = phone.http.post(url, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {
        "ok": False, "error": "Field 'text' is not valid Unicode text (it has a lone surrogate)."}
    # the same surrogate as raw (invalid) UTF-8 bytes, which Python's json lets through
    raw = b'{"workshop_id": %d, "client_id": "s-2", "text": "\xed\xa0\x80"}' % \
        phone.workshop["id"]
    response = phone.http.post(url, data=raw, content_type="application/json")
    assert response.status_code == 400 and "not valid Unicode" in response.get_json()["error"]
    assert not errors_logged(caplog)
    assert count(app, Idea) == 0


def test_theme_reorder_with_junk_ids_is_refused_clearly(app, connect, caplog):
    console = connect("facilitator")
    assert console.write("theme.create", name="Skills")["ok"]
    ack = console.write("theme.reorder", order=["a", None])
    assert ack == {"ok": False, "error": "Field 'order' must be a list of ids (whole numbers "
                                         f"from 1 to {MAX_ID}); item 1 is \"a\"."}
    for order in ([None], [[1]], [{"id": 1}], [True], [1.0], [10 ** 30], "1", {"0": 1}):
        ack = console.write("theme.reorder", order=order)
        assert ack["ok"] is False and "Field 'order' must be a list" in ack["error"], order
    assert not errors_logged(caplog)


def test_nul_bytes_and_control_characters_are_not_stored(app, connect, workshop):
    phone, console = connect(), connect("facilitator")
    idea = phone.write("idea.post", text="Shared\x00 testbeds\x07 for\x1b[0m SMEs\x7f\x9b")
    assert idea["ok"] and idea["idea"]["text"] == "Shared testbeds for[0m SMEs"
    theme = console.write("theme.create", name="\x00Skills\x00")["theme"]
    assert theme["name"] == "Skills"
    assert console.write("theme.create", name="\x00\x01")["error"] == "A theme needs a name."
    assert phone.write("idea.post", text="\x00")["error"] == \
        "The idea is empty: write something first."
    with app.app_context():
        assert [i.text for i in db.session.scalars(select(Idea))] == [
            "Shared testbeds for[0m SMEs"]
        db.session.remove()


# --- the text rule ----------------------------------------------------------------------

RTL = [
    "تعزيز التعاون بين المجموعات في المناطق",            # Arabic
    "שיתוף פעולה בין אשכולות באזורים שונים",             # Hebrew
    "برنامج تبادل 2026 بين 12 منطقة (EU)",             # Arabic with digits and Latin
    "\u200fמימון\u200f: 5 מיליון יורו",               # Hebrew with right-to-left marks
    "می\u200cخواهم همکاری کنم",                        # Persian with a zero-width non-joiner
    "Team 👩\u200d💻 and 🇪🇸 flags",                     # emoji joined by ZWJ
]


def test_right_to_left_and_joined_text_is_kept_exactly(app, connect):
    phone, console = connect(), connect("facilitator")
    for text in RTL:
        idea = phone.write("idea.post", text=text)
        assert idea["ok"] and idea["idea"]["text"] == text
        assert console.write("theme.create", name=text)["theme"]["name"] == text
        assert console.write("conclusion.set", idea_id=idea["idea"]["id"], text=text)["ok"]
        profile = phone.write("profile.update", display_name=text, region=text)
        assert profile["profile"]["display_name"] == profile["profile"]["region"] == text
    with app.app_context():
        assert [i.text for i in db.session.scalars(select(Idea).order_by(Idea.id))] == RTL
        assert [c.text for c in db.session.scalars(select(Conclusion).order_by(Conclusion.id))
                ] == RTL
        db.session.remove()


def test_bidi_overrides_and_isolates_are_removed_marks_stay(connect):
    phone = connect()
    text = "Invoice \u202egnp.exe\u202c and \u2067שלום\u2069 \u200f!"
    assert phone.write("idea.post", text=text)["idea"]["text"] == \
        "Invoice gnp.exe and שלום \u200f!"


def test_line_breaks_are_kept_where_the_ui_allows_them(app, connect):
    phone, console = connect(), connect("facilitator")
    idea = phone.write("idea.post", text="  First line\r\n\tindented\rthird\u2028fourth  ")
    assert idea["idea"]["text"] == "First line\n\tindented\nthird\nfourth"
    theme = console.write("theme.create", name="Skills\nand\ttalent\r\n")["theme"]
    assert theme["name"] == "Skills and talent"
    assert console.write("conclusion.set", theme_id=theme["id"],
                         text="Start small.\r\n\r\nThen\x0bgrow\x00.")["ok"]
    action = console.write("action.add", theme_id=theme["id"], what="Pilot\nexchange",
                           owner="Cluster\tnetwork", horizon="short")["action"]
    assert (action["what"], action["owner"]) == ("Pilot exchange", "Cluster network")
    profile = phone.write("profile.update", display_name="Ana\nMaría", region="Val\x00encia")
    assert profile["profile"]["display_name"] == "Ana María"
    assert profile["profile"]["region"] == "Valencia"
    with app.app_context():
        assert db.session.scalar(select(Conclusion.text)) == "Start small.\n\nThen\ngrow."
        db.session.remove()


# --- numbers ----------------------------------------------------------------------------

def test_ids_and_numbers_are_bounded(app, connect, caplog):
    phone, console = connect(), connect("facilitator")
    largest = console.write("idea.hide", idea_id=MAX_ID, hidden=True)
    assert largest == {"ok": False, "error": "This idea does not exist in this workshop."}
    for value in (0, -1, MAX_ID + 1, 10 ** 30, -10 ** 30):
        ack = console.write("idea.hide", idea_id=value, hidden=True)
        assert ack == {"ok": False, "error": "Field 'idea_id' must be a whole number from 1 to "
                                             f"{MAX_ID}."}, value
    for value in (True, 1.0, math.nan, math.inf, "1"):
        ack = console.write("idea.hide", idea_id=value, hidden=True)
        assert ack["ok"] is False and ack["error"].startswith("Field 'idea_id' must be"), value
    ack = phone.call("workshop.join", {"workshop_id": 10 ** 30, "role": "attendee"})
    assert ack == {"ok": False, "error": "Field 'workshop_id' must be a whole number from 1 "
                                         f"to {MAX_ID}."}
    ack = console.write("idea.move", idea_id=1, position=2 ** 63)
    assert ack["error"] == f"Field 'position' must be a whole number from {MIN_INT} to {MAX_INT}."
    state = phone.http.get(f"/api/workshops/{phone.workshop['id']}/state?since={10 ** 30}")
    assert state.status_code == 400 and "Parameter 'since'" in state.get_json()["error"]
    assert not errors_logged(caplog)


def test_links_with_junk_tokens_are_unknown_without_a_query(app, workshop):
    client = app.test_client()
    for path in ("/f/%00", "/p/%00", "/r/%00", "/f/" + "a" * 200, "/r/%ED%A0%80"):
        assert client.get(path).status_code == 404, path


# --- the fuzz ---------------------------------------------------------------------------

def nested(depth, kind):
    value = 1
    for _ in range(depth):
        value = [value] if kind is list else {"a": value}
    return value


HOSTILE = [
    ("null", None), ("true", True), ("false", False),
    ("0", 0), ("-1", -1), ("2^31-1", MAX_ID), ("2^31", MAX_ID + 1), ("2^63", 2 ** 63),
    ("-2^63-1", MIN_INT - 1),
    ("10^30", 10 ** 30), ("3.0", 3.0), ("NaN", math.nan),
    ("-Infinity", -math.inf),
    ("blank", " \t\n "), ("lone surrogate", "\ud800"), ("surrogate in text", "ok \udfff ok"),
    ("NUL", "\x00"), ("NUL in text", "Cluster\x00 link"),
    ("controls", "\x01\x07\x1b[31mred\x7f\x9b"), ("bidi override", "\u202eexe.txt"),
    ("digits", "12"), ("RTL text", "تعاون بين المناطق"), ("100 KB", "x" * 100_000),
    ("list", []), ("list of junk", ["a", [1], None]),
    ("object", {"$gt": ""}), ("50 deep objects", nested(50, dict)), ("bytes", b"\x00\xff"),
]
# workshop_id and client_id go through the same code for every write: every value above
# for the reads and a few writes (FULL_ENVELOPE), these for the others.
ENVELOPE = {"workshop_id", "client_id"}
ENVELOPE_HOSTILE = {"null", "true", "2^31", "3.0", "lone surrogate", "digits", "object"}
FULL_ENVELOPE = {"idea.post", "vote.cast", "theme.reorder", "conclusion.set", "board.undo"}
# Sent instead of a payload: none at all, two, or something that is not an object.
NO_PAYLOAD, TWO_PAYLOADS = object(), object()
WHOLE = [("no payload", NO_PAYLOAD), ("two payloads", TWO_PAYLOADS), ("null", None),
         ("string", "idea"), ("number", 42), ("true", True), ("list", []),
         ("bytes", b"{}"), ("50 deep", nested(50, list)), ("lone surrogate", "\ud800")]
EXTRA = [("unknown field", {"admin": True}), ("surrogate field name", {"\ud800": 1}),
         ("100 KB field name", {"x" * 100_000: 1}), ("null field", {"owner_id": None})]
FRESH = "<fresh client id>"  # replaced by a new client_id at each send

# The read events of app/realtime/handlers.py: (required, optional) fields.
READS = {
    "workshop.join": ({"workshop_id": Id, "role": str}, {"since": int}),
    "workshop.sync": ({"workshop_id": Id}, {"since": int}),
    "board.history": ({"workshop_id": Id}, {"summary": bool}),
    "idea.similar": ({"workshop_id": Id, "text": str}, {}),
    "board.suggest": ({"workshop_id": Id}, {}),
    "board.hints": ({"workshop_id": Id, "idea_ids": [Id]}, {}),
    "results.support": ({"workshop_id": Id}, {}),
    "matches.mine": ({"workshop_id": Id}, {}),
}


@pytest.fixture
def world(app, monkeypatch):
    """One event (run by the site administrator) with three workshops, so that every
    command's validation runs past its phase check: `collect` (collecting: posting, the
    board, the clock, outcomes, settings), `vote` (voting on ideas) and `themes` (voting on
    themes). Each has ideas and themes; `collect` an action item and a conclusion. The
    suggestions use TF-IDF (the fuzz is about input, not about loading a model)."""
    monkeypatch.setattr(suggest, "_backend", TfidfBackend())
    with app.app_context():
        accounts.create_organiser(ORGANISER, PASSWORD)
        event = workshops.create_event("Grow your Region 2026")
        info = {}
        for key, vote_on in (("collect", "ideas"), ("vote", "ideas"), ("themes", "themes")):
            workshop = workshops.create_workshop(event, f"Workshop {key}", "How?")
            workshop.phase, workshop.vote_on = "collecting", vote_on
            seed = participants.get_or_create(workshop, f"seed-{key}")
            idea_ids = [ideas.post_idea(workshop, seed, text)[0].id for text in (
                "Cluster exchange programme", "Shared testbeds for SMEs", "Hydrogen valleys")]
            theme_ids = [board.create_theme(workshop, name, actor="seed")[0].data["theme"]["id"]
                         for name in ("Skills", "Testbeds")]
            if key == "collect":
                action, _change = outcomes.add_action(workshop, "Pilot exchange", "Cluster",
                                                      "short", theme_id=theme_ids[0])
                outcomes.set_conclusion(workshop, "Start small.", theme_id=theme_ids[0])
            else:
                workshop.phase = "voting"
            info[key] = {"id": workshop.id, "code": workshop.code,
                         "token": workshop.facilitator_token,
                         "screen_token": workshop.screen_token,
                         "ideas": idea_ids, "themes": theme_ids}
        info["collect"]["action"] = action.id
        event_id = event.id
        db.session.commit()
        db.session.remove()
    clients = {"phone": Client(app, info["collect"], "attendee"),
               "console": Client(app, info["collect"], "facilitator"),
               "voter": Client(app, info["vote"], "attendee"),
               "theme_voter": Client(app, info["themes"], "attendee")}
    for client in clients.values():
        client.join()
    organiser = app.test_client()
    assert organiser.post("/login", data={"email": ORGANISER, "password": PASSWORD}
                          ).status_code == 302
    yield types.SimpleNamespace(app=app, info=info, event_id=event_id, organiser=organiser,
                                **clients)
    for client in clients.values():
        if client.sio.is_connected():
            client.sio.disconnect()


def socket_cases(w):
    """(label, event, client, valid payload) for every socket event."""
    c, v, t = w.info["collect"], w.info["vote"], w.info["themes"]
    (i1, i2, _i3), (t1, t2) = c["ideas"], c["themes"]
    writes = {
        "idea.post": {"text": "Mentoring between clusters"},
        "profile.update": {"display_name": "Ana", "organisation": "Clúster", "kind": "company",
                           "region": "Comunitat Valenciana", "contact": "ana@example.eu",
                           "match_opt_in": True},
        "phase.set": {"phase": "grouping"},
        "settings.update": {"vote_budget": 5, "vote_cap": 1, "premoderation": False,
                            "hide_until_reveal": False, "vote_on": "ideas"},
        "theme.create": {"name": "Skills", "colour": "#146c2e"},
        "theme.rename": {"theme_id": t1, "name": "Talent"},
        "theme.recolour": {"theme_id": t1, "colour": "#146c2e"},
        "theme.reorder": {"order": [t2, t1]},
        "theme.delete": {"theme_id": t2},
        "idea.move": {"idea_id": i1, "theme_id": t1, "position": 0},
        "idea.merge": {"idea_id": i2, "into_id": i1},
        "board.undo": {},
        "board.redo": {},
        "idea.hide": {"idea_id": i1, "hidden": True},
        "idea.pin": {"idea_id": i1, "pinned": True},
        "idea.delete": {"idea_id": i1},
        "idea.edit": {"idea_id": i1, "text": "Cluster exchange programmes"},
        "idea.approve": {"idea_id": i1},
        "ideas.reveal": {},
        "clock.start": {"seconds": 14400, "advance": False},
        "clock.pause": {}, "clock.resume": {}, "clock.stop": {},
        "clock.extend": {"seconds": 60},
        "conclusion.set": {"theme_id": t1, "text": "Start with two regions."},
        "action.add": {"theme_id": t1, "what": "Pilot", "owner": "Cluster", "horizon": "short"},
        "action.update": {"action_id": c["action"], "what": "Pilot", "owner": "Region",
                          "horizon": "medium"},
        "action.delete": {"action_id": c["action"]},
        "projector.set": {"page": 1, "spotlight_idea_id": c["ideas"][2], "hide_tallies": True,
                          "auto_advance": 0, "small_join": True},
    }
    cases = [("vote.cast", "vote.cast", w.voter, {"idea_id": v["ideas"][0]}),
             ("vote.retract", "vote.retract", w.voter, {"idea_id": v["ideas"][0]}),
             ("vote.cast on themes", "vote.cast", w.theme_voter, {"theme_id": t["themes"][0]}),
             ("vote.retract on themes", "vote.retract", w.theme_voter,
              {"theme_id": t["themes"][0]})]
    for name, fields in writes.items():
        client = w.phone if commands.role_of(name) == "attendee" else w.console
        cases.append((name, name, client, fields))
    for case in cases:
        case[3].update({"workshop_id": case[2].workshop["id"], "client_id": FRESH})
    reads = {"workshop.join": (w.phone, {"role": "attendee", "since": 0}),
             "workshop.sync": (w.phone, {"since": 0}),
             "board.history": (w.console, {}),
             "idea.similar": (w.phone, {"text": "exchange programme"}),
             "board.suggest": (w.console, {}),
             "board.hints": (w.console, {"idea_ids": c["ideas"]}),
             "results.support": (w.phone, {}),
             "matches.mine": (w.phone, {})}
    for name, (client, fields) in reads.items():
        cases.append((name, name, client, {"workshop_id": client.workshop["id"], **fields}))
    return cases


# --- the bilateral meetings' events (app/realtime/meeting_handlers.py): their own handlers,
# not app/commands.py, so they are declared here and fuzzed by
# test_every_meeting_event_refuses_hostile_input (fixture `meetings_world`, meeting_cases).
MEETING_READS = {
    "meetings.mine": ({"workshop_id": Id}, {"since": int}),
    "meetings.people": ({"workshop_id": Id}, {"query": str, "kind": str, "region": str,
                                              "theme": str}),
    "meetings.slots": ({"workshop_id": Id, "request_id": Id}, {}),
}
MEETING_WRITES = {name: ({"workshop_id": Id, "client_id": str, **required}, optional)
                  for name, (required, optional) in {
    "meeting.request": ({"person_id": Id}, {"message": str}),
    "meeting.accept": ({"request_id": Id}, {"slot": str}),
    "meeting.list": ({"request_id": Id, "listed": bool}, {}),
    "meeting.decline": ({"request_id": Id}, {}),
    "meeting.cancel": ({"request_id": Id}, {}),
    "meeting.block": ({"person_id": Id}, {"report": bool}),
}.items()}
MEETING_EVENTS = set(MEETING_READS) | set(MEETING_WRITES)
# Their envelope (workshop_id, client_id) is checked by their own code
# (meeting_handlers._caller), not by commands.execute: every hostile value there too.
FULL_ENVELOPE |= set(MEETING_WRITES)
# --- end of the meetings' declarations


@pytest.fixture
def meetings_world(app):
    """A workshop whose event has a meeting plan (a morning in 2030, two tables) and seven
    opted-in attendees, each on their own phone. `ana` sends every meeting event; the
    others give each of her writes its own target, so that each valid payload is accepted
    whatever ran before it: `ben` and `cai` asked her (pending: accept, decline), she asked
    `dee` (pending: cancel), she meets `eve` (booked: list), she may request `gus` and
    block `fay`."""
    workshop = make_workshop(app)
    with app.app_context():
        event = db.session.get(Workshop, workshop["id"]).event
        meeting_slots.set_plan(event, days=["2030-05-12"], day_start="09:00", day_end="12:00",
                               slot_minutes=20, breaks=[], tables=["T1", "T2"],
                               timezone="Europe/Madrid")
        db.session.commit()
        db.session.remove()
    phones, ids = {}, {}
    for name, region in (("ana", "Valencia"), ("ben", "Navarra"), ("cai", "Bavaria"),
                         ("dee", "Lazio"), ("eve", "Flanders"), ("fay", "Styria"),
                         ("gus", "Skåne")):
        phone = phones[name] = Client(app, workshop, "attendee")
        phone.join()
        assert phone.write("profile.update", display_name=name.title(), region=region,
                           organisation=f"Org {name}", kind="company",
                           contact=f"{name}@example.eu", match_opt_in=True)["ok"]
        agenda = phone.call("meetings.mine", {"workshop_id": workshop["id"]})
        assert agenda["ok"] and agenda["opted_in"], agenda
        ids[name] = agenda["person_id"]

    def ask(asker, asked):
        ack = phones[asker].write("meeting.request", person_id=ids[asked], message="Hello")
        assert ack["ok"], ack
        return ack["id"]

    requests = {"accept": ask("ben", "ana"), "decline": ask("cai", "ana"),
                "cancel": ask("ana", "dee"), "list": ask("ana", "eve")}
    assert phones["eve"].write("meeting.accept", request_id=requests["list"])["ok"]
    return types.SimpleNamespace(app=app, workshop=workshop, phones=phones, ids=ids,
                                 requests=requests)


def meeting_cases(m):
    """(label, event, client, valid payload) for every meeting event, all sent by `ana`."""
    ana, ids, requests = m.phones["ana"], m.ids, m.requests
    reads = {"meetings.mine": {"since": 0},
             "meetings.people": {"query": "org", "kind": "company", "region": "Navarra",
                                 "theme": ""},
             "meetings.slots": {"request_id": requests["accept"]}}
    writes = {"meeting.request": {"person_id": ids["gus"], "message": "Hydrogen valleys?"},
              "meeting.accept": {"request_id": requests["accept"], "slot": "2030-05-12T09:40"},
              "meeting.list": {"request_id": requests["list"], "listed": True},
              "meeting.decline": {"request_id": requests["decline"]},
              "meeting.cancel": {"request_id": requests["cancel"]},
              "meeting.block": {"person_id": ids["fay"], "report": True}}
    envelope = {"workshop_id": m.workshop["id"]}
    return [(name, name, ana, {**envelope, **fields}) for name, fields in reads.items()] + [
        (name, name, ana, {**envelope, "client_id": FRESH, **fields})
        for name, fields in writes.items()]


def spec(event):
    if event in MEETING_READS or event in MEETING_WRITES:
        return {**MEETING_READS, **MEETING_WRITES}[event]
    return READS[event] if event in READS else commands.fields(event)


def fits(value, kind, optional) -> bool:
    """Is this value of the type the field is declared with? (Else it must be refused.)"""
    if value is None:
        return optional
    if isinstance(kind, list):
        return isinstance(value, list) and all(is_id(item) for item in value)
    if kind is bool or isinstance(value, bool):
        return kind is bool and isinstance(value, bool)
    if kind in (int, Id):
        low = 1 if kind is Id else MIN_INT
        return isinstance(value, int) and low <= value <= (MAX_ID if kind is Id else MAX_INT)
    if kind in (str, object):  # `object`: the service checks it is text
        return isinstance(value, str) and not SURROGATE.search(value)
    return False


def mutations(event, payload):
    """(label, payload, must be refused) for each hostile value in each field, each
    required field left out, extra fields and hostile whole payloads."""
    required, optional = spec(event)
    write = event not in READS and event not in MEETING_READS
    for name, kind in {**required, **optional}.items():
        for label, value in HOSTILE:
            if name == "client_id" and isinstance(value, str) and CLIENT_ID.match(value):
                continue  # a valid client id is not hostile
            if name in ENVELOPE and write and event not in FULL_ENVELOPE and \
                    label not in ENVELOPE_HOSTILE:
                continue
            refuse = not fits(value, kind, name in optional) or (
                write and isinstance(value, str) and len(value) > 10_000)  # no field is so long
            yield f"{name}={label}", {**payload, name: value}, refuse
        if name in required:
            yield f"without {name}", {k: v for k, v in payload.items() if k != name}, True
    for label, extra in EXTRA:
        yield label, {**payload, **extra}, True
    for label, whole in WHOLE:
        yield f"payload {label}", whole, True


def fill(payload):
    if isinstance(payload, dict) and payload.get("client_id") == FRESH:
        return {**payload, "client_id": new_client_id()}
    return payload


def emit(client, event, payload, valid):
    if payload is NO_PAYLOAD:
        return client.sio.emit(event, callback=True)
    if payload is TWO_PAYLOADS:
        return client.sio.emit(event, fill(valid), fill(valid), callback=True)
    return client.sio.emit(event, fill(payload), callback=True)


def _fingerprint_query():
    profile = (func.length(Participant.display_name) + func.length(Participant.organisation)
               + func.length(Participant.kind) + func.length(Participant.region)
               + func.length(Participant.contact))
    parts = [
        select(func.coalesce(func.sum(Workshop.version), 0)),
        select(func.count(Change.id)), select(func.count(Idea.id)),
        select(func.count(Theme.id)).where(Theme.deleted.is_(False)),
        select(func.coalesce(func.sum(Vote.dots), 0)),
        select(func.coalesce(func.sum(Participant.votes_used), 0)),
        select(func.count(Participant.id)), select(func.coalesce(func.sum(profile), 0)),
        select(func.count(Participant.id)).where(Participant.match_opt_in.is_(True)),
        select(func.count(ProcessedWrite.id)), select(func.count(BoardAction.id)),
        select(func.count(ActionItem.id)), select(func.count(Conclusion.id)),
        select(func.count(RecurringTheme.id)), select(func.count(EventOrganiser.id)),
        select(func.count(Event.id)).where(Event.published_token.is_not(None)),
        select(func.count(Event.id)).where(Event.deleted_at.is_not(None)),
        select(func.count(Event.id)).where(Event.personal_data_erased_at.is_not(None)),
        *_meeting_fingerprint(),
    ]
    return select(*[part.scalar_subquery() for part in parts])


def _meeting_fingerprint() -> list:
    """The meetings' state, not versioned by workshops: people and their agenda versions,
    requests by status and listing, seats, blocks and reports, plans."""
    return [
        select(func.count(MeetingPerson.id)),
        select(func.coalesce(func.sum(MeetingPerson.version), 0)),
        *[select(func.count(MeetingRequest.id)).where(MeetingRequest.status == status)
          for status in ("pending", "accepted", "declined", "cancelled", "removed")],
        select(func.count(MeetingRequest.id)).where(MeetingRequest.requester_listed.is_(True)),
        select(func.count(MeetingRequest.id)).where(MeetingRequest.invitee_listed.is_(True)),
        select(func.count(MeetingRequest.id)).where(MeetingRequest.open_pair.is_not(None)),
        select(func.count(MeetingSeat.id)), select(func.count(MeetingBlock.id)),
        select(func.count(MeetingBlock.id)).where(MeetingBlock.reported.is_(True)),
        select(func.count(MeetingPlan.id)),
    ]


FINGERPRINT = _fingerprint_query()


def fingerprint(app) -> tuple:
    """Everything a refused input must leave as it was: versions (every versioned change
    bumps one), and what is not versioned (votes, profiles, answered writes, the event's
    organisers, links and erasure)."""
    with app.app_context():
        row = tuple(db.session.execute(FINGERPRINT).one())
        db.session.remove()
    return row


def errors_logged(caplog):
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


# Accepted, these mark vote totals, recorded as votes.tallied by a background task.
TALLIED = {"vote.cast", "vote.retract", "idea.merge", "board.undo", "board.redo"}


class Judge:
    """Sends each hostile input and checks the answer. A refusal must leave the state as it
    was: checked against the baseline in batches (a fingerprint query per call would
    double the time), and always right before an input that may be accepted."""

    def __init__(self, app, caplog):
        self.app, self.caplog = app, caplog
        self.before = fingerprint(app)
        self.pending = []  # refusals not yet checked against the baseline
        self.sent = self.accepted = 0

    def __call__(self, label, refuse, send, event=None):
        if not refuse:
            self.flush()
        answer = send()
        self.sent += 1
        if hasattr(answer, "status_code"):  # an HTTP response
            where = f"{label}: {answer.status_code} {answer.data[:300]!r}"
            assert answer.status_code in (200, 400, 403, 404, 409, 410, 413), where
            assert answer.is_json, where
            ack = answer.get_json()
            assert (answer.status_code == 200) == (ack.get("ok") is True), where
        else:
            ack = answer
        where = f"{label}: {ack!r:.300}"
        assert not errors_logged(self.caplog), (where, errors_logged(self.caplog))
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), where
        if ack["ok"]:
            assert not refuse, f"accepted: {where}"
            self.accepted += 1
            if event in TALLIED:  # the coalesced votes.tallied is recorded a moment later
                time.sleep(2 * self.app.config["TALLY_INTERVAL"] + 0.1)
            self.before = fingerprint(self.app)
            return
        error = ack.get("error")
        assert isinstance(error, str) and error.strip(), where
        assert GENERIC not in error and len(error) <= 300, where
        self.pending.append(label)
        if len(self.pending) >= 40:
            self.flush()

    def flush(self):
        if self.pending:
            assert fingerprint(self.app) == self.before, \
                f"the state changed after one of these refusals: {self.pending}"
            self.pending = []


def stored_texts_are_clean(app):
    with app.app_context():
        texts = [*db.session.scalars(select(Idea.text)), *db.session.scalars(select(Theme.name)),
                 *db.session.scalars(select(Conclusion.text)),
                 *db.session.scalars(select(ActionItem.what)),
                 *db.session.scalars(select(ActionItem.owner)),
                 *db.session.scalars(select(MeetingRequest.message))]
        for p in db.session.scalars(select(Participant)):
            texts += [p.display_name, p.organisation, p.kind, p.region, p.contact]
        db.session.remove()
    return [t for t in texts if FORBIDDEN.search(t) or ("\n" in t and t != t.strip())]


def registered_events() -> set:
    return set(socketio.server.handlers["/"]) - {"connect", "disconnect"}


def test_every_socket_event_is_fuzzed(app):
    """A new socket event or command must be added to the fuzz (READS or socket_cases; a
    meeting event to MEETING_READS/MEETING_WRITES and meeting_cases)."""
    assert registered_events() == set(commands.names()) | set(READS) | MEETING_EVENTS


def test_every_socket_event_refuses_hostile_input(world, caplog):
    judge = Judge(world.app, caplog)
    cases = socket_cases(world)
    assert {event for _label, event, _client, _payload in cases} == \
        set(commands.names()) | set(READS)
    assert set(commands.names()) | set(READS) | MEETING_EVENTS == registered_events()
    for label, event, client, valid in cases:
        for mutation, payload, refuse in mutations(event, valid):
            judge(f"{label} {mutation}", refuse,
                  lambda: emit(client, event, payload, valid), event)
    judge.flush()
    assert stored_texts_are_clean(world.app) == []
    assert judge.sent > 3000 and judge.accepted < judge.sent / 10, (judge.sent, judge.accepted)


def test_every_meeting_event_refuses_hostile_input(meetings_world, caplog):
    """The meeting events, like the others; then each one's valid payload as is, which
    (or an earlier input of its case that was truly valid) must have been accepted."""
    judge = Judge(meetings_world.app, caplog)
    cases = meeting_cases(meetings_world)
    assert {event for _label, event, _client, _payload in cases} == MEETING_EVENTS
    for label, event, client, valid in cases:
        accepted = judge.accepted
        for mutation, payload, refuse in [*mutations(event, valid), ("as is", valid, False)]:
            judge(f"{label} {mutation}", refuse,
                  lambda: emit(client, event, payload, valid), event)
        assert judge.accepted > accepted, f"{label}: nothing was accepted"
    judge.flush()
    assert stored_texts_are_clean(meetings_world.app) == []
    assert judge.sent > 700 and judge.accepted < judge.sent / 10, (judge.sent, judge.accepted)


# Over HTTP, the body is read by views.json_body and then goes through the same code as a
# socket payload (commands.execute): each kind of hostile value once, in every field of
# every command; raw bodies (not JSON, bad UTF-8, too deep) for one command per role.
HTTP_HOSTILE = ["null", "true", "2^63", "NaN", "lone surrogate", "NUL", "100 KB", "object",
                "50 deep objects"]
RAW_FOR = {"idea.post", "theme.create"}


def test_every_json_route_refuses_hostile_input(world, caplog):
    judge = Judge(world.app, caplog)
    hostile = {label: value for label, value in HOSTILE if label in HTTP_HOSTILE}
    for label, event, client, valid in socket_cases(world):
        if event in READS:
            continue
        url = f"/api/workshops/{client.workshop['id']}/commands/{event}"
        required, optional = spec(event)
        bodies = [(f"{name}={value_label}", {**valid, name: value},
                   not fits(value, kind, name in optional) or (
                       isinstance(value, str) and len(value) > 10_000))
                  for name, kind in {**required, **optional}.items()
                  for value_label, value in hostile.items()
                  if name not in ENVELOPE or event in FULL_ENVELOPE]
        bodies += [(f"payload {n}", v, True) for n, v in (
            ("null", None), ("list", [valid]), ("string", "x"), ("50 deep", nested(50, list)))]
        for mutation, body, refuse in bodies:
            judge(f"POST {label} {mutation}", refuse, lambda: client.http.post(
                url, data=json.dumps(fill(body)), content_type="application/json"), event)
        for mutation, raw in RAW_BODIES if event in RAW_FOR else ():
            judge(f"POST {label} {mutation}", True, lambda: client.http.post(
                url, data=raw, content_type="application/json"))
    phone, workshop_id = world.phone, world.info["collect"]["id"]
    for path in [f"/api/workshops/{bad}/state" for bad in BAD_URL_IDS] + [
            f"/api/workshops/{bad}/commands/idea.post" for bad in BAD_URL_IDS] + [
            f"/api/workshops/{workshop_id}/state?since={bad}" for bad in BAD_SINCE] + [
            f"/api/workshops/{workshop_id}/commands/{bad}" for bad in BAD_NAMES]:
        method = phone.http.post if "/commands/" in path else phone.http.get
        judge(path[:80], True, lambda: method(path, json={"workshop_id": workshop_id}))
    organiser_endpoints(world, judge, hostile)
    judge.flush()
    assert stored_texts_are_clean(world.app) == []
    assert judge.sent > 900 and judge.accepted < judge.sent / 10, (judge.sent, judge.accepted)


RAW_BODIES = [("malformed JSON", b'{"text": '), ("invalid UTF-8", b'{"text": "\xff"}'),
              ("raw surrogate bytes", b'{"text": "\xed\xa0\x80"}'),
              ("3000 nested brackets", b"[" * 3000 + b"]" * 3000),
              ("surrogate key", b'{"\\udc00": 1}'),
              ("5000-digit number", b'{"workshop_id": ' + b"9" * 5000 + b"}"), ("empty body", b"")]
BAD_URL_IDS = ["0", "-1", str(MAX_ID + 1), str(10 ** 30), "9" * 5000, "abc", "1.5", "%00",
               "%ED%A0%80"]
BAD_SINCE = [str(10 ** 30), "abc", "1.5", "%00", "9" * 5000, ""]
BAD_NAMES = ["unknown", "%00", "%ED%A0%80", "x" * 2000, "idea.post%00"]


def organiser_endpoints(w, judge, hostile):
    """The organiser's JSON endpoints (app/views/event_admin.py): hostile values in each
    field, hostile whole bodies, and hostile ids in the URL."""
    collect, vote = w.info["collect"], w.info["vote"]
    base = f"/organiser/events/{w.event_id}"
    endpoints = {  # path: (valid body, field types); never a confirmed erase or delete
        "/publish": ({}, {}),
        "/unpublish": ({}, {}),
        "/recurring": ({"theme_ids": [collect["themes"][0], vote["themes"][0]],
                        "name": "Skills"}, {"theme_ids": [Id], "name": str}),
        "/recurring/1/unlink": ({}, {}),
        "/erase-personal-data": ({}, {"confirm": bool}),
        "/delete": ({}, {"confirm": bool}),
        "/organisers": ({"email": "ben@example.eu"}, {"email": str}),
        "/organisers/2/remove": ({}, {}),
    }
    json_accept = {"Accept": "application/json"}
    for path, (valid, kinds) in endpoints.items():
        bodies = [(f"{name}={label}", {**valid, name: value}, not fits(value, kind, True))
                  for name, kind in kinds.items() for label, value in hostile.items()
                  if not (name == "confirm" and value is True)]
        bodies += [(f"payload {n}", v, True) for n, v in (
            ("list", [valid]), ("string", "x"), ("number", 42), ("50 deep", nested(50, list)),
            ("lone surrogate", {"name": "\ud800"}), ("NaN", {"x": math.nan}))]
        for label, body, refuse in bodies:
            if path in ("/erase-personal-data", "/delete") and isinstance(body, dict):
                refuse = True  # unconfirmed
            judge(f"POST {path} {label}", refuse, lambda: w.organiser.post(
                base + path, data=json.dumps(body), content_type="application/json",
                headers=json_accept))
        for label, raw in RAW_BODIES[:-1]:
            judge(f"POST {path} {label}", True, lambda: w.organiser.post(
                base + path, data=raw, content_type="application/json", headers=json_accept))
        for bad in BAD_URL_IDS:
            judge(f"POST {bad[:20]}{path}", True, lambda: w.organiser.post(
                f"/organiser/events/{bad}{path}", json={}, headers=json_accept))


# --- random payloads (hypothesis) -------------------------------------------------------

# Characters worth trying: controls, NUL, bidi controls, surrogates, RTL letters, emoji.
SPECIAL = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\r", "\n", "\t",
                           "\u2028", "\u202e", "\u2066", "\u200f", "\ud800", "\udfff", "ع",
                           "ש", "👩\u200d💻", "\ufeff", "\uffff"])
TEXT = st.lists(st.characters() | SPECIAL, max_size=30).map("".join) | st.sampled_from(
    ["", "x" * 20_000])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.sampled_from(
        [0, -1, 1, MAX_ID, MAX_ID + 1, MAX_INT, MAX_INT + 1]) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12)


def test_random_payloads_are_refused_clearly_or_accepted_cleanly(world, caplog):
    judge = Judge(world.app, caplog)
    cases = socket_cases(world)

    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(st.data())
    def run(data):
        label, event, client, valid = data.draw(st.sampled_from(cases), label="event")
        required, optional = spec(event)
        names = sorted({**required, **optional})
        changed = data.draw(st.dictionaries(st.sampled_from(names) | TEXT, JSON_VALUES,
                                            min_size=1, max_size=3), label="fields")
        payload = {**valid, **changed}
        kinds = {**required, **optional}
        refuse = any(name not in kinds or not fits(value, kinds[name], name in optional)
                     or (event not in READS and isinstance(value, str) and len(value) > 10_000)
                     for name, value in changed.items()
                     if not (name == "client_id" and value == FRESH))
        if event in READS or not data.draw(st.booleans(), label="over HTTP"):
            judge(f"{label} {changed!r:.200}", refuse,
                  lambda: emit(client, event, payload, valid), event)
        else:
            judge(f"POST {label} {changed!r:.200}", refuse, lambda: client.http.post(
                f"/api/workshops/{client.workshop['id']}/commands/{event}",
                data=json.dumps(fill(payload)), content_type="application/json"), event)

    run()
    judge.flush()
    assert stored_texts_are_clean(world.app) == []


def count(app, model) -> int:
    with app.app_context():
        n = db.session.query(model).count()
        db.session.remove()
        return n
