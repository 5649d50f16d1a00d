"""The roadmap facts: a workshop's themes ranked by support with conclusions, actions,
segments and the story of each theme; the event roll-up with its timeline, recurring
themes (suggested, then confirmed by the organiser) and who took part where."""
import csv
import io
import json
import re
import shutil
import subprocess

import pytest

from app.extensions import db
from app.models import Event, RecurringTheme, Theme, Workshop
from app.services import event_roadmap, recurring, roadmap
from app.services.errors import InvalidInput, NotFound
from helpers import make_workshop


def run_room(app, connect, workshop, themes, votes, profiles):
    """Ideas grouped into themes and voted on through the real socket commands.
    themes: {name: [idea texts]}; votes: [(voter index, idea text)]."""
    console = connect("facilitator", target=workshop)
    people = [connect(target=workshop) for _ in profiles]
    for phone, (kind, region) in zip(people, profiles, strict=True):
        assert phone.write("profile.update", kind=kind, region=region,
                           organisation=f"Org {region}")["ok"]
    ids, theme_ids = {}, {}
    for name, texts in themes.items():
        theme_ids[name] = console.write("theme.create", name=name)["theme"]["id"]
        for text in texts:
            ids[text] = people[0].write("idea.post", text=text)["idea"]["id"]
            console.write("idea.move", idea_id=ids[text], theme_id=theme_ids[name], position=0)
    console.write("phase.set", phase="voting")
    for voter, text in votes:
        assert people[voter].write("vote.cast", idea_id=ids[text])["ok"]
    console.write("phase.set", phase="results")
    return console, people, ids, theme_ids


def roadmap_of(app, workshop_id, public=False):
    with app.app_context():
        data = roadmap.workshop_roadmap(db.session.get(Workshop, workshop_id), public)
        db.session.remove()
        return data


def test_a_theme_story_marks_what_was_undone(app, connect):
    workshop = make_workshop(app, phase="collecting")
    console = connect("facilitator", target=workshop)
    theme = console.write("theme.create", name="Testbeds")["theme"]["id"]
    console.write("theme.rename", theme_id=theme, name="Shared testbeds")
    assert console.write("board.undo")["ok"]
    story = [line["text"] for line in roadmap_of(app, workshop["id"])["themes"][0]["history"]]
    assert story[0] == "Theme “Testbeds” created"
    assert re.fullmatch(r"Renamed from “Testbeds” to “Shared testbeds” \(undone at \d\d:\d\d\)",
                        story[1]), story


def test_workshop_roadmap_ranks_themes_and_carries_conclusions_actions_and_story(app, connect):
    workshop = make_workshop(app, phase="collecting")
    console, people, ids, themes = run_room(
        app, connect, workshop,
        {"Testbeds": ["Shared testbeds", "Testbeds across regions"], "Skills": ["Skills academy"]},
        [(0, "Skills academy"), (1, "Skills academy"), (2, "Skills academy"),
         (0, "Shared testbeds")],
        [("company", "Valencia"), ("cluster", "Navarra"), ("public_authority", "Navarra")])
    console.write("phase.set", phase="grouping")
    console.write("theme.rename", theme_id=themes["Testbeds"], name="Shared testbeds")
    console.write("idea.merge", idea_id=ids["Testbeds across regions"],
                  into_id=ids["Shared testbeds"])
    console.write("phase.set", phase="results")
    console.write("conclusion.set", theme_id=themes["Skills"], text="Train together.")
    console.write("action.add", theme_id=themes["Skills"], what="Joint curriculum",
                  owner="Navarra cluster", horizon="medium")
    console.write("action.add", idea_id=ids["Shared testbeds"], what="List testbeds",
                  horizon="short")

    data = roadmap_of(app, workshop["id"])
    assert data["schema"] == "plenary.roadmap" and data["schema_version"] == 2
    assert data["scope"] == "workshop" and data["draft"] is True
    assert [(t["rank"], t["name"], t["votes"]) for t in data["themes"]] == [
        (1, "Skills", 3), (2, "Shared testbeds", 1)]
    skills = data["themes"][0]
    assert skills["conclusion"] == "Train together."
    assert skills["segments"] == {"backers": 3,
                                  "kinds": {"company": 1, "cluster": 1, "public_authority": 1},
                                  "regions": {"Navarra": 2, "Valencia": 1}}
    assert [(a["what"], a["owner"], a["horizon"], a["about"]) for a in skills["actions"]] == [
        ("Joint curriculum", "Navarra cluster", "medium",
         {"kind": "theme", "id": themes["Skills"], "name": "Skills"})]
    assert [a["what"] for a in data["actions"]["short"]] == ["List testbeds"]
    assert [a["what"] for a in data["actions"]["medium"]] == ["Joint curriculum"]
    assert data["actions"]["long"] == []
    story = [line["text"] for line in data["themes"][1]["history"]]
    assert story[0] == "Theme “Testbeds” created"
    assert "“Shared testbeds” moved in" in story
    assert "Renamed from “Testbeds” to “Shared testbeds”" in story
    assert "“Testbeds across regions” merged into “Shared testbeds” as a duplicate" in story
    ideas = {i["text"]: i for i in data["ideas"]}
    assert "Testbeds across regions" not in ideas
    assert ideas["Shared testbeds"]["also_said"] == ["Testbeds across regions"]
    assert ideas["Shared testbeds"]["actions"][0]["what"] == "List testbeds"
    assert data["participation"]["organisations"] == ["Org Navarra", "Org Valencia"]
    assert data["participation"]["kinds"] == {"company": 1, "cluster": 1, "public_authority": 1}
    assert roadmap_of(app, workshop["id"], public=True)["participation"]["organisations"] == []
    console.write("phase.set", phase="closed")
    assert roadmap_of(app, workshop["id"])["draft"] is False


