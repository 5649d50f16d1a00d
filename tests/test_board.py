"""The facilitator's board over real sockets: themes, moves, merges with votes, undo,
history; every screen converges; every bad action is refused and changes nothing."""
import pytest

from app.extensions import db, socketio
from app.models import BoardAction, Idea, Participant, Theme, Vote
from helpers import count_rows, make_workshop, wait_for


@pytest.fixture
def board(app, connect):
    """A workshop in grouping with four ideas, two consoles, a projector."""
    workshop = make_workshop(app, phase="collecting", vote_budget=5, vote_cap=2)
    phone = connect(target=workshop)
    ids = [phone.write("idea.post", text=t)["idea"]["id"] for t in (
        "Shared testbeds for SMEs", "Testbeds shared between regions",
        "Cross-border vouchers", "Skills academy")]
    first, second = connect("facilitator", target=workshop), connect("facilitator", target=workshop)
    screen = connect("screen", target=workshop)
    assert first.write("phase.set", phase="grouping")["ok"]
    return workshop, ids, phone, first, second, screen


def converged(*clients):
    def check():
        for client in clients:
            client.pump()
        states = [(c.version, c.state) for c in clients]
        return all(s == states[0] for s in states)
    return wait_for(check)


def test_two_facilitators_build_themes_and_every_screen_converges(board):
    workshop, ids, phone, first, second, screen = board
    energy = first.write("theme.create", name="  Testbeds   and pilots ")
    skills = second.write("theme.create", name="Skills", colour="#146C2E")
    assert energy["ok"] and skills["ok"]
    assert first.write("idea.move", idea_id=ids[0], theme_id=1, position=0)["ok"]
    assert second.write("idea.move", idea_id=ids[1], theme_id=1, position=0)["ok"]
    assert first.write("idea.move", idea_id=ids[3], theme_id=2, position=5)["ok"]
    assert second.write("theme.rename", theme_id=2, name="Skills for the green transition")["ok"]
    assert first.write("theme.reorder", order=[2, 1])["ok"]
    assert converged(phone, first, second, screen)
    themes = screen.state["themes"]
    assert themes[1]["name"] == "Testbeds and pilots" and themes[2]["colour"] == "#146c2e"
    assert (themes[2]["position"], themes[1]["position"]) == (0, 1)
    ideas = screen.state["ideas"]
    assert [(ideas[i]["theme_id"], ideas[i]["position"]) for i in ids] == [
        (1, 1), (1, 0), (None, 0), (2, 0)]
    phone.sio.disconnect()
    phone.sio.connect()
    snapshot = phone.join()["sync"]  # a late joiner gets the same board
    assert snapshot["mode"] == "snapshot"
    assert {t["id"]: {k: v for k, v in t.items() if k != "votes"}
            for t in snapshot["snapshot"]["themes"]} == themes


def test_deleting_a_theme_puts_its_ideas_back_and_undo_restores_it(board, app):
    workshop, ids, phone, first, second, screen = board
    first.write("theme.create", name="Testbeds")
    first.write("idea.move", idea_id=ids[0], theme_id=1, position=0)
    first.write("idea.move", idea_id=ids[1], theme_id=1, position=1)
    assert first.write("theme.delete", theme_id=1)["ok"]
    assert converged(first, screen)
    assert screen.state["themes"] == {}
    assert {screen.state["ideas"][i]["theme_id"] for i in ids} == {None}
    refused = first.write("idea.move", idea_id=ids[2], theme_id=1, position=0)
    assert refused == {"ok": False, "error": "This theme does not exist in this workshop."}
    assert first.write("board.undo")["ok"]
    assert converged(first, second, screen)
    assert screen.state["themes"][1]["name"] == "Testbeds"
    assert [screen.state["ideas"][i]["theme_id"] for i in ids[:2]] == [1, 1]


