"""What the projectors show is server state (services/projector.py, `projector.set`): the
facilitator sets it, everyone else is refused, bad input changes nothing, and a projector
gets the change live and again in the snapshot after a reconnect."""
import pytest

from app.services import projector
from helpers import make_workshop

DEFAULT = {"page": 0, "spotlight_idea_id": None, "hide_tallies": False, "auto_advance": 0,
           "small_join": False}


def snapshot_view(client):
    return client.join()["sync"]["snapshot"]["workshop"]["projector"]


def projector_events(client):
    return [p["args"][0] for p in client.received() if p["name"] == "projector.changed"]


def post(phone, text="A shared hydrogen testbed"):
    answer = phone.write("idea.post", text=text)
    assert answer["ok"], answer
    return answer["idea"]["id"]


def test_the_facilitator_sets_page_spotlight_and_tallies_and_projectors_follow(connect):
    console, screen, phone = connect("facilitator"), connect("screen"), connect()
    idea = post(phone)
    assert snapshot_view(screen) == DEFAULT
    screen.received()
    answer = console.write("projector.set", page=3, spotlight_idea_id=idea, hide_tallies=True,
                           auto_advance=20, small_join=True)
    wanted = {"page": 3, "spotlight_idea_id": idea, "hide_tallies": True, "auto_advance": 20,
              "small_join": True}
    assert answer["ok"] and answer["projector"] == wanted
    events = projector_events(screen)
    assert [e["data"] for e in events] == [wanted]
    assert events[0]["version"] == answer["version"]
    # a field left out stays; null clears the spotlight
    cleared = console.write("projector.set", spotlight_idea_id=None)
    assert cleared["projector"] == {**wanted, "spotlight_idea_id": None}
    # a reloaded projector (a new socket, no version) has it in its snapshot
    screen.sio.disconnect()
    assert snapshot_view(connect("screen")) == {**wanted, "spotlight_idea_id": None}
    assert snapshot_view(phone)["page"] == 3


def test_setting_the_same_view_again_records_nothing(connect):
    console, screen = connect("facilitator"), connect("screen")
    first = console.write("projector.set", page=1)
    screen.received()
    again = console.write("projector.set", page=1)
    assert again["ok"] and again["version"] == first["version"]
    assert projector_events(screen) == []


@pytest.mark.parametrize("role", ["attendee", "screen"])
def test_attendees_and_projector_links_are_refused(connect, role):
    console, other = connect("facilitator"), connect(role)
    answer = other.write("projector.set", page=2)
    assert answer == {"ok": False, "error": "Only the workshop's facilitator can do this."}
    assert snapshot_view(console) == DEFAULT


@pytest.mark.parametrize("fields, error", [
    ({"page": -1}, "Field 'page' must be between 0 and 999."),
    ({"page": 10**6}, "Field 'page' must be between 0 and 999."),
    ({"page": 2**80}, "Field 'page' must be a whole number from"),
    ({"page": "2"}, "Field 'page' must be a whole number."),
    ({"page": 1.5}, "Field 'page' must be a whole number."),
    ({"page": True}, "Field 'page' must be a whole number."),
    ({"hide_tallies": 1}, "Field 'hide_tallies' must be true or false."),
    ({"small_join": "yes"}, "Field 'small_join' must be true or false."),
    ({"auto_advance": 121}, "Field 'auto_advance' must be between 0 and 120."),
    ({"auto_advance": -5}, "Field 'auto_advance' must be between 0 and 120."),
    ({"spotlight_idea_id": 0}, "Field 'spotlight_idea_id' must be"),
    ({"spotlight_idea_id": "7"}, "Field 'spotlight_idea_id' must be"),
    ({"spotlight_idea_id": 2**40}, "Field 'spotlight_idea_id' must be"),
    ({"spotlight_idea_id": 999_999}, "This idea does not exist in this workshop."),
    ({"page": 1, "colour": "red"}, "Unexpected field 'colour'."),
    # one bad field refuses the whole command: the good one is not applied either
    ({"page": 4, "auto_advance": 500}, "Field 'auto_advance' must be between 0 and 120."),
])
def test_bad_input_is_refused_and_changes_nothing(connect, fields, error):
    console, screen = connect("facilitator"), connect("screen")
    screen.received()
    answer = console.write("projector.set", **fields)
    assert answer["ok"] is False and answer["error"].startswith(error), answer
    assert projector_events(screen) == []
    assert snapshot_view(console) == DEFAULT


