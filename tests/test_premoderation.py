"""Pre-moderation: new ideas wait in the facilitator's queue; their text reaches nobody
else until approved, not even through a reconnect's deltas."""
from helpers import make_workshop, wait_for


def test_queued_ideas_reach_only_the_facilitator_until_approved(app, connect):
    workshop = make_workshop(app)
    console, author, other = (connect("facilitator", target=workshop),
                              connect(target=workshop), connect(target=workshop))
    assert console.write("settings.update", premoderation=True)["premoderation"] is True
    other.pump()
    since = other.version
    for client in (console, other):
        client.received()
    ack = author.write("idea.post", text="A spicy take")
    assert ack["ok"] and ack["idea"]["approved"] is False
    queued = [p["args"][0] for p in console.received() if p["name"] == "idea.queued"]
    assert queued and queued[0]["data"]["idea"]["text"] == "A spicy take"
    seen = [p for p in other.received()]
    assert "A spicy take" not in repr(seen)
    assert [p["name"] for p in seen if "version" in repr(p)] == ["nothing.visible"]
    deltas = other.call("workshop.sync", {"workshop_id": workshop["id"], "since": since})
    assert "A spicy take" not in repr(deltas) and deltas["version"] == ack["version"]
    idea_id = ack["idea"]["id"]
    console.write("phase.set", phase="voting")
    assert other.write("vote.cast", idea_id=idea_id)["error"] == \
        "The facilitator took this idea off the board."
    console.write("phase.set", phase="collecting")
    assert console.write("idea.approve", idea_id=idea_id)["ok"]
    assert wait_for(lambda: (other.pump(), idea_id in other.state["ideas"])[1])
    assert console.write("idea.approve", idea_id=idea_id)["error"] == \
        "This idea is already on the board."


def test_the_facilitator_can_delete_a_queued_idea_and_attendees_cannot_approve(app, connect):
    workshop = make_workshop(app)
    console, phone = connect("facilitator", target=workshop), connect(target=workshop)
    console.write("settings.update", premoderation=True)
    idea_id = phone.write("idea.post", text="Off topic")["idea"]["id"]
    assert phone.write("idea.approve", idea_id=idea_id)["error"] == \
        "Only the workshop's facilitator can do this."
    assert console.write("idea.delete", idea_id=idea_id)["ok"]
    assert console.write("idea.approve", idea_id=idea_id)["error"] == \
        "This idea does not exist in this workshop."
    console.sio.disconnect()
    console.sio.connect()
    snapshot = console.join()["sync"]["snapshot"]
    assert idea_id not in [i["id"] for i in snapshot["ideas"]]
