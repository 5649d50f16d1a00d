"""`make bench-joins`: how fast attendees join, Plenary against bare Flask-SocketIO.

N attendees (default 1,000) each open a socket and send `workshop.join`, as fast as the
generator (bench/loadgen.py, pinned to core 1) can drive them, against:
- plenary: wsgi.py (eventlet) on a fresh file SQLite database, pinned to core 0; each
  attendee first fetches the cookie page /j/<code> (timed apart: "pages/s");
- flask-bare: bench/baseline_flask.py (eventlet), no database, no auth, pinned to core 0;
- plenary-floor (with --floor): bench/join_floor.py, wsgi.py with an empty `workshop.join`
  (no grant checked, no participant, no snapshot), on the same database as plenary: what
  Plenary's connection stack costs apart from the join's own work.

joins/s = N / (time from the first socket opened to the last join acknowledged), the
figure issue 16 asks to be >= 600 on one core; server CPU-ms per join is less disturbed by
other jobs on a shared machine. Each target is started fresh for each run, the targets
alternate, and the median of the runs is reported with its spread, and the ratio of the
medians. Prints a Markdown table (and --append adds it to a file).

    python bench/joins.py                  # 3 runs of 1,000
    python bench/joins.py --n 300 --runs 1 # a quick look
    python bench/joins.py --n 3000 --floor # and the floor under a join
"""
import argparse
import asyncio
import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from loadgen import Client, Generator  # noqa: E402
from run import GENERATOR_CPU, SERVER_CPU, plenary_env, setup_workshop  # noqa: E402
from servers import python_server, raise_fd_limit  # noqa: E402

TARGETS = ("plenary", "flask-bare")
FLOOR = "plenary-floor"


def start(target: str, work: Path):
    """The started server and the workshop it serves."""
    if target in ("plenary", FLOOR):
        url = f"sqlite:///{work / f'joins-{time.time_ns()}.sqlite3'}"
        workshop = setup_workshop(url)
        script = "wsgi.py" if target == "plenary" else "bench/join_floor.py"
        server = python_server(target, script, plenary_env("eventlet", url), SERVER_CPU,
                               work)
    else:
        workshop = {"id": 1}
        server = python_server(target, "bench/baseline_flask.py", {"ASYNC_MODE": "eventlet"},
                               SERVER_CPU, work)
    return server.start(), workshop


async def crowd(gen: Generator, n: int, page: str | None, workshop_id: int,
                concurrency: int, server) -> dict:
    """loadgen's connect_crowd, with the server's CPU time of each phase apart: the cookie
    pages first (32 at a time, as there), then n sockets connecting and joining."""
    cpu0, t0 = server.cpu_seconds(), time.perf_counter()
    cookies = [None] * n
    if page:
        gate = asyncio.Semaphore(32)

        async def fetch(i):
            async with gate:
                cookies[i] = await gen.cookie(i, page)
        await asyncio.gather(*(fetch(i) for i in range(n)))
    cpu1, t1, own1 = server.cpu_seconds(), time.perf_counter(), _own_cpu()
    wait1 = server.cpu_wait_seconds()
    clients = [Client(gen, i, cookies[i], server.url) for i in range(n)]
    gen.clients.extend(clients)
    gate, failures = asyncio.Semaphore(concurrency), []

    async def join(client):
        async with gate:
            try:
                await client.connect(gen._session(client.index), 30)
                ack = await client.call("workshop.join", {
                    "workshop_id": workshop_id, "role": "attendee", "since": None})
                if not ack.get("ok"):
                    failures.append(ack)
            except (asyncio.TimeoutError, OSError, ConnectionError) as error:
                failures.append(repr(error))
    await asyncio.wait_for(asyncio.gather(*(join(c) for c in clients)), 300)
    cpu2, t2, own2 = server.cpu_seconds(), time.perf_counter(), _own_cpu()
    waited = server.cpu_wait_seconds() - wait1
    if failures:
        raise RuntimeError(f"{len(failures)} joins failed: {failures[:3]}")
    return {"joins_per_s": n / (t2 - t1), "cpu_ms_per_join": 1000 * (cpu2 - cpu1) / n,
            "server_busy": (cpu2 - cpu1) / (t2 - t1), "generator_busy": (own2 - own1) / (t2 - t1),
            "server_waited": waited / (t2 - t1),  # ready to run, another job had the core
            "pages_per_s": n / (t1 - t0) if page else None,
            "cpu_ms_per_page": 1000 * (cpu1 - cpu0) / n if page else None}


