"""Moderation by the facilitator over real sockets: hide, pin, edit, delete, undo."""
from app.extensions import db
from app.models import BoardAction
from helpers import make_workshop, wait_for


def setup_room(app, connect, phase="collecting"):
    workshop = make_workshop(app, phase=phase)
    phone = connect(target=workshop)
    console = connect("facilitator", target=workshop)
    screen = connect("screen", target=workshop)
    ids = [phone.write("idea.post", text=t)["idea"]["id"]
           for t in ("Shared testbeds", "Something rude", "Cross-border vouchrs")]
    return workshop, phone, console, screen, ids


def snapshot_ideas(client):
    client.sio.disconnect()
    client.sio.connect()
    return {i["id"]: i for i in client.join()["sync"]["snapshot"]["ideas"]}


def test_hidden_idea_leaves_attendee_screens_and_comes_back_with_its_text(app, connect):
    workshop, phone, console, screen, ids = setup_room(app, connect)
    assert console.write("idea.hide", idea_id=ids[1], hidden=True)["ok"]
    assert ids[1] not in snapshot_ideas(phone)           # not even its text reaches phones
    assert snapshot_ideas(console)[ids[1]]["hidden"] is True  # the facilitator still sees it
    screen.pump()
    shown = console.write("idea.hide", idea_id=ids[1], hidden=False)
    assert shown["ok"]
    assert wait_for(lambda: [p for p in screen.received() if p["name"] == "idea.updated"]), \
        "the projector never got idea.updated"
    assert ids[1] in snapshot_ideas(phone)


def test_edit_keeps_the_original_in_the_history_and_undo_restores_it(app, connect):
    workshop, phone, console, screen, ids = setup_room(app, connect)
    assert console.write("idea.edit", idea_id=ids[2], text="Cross-border vouchers")["ok"]
    assert snapshot_ideas(phone)[ids[2]]["text"] == "Cross-border vouchers"
    with app.app_context():
        action = db.session.query(BoardAction).filter_by(kind="idea.updated").one()
        assert action.before["fields"] == {"text": "Cross-border vouchrs"}
    assert console.write("board.undo")["ok"]
    assert snapshot_ideas(phone)[ids[2]]["text"] == "Cross-border vouchrs"
    assert console.write("idea.edit", idea_id=ids[2], text="  ")["error"] == \
        "The idea is empty: write something first."


def test_delete_is_soft_and_undoable_and_deleted_ideas_take_no_votes(app, connect):
    workshop, phone, console, screen, ids = setup_room(app, connect)
    assert console.write("idea.delete", idea_id=ids[1])["ok"]
    assert ids[1] not in snapshot_ideas(console)
    assert console.write("idea.pin", idea_id=ids[1], pinned=True)["error"] == \
        "This idea was deleted."
    console.write("phase.set", phase="voting")
    assert phone.write("vote.cast", idea_id=ids[1])["error"] == \
        "The facilitator took this idea off the board."
    console.write("board.undo")   # the phase change is not a board action: undoes the delete
    assert ids[1] in snapshot_ideas(phone)
    assert phone.write("vote.cast", idea_id=ids[1])["ok"]


def test_pinning_is_shared_and_attendees_cannot_moderate(app, connect):
    workshop, phone, console, screen, ids = setup_room(app, connect)
    assert console.write("idea.pin", idea_id=ids[0], pinned=True)["ok"]
    assert snapshot_ideas(screen)[ids[0]]["pinned"] is True
    assert console.write("idea.pin", idea_id=ids[0], pinned="yes")["error"] == \
        "Field 'pinned' must be true or false."
    for event, fields in (("idea.hide", {"hidden": True}), ("idea.delete", {}),
                          ("idea.edit", {"text": "mine now"})):
        assert phone.write(event, idea_id=ids[0], **fields)["error"] == \
            "Only the workshop's facilitator can do this."
    assert snapshot_ideas(phone)[ids[0]]["text"] == "Shared testbeds"
