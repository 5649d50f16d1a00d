"""The countdown: server time for every screen, pause / resume / extend / stop, and the
optional move to the next phase when it reaches zero."""
import time

import pytest

from helpers import make_workshop, wait_for


def clock_events(client):
    return [p["args"][0]["data"] for p in client.received() if p["name"] == "clock.changed"]


def test_start_pause_resume_extend_stop_reach_every_screen(app, connect, workshop):
    console, phone = connect("facilitator"), connect()
    joined = phone.join()
    assert abs(joined["server_time"] - time.time() * 1000) < 5000
    phone.received()
    started = console.write("clock.start", seconds=300)
    assert started["ok"] and started["clock"]["running"]
    assert 299_000 <= started["clock"]["ends_at"] - time.time() * 1000 <= 300_500
    assert clock_events(phone) == [started["clock"]]
    paused = console.write("clock.pause")["clock"]
    assert not paused["running"] and 298_000 <= paused["remaining_ms"] <= 300_000
    assert console.write("clock.pause")["error"] == "The clock is not running."
    extended = console.write("clock.extend", seconds=60)["clock"]
    assert extended["remaining_ms"] == paused["remaining_ms"] + 60_000
    resumed = console.write("clock.resume")["clock"]
    assert resumed["running"] and resumed["remaining_ms"] is None
    assert console.write("clock.stop")["clock"] == {
        "running": False, "ends_at": None, "remaining_ms": None, "advance": False}
    assert phone.join()["sync"]["snapshot"]["workshop"]["clock"]["running"] is False


@pytest.mark.parametrize("event, fields, error", [
    ("clock.start", {"seconds": 0}, "Field 'seconds' must be between 1 and 14400."),
    ("clock.start", {"seconds": 99999}, "Field 'seconds' must be between 1 and 14400."),
    ("clock.start", {"seconds": 60, "advance": "yes"}, "Field 'advance' must be true or false."),
    ("clock.resume", {}, "The clock is not paused."),
    ("clock.extend", {"seconds": 60}, "Start the clock first."),
])
def test_bad_clock_commands_are_refused(connect, event, fields, error):
    assert connect("facilitator").write(event, **fields) == {"ok": False, "error": error}


def test_attendees_cannot_run_the_clock(connect):
    assert connect().write("clock.start", seconds=60)["error"] == \
        "Only the workshop's facilitator can do this."


def test_when_the_clock_ends_the_phase_advances_once(app, connect):
    workshop = make_workshop(app, phase="collecting")
    console, phone = connect("facilitator", target=workshop), connect(target=workshop)
    phone.received()
    assert console.write("clock.start", seconds=1, advance=True)["ok"]
    assert wait_for(lambda: (phone.pump(), phone.state["phase"] == "grouping")[1], timeout=4)
    time.sleep(0.3)
    assert phone.join()["sync"]["snapshot"]["workshop"]["phase"] == "grouping"
    # a paused clock never fires
    console.write("clock.start", seconds=1, advance=True)
    console.write("clock.pause")
    time.sleep(1.4)
    assert phone.join()["sync"]["snapshot"]["workshop"]["phase"] == "grouping"
