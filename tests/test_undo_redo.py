"""Undo as a stack and Redo, over real sockets: each undo goes one action back, each redo one
forward, a new action clears what could be redone; every kind of board action round-trips
undo → redo → undo → redo to the identical board, votes and budgets; the refusals."""
import pytest

from app.extensions import db
from app.models import BoardAction, Idea, Participant, Theme, Vote
from app.services.board_names import short
from helpers import count_rows, make_workshop, wait_for

HYDROGEN = ("Joint hydrogen valley for the three border regions, with shared storage, "
            "pipelines and a common training centre")


@pytest.fixture
def board(app, connect):
    """A workshop in grouping: four ideas, two themes, two consoles, a projector, a phone."""
    workshop = make_workshop(app, phase="collecting", vote_budget=5, vote_cap=2)
    phone = connect(target=workshop)
    ids = [phone.write("idea.post", text=t)["idea"]["id"] for t in (
        HYDROGEN, "Shared testbeds for SMEs", "Testbeds shared between regions",
        "Skills academy")]
    first, second = connect("facilitator", target=workshop), connect("facilitator", target=workshop)
    screen = connect("screen", target=workshop)
    assert first.write("phase.set", phase="grouping")["ok"]
    themes = [first.write("theme.create", name=n)["theme"]["id"]
              for n in ("Hydrogen & energy", "Skills")]
    return workshop, ids, themes, phone, first, second, screen


def state(app, workshop_id):
    """Everything a board action may touch, read from the database (a deleted theme is
    off the board: not there)."""
    with app.app_context():
        themes = sorted((t.id, t.name, t.colour, t.position) for t in
                        db.session.query(Theme).filter_by(workshop_id=workshop_id,
                                                          deleted=False))
        ideas = sorted((i.id, i.text, i.theme_id, i.position, i.merged_into_id, i.hidden,
                        i.pinned, i.deleted, i.approved) for i in
                       db.session.query(Idea).filter_by(workshop_id=workshop_id))
        votes = sorted((v.participant_id, v.idea_id, v.theme_id, v.dots) for v in
                       db.session.query(Vote).filter_by(workshop_id=workshop_id))
        used = sorted((p.id, p.votes_used) for p in
                      db.session.query(Participant).filter_by(workshop_id=workshop_id))
        db.session.remove()
    return {"themes": themes, "ideas": ideas, "votes": votes, "votes_used": used}


def seen(client):
    """The board a client is sent when it joins now (its snapshot, version left out)."""
    client.sio.get_received()
    snap = client.join()["sync"]["snapshot"]
    return {"themes": snap["themes"], "ideas": sorted(snap["ideas"], key=lambda i: i["id"])}


def placement(client, ids):
    return [(client.state["ideas"][i]["theme_id"], client.state["ideas"][i]["position"])
            for i in ids]


def converged(*clients):
    def check():
        for client in clients:
            client.pump()
        return all((c.version, c.state) == (clients[0].version, clients[0].state)
                   for c in clients)
    return wait_for(check)


def test_three_moves_three_undos_three_redos(app, board):
    workshop, ids, (hydrogen, skills), phone, first, second, screen = board
    original = state(app, workshop["id"])
    converged(first, second, screen)
    start = placement(screen, ids)
    after = []
    for idea, theme in ((ids[0], hydrogen), (ids[3], skills), (ids[1], hydrogen)):
        assert first.write("idea.move", idea_id=idea, theme_id=theme, position=0)["ok"]
        after.append(state(app, workshop["id"]))
    assert converged(first, second, screen)
    moved = placement(screen, ids)
    for expected in (after[1], after[0], original):
        assert first.write("board.undo")["ok"]
        assert state(app, workshop["id"]) == expected
    assert converged(first, second, screen) and placement(screen, ids) == start
    for expected in after:
        assert second.write("board.redo")["ok"]  # another console redoes what one undid
        assert state(app, workshop["id"]) == expected
    assert converged(first, second, screen) and placement(screen, ids) == moved
    assert first.write("board.redo") == {"ok": False, "error": "There is nothing to redo."}


