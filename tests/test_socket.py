"""Socket protocol with several real Socket.IO test clients sharing one app and database."""
import time

import pytest

from app.extensions import db
from app.models import Idea, ProcessedWrite, Vote, Workshop
from helpers import count_rows, make_workshop, new_client_id, wait_for


def events(packets, name):
    return [p["args"][0] for p in packets if p["name"] == name]


def phase_of(app, workshop_id):
    with app.app_context():
        phase = db.session.get(Workshop, workshop_id).phase
        db.session.remove()
        return phase


def test_posted_idea_reaches_every_screen_as_a_small_delta(connect):
    """An idea posted on one phone shows on the projector, the console and other phones."""
    phone, other, screen, console = (connect(), connect(), connect("screen"),
                                     connect("facilitator"))
    for client in (other, screen, console):
        client.received()
    ack = phone.write("idea.post", text="  Shared testbeds for SMEs across regions  ")
    assert ack["ok"] and ack["idea"]["text"] == "Shared testbeds for SMEs across regions"
    for client in (other, screen, console):
        posted = events(client.received(), "idea.posted")
        assert posted == [{"version": ack["version"], "type": "idea.posted",
                           "data": {"idea": ack["idea"]}}]


def test_phase_change_reaches_everyone_and_gates_actions(connect):
    """The facilitator opens voting: every screen follows, posting stops, voting starts."""
    phone, console = connect(), connect("facilitator")
    idea = phone.write("idea.post", text="Cluster exchange programme")["idea"]
    assert phone.write("vote.cast", idea_id=idea["id"])["error"] == "Voting is not open right now."
    phone.received()
    ack = console.write("phase.set", phase="voting")
    assert ack["ok"] and ack["phase"] == "voting"
    changed = events(phone.received(), "phase.changed")
    assert changed[0]["data"] == {"phase": "voting", "previous": "collecting"}
    refused = phone.write("idea.post", text="late idea")
    assert refused == {"ok": False, "error": "Posting is closed: the workshop is voting now."}
    assert phone.write("vote.cast", idea_id=idea["id"])["ok"]


def test_vote_tallies_are_coalesced_and_exact(app, connect):
    """A burst of votes gives a handful of tally broadcasts, and the last one is exact."""
    workshop = make_workshop(app, phase="voting", vote_budget=5, vote_cap=5)
    with app.app_context():  # made before anyone joins: it carries no version of its own
        db.session.add(Idea(workshop_id=workshop["id"], participant_id=None, text="Idea A"))
        db.session.commit()
        idea_id = db.session.query(Idea.id).scalar()
        db.session.remove()
    author = connect(target=workshop)
    voters = [connect(target=workshop) for _ in range(12)]
    screen = connect("screen", target=workshop)
    screen.pump()
    started = time.monotonic()
    for _ in range(5):
        for voter in voters:
            assert voter.write("vote.cast", idea_id=idea_id)["ok"]
    elapsed = time.monotonic() - started
    final = wait_for(lambda: (screen.pump(), screen.state["ideas"][idea_id]["votes"] == 60)[1])
    assert final, screen.state
    with app.app_context():
        from app.models import Change
        tally_changes = db.session.query(Change).filter_by(type="votes.tallied").count()
        db.session.remove()
    # 60 votes; at most one broadcast per 150 ms (+1 for the last, once the votes pause).
    assert tally_changes <= elapsed / 0.15 + 2, (tally_changes, elapsed)
    assert tally_changes < 60
    assert author.sio.is_connected()


def test_resent_write_is_acknowledged_again_and_applied_once(app, connect):
    """A phone that resends after a timeout gets the same answer; nothing is doubled."""
    phone, screen = connect(), connect("screen")
    screen.received()
    first = phone.write("idea.post", client_id="post-1", text="Regional data spaces")
    again = phone.write("idea.post", client_id="post-1", text="Regional data spaces")
    assert first == again and first["ok"]
    assert count_rows(app, Idea) == 1
    assert len(events(screen.received(), "idea.posted")) == 1
    console = connect("facilitator")
    console.write("phase.set", phase="voting")
    idea_id = first["idea"]["id"]
    vote = phone.write("vote.cast", client_id="vote-1", idea_id=idea_id)
    assert phone.write("vote.cast", client_id="vote-1", idea_id=idea_id) == vote
    with app.app_context():
        assert db.session.query(Vote).one().dots == 1
        db.session.remove()


