"""Hidden until reveal: while collecting, attendees see only their own ideas, so the first
posts do not steer the rest; the facilitator reveals them all at once."""
from helpers import make_workshop, wait_for


def test_attendees_see_only_their_own_ideas_until_the_reveal(app, connect):
    workshop = make_workshop(app)
    console = connect("facilitator", target=workshop)
    ana, ben, screen = connect(target=workshop), connect(target=workshop), connect(
        "screen", target=workshop)
    assert console.write("settings.update", hide_until_reveal=True)["hide_until_reveal"]
    first = ana.write("idea.post", text="Ana's idea")["idea"]
    ben.write("idea.post", text="Ben's idea")
    for client in (ana, ben, screen):
        client.sio.disconnect()
        client.sio.connect()
    assert [i["text"] for i in ana.join()["sync"]["snapshot"]["ideas"]] == ["Ana's idea"]
    assert [i["text"] for i in ben.join()["sync"]["snapshot"]["ideas"]] == ["Ben's idea"]
    assert screen.join()["sync"]["snapshot"]["ideas"] == []
    assert len(console.join()["sync"]["snapshot"]["ideas"]) == 2
    console.write("phase.set", phase="voting")
    assert ben.write("vote.cast", idea_id=first["id"])["error"] == \
        "The facilitator took this idea off the board."
    console.write("phase.set", phase="collecting")
    screen.received()
    assert console.write("ideas.reveal")["ok"]
    assert wait_for(lambda: (screen.pump(), len(screen.state["ideas"]) == 2)[1])
    after = ben.write("idea.post", text="Posted after the reveal")
    assert after["idea"]["revealed"] is True
    assert console.write("ideas.reveal")["error"] == "There is nothing to reveal."


def test_someone_already_said_it_never_shows_an_idea_before_the_reveal(app, connect):
    workshop = make_workshop(app)
    console = connect("facilitator", target=workshop)
    ana, ben = connect(target=workshop), connect(target=workshop)
    console.write("settings.update", hide_until_reveal=True)
    ana.write("idea.post", text="Shared testbeds so SMEs can try robots first")
    ask = {"workshop_id": workshop["id"], "text": "Testbeds shared by SMEs to try robots"}
    assert ben.call("idea.similar", ask)["match"] is None        # Ana's idea stays private
    assert ana.call("idea.similar", ask)["match"] is not None    # her own idea is hers to see
    console.write("ideas.reveal")
    assert ben.call("idea.similar", ask)["match"]["text"].startswith("Shared testbeds")