def test_a_new_action_clears_what_could_be_redone(app, board):
    workshop, ids, (hydrogen, skills), phone, first, second, screen = board
    first.write("idea.move", idea_id=ids[0], theme_id=hydrogen, position=0)
    first.write("idea.move", idea_id=ids[1], theme_id=hydrogen, position=0)
    first.write("board.undo")
    first.write("board.undo")
    assert first.write("board.redo")["ok"]  # ids[0] back in
    first.write("theme.rename", theme_id=skills, name="Skills and talent")
    before = state(app, workshop["id"])
    assert first.write("board.redo") == {"ok": False, "error": "There is nothing to redo."}
    assert state(app, workshop["id"]) == before
    # undo goes back past the rename and the redone move, never to the cleared move
    assert first.write("board.undo")["ok"] and first.write("board.undo")["ok"]
    assert first.write("board.redo")["ok"] and first.write("board.redo")["ok"]
    assert state(app, workshop["id"]) == before
    assert first.write("board.redo")["error"] == "There is nothing to redo."


def test_undo_redo_undo_redo_stays_consistent(app, board):
    workshop, ids, (hydrogen, skills), phone, first, second, screen = board
    states = [state(app, workshop["id"])]
    for idea in ids[:3]:
        first.write("idea.move", idea_id=idea, theme_id=skills, position=9)
        states.append(state(app, workshop["id"]))
    at = 3
    for step in ("undo", "undo", "redo", "undo", "undo", "redo", "redo", "undo", "redo",
                 "redo"):
        assert first.write(f"board.{step}")["ok"], (step, at)
        at += 1 if step == "redo" else -1
        assert state(app, workshop["id"]) == states[at], (step, at)
    assert at == 3 and first.write("board.redo")["ok"] is False


def _theme_deleted(first, ids, themes):
    first.write("idea.move", idea_id=ids[0], theme_id=themes[1], position=0)
    first.write("idea.move", idea_id=ids[3], theme_id=themes[1], position=1)
    return "theme.delete", {"theme_id": themes[1]}


ACTIONS = {
    "theme created": lambda first, ids, themes: ("theme.create", {"name": "Mobility"}),
    "theme renamed": lambda first, ids, themes: (
        "theme.rename", {"theme_id": themes[0], "name": "Energy"}),
    "theme recoloured": lambda first, ids, themes: (
        "theme.recolour", {"theme_id": themes[0], "colour": "#146c2e"}),
    "themes reordered": lambda first, ids, themes: (
        "theme.reorder", {"order": [themes[1], themes[0]]}),
    "theme deleted": _theme_deleted,
    "idea moved": lambda first, ids, themes: (
        "idea.move", {"idea_id": ids[2], "theme_id": themes[0], "position": 0}),
    "idea hidden": lambda first, ids, themes: ("idea.hide", {"idea_id": ids[1], "hidden": True}),
    "idea pinned": lambda first, ids, themes: ("idea.pin", {"idea_id": ids[1], "pinned": True}),
    "idea edited": lambda first, ids, themes: (
        "idea.edit", {"idea_id": ids[1], "text": "Shared testbeds for small firms"}),
    "idea deleted": lambda first, ids, themes: ("idea.delete", {"idea_id": ids[1]}),
}


@pytest.mark.parametrize("kind", ACTIONS)
def test_every_kind_round_trips_undo_and_redo(app, board, kind):
    workshop, ids, themes, phone, first, second, screen = board
    event, fields = ACTIONS[kind](first, ids, themes)
    before, shown_before = state(app, workshop["id"]), seen(second)
    assert first.write(event, **fields)["ok"]
    after, shown_after = state(app, workshop["id"]), seen(second)
    assert after != before
    for _ in range(2):
        assert first.write("board.undo")["ok"]
        assert (state(app, workshop["id"]), seen(second)) == (before, shown_before)
        assert first.write("board.redo")["ok"]
        assert (state(app, workshop["id"]), seen(second)) == (after, shown_after)
    if kind == "theme created":  # the very same theme comes back, not a new one
        assert count_rows(app, Theme) == 3


def test_merge_redone_moves_votes_with_the_cap_and_refunds(app, board, connect):
    workshop, ids, themes, phone, first, second, screen = board
    a, b = ids[1], ids[2]
    first.write("phase.set", phase="voting")
    voter = connect(target=workshop)
    for idea in (a, a, b, b):  # cap 2 on a: b's two dots come back to the voter's budget
        assert voter.write("vote.cast", idea_id=idea)["ok"]
    phone.write("vote.cast", idea_id=b)
    before = state(app, workshop["id"])
    assert first.write("idea.merge", idea_id=b, into_id=a)["ok"]
    merged = state(app, workshop["id"])
    me = voter.join()["me"]["participant_id"]
    assert dict(merged["votes_used"])[me] == 2
    for _ in range(2):
        assert first.write("board.undo")["ok"]
        assert state(app, workshop["id"]) == before
        assert first.write("board.redo")["ok"]
        assert state(app, workshop["id"]) == merged
    assert wait_for(lambda: (screen.pump(), screen.state["ideas"][a]["votes"] == 3
                             and screen.state["ideas"][b]["merged_into"] == a)[1])
    # votes change between the undo and the redo: the redo moves the votes there are now
    assert first.write("board.undo")["ok"]
    assert voter.write("vote.retract", idea_id=b)["ok"]  # voter: a 2, b 1, 3 used
    assert first.write("board.redo")["ok"]
    now = state(app, workshop["id"])
    assert dict(now["votes_used"])[me] == 2  # b's dot over the cap came back
    assert (me, a, None, 2) in now["votes"] and not [v for v in now["votes"] if v[1] == b]
    assert first.write("board.undo")["ok"]
    again = state(app, workshop["id"])
    assert dict(again["votes_used"])[me] == 3 and (me, b, None, 1) in again["votes"]


