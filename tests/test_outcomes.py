"""What a workshop concluded, over real sockets: conclusions and action items written by
the facilitator reach every phone and the projector live; support broken down by kind and
region; every bad request is refused and changes nothing."""
import pytest

from app.models import ActionItem, Conclusion
from helpers import count_rows, make_workshop, wait_for


@pytest.fixture
def room(app, connect):
    """A workshop in results: two themes, ideas voted on by people from several regions."""
    workshop = make_workshop(app, phase="collecting", vote_budget=5, vote_cap=1)
    console = connect("facilitator", target=workshop)
    screen = connect("screen", target=workshop)
    people = [connect(target=workshop) for _ in range(4)]
    profiles = [("company", "Comunitat Valenciana"), ("company", "comunitat  valenciana"),
                ("cluster", "Basque Country"), ("public_authority", "")]
    for phone, (kind, region) in zip(people, profiles, strict=True):
        assert phone.write("profile.update", kind=kind, region=region)["ok"]
    ideas = [people[0].write("idea.post", text=t)["idea"]["id"] for t in (
        "Shared testbeds for SMEs", "Skills academy for green jobs", "Cross-border vouchers")]
    skills = console.write("theme.create", name="Skills")["theme"]["id"]
    testbeds = console.write("theme.create", name="Testbeds")["theme"]["id"]
    console.write("idea.move", idea_id=ideas[0], theme_id=testbeds, position=0)
    console.write("idea.move", idea_id=ideas[1], theme_id=skills, position=0)
    console.write("phase.set", phase="voting")
    for phone in people:
        assert phone.write("vote.cast", idea_id=ideas[1])["ok"]
    assert people[2].write("vote.cast", idea_id=ideas[0])["ok"]
    console.write("phase.set", phase="results")
    return workshop, console, screen, people, ideas, {"skills": skills, "testbeds": testbeds}


def settled_version(client, timeout=10.0):
    """The version once the coalesced vote tallies (a flush every 0.15 s) have landed:
    the same on two joins 0.4 s apart."""
    import time
    deadline = time.monotonic() + timeout
    version = client.join()["version"]
    while time.monotonic() < deadline:
        time.sleep(0.4)
        now = client.join()["version"]
        if now == version:
            return now
        version = now
    pytest.fail(f"the workshop's version was still moving after {timeout} s (now {version})")


def broadcasts(client, name):
    return [p["args"][0] for p in client.received() if p["name"] == name]


def test_conclusions_and_actions_reach_every_screen_live(room):
    workshop, console, screen, people, ideas, themes = room
    settled_version(console)  # the votes' tallies are in: only outcomes change from here
    for client in [screen] + people:
        client.received()  # drop what came before
    ack = console.write("conclusion.set", theme_id=themes["skills"],
                        text="  Regions should pool   their training offers.\n\n"
                             "Start with green jobs. ")
    assert ack["ok"] and ack["version"] > 0
    action = console.write("action.add", theme_id=themes["skills"], what="Map training offers",
                           owner="AVAESEN with Tecnalia", horizon="short")
    assert action["ok"] and action["action"]["horizon"] == "short"
    on_idea = console.write("action.add", idea_id=ideas[2], what="Pilot a voucher", horizon="long")
    assert on_idea["action"]["idea_id"] == ideas[2] and on_idea["action"]["owner"] == ""

    seen = wait_for(lambda: broadcasts(people[3], "action.added") or None)
    assert seen  # the phone got it without asking
    for client in (screen, people[0]):
        snapshot = client.join()["sync"]["snapshot"]
        assert snapshot["conclusions"] == [{
            "theme_id": themes["skills"], "idea_id": None,
            "text": "Regions should pool their training offers.\n\nStart with green jobs."}]
        assert [(a["what"], a["owner"], a["horizon"]) for a in snapshot["actions"]] == [
            ("Map training offers", "AVAESEN with Tecnalia", "short"),
            ("Pilot a voucher", "", "long")]

    edited = console.write("action.update", action_id=action["action"]["id"], horizon="medium",
                           owner="S3 working group")
    assert edited["ok"]
    assert console.write("action.delete", action_id=on_idea["action"]["id"])["ok"]
    # a reconnecting phone catches up from deltas, exactly
    phone = people[1]
    phone.pump()
    late = phone.join(since=ack["version"] - 1)
    assert [d["type"] for d in late["sync"]["deltas"]] == [
        "conclusion.changed", "action.added", "action.added", "action.updated", "action.deleted"]
    assert count_rows(phone.app, ActionItem) == 1
    cleared = console.write("conclusion.set", theme_id=themes["skills"], text="")
    assert cleared["ok"]
    assert screen.join()["sync"]["snapshot"]["conclusions"] == []