def test_reconnecting_phone_gets_the_missed_deltas_and_converges(app, connect):
    """A phone offline for a while catches up from its last version to what others see."""
    phone, other, screen, console = (connect(), connect(), connect("screen"),
                                     connect("facilitator"))
    phone.write("idea.post", text="Before the tunnel")
    phone.pump()
    last_seen = phone.version
    phone.sio.disconnect()
    ids = [other.write("idea.post", text=f"Idea while offline {n}")["idea"]["id"]
           for n in range(3)]
    console.write("phase.set", phase="voting")
    other.write("vote.cast", idea_id=ids[0])
    assert wait_for(lambda: (screen.pump(), screen.state["ideas"][ids[0]]["votes"] == 1)[1]), \
        "the projector never saw the vote's tally"
    phone.sio.connect()
    ack = phone.join(since=last_seen)
    assert ack["sync"]["mode"] == "deltas"
    assert [d["type"] for d in ack["sync"]["deltas"]] == [
        "idea.posted", "idea.posted", "idea.posted", "phase.changed", "votes.tallied"]
    assert phone.state == screen.state and phone.version == screen.version


def test_client_far_behind_or_new_gets_a_snapshot(app, workshop, connect):
    """No version, a future version or too many missed changes: a full snapshot instead."""
    app.config["MAX_DELTAS"] = 2
    phone = connect()
    for n in range(3):
        phone.write("idea.post", text=f"idea {n}")
    assert phone.join(since=0)["sync"]["mode"] == "snapshot"
    assert phone.join(since=999)["sync"]["mode"] == "snapshot"
    assert phone.join(since=None)["sync"]["mode"] == "snapshot"
    assert phone.join(since=2)["sync"]["mode"] == "deltas"
    sync = phone.call("workshop.sync", {"workshop_id": workshop["id"], "since": 1})
    assert sync["ok"] and [d["version"] for d in sync["sync"]["deltas"]] == [2, 3]


def test_presence_counts_distinct_attendees(connect):
    """The projector shows how many people are connected; two tabs are one person."""
    screen = connect("screen")
    phone = connect()
    assert wait_for(lambda: any(e == {"connected": 1}
                                for e in events(screen.received(), "presence.changed")))
    second_tab = connect(join=False)
    second_tab.http = phone.http  # same browser
    other = connect()
    assert wait_for(lambda: any(e == {"connected": 2}
                                for e in events(screen.received(), "presence.changed")))
    other.sio.disconnect()
    assert wait_for(lambda: any(e == {"connected": 1}
                                for e in events(screen.received(), "presence.changed")))


def test_the_count_of_people_goes_to_consoles_and_projectors_not_to_every_phone(connect):
    """Phones never show it: sending it to them was a fan-out to the whole room at every
    arrival of a crowd (docs/PERFORMANCE.md)."""
    console, screen, phone = connect("facilitator"), connect("screen"), connect()
    connect()
    for client in (console, screen):
        assert wait_for(lambda c=client: any(
            e == {"connected": 2} for e in events(c.received(), "presence.changed")))
    assert events(phone.received(), "presence.changed") == []
    assert phone.join()["connected"] == 2  # its join ack still says it


def test_profile_is_saved_and_returned_on_rejoin(connect):
    """The optional profile is kept for the same person across reconnects."""
    phone = connect()
    ack = phone.write("profile.update", display_name="Ana", organisation="AVAESEN",
                      kind="cluster", region="Comunitat Valenciana")
    assert ack["ok"] and ack["profile"]["kind"] == "cluster"
    bad = phone.write("profile.update", kind="spaceship")
    assert not bad["ok"] and "stakeholder kind" in bad["error"]
    phone.sio.disconnect()
    phone.sio.connect()
    assert phone.join()["me"]["profile"] == ack["profile"]


# --- refusals: every one is a clear error and leaves the state as it was -------------