def test_history_tells_undo_and_redo_and_what_comes_next(board):
    workshop, ids, (hydrogen, skills), phone, first, second, screen = board
    moved = f"Moved “{short(HYDROGEN)}” to Hydrogen & energy"
    assert moved.startswith("Moved “Joint hydrogen valley") and "…”" in moved
    history = first.call("board.history", {"workshop_id": workshop["id"]})
    assert (history["can_undo"], history["can_redo"], history["next_redo"]) == (True, False, None)
    assert history["next_undo"] == "Created the theme Skills"
    first.write("idea.move", idea_id=ids[0], theme_id=hydrogen, position=0)
    undone = first.write("board.undo")
    assert undone["done"] == moved and undone["next_redo"] == moved
    assert undone["next_undo"] == "Created the theme Skills"
    redone = first.write("board.redo")
    assert redone["done"] == moved and redone["can_redo"] is False
    summary = first.call("board.history", {"workshop_id": workshop["id"], "summary": True})
    assert "actions" not in summary and summary["next_undo"] == moved
    texts = [a["text"] for a in first.call("board.history",
                                           {"workshop_id": workshop["id"]})["actions"]]
    assert texts[-3:] == [moved, "Undid: " + moved[0].lower() + moved[1:],
                          "Redid: " + moved[0].lower() + moved[1:]]
    assert first.call("board.history", {"workshop_id": workshop["id"], "summary": 1})["ok"] \
        is False


def test_only_a_facilitator_of_an_open_workshop_can_redo(app, board):
    workshop, ids, (hydrogen, skills), phone, first, second, screen = board
    first.write("idea.move", idea_id=ids[0], theme_id=hydrogen, position=0)
    first.write("board.undo")
    before = (state(app, workshop["id"]), count_rows(app, BoardAction))
    for client in (phone, screen):
        assert client.write("board.redo")["error"] == \
            "Only the workshop's facilitator can do this."
    assert phone.call("board.history", {"workshop_id": workshop["id"], "summary": True})["ok"] \
        is False
    first.write("phase.set", phase="closed")
    assert first.write("board.redo")["error"] == \
        "This workshop is closed; reopen it to change the board."
    assert (state(app, workshop["id"]), count_rows(app, BoardAction)) == before


def test_nothing_to_redo_is_a_clear_error_and_changes_nothing(app, board):
    workshop, ids, themes, phone, first, second, screen = board
    before = (state(app, workshop["id"]), count_rows(app, BoardAction))
    version = first.join()["version"]
    assert first.write("board.redo") == {"ok": False, "error": "There is nothing to redo."}
    assert (state(app, workshop["id"]), count_rows(app, BoardAction)) == before
    assert first.join()["version"] == version


def test_an_approval_undone_and_redone_reaches_the_room_again(app, board, connect):
    workshop, ids, themes, phone, first, second, screen = board
    assert first.write("settings.update", premoderation=True)["premoderation"] is True
    first.write("phase.set", phase="collecting")
    queued = phone.write("idea.post", text="A queued idea")["idea"]["id"]
    other = connect(target=workshop)
    assert queued not in [i["id"] for i in seen(other)["ideas"]]
    before = state(app, workshop["id"])
    assert first.write("idea.approve", idea_id=queued)["ok"]
    approved = state(app, workshop["id"])
    assert first.write("board.undo")["ok"]
    assert state(app, workshop["id"]) == before
    other.received()
    assert first.write("board.redo")["ok"]
    assert state(app, workshop["id"]) == approved
    told = [p["args"][0] for p in other.received() if p["name"] == "idea.posted"]
    assert [e["data"]["idea"]["text"] for e in told] == ["A queued idea"]
