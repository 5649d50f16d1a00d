"""`make bench`: Plenary under load, against two baselines measured in the same run.

Targets (each started fresh, pinned to core 0; the generator runs on core 1):
- plenary-eventlet / -gevent / -threading: wsgi.py on a file SQLite database;
- flask-bare: bench/baseline_flask.py, bare Flask-SocketIO (eventlet), no database, no auth;
- node: bench/baseline-node/server.js, bare socket.io 4.8;
- plenary-2workers: two wsgi.py workers (eventlet) sharing the workshop through Redis
  (MESSAGE_QUEUE_URL) and PostgreSQL (a `plenary_bench` database this script recreates).

For each target and crowd size the scenario (bench/scenario.py) runs: connect N attendees
and a facilitator, post ideas at a steady rate, open voting, 300 votes at once, and (for
the largest Plenary crowd) a soak. Results: bench/results/<date>.json and a Markdown
section appended to docs/PERFORMANCE.md.

    python bench/run.py                 # the full run (~20-30 minutes)
    python bench/run.py --quick         # a few minutes, nothing written unless --write
"""
import argparse
import asyncio
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import report  # noqa: E402
import scenario  # noqa: E402
from loadgen import Generator  # noqa: E402
from servers import node_server, python_server, raise_fd_limit  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql+psycopg://postgres@127.0.0.1:5432/plenary_bench"
REDIS_BENCH = "redis://127.0.0.1:6379/11"
SERVER_CPU, GENERATOR_CPU = 0, 1
TARGETS = ["plenary-eventlet", "flask-bare", "node", "plenary-gevent", "plenary-threading",
           "plenary-2workers"]


def setup_workshop(url: str, first_id: int | None = None) -> dict:
    argv = [sys.executable, str(BENCH / "setup_workshop.py"), url]
    if first_id:
        argv.append(str(first_id))
    out = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "ASYNC_MODE": "threading"})
    if out.returncode != 0:
        raise RuntimeError(f"setup failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def reset_postgres() -> None:
    from sqlalchemy import create_engine, text
    engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS plenary_bench WITH (FORCE)"))
        conn.execute(text("CREATE DATABASE plenary_bench"))
    engine.dispose()


def plenary_env(mode: str, database_url: str, **extra) -> dict:
    # The default build: the sentence encoder in each server's suggestion worker process
    # (not counted in the server's memory; SUGGEST_BACKEND=tfidf runs TF-IDF in-process).
    backend = os.environ.get("SUGGEST_BACKEND", "auto")
    return {"ASYNC_MODE": mode, "DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
            "PLENARY_CONFIG": "development", "SUGGEST_BACKEND": backend, **extra}


def start_target(target: str, work: Path):
    """The servers for a target, started, and the workshop they serve (None: baselines)."""
    if target.startswith("plenary-") and target != "plenary-2workers":
        mode = target.split("-", 1)[1]
        db_url = f"sqlite:///{work / f'{target}-{time.time_ns()}.sqlite3'}"
        workshop = setup_workshop(db_url)
        servers = [python_server(target, "wsgi.py", plenary_env(mode, db_url),
                                 SERVER_CPU, work)]
    elif target == "plenary-2workers":
        reset_postgres()
        workshop = setup_workshop(PG_BENCH, first_id=7_000_000)
        env = plenary_env("eventlet", PG_BENCH, MESSAGE_QUEUE_URL=REDIS_BENCH)
        servers = [python_server(f"{target}-{i}", "wsgi.py", env, SERVER_CPU, work)
                   for i in (1, 2)]
    elif target == "flask-bare":
        workshop = {"id": 1}
        servers = [python_server(target, "bench/baseline_flask.py",
                                 {"ASYNC_MODE": "eventlet"}, SERVER_CPU, work)]
    elif target == "node":
        workshop = {"id": 1}
        servers = [node_server(target, {}, SERVER_CPU, work)]
    else:
        raise ValueError(f"unknown target {target}")
    started = []
    try:
        for server in servers:
            started.append(server.start())
    except Exception:
        for server in started:
            server.stop()
        raise
    return servers, workshop


class Load:
    """CPU use of the server(s) and of this generator over a phase, in % of one core: a
    generator near 100 % would be measuring itself."""

    def __init__(self, servers):
        self.servers = servers
        self.wall = time.monotonic()
        self.server = sum(s.cpu_seconds() for s in servers)
        self.generator = self._own()

    @staticmethod
    def _own() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def percent(self) -> dict:
        wall = max(time.monotonic() - self.wall, 1e-9)
        return {"server": round(100 * (sum(s.cpu_seconds() for s in self.servers)
                                       - self.server) / wall, 1),
                "generator": round(100 * (self._own() - self.generator) / wall, 1)}


async def run_case(target: str, n: int, work: Path, ideas: int = 60, rate: float = 3.0,
                   voters: int = 300, soak_seconds: float = 0.0,
                   deliveries: float = 3000.0) -> dict:
    servers, workshop = start_target(target, work)
    wid = workshop["id"]
    pages = ("code" in workshop)
    result = {"target": target, "attendees": n, "workers": len(servers),
              "load_average_at_start": round(os.getloadavg()[0], 2),
              "memory_idle_mb": round(sum(s.memory_mb() for s in servers), 1)}
    cpu_start = sum(s.cpu_seconds() for s in servers)
    started = time.monotonic()
    try:
        async with Generator([s.url for s in servers]) as gen:
            result["connect"] = await gen.connect_crowd(
                n, f"/j/{workshop['code']}" if pages else None, wid)
            await gen.connect_facilitator(f"/f/{workshop['token']}" if pages else None, wid)
            result["memory_connected_mb"] = sum(s.memory_mb() for s in servers)
            # the same load on the wire at every size: at most `deliveries` messages a second
            rate_n = min(rate, deliveries / n)
            load = Load(servers)
            result["collecting"] = await scenario.collecting(gen, wid, ideas, rate_n)
            result["collecting"]["cpu_percent"] = load.percent()
            idea_ids = result["collecting"].pop("idea_ids")
            result["voting_opened_s"] = round(await scenario.open_voting(gen, wid), 3)
            load = Load(servers)
            result["voting"] = await scenario.voting(gen, wid, idea_ids, min(voters, n))
            result["voting"]["cpu_percent"] = load.percent()
            if soak_seconds:
                result["soak"] = await scenario.soak(
                    gen, wid, soak_seconds, lambda: sum(s.memory_mb() for s in servers))
            result["disconnects"] = gen.disconnects
            result["server_kicks"] = gen.kicked
    finally:
        result["seconds"] = round(time.monotonic() - started, 1)
        alive = [s for s in servers if s.alive()]
        result["server_alive"] = len(alive) == len(servers)
        if alive:
            result["server_cpu_s"] = round(sum(s.cpu_seconds() for s in alive) - cpu_start, 2)
            result["server_peak_mb"] = round(sum(s.memory_mb("VmHWM") for s in alive), 1)
        for server in servers:
            server.stop()
    return result


def versions() -> dict:
    from importlib.metadata import version
    out = {"python": platform.python_version()}
    for name in ("Flask", "Flask-SocketIO", "python-socketio", "python-engineio", "eventlet",
                 "gevent", "SQLAlchemy", "aiohttp"):
        out[name] = version(name)
    try:
        out["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True,
                                     timeout=10).stdout.strip()
        pkg = BENCH / "baseline-node/node_modules/socket.io/package.json"
        out["socket.io (node)"] = json.loads(pkg.read_text())["version"]
    except (OSError, ValueError):
        pass
    return out


def machine() -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 2**20, 1),
            "kernel": platform.release(), "load_average_at_start": os.getloadavg()}