async def one_run(target: str, n: int, concurrency: int, work: Path) -> dict:
    server, workshop = start(target, work)
    try:
        async with Generator([server.url]) as gen:
            page = f"/j/{workshop['code']}" if "code" in workshop else None
            return await crowd(gen, n, page, workshop["id"], concurrency, server)
    finally:
        server.stop()


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def median_spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None, None
    return statistics.median(values), (min(values), max(values))


def table(results: dict, n: int, runs: int) -> str:
    rows = ["| target | joins/s (median) | spread | server CPU ms per join | pages/s | "
            "server CPU ms per page |", "|---|---|---|---|---|---|"]
    medians, cpus = {}, {}
    for target, measured in results.items():
        joins, (low, high) = median_spread([m["joins_per_s"] for m in measured])
        cpu, _ = median_spread([m["cpu_ms_per_join"] for m in measured])
        pages, _ = median_spread([m["pages_per_s"] for m in measured])
        page_cpu, _ = median_spread([m["cpu_ms_per_page"] for m in measured])
        medians[target], cpus[target] = joins, cpu
        rows.append(f"| {target} | {joins:.0f} | {low:.0f}–{high:.0f} | {cpu:.2f} | "
                    f"{_number(pages, '.0f')} | {_number(page_cpu, '.2f')} |")
    ratio = medians["plenary"] / medians["flask-bare"]
    floor = ""
    if FLOOR in medians:
        share = medians[FLOOR] / medians["flask-bare"]
        own = cpus["plenary"] - cpus[FLOOR]
        floor = (f"With an empty join (`{FLOOR}`): **{share:.2f}×** bare's joins per second; "
                 f"the join's own work (grant, participant, snapshot, answer) is {own:.2f} "
                 f"ms of server CPU of Plenary's {cpus['plenary']:.2f}.\n")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"Joins, {n} attendees (socket + `workshop.join`; the cookie page timed apart), "
            f"median of {runs} runs, {when}, {os.cpu_count()} cores:\n\n" + "\n".join(rows) +
            f"\n\nPlenary / bare Flask-SocketIO: **{ratio:.2f}×** the joins per second.\n" + floor)


def _number(value, spec: str) -> str:
    return "" if value is None else format(value, spec)


async def main_async(args) -> str:
    raise_fd_limit()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {GENERATOR_CPU})
    targets = TARGETS + ((FLOOR,) if args.floor else ())
    results = {target: [] for target in targets}
    with tempfile.TemporaryDirectory(prefix="plenary-joins-") as tmp:
        for run in range(args.runs):
            for target in targets:
                measured = await one_run(target, args.n, args.concurrency, Path(tmp))
                results[target].append(measured)
                print(f"run {run + 1} {target}: {measured['joins_per_s']:.0f} joins/s, "
                      f"{measured['cpu_ms_per_join']:.2f} CPU ms per join; busy: server "
                      f"{measured['server_busy']:.0%} (waiting for the core "
                      f"{measured['server_waited']:.0%}), generator "
                      f"{measured['generator_busy']:.0%}", flush=True)
    return table(results, args.n, args.runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=100,
                        help="sockets connecting and joining at once")
    parser.add_argument("--floor", action="store_true",
                        help="also run plenary-floor (bench/join_floor.py: an empty join)")
    parser.add_argument("--append", help="append the table to this Markdown file")
    args = parser.parse_args()
    report = asyncio.run(main_async(args))
    print(report)
    if args.append:
        with open(args.append, "a") as out:
            out.write("\n" + report)


if __name__ == "__main__":
    main()
