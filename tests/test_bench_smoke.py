"""The benchmark, small (N = 50), so it cannot rot: the same generator, scenario and
report as `make bench`, against Plenary from wsgi.py (eventlet, file SQLite) in a
subprocess. Only correctness is asserted here, never timings (those are the benchmark's)."""
import asyncio
import sys
import threading
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import report  # noqa: E402
import run  # noqa: E402

ATTENDEES = 50
IDEAS = 12


def in_own_loop(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright (sync API) keeps an
    event loop running in the main thread for the whole session."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            outcome["error"] = error
    thread = threading.Thread(target=target, name="bench-smoke")
    thread.start()
    thread.join(timeout=180)
    assert not thread.is_alive(), "the benchmark scenario did not finish within 180 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_fifty_attendees_see_every_idea_and_the_exact_tally_after_simultaneous_votes(tmp_path):
    case = in_own_loop(run.run_case("plenary-eventlet", ATTENDEES, tmp_path, ideas=IDEAS,
                                    rate=20.0, voters=ATTENDEES, soak_seconds=1.0))

    assert case["server_alive"]
    assert case["connect"]["failures"] == 0, case["connect"]
    # collecting: every idea accepted and shown on every phone and on the console
    collecting = case["collecting"]
    assert collecting["accepted"] == IDEAS, collecting
    assert collecting["screens"] == ATTENDEES + 1
    assert collecting["screens_with_every_idea"] == ATTENDEES + 1
    assert collecting["post_to_every_screen_ms"]["n"] == IDEAS
    # voting: 50 votes at once, none lost, none counted twice, the same total everywhere
    voting = case["voting"]
    assert voting["accepted"] == ATTENDEES, voting["first_refusals"]
    assert voting["votes_counted"] == ATTENDEES
    assert voting["screens_showing_exact_tally"] == ATTENDEES + 1
    assert voting["final_tally_after_last_ack_ms"]["n"] == ATTENDEES + 1
    # the crowd stayed connected, and the server's figures were read
    assert case["disconnects"] == 0 and case["soak"]["connected_at_end"] == ATTENDEES
    assert case["server_cpu_s"] > 0 and case["server_peak_mb"] > 0

    table = report.markdown({"date": "today", "machine": run.machine(),
                             "versions": {"python": "3"}, "cases": [case],
                             "settings": {"ideas": IDEAS, "rate_per_second": 20.0,
                                          "voters": ATTENDEES, "soak_seconds": 1.0,
                                          "tally_interval_s": 0.15}}, None)
    assert f"| plenary-eventlet | {ATTENDEES} |" in table