def test_merge_moves_votes_refunds_over_the_cap_and_undo_gives_them_back(app, board, connect):
    workshop, ids, phone, first, second, screen = board
    a, b = ids[0], ids[1]
    first.write("phase.set", phase="voting")
    voter = connect(target=workshop)
    for idea in (a, a, b, b):      # two dots on each: cap is 2
        assert voter.write("vote.cast", idea_id=idea)["ok"]
    phone.write("vote.cast", idea_id=b)
    assert first.write("idea.merge", idea_id=b, into_id=a)["ok"]
    assert wait_for(lambda: (screen.pump(), screen.state["ideas"][a]["votes"] == 3
                             and screen.state["ideas"][b]["votes"] == 0)[1])
    assert screen.state["ideas"][b]["merged_into"] == a
    with app.app_context():
        by_voter = {p.id: p.votes_used for p in db.session.query(Participant)}
        db.session.remove()
    assert by_voter[voter.join()["me"]["participant_id"]] == 2  # two dots back to spend
    assert voter.write("vote.cast", idea_id=b)["error"] == \
        "This idea was merged into another one: vote for that one."
    assert first.write("board.undo")["ok"]
    assert wait_for(lambda: (screen.pump(), screen.state["ideas"][a]["votes"] == 2
                             and screen.state["ideas"][b]["votes"] == 3)[1])
    assert voter.join()["me"]["votes_used"] == 4
    assert screen.state["ideas"][b]["merged_into"] is None


def test_history_records_who_did_what_before_and_after(board):
    workshop, ids, phone, first, second, screen = board
    first.write("theme.create", name="Testbeds")
    first.write("theme.rename", theme_id=1, name="Testbeds and pilots")
    first.write("board.undo")
    history = first.call("board.history", {"workshop_id": workshop["id"]})
    assert [a["kind"] for a in history["actions"]] == [
        "theme.created", "theme.updated", "board.undone"]
    renamed = history["actions"][1]
    assert renamed["before"]["theme"]["name"] == "Testbeds"
    assert renamed["after"]["theme"]["name"] == "Testbeds and pilots"
    assert renamed["undone"] and renamed["actor"].startswith("facilitator:")
    assert phone.call("board.history", {"workshop_id": workshop["id"]})["ok"] is False


@pytest.mark.parametrize("event, fields, error", [
    ("theme.create", {"name": "   "}, "A theme needs a name."),
    ("theme.create", {"name": "x" * 81}, "The theme name is too long (at most 80 characters)."),
    ("theme.create", {"name": "Ok", "colour": "red"}, "The colour must look like #1f4fd1."),
    ("theme.rename", {"theme_id": 99, "name": "X"}, "This theme does not exist in this workshop."),
    ("theme.reorder", {"order": [1, 1]},
     "The new order must list every theme of this workshop once."),
    ("idea.move", {"idea_id": 999, "theme_id": None, "position": 0},
     "This idea does not exist in this workshop."),
    ("idea.move", {"idea_id": 1, "position": -1}, "The position must be a whole number from 0."),
    ("idea.merge", {"idea_id": 1, "into_id": 1}, "An idea cannot be merged into itself."),
    ("idea.merge", {"idea_id": 1, "into_id": 999}, "This idea does not exist in this workshop."),
    ("board.undo", {}, "There is nothing to undo."),
])
def test_bad_board_actions_are_refused_and_change_nothing(app, board, event, fields, error):
    workshop, ids, phone, first, second, screen = board
    before = (count_rows(app, Theme), count_rows(app, BoardAction), count_rows(app, Vote))
    assert first.write(event, **fields) == {"ok": False, "error": error}
    assert (count_rows(app, Theme), count_rows(app, BoardAction), count_rows(app, Vote)) == before