def test_attendee_cannot_send_facilitator_events(app, workshop, connect):
    phone = connect()
    for event, fields in (("phase.set", {"phase": "results"}),
                          ("settings.update", {"vote_budget": 50})):
        ack = phone.write(event, **fields)
        assert ack == {"ok": False, "error": "Only the workshop's facilitator can do this."}
    assert phase_of(app, workshop["id"]) == "collecting"


def test_projector_and_facilitator_cannot_post_or_vote(app, connect):
    for role in ("screen", "facilitator"):
        ack = connect(role).write("idea.post", text="not an attendee")
        assert not ack["ok"] and "Only attendees" in ack["error"]
    assert count_rows(app, Idea) == 0


def test_event_for_a_workshop_never_joined_is_refused(app, connect):
    other = make_workshop(app)
    phone = connect()
    payload = {"workshop_id": other["id"], "client_id": new_client_id(), "text": "sneaky"}
    assert phone.call("idea.post", payload) == {
        "ok": False, "error": "You have not joined this workshop."}
    assert phone.call("workshop.sync", {"workshop_id": other["id"], "since": 0})["ok"] is False
    assert count_rows(app, Idea) == 0


def test_joining_needs_the_right_credentials(app, workshop, connect):
    """No cookie from the join link: no attendee; no facilitator link: no console."""
    stranger = connect("screen", join=False)
    ack = stranger.call("workshop.join", {"workshop_id": workshop["id"], "role": "attendee"})
    assert ack == {"ok": False, "error": "Open the workshop's join link first to take part."}
    ack = stranger.call("workshop.join", {"workshop_id": workshop["id"], "role": "facilitator"})
    assert not ack["ok"] and "facilitator link" in ack["error"]
    ack = stranger.call("workshop.join", {"workshop_id": 9999, "role": "screen"})
    assert ack == {"ok": False, "error": "This workshop does not exist."}
    ack = stranger.call("workshop.join", {"workshop_id": workshop["id"], "role": "admin"})
    assert not ack["ok"] and "Unknown role" in ack["error"]


@pytest.mark.parametrize("payload, error", [
    ("just a string", "The message must be a JSON object."),
    ([1, 2], "The message must be a JSON object."),
    (None, "The message must be a JSON object."),
    ({"client_id": "a", "text": "x"}, "Missing field 'workshop_id'."),
    ({"workshop_id": True, "client_id": "a", "text": "x"},
     "Field 'workshop_id' must be a whole number."),
    ({"workshop_id": "1", "client_id": "a", "text": "x"},
     "Field 'workshop_id' must be a whole number."),
    ({"text": "x"}, "Missing field 'client_id'."),
    ({"client_id": "a"}, "Missing field 'text'."),
    ({"client_id": "a", "text": "x", "admin": True}, "Unexpected field 'admin'."),
    ({"client_id": 5, "text": "x"}, "Field 'client_id' must be a string."),
    ({"client_id": "no spaces allowed", "text": "x"},
     "Field 'client_id' must be 1-64 letters, digits or '_.:-'."),
    ({"client_id": "a", "text": 42}, "The idea must be text."),
    ({"client_id": "a", "text": ["x"]}, "The idea must be text."),
    ({"client_id": "a", "text": "   "}, "The idea is empty: write something first."),
    ({"client_id": "a", "text": "x" * 501}, "The idea is too long (501 characters; at most 500)."),
    ({"client_id": "a", "text": "x" * 900_000},
     "The idea is too long (900000 characters; at most 500)."),
])
def test_malformed_idea_payloads_get_clear_errors(app, workshop, connect, payload, error):
    phone = connect()
    if isinstance(payload, dict) and "workshop_id" not in payload \
            and "Missing field 'workshop_id'" not in error:
        payload = {"workshop_id": workshop["id"], **payload}
    assert phone.call("idea.post", payload) == {"ok": False, "error": error}
    assert count_rows(app, Idea) == 0 and count_rows(app, ProcessedWrite) == 0