@pytest.mark.parametrize("event, fields, error", [
    ("action.add", {"theme_id": "THEME", "what": "   ", "horizon": "short"},
     "An action item needs a text: what should be done?"),
    ("action.add", {"theme_id": "THEME", "what": "Do it", "horizon": "someday"},
     "Unknown horizon 'someday'. Use short (within a year), medium (1–3 years) or long "
     "(over 3 years)."),
    ("action.add", {"what": "Do it", "horizon": "short"},
     "Say what this is about: a theme (theme_id) or an idea (idea_id), not both."),
    ("action.add", {"theme_id": "THEME", "idea_id": "IDEA", "what": "Do it", "horizon": "short"},
     "Say what this is about: a theme (theme_id) or an idea (idea_id), not both."),
    ("action.add", {"theme_id": "THEME", "what": "x" * 301, "horizon": "short"},
     "The action is too long (at most 300 characters)."),
    ("action.add", {"theme_id": "THEME", "what": "Do it", "horizon": "short", "owner": 7},
     "The owner must be text."),
    ("conclusion.set", {"theme_id": "OTHER", "text": "Elsewhere"},
     "This theme does not exist in this workshop."),
    ("conclusion.set", {"theme_id": "THEME", "text": "y" * 2001},
     "The conclusion is too long (2001 characters; at most 2000)."),
    ("conclusion.set", {"theme_id": "THEME", "text": ["not", "text"]},
     "The conclusion must be text."),
    ("action.update", {"action_id": 999999, "what": "Again"},
     "This action item does not exist in this workshop."),
    ("action.delete", {"action_id": "ACTION_OF_OTHER"},
     "This action item does not exist in this workshop."),
])
def test_bad_outcomes_are_refused_and_change_nothing(app, room, connect, event, fields, error):
    workshop, console, screen, people, ideas, themes = room
    other = make_workshop(app)
    other_console = connect("facilitator", target=other)
    other_theme = other_console.write("theme.create", name="Elsewhere")["theme"]["id"]
    foreign = other_console.write("action.add", theme_id=other_theme, what="Theirs",
                                  horizon="short")["action"]["id"]
    values = {"THEME": themes["skills"], "IDEA": ideas[0], "OTHER": other_theme,
              "ACTION_OF_OTHER": foreign}
    fields = {k: values.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    before = (settled_version(console), count_rows(app, ActionItem), count_rows(app, Conclusion))
    ack = console.write(event, **fields)
    assert ack == {"ok": False, "error": error}
    assert (console.join()["version"], count_rows(app, ActionItem),
            count_rows(app, Conclusion)) == before


def test_attendees_cannot_write_conclusions_and_closed_workshops_are_frozen(app, room):
    workshop, console, screen, people, ideas, themes = room
    assert people[0].write("conclusion.set", theme_id=themes["skills"], text="Mine")["error"] == \
        "Only the workshop's facilitator can do this."
    assert people[0].write("action.add", theme_id=themes["skills"], what="Mine",
                           horizon="short")["ok"] is False
    console.write("phase.set", phase="closed")
    assert console.write("conclusion.set", theme_id=themes["skills"], text="Late")["error"] == \
        "This workshop is closed; reopen it to change its conclusions."
    assert count_rows(app, Conclusion) == 0 and count_rows(app, ActionItem) == 0


def test_support_is_broken_down_by_kind_and_region(room):
    workshop, console, screen, people, ideas, themes = room
    answer = screen.call("results.support", {"workshop_id": workshop["id"]})
    assert answer["ok"]
    skills = answer["themes"][str(themes["skills"])]
    # four backers; the two spellings of one region count as one region
    assert skills == {"backers": 4,
                      "kinds": {"company": 2, "cluster": 1, "public_authority": 1},
                      "regions": {"Comunitat Valenciana": 2, "Basque Country": 1}}
    assert answer["themes"][str(themes["testbeds"])] == {
        "backers": 1, "kinds": {"cluster": 1}, "regions": {"Basque Country": 1}}
    assert answer["ideas"][str(ideas[1])]["backers"] == 4
    assert answer["people"]["backers"] == 4
    stranger = screen.call("results.support", {"workshop_id": workshop["id"] + 999})
    assert stranger == {"ok": False, "error": "You have not joined this workshop."}
