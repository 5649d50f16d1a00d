"""Hostile load (`make bench` runs it after bench/run.py): do honest phones still get their
broadcasts, and does the server give its memory back, while a few clients flood it?

Against plenary-eventlet (wsgi.py, file SQLite, pinned to core 0 like bench/run.py's
targets; this generator on core 1):
1. seed: ~300 logged changes (ideas from a few attendees who then leave);
2. baseline: N phones and a facilitator; honest ideas posted at a steady rate, post → every
   screen latency (bench/honest.py) and the server's RSS;
3. flood: the same honest measurement while flooding clients (bench/flooders.py, a process
   of its own, reconnecting whenever dropped) hammer the server;
4. recovery: flooders gone, phones they got disconnected back, honest ideas keep flowing;
   RSS at the end.
Goals (issue): flood p95 ≤ 1.5 × baseline p95; RSS after within 10 % of before.

    python bench/flood.py                  # 1,000 phones, 60 s / 120 s / 30 s (~6-8 min)
    python bench/flood.py --quick          # 100 phones, 15 s phases; writes nothing unless --write
Other options of bench/run.py (BENCH_ARGS) are accepted and ignored, so `make bench
BENCH_ARGS=...` passes the same ones to both.
"""
import argparse
import asyncio
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import flood_report  # noqa: E402
from honest import honest_phase, reconnect_lost, responsive, seed, version_of  # noqa: E402
from loadgen import Generator  # noqa: E402
from run import GENERATOR_CPU, machine, start_target, versions  # noqa: E402
from servers import raise_fd_limit  # noqa: E402

DEFAULT_FLOODERS = "sync=3,mix=3,screen=3,post=1"


def parse_kinds(text: str) -> dict:
    kinds = {}
    for part in filter(None, text.split(",")):
        kind, _, count = part.partition("=")
        kinds[kind.strip()] = int(count or 1)
    return kinds


class Memory:
    """The server's RSS every `every` seconds, tagged with the phase it was taken in."""

    def __init__(self, server, every: float, limit_mb: float = 3000.0):
        self.server, self.every, self.limit_mb = server, every, limit_mb
        self.phase, self.samples, self.started = "baseline", [], time.monotonic()
        self.before = self.after = None  # RSS before the flood, and after recovery
        self.over = asyncio.Event()  # past limit_mb: the flood stops early (shared machine)

    def now(self) -> float:
        return self.server.memory_mb() if self.server.alive() else 0.0

    async def run(self) -> None:
        while True:
            mb = self.now()
            self.samples.append((round(time.monotonic() - self.started, 1), mb, self.phase))
            if mb > self.limit_mb:
                self.over.set()
            await asyncio.sleep(self.every)

    def peak(self, *phases) -> float | None:
        values = [mb for _t, mb, phase in self.samples if phase in phases]
        return max(values) if values else None