def test_attendees_cannot_touch_the_board_and_closed_boards_are_frozen(app, board, connect):
    workshop, ids, phone, first, second, screen = board
    for event, fields in (("theme.create", {"name": "Mine"}), ("board.undo", {}),
                          ("idea.move", {"idea_id": ids[0], "position": 0})):
        assert phone.write(event, **fields)["error"] == \
            "Only the workshop's facilitator can do this."
    other = make_workshop(app)
    with app.app_context():
        foreign = Idea(workshop_id=other["id"], text="elsewhere")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    assert first.write("idea.merge", idea_id=ids[0], into_id=foreign_id)["error"] == \
        "This idea does not exist in this workshop."
    first.write("phase.set", phase="closed")
    assert first.write("theme.create", name="Late")["error"] == \
        "This workshop is closed; reopen it to change the board."
    assert count_rows(app, Theme) == 0


def test_exports_carry_themes_merges_and_the_board_history(app, board):
    workshop, ids, phone, first, second, screen = board
    theme = first.write("theme.create", name="Testbeds")["theme"]
    first.write("idea.move", idea_id=ids[0], theme_id=theme["id"], position=0)
    first.write("idea.merge", idea_id=ids[1], into_id=ids[0])
    data = first.http.get(f"/workshops/{workshop['id']}/export.json").get_json()
    top = {i["id"]: i for i in data["ideas"]}
    assert ids[1] not in top
    assert top[ids[0]]["also_said"] == ["Testbeds shared between regions"]
    assert top[ids[0]]["theme"] == "Testbeds"
    assert [(t["id"], t["name"], t["colour"], t["votes"], t["idea_ids"]) for t in data["themes"]] \
        == [(theme["id"], "Testbeds", theme["colour"], 0, [ids[0]])]
    assert [a["kind"] for a in data["history"]] == ["theme.created", "idea.moved", "idea.merged"]
    markdown = first.http.get(f"/workshops/{workshop['id']}/export.md").text
    assert "also said as “Testbeds shared between regions”" in markdown
    assert "## Appendix: how the themes were formed" in markdown


def test_voting_on_themes_ranks_the_themes(app, board, connect):
    workshop, ids, phone, first, second, screen = board
    testbeds = first.write("theme.create", name="Testbeds")["theme"]["id"]
    skills = first.write("theme.create", name="Skills")["theme"]["id"]
    first.write("idea.move", idea_id=ids[0], theme_id=testbeds, position=0)
    first.write("idea.move", idea_id=ids[3], theme_id=skills, position=0)
    assert first.write("settings.update", vote_on="themes")["vote_on"] == "themes"
    assert first.write("settings.update", vote_on="both")["error"] == "Vote on 'ideas' or 'themes'."
    first.write("phase.set", phase="voting")
    assert phone.write("vote.cast", idea_id=ids[0])["error"] == \
        "This workshop votes on themes: vote for a theme."
    voter = connect(target=workshop)
    assert phone.write("vote.cast", theme_id=skills) == {
        "ok": True, "theme_id": skills, "my_dots": 1, "votes_used": 1, "votes_left": 4}
    assert voter.write("vote.cast", theme_id=skills)["ok"]
    assert voter.write("vote.cast", theme_id=testbeds)["ok"]
    assert wait_for(lambda: any(p["args"][0]["data"].get("themes", {}).get(str(skills)) == 2
                                for p in screen.received() if p["name"] == "votes.tallied"))
    assert first.write("settings.update", vote_on="ideas")["error"] \
        .startswith("Votes have been cast")
    assert first.write("theme.delete", theme_id=skills)["error"] == \
        "People have voted for this theme: it cannot be deleted."
    assert phone.join()["me"]["theme_votes"] == {str(skills): 1}
    snapshot = {t["id"]: t["votes"] for t in phone.join()["sync"]["snapshot"]["themes"]}
    assert snapshot == {testbeds: 1, skills: 2}
    data = first.http.get(f"/workshops/{workshop['id']}/export.json").get_json()
    assert data["workshop"]["vote_on"] == "themes"
    assert [(t["name"], t["votes"], t["idea_ids"]) for t in data["themes"]] == [
        ("Skills", 2, [ids[3]]), ("Testbeds", 1, [ids[0]])]
    assert phone.write("vote.retract", theme_id=skills)["votes_used"] == 0