def test_only_an_idea_the_room_sees_can_be_in_the_spotlight(app, connect):
    console, phone = connect("facilitator"), connect()
    hidden, deleted, merged, kept = (post(phone, f"Idea number {n}") for n in range(4))
    assert console.write("idea.hide", idea_id=hidden, hidden=True)["ok"]
    assert console.write("idea.delete", idea_id=deleted)["ok"]
    assert console.write("idea.merge", idea_id=merged, into_id=kept)["ok"]
    other = make_workshop(app)
    foreign = post(connect(target=other), "Another workshop's idea")
    for idea_id, error in [
            (hidden, "Only an idea the room can see can be in the spotlight."),
            (merged, "Only an idea the room can see can be in the spotlight."),
            (deleted, "This idea does not exist in this workshop."),
            (foreign, "This idea does not exist in this workshop.")]:
        answer = console.write("projector.set", spotlight_idea_id=idea_id)
        assert answer == {"ok": False, "error": error}, idea_id
    assert snapshot_view(console) == DEFAULT
    assert console.write("projector.set", spotlight_idea_id=kept)["ok"]


def test_a_queued_idea_cannot_be_in_the_spotlight(app, connect):
    workshop = make_workshop(app)
    console = connect("facilitator", target=workshop)
    assert console.write("settings.update", premoderation=True)["ok"]
    queued = post(connect(target=workshop), "Waiting for approval")
    answer = console.write("projector.set", spotlight_idea_id=queued)
    assert answer["error"] == "Only an idea the room can see can be in the spotlight."
    assert console.write("idea.approve", idea_id=queued)["ok"]
    assert console.write("projector.set", spotlight_idea_id=queued)["ok"]


def test_the_service_takes_plain_arguments(app, workshop):
    from app.extensions import db
    from app.models import Workshop
    from app.services.errors import InvalidInput
    with app.app_context():
        row = db.session.get(Workshop, workshop["id"])
        with pytest.raises(InvalidInput):
            projector.set_view(row, page=-1)
        assert projector.set_view(row) is None  # nothing asked, nothing recorded
        change = projector.set_view(row, auto_advance=120, hide_tallies=True)
        assert change.type == "projector.changed" and change.data["auto_advance"] == 120
        db.session.rollback()


def test_a_phase_change_goes_back_to_page_one_and_clears_the_spotlight(connect):
    console, screen, phone = connect("facilitator"), connect("screen"), connect()
    idea = post(phone)
    assert console.write("phase.set", phase="collecting")["ok"]
    assert console.write("projector.set", page=4, spotlight_idea_id=idea, hide_tallies=True)["ok"]
    screen.received()
    answer = console.write("phase.set", phase="voting")
    assert answer["ok"]
    changed = [p["args"][0] for p in screen.received()
               if p["name"] in ("phase.changed", "projector.changed")]
    # one transaction: the phase, then the projector under the next version
    assert [(c["type"], c["version"]) for c in changed] == [
        ("phase.changed", answer["version"] - 1), ("projector.changed", answer["version"])]
    assert changed[1]["data"] == {**DEFAULT, "hide_tallies": True}  # only page and spotlight
    assert snapshot_view(connect("screen"))["page"] == 0
    # already on page one with no spotlight: the phase change is all that is recorded
    screen.received()
    again = console.write("phase.set", phase="results")
    assert [p["args"][0]["type"] for p in screen.received()
            if p["name"].endswith(".changed")] == ["phase.changed"]
    assert again["version"] == answer["version"] + 1


def test_the_clock_moving_the_phase_on_resets_the_projector_too(app, workshop):
    from datetime import timedelta

    from app.extensions import db
    from app.models import Workshop, utcnow
    from app.services import clock
    with app.app_context():
        row = db.session.get(Workshop, workshop["id"])
        row.phase, row.clock_advance = "collecting", True
        projector.set_view(row, page=2)
        ends = utcnow() - timedelta(seconds=1)
        row.clock_ends_at = ends
        db.session.commit()
        made = clock.expire(row.id, ends)
        assert [c.type for c in made] == ["clock.changed", "phase.changed", "projector.changed"]
        assert made[-1].data["page"] == 0 and row.phase == "grouping"
        db.session.rollback()