class FloodProcess:
    """bench/flooders.py as a child: started, told to stop (stdin closed), its counts read."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.process = None

    async def _line(self, timeout: float) -> str:
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(loop.run_in_executor(None, self.process.stdout.readline),
                                      timeout)

    async def start(self, timeout: float = 90.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH / "flooders.py"), json.dumps(self.cfg)], cwd=ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            line = await self._line(timeout)
        except asyncio.TimeoutError:
            self.process.kill()
            raise
        if line.strip() != "ready":
            self.process.kill()
            raise RuntimeError(f"flooders did not start: {line[:500]!r}")

    async def stop(self, timeout: float = 60.0) -> dict:
        self.process.stdin.close()
        try:
            line = await self._line(timeout)
            await asyncio.get_running_loop().run_in_executor(None, self.process.wait, 10)
            return json.loads(line)
        except (asyncio.TimeoutError, ValueError, subprocess.TimeoutExpired) as error:
            self.process.kill()
            return {"error": repr(error)}


    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def server_log_counts(path: Path) -> dict:
    text = path.read_text(errors="replace") if path.exists() else ""
    return {"budget_disconnects": text.count("over its event budget"),
            "flood_closes": text.count("(INBOUND_RATE)"),
            "slow_reader_closes": text.count("packets unread (SOCKET_MAX_BACKLOG)"),
            "tracebacks": text.count("Traceback (most recent call last)")}


async def run_flood(work: Path, attendees: int = 1000, baseline_s: float = 60.0,
                    flood_s: float = 120.0, recover_s: float = 30.0, rate: float = 2.0,
                    kinds: dict | None = None, seed_changes: int = 300,
                    screen_rate: float = 5.0, sample_every: float = 1.0,
                    max_rss_mb: float = 3000.0) -> dict:
    kinds = parse_kinds(DEFAULT_FLOODERS) if kinds is None else kinds
    servers, workshop = start_target("plenary-eventlet", work)
    server, wid = servers[0], workshop["id"]
    result = {"target": "plenary-eventlet", "attendees": attendees, "flooders": kinds,
              "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    memory = Memory(server, sample_every, max_rss_mb)
    sampler = flooders = None
    cpu_start, started = server.cpu_seconds(), time.monotonic()
    try:
        result["seed"] = await seed(server.url, workshop, seed_changes)
        async with Generator([server.url]) as gen:
            result["connect"] = await gen.connect_crowd(attendees, f"/j/{workshop['code']}", wid)
            await gen.connect_facilitator(f"/f/{workshop['token']}", wid)
            sampler = asyncio.ensure_future(memory.run())
            result["baseline"] = await honest_phase(gen, wid, baseline_s, rate, servers)
            memory.before = memory.now()
            cookies = {kind: [await gen.cookie(i, f"/p/{workshop['screen_token']}"
                                                if kind == "screen" else f"/j/{workshop['code']}")
                              for i in range(count)] for kind, count in kinds.items()}
            flooders = FloodProcess({"url": server.url, "workshop_id": wid, "kinds": kinds,
                                     "cookies": cookies, "screen_rate": screen_rate})
            memory.phase = "flood"
            first = await version_of(gen, wid)
            await flooders.start()
            result["load_average_at_flood"] = [round(x, 2) for x in os.getloadavg()]
            result["flood"] = await honest_phase(gen, wid, flood_s, rate, servers,
                                                 stop=flooders.stop, memory=memory)
            memory.phase = "recovery"
            result["answers_pages_again_after_s"] = await responsive(
                server.url, result["flood"].pop("flooders_stopped_at", time.monotonic()))
            result["reconnected"] = await reconnect_lost(gen, workshop)
            result["flood"]["workshop_versions"] = [first, await version_of(gen, wid)]
            result["recovery"] = await honest_phase(gen, wid, recover_s, rate, servers)
            memory.after = memory.now()
            result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
            result["honest_kicked"] = gen.kicked
    except Exception as error:  # what was measured so far is kept, with what went wrong
        traceback.print_exc()
        result["error"] = repr(error)[:500]
    finally:
        if sampler is not None:
            sampler.cancel()
        if flooders is not None:
            flooders.kill()  # only if the case failed while they were running
        result["seconds"] = round(time.monotonic() - started, 1)
        result["server_alive"] = server.alive()
        if server.alive():
            result["server_cpu_s"] = round(server.cpu_seconds() - cpu_start, 2)
        result["memory_mb"] = {"before": memory.before, "peak": memory.peak("flood", "recovery"),
                               "after": memory.after, "samples": memory.samples,
                               "vmhwm": server.memory_mb("VmHWM") if server.alive() else None}
        for s in servers:
            s.stop()
        result["server_log"] = server_log_counts(server.log_path)
    result["goals"] = flood_report.goals(result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, allow_abbrev=False,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--baseline", type=float, default=60.0, help="seconds")
    parser.add_argument("--flood", type=float, default=120.0, help="seconds")
    parser.add_argument("--recover", type=float, default=30.0, help="seconds")
    parser.add_argument("--rate", type=float, default=2.0, help="honest ideas per second")
    parser.add_argument("--flooders", default=DEFAULT_FLOODERS,
                        help="kind=count,… of sync, mix, screen, post")
    parser.add_argument("--seed-changes", type=int, default=300)
    parser.add_argument("--screen-rate", type=float, default=5.0,
                        help="snapshot requests a second per silent screen")
    parser.add_argument("--max-rss", type=float, default=3000.0,
                        help="MB: stop the flood early if the server grows past this")
    parser.add_argument("--quick", action="store_true",
                        help="100 phones, 15 s phases; writes nothing unless --write")
    parser.add_argument("--keep", metavar="DIR", help="keep the server's log and database here")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args, ignored = parser.parse_known_args()
    if ignored:
        print(f"flood.py: ignoring {' '.join(ignored)} (bench/run.py's options)", flush=True)
    if args.quick:  # smaller defaults; options given explicitly still win
        for name, value in (("attendees", 100), ("baseline", 15.0), ("flood", 15.0),
                            ("recover", 15.0)):
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    write = (args.write or not args.quick) and not args.no_write
    raise_fd_limit()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {GENERATOR_CPU})
    run = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), "versions": versions(),
           "settings": {"attendees": args.attendees, "baseline_s": args.baseline,
                        "flood_s": args.flood, "recover_s": args.recover,
                        "rate_per_second": args.rate, "seed_changes": args.seed_changes,
                        "screen_rate": args.screen_rate}}
    print(f"== flood: {args.attendees} phones, flooders {args.flooders}", flush=True)
    with tempfile.TemporaryDirectory(prefix="plenary-flood-") as tmp:
        if args.keep:  # the server's log and database, to look at afterwards
            tmp = args.keep
            Path(tmp).mkdir(parents=True, exist_ok=True)
        try:
            run["case"] = asyncio.run(run_flood(
                Path(tmp), args.attendees, args.baseline, args.flood, args.recover, args.rate,
                parse_kinds(args.flooders), args.seed_changes, args.screen_rate,
                max_rss_mb=args.max_rss))
        except Exception as error:  # reported like bench/run.py's failed cases
            traceback.print_exc()
            run["case"] = {"target": "plenary-eventlet", "attendees": args.attendees,
                           "error": repr(error)[:500]}
    print(json.dumps({k: v for k, v in run["case"].items() if k != "memory_mb"}), flush=True)
    if write:
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        path = results / ("flood-" + run["date"][:16].replace(":", "") + "Z.json")
        path.write_text(json.dumps(run, indent=1) + "\n")
        with open(ROOT / "docs/PERFORMANCE.md", "a") as doc:
            doc.write("\n" + flood_report.markdown(run, path.relative_to(ROOT)) + "\n")
        print(f"wrote {path} and appended to docs/PERFORMANCE.md")
    print(flood_report.markdown(run, None))


if __name__ == "__main__":
    main()