def test_a_tie_has_one_answer_a_shared_rank_in_board_order(app, connect):
    """Two themes with the same votes both rank 1 and keep their board order, whoever backs
    them, in the roadmap every export is built from (the console and the projector apply the
    same rule to live tallies: services/ranking.py, realtime.js rankOf)."""
    from app.export import csv_export, json_roadmap, markdown, pdf
    workshop = make_workshop(app, phase="collecting", vote_cap=2)
    run_room(app, connect, workshop,
             {"Energy": ["Hydrogen corridor"], "Skills": ["Skills academy"],
              "Tourism": ["Slow tourism"]},
             # Energy: two dots from one person; Skills: one each from two (more backers)
             [(0, "Hydrogen corridor"), (0, "Hydrogen corridor"), (1, "Skills academy"),
              (2, "Skills academy")],
             [("company", "Valencia"), ("cluster", "Navarra"), ("public_authority", "Alentejo")])
    data = roadmap_of(app, workshop["id"])
    assert [(t["rank"], t["name"], t["votes"]) for t in data["themes"]] == [
        (1, "Energy", 2), (1, "Skills", 2), (3, "Tourism", 0)]
    assert [(i["rank"], i["text"]) for i in data["ideas"]] == [
        (1, "Hydrogen corridor"), (1, "Skills academy"), (3, "Slow tourism")]
    text = markdown.build_workshop(data)
    assert text.index("1. Energy") < text.index("1. Skills") < text.index("3. Tourism")
    rows = list(csv.DictReader(io.StringIO(csv_export.build_workshop(data).lstrip("\ufeff"))))
    assert [(r["rank"], r["text"]) for r in rows if r["record"] == "idea"] == [
        ("1", "Hydrogen corridor"), ("1", "Skills academy"), ("3", "Slow tourism")]
    assert json.loads(json_roadmap.build_workshop(data))["themes"][1]["rank"] == 1
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", "-layout", "-", "-"], check=True,
                                  input=pdf.build_workshop(data), capture_output=True).stdout
        pdf_text = pdf_text.decode()
        assert pdf_text.index("Energy") < pdf_text.index("Skills") < pdf_text.index("Tourism")


def test_empty_workshop_has_a_roadmap_too(app):
    workshop = make_workshop(app, phase="draft")
    data = roadmap_of(app, workshop["id"])
    assert data["themes"] == [] and data["ideas"] == []
    assert data["participation"]["people"] == 0
    assert data["actions"] == {"short": [], "medium": [], "long": []}


@pytest.fixture
def two_rooms(app, connect):
    """One event, two workshops whose themes overlap (skills, hydrogen) and one that does not."""
    first = make_workshop(app, phase="collecting")
    with app.app_context():
        event_id = db.session.get(Workshop, first["id"]).event_id
        from app.services import workshops
        other = workshops.create_workshop(db.session.get(Event, event_id), "Green transition")
        other.phase = "collecting"
        db.session.commit()
        second = {"id": other.id, "code": other.code, "token": other.facilitator_token}
    one = run_room(app, connect, first, {
        "Skills and talent": ["Vocational training for green skills",
                              "Talent attraction for skilled workers"],
        "Hydrogen valleys": ["Hydrogen valley pilot projects", "Green hydrogen for ports"]},
        [(0, "Vocational training for green skills"), (1, "Green hydrogen for ports")],
        [("company", "Valencia"), ("cluster", "Navarra")])
    two = run_room(app, connect, second, {
        "Skills for the transition": ["Training in green skills for workers",
                                      "Skilled talent for the green transition"],
        "Public procurement": ["Innovation procurement by regional authorities"]},
        [(0, "Training in green skills for workers"), (1, "Training in green skills for workers")],
        [("public_authority", "Navarra"), ("company", "Bavaria")])
    return event_id, first, second, one, two