def test_bad_votes_get_clear_errors_and_change_nothing(app, connect):
    workshop = make_workshop(app, phase="voting", vote_budget=2)
    other = make_workshop(app, phase="voting")
    with app.app_context():
        mine = Idea(workshop_id=workshop["id"], text="mine")
        theirs = Idea(workshop_id=other["id"], text="theirs")
        db.session.add_all([mine, theirs])
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
        db.session.remove()
    phone = connect(target=workshop)
    assert phone.write("vote.cast", idea_id=theirs_id)["error"] == \
        "This idea does not exist in this workshop."
    assert phone.write("vote.cast", idea_id="7")["error"] == \
        "Field 'idea_id' must be a whole number."
    assert phone.write("vote.retract", idea_id=mine_id)["error"] == \
        "You have no vote on this idea to take back."
    assert phone.write("vote.cast", idea_id=mine_id)["ok"]
    assert phone.write("vote.cast", idea_id=mine_id)["error"] == \
        "You have already voted for this idea (one vote per idea)."
    with app.app_context():
        assert [v.dots for v in db.session.query(Vote)] == [1]
        db.session.remove()


def test_budget_dots_fill_and_empty(app, connect):
    """Five dots to spend, a clear message on the sixth, and a dot back when retracted."""
    workshop = make_workshop(app, phase="voting")
    with app.app_context():
        ideas = [Idea(workshop_id=workshop["id"], text=f"idea {n}") for n in range(6)]
        db.session.add_all(ideas)
        db.session.commit()
        ids = [i.id for i in ideas]
        db.session.remove()
    phone = connect(target=workshop)
    lefts = [phone.write("vote.cast", idea_id=i)["votes_left"] for i in ids[:5]]
    assert lefts == [4, 3, 2, 1, 0]
    assert phone.write("vote.cast", idea_id=ids[5]) == {
        "ok": False, "error": "You have used all 5 of your votes. "
                              "Take one back to vote for another idea."}
    back = phone.write("vote.retract", idea_id=ids[0])
    assert back == {"ok": True, "idea_id": ids[0], "my_dots": 0, "votes_used": 4, "votes_left": 1}
    assert phone.write("vote.cast", idea_id=ids[5])["ok"]
    assert phone.join()["me"]["votes_used"] == 5


def test_settings_validation(app, workshop, connect):
    console = connect("facilitator")
    assert console.write("settings.update", vote_budget=3, vote_cap=4)["error"] == \
        "The per-idea cap (4) cannot be larger than the budget (3)."
    assert console.write("settings.update", vote_budget=0)["error"] == \
        "Field 'vote_budget' must be between 1 and 100."
    assert console.write("settings.update", vote_budget="10")["error"] == \
        "Field 'vote_budget' must be a whole number."
    ok = console.write("settings.update", vote_budget=10, vote_cap=3)
    assert ok["ok"] and (ok["vote_budget"], ok["vote_cap"]) == (10, 3)


def test_unexpected_server_error_is_an_error_ack_and_releases_the_db(app, connect, monkeypatch):
    """A bug in a handler gives the phone an error ack, not a hang; no connection leaks."""
    from app.services import ideas

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    phone = connect()
    monkeypatch.setattr(ideas, "post_idea", broken)
    ack = phone.write("idea.post", text="hello")
    assert ack == {"ok": False, "error": "Something went wrong on the server; "
                                         "nothing was changed. Please try again."}
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
    assert count_rows(app, Idea) == 0


def test_every_socket_event_releases_its_db_session(app, connect):
    """Flask teardown does not run for socket events: the handlers release connections."""
    phone = connect()
    phone.write("idea.post", text="one")
    phone.write("idea.post", text="")
    phone.call("workshop.join", "garbage")
    with app.app_context():
        assert db.engine.pool.checkedout() == 0


def test_a_join_in_a_full_room_answers_every_idea_whole(app, connect):
    """The server sends JSON only (realtime/packets.py: no scan for bytes): a late phone's
    join answer carries all 150 ideas of a full room, long, RTL and emoji text intact."""
    from app.extensions import socketio
    from app.realtime.packets import TextPacket
    assert socketio.server.packet_class is TextPacket
    poster = connect()
    texts = [f"Idea {n}: {'مشاريع مشتركة ' if n % 3 == 0 else ''}🚲 " + "x" * (n % 40)
             for n in range(150)]
    for text in texts:
        assert poster.write("idea.post", text=text)["ok"]
    late = connect(join=False)
    ack = late.join()
    ideas = ack["sync"]["snapshot"]["ideas"]
    assert sorted(i["text"] for i in ideas) == sorted(t.strip() for t in texts)  # trimmed
