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

    assert case["memory_idle_mb"] > 0
    table = report.markdown({"date": "today", "machine": run.machine(),
                             "versions": {"python": "3"}, "cases": [case, case],
                             "settings": {"ideas": IDEAS, "rate_per_second": 20.0,
                                          "voters": ATTENDEES, "soak_seconds": 1.0,
                                          "tally_interval_s": 0.15}}, None)
    assert f"| plenary-eventlet | {ATTENDEES} |" in table
    # two runs of the case: one median row, with the spread of the two
    assert f"| plenary-eventlet | {ATTENDEES} | 2 | " in table


def test_honest_phones_get_every_idea_while_every_kind_of_flooder_hammers_the_server(tmp_path):
    """bench/flood.py, tiny: 20 phones, one flooder of each kind, a few seconds a phase.
    Correctness only: nothing an honest phone posted is lost, before, during or after the
    flood, and the server is still there."""
    import flood
    kinds = {"sync": 1, "mix": 1, "screen": 1, "post": 1}
    case = in_own_loop(flood.run_flood(tmp_path, attendees=20, baseline_s=3, flood_s=3,
                                       recover_s=3, rate=3.0, kinds=kinds, seed_changes=30,
                                       sample_every=0.5))

    assert case["server_alive"]
    assert case["connect"]["failures"] == 0, case["connect"]
    assert case["seed"]["version"] >= 30
    for name in ("baseline", "flood", "recovery"):
        phase = case[name]
        assert phase["accepted"] == phase["ideas"] == 9, (name, phase["first_refusals"])
        assert phase["every_idea_to_every_screen_ms"]["lost"] == 0, (name, phase)
        assert phase["screens"] == 21 and phase["screens_with_every_idea"] == 21, name
    flooders = case["flood"]["flooders"]
    assert "error" not in flooders, flooders
    for kind in kinds:  # each joined at least once (how much more depends on the server)
        assert flooders["kinds"][kind]["connects"] >= 1, (kind, flooders)
    assert sum(k.get("sent", 0) for k in flooders["kinds"].values()) > 0, flooders
    memory = case["memory_mb"]
    assert memory["before"] > 0 and memory["after"] > 0 and memory["peak"] > 0

    section = flood.flood_report.markdown({"date": "today", "machine": run.machine(),
                                           "settings": {"rate_per_second": 3.0,
                                                        "baseline_s": 3, "flood_s": 3,
                                                        "recover_s": 3, "screen_rate": 5.0},
                                           "case": case}, None)
    assert "Honest p95 with flooders ÷ without" in section
    for kind in kinds:
        assert f"| {kind} | 1 |" in section