def test_recurring_themes_are_suggested_then_confirmed_by_the_organiser(app, two_rooms):
    event_id, first, second, one, two = two_rooms
    with app.app_context():
        event = db.session.get(Event, event_id)
        proposals = recurring.suggest(event)
        names = {frozenset(db.session.get(Theme, i).name for i in p["theme_ids"])
                 for p in proposals}
        assert frozenset({"Skills and talent", "Skills for the transition"}) in names
        assert not any("Public procurement" in group for group in names)
        skills = [one[3]["Skills and talent"], two[3]["Skills for the transition"]]
        group = recurring.confirm(event, skills, "Skills")
        db.session.commit()
        assert all(p["theme_ids"] != skills for p in recurring.suggest(event))
        data = event_roadmap.event_roadmap(event)
        db.session.remove()
    assert data["scope"] == "event" and data["draft"] is True
    assert [w["workshop"]["title"] for w in data["workshops"]] == [
        "Interregional value chains", "Green transition"]
    [linked] = data["recurring_themes"]
    assert linked["id"] == group.id and linked["name"] == "Skills"
    assert [t["name"] for t in linked["themes"]] == \
        ["Skills and talent", "Skills for the transition"]
    assert linked["votes"] == 3
    # everyone counted once across rooms; who took part where
    assert data["participation"]["people"] == 4 and data["participation"]["workshops"] == 2
    assert data["participation"]["regions"] == {"Navarra": 2, "Bavaria": 1, "Valencia": 1}
    assert [(w["workshop"], w["people"], w["kinds"]) for w in data["where"]] == [
        ("Interregional value chains", 2, {"company": 1, "cluster": 1}),
        ("Green transition", 2, {"company": 1, "public_authority": 1})]


def test_bad_recurring_links_are_refused_and_change_nothing(app, two_rooms):
    event_id, first, second, one, two = two_rooms
    with app.app_context():
        event = db.session.get(Event, event_id)
        same_room = list(one[3].values())
        with pytest.raises(InvalidInput, match="at least two workshops"):
            recurring.confirm(event, same_room, "Same room")
        with pytest.raises(InvalidInput, match="at least two themes"):
            recurring.confirm(event, [same_room[0]], "Alone")
        with pytest.raises(InvalidInput, match="at least two themes"):
            recurring.confirm(event, "1,2", "Text")
        with pytest.raises(NotFound, match="is not a theme of this event"):
            recurring.confirm(event, [same_room[0], 999999], "Unknown")
        with pytest.raises(NotFound):
            recurring.unlink(event, 424242)
        db.session.rollback()
        assert db.session.query(RecurringTheme).count() == 0
        db.session.remove()


def test_the_full_demo_event_runs_to_the_end(app):
    from app.demo import build
    with app.app_context():
        event, rooms = build()
        db.session.commit()
        data = event_roadmap.event_roadmap(event)
        db.session.remove()
    assert data["draft"] is False and len(data["workshops"]) == 3
    assert {g["name"] for g in data["recurring_themes"]} == {"Skills", "Hydrogen"}
    assert sum(len(v) for v in data["timeline"].values()) == 6
    assert all(t["votes"] > 0 for w in data["workshops"] for t in w["themes"][:1])
    assert data["participation"]["people"] == 72 and len(data["participation"]["regions"]) == 8


def test_organiser_links_recurring_themes_from_the_event_page(app, two_rooms):
    from test_web import organiser_client
    event_id, first, second, one, two = two_rooms
    organiser = organiser_client(app)
    page = organiser.get(f"/organiser/events/{event_id}").get_data(as_text=True)
    assert "Confirm: same topic" in page and "Skills for the transition" in page
    skills = [one[3]["Skills and talent"], two[3]["Skills for the transition"]]
    json = {"Accept": "application/json"}
    refused = organiser.post(f"/organiser/events/{event_id}/recurring",
                             json={"theme_ids": [skills[0], 987654], "name": "Skills"},
                             headers=json)
    assert refused.status_code == 404
    assert refused.get_json() == \
        {"ok": False, "error": "Theme 987654 is not a theme of this event."}
    form = organiser.post(f"/organiser/events/{event_id}/recurring",
                          data={"theme_id": [str(i) for i in skills], "name": "Skills & talent"},
                          follow_redirects=True)
    assert "Linked as one recurring theme: “Skills &amp; talent”." in form.get_data(as_text=True)
    data = organiser.get(f"/organiser/events/{event_id}/export.json").get_json()
    assert [g["name"] for g in data["recurring_themes"]] == ["Skills & talent"]
    group = data["recurring_themes"][0]["id"]
    assert organiser.post(f"/organiser/events/{event_id}/recurring/{group}/unlink",
                          headers=json).get_json()["ok"]
    assert organiser.get(f"/organiser/events/{event_id}/export.json").get_json()[
        "recurring_themes"] == []