async def main_async(args) -> dict:
    raise_fd_limit()
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {GENERATOR_CPU})
    sizes = [int(s) for s in args.sizes.split(",")]
    # Plenary and its baselines one after the other at each size, so that the load other
    # jobs put on this shared machine is as alike as possible for the figures divided.
    targets = args.targets.split(",")
    # Each case `--repeat` times (median and spread reported): the repeats go round the
    # whole plan, so a burst of load from another job spreads over cases instead of
    # spoiling all three runs of one.
    plan = []
    for repeat in range(args.repeat):
        for n in sizes:
            for target in targets:
                if target in ("plenary-eventlet", "flask-bare", "node"):
                    soak = args.soak if (target == "plenary-eventlet" and n == max(sizes)
                                         and repeat == 0) else 0
                    plan.append((target, n, soak))
        for target in targets:
            if target not in ("plenary-eventlet", "flask-bare", "node"):
                plan.append((target, args.modes_size, 0))
    run = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), "versions": versions(),
           "settings": {"ideas": args.ideas, "rate_per_second": args.rate,
                        "deliveries_per_second": args.deliveries,
                        "voters": args.voters, "soak_seconds": args.soak,
                        "repeat": args.repeat,
                        "tally_interval_s": 0.15}, "cases": []}
    with tempfile.TemporaryDirectory(prefix="plenary-bench-") as tmp:
        for target, n, soak in plan:
            print(f"== {target} N={n}" + (f" soak {soak}s" if soak else ""), flush=True)
            try:
                case = await run_case(target, n, Path(tmp), args.ideas, args.rate,
                                      args.voters, soak, args.deliveries)
            except Exception as error:  # a failed case is reported, the run goes on
                case = {"target": target, "attendees": n, "error": repr(error)[:500]}
            print(json.dumps(case), flush=True)
            run["cases"].append(case)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,3000")
    parser.add_argument("--modes-size", type=int, default=1000,
                        help="crowd for gevent, threading and two workers")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--ideas", type=int, default=120)
    parser.add_argument("--rate", type=float, default=3.0)
    parser.add_argument("--deliveries", type=float, default=3000.0,
                        help="cap on idea deliveries per second: the rate is min(rate, this/N)")
    parser.add_argument("--voters", type=int, default=300)
    parser.add_argument("--soak", type=float, default=300.0)
    parser.add_argument("--repeat", type=int, default=None,
                        help="runs of each case (default 3, --quick 1); the report gives the "
                             "median and spread")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 100,300; 20 ideas; 20 s soak; writes nothing unless --write")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    write = (args.write or not args.quick) and not args.no_write
    if args.quick:
        args.sizes, args.modes_size, args.ideas, args.soak = "100,300", 300, 20, 20.0
    if args.repeat is None:
        args.repeat = 1 if args.quick else 3
    run = asyncio.run(main_async(args))
    if write:
        results = BENCH / "results"
        results.mkdir(exist_ok=True)
        path = results / (run["date"][:16].replace(":", "") + "Z.json")
        path.write_text(json.dumps(run, indent=1) + "\n")
        with open(ROOT / "docs/PERFORMANCE.md", "a") as doc:
            doc.write("\n" + report.markdown(run, path.relative_to(ROOT)) + "\n")
        print(f"wrote {path} and appended to docs/PERFORMANCE.md")
    print(report.markdown(run, None))


if __name__ == "__main__":
    main()