def test_history_reads_as_sentences_naming_ideas_and_themes(board):
    workshop, ids, phone, first, second, screen = board
    theme = first.write("theme.create", name="Energy")["theme"]["id"]
    first.write("idea.move", idea_id=ids[0], theme_id=theme, position=0)
    first.write("idea.move", idea_id=ids[3], theme_id=theme, position=0)
    first.write("theme.rename", theme_id=theme, name="Energy and testbeds")
    first.write("theme.recolour", theme_id=theme, colour="#146c2e")
    first.write("idea.merge", idea_id=ids[1], into_id=ids[0])
    first.write("idea.hide", idea_id=ids[2], hidden=True)
    first.write("idea.pin", idea_id=ids[3], pinned=True)
    first.write("idea.edit", idea_id=ids[3], text="Skills academy for the whole region, "
                                                   "run by the clusters together")
    first.write("idea.move", idea_id=ids[0], theme_id=None, position=0)
    first.write("theme.create", name="Skills")
    first.write("theme.reorder", order=[2, 1])
    first.write("theme.delete", theme_id=2)
    assert first.write("board.undo")["ok"]
    assert first.write("board.undo")["ok"]
    history = first.call("board.history", {"workshop_id": workshop["id"]})["actions"]
    assert [a["text"] for a in history] == [
        "Created the theme Energy",
        "Moved “Shared testbeds for SMEs” to Energy",  # the theme's name at the time
        "Moved “Skills academy” to Energy",
        "Renamed the theme “Energy” to “Energy and testbeds”",
        "Changed the colour of the theme Energy and testbeds",
        "Merged “Testbeds shared between regions” into “Shared testbeds for SMEs” as a "
        "duplicate",
        "Hid “Cross-border vouchers” from the room",
        "Pinned “Skills academy” to the top",
        "Edited “Skills academy” to “Skills academy for the whole region, run by the "
        "clusters…”",
        "Took “Shared testbeds for SMEs” out of Energy and testbeds",
        "Created the theme Skills",
        "Reordered the themes",
        "Deleted the theme Skills; its ideas are back among those not placed yet",
        "Undid: deleted the theme Skills; its ideas are back among those not placed yet",
        "Undid: reordered the themes"]
    assert [a["undone"] for a in history][-5:] == [False, True, True, False, False]


def test_undoing_again_undoes_the_action_before(app, board):
    """An undo is not itself undone: each undo goes one action further back."""
    workshop, ids, phone, first, second, screen = board
    first.write("theme.create", name="Energy")
    first.write("theme.create", name="Skills")
    assert first.write("board.undo")["ok"] and first.write("board.undo")["ok"]
    assert count_rows(app, Theme) == 2 and first.join()["sync"]["snapshot"]["themes"] == []
    assert first.write("board.undo") == {"ok": False, "error": "There is nothing to undo."}


def test_history_speaks_the_facilitators_language(app, board):
    workshop, ids, phone, first, second, screen = board
    theme = first.write("theme.create", name="Energía")["theme"]["id"]
    first.write("idea.move", idea_id=ids[0], theme_id=theme, position=0)
    first.write("board.undo")
    http = app.test_client()
    assert http.get(f"/f/{workshop['token']}?lang=ca").status_code == 302
    http.get("/?lang=ca")
    console = socketio.test_client(app, flask_test_client=http)
    try:
        assert console.emit("workshop.join", {"workshop_id": workshop["id"],
                                              "role": "facilitator"}, callback=True)["ok"]
        answer = console.emit("board.history", {"workshop_id": workshop["id"]}, callback=True)
        assert [a["text"] for a in answer["actions"]] == [
            "Es va crear el tema Energía",
            "Es va moure «Shared testbeds for SMEs» a Energía",  # attendees' text as written
            "Es va desfer: es va moure «Shared testbeds for SMEs» a Energía"]
    finally:
        console.disconnect()
