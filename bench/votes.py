"""`python bench/votes.py`: bursts of 300 votes at once, Plenary against bare Flask-SocketIO.

N phones (default 1,000) connect and join; the facilitator posts ten ideas per burst and
opens voting; then each burst is 300 phones (all, if fewer) voting at the same instant
(bench/scenario.py's `voting`, as `make bench` runs it once), on ten ideas of their own
so that no vote is refused. Reported per target: each burst's acks spread (from the first
vote sent to the last ack), their median, and the server's CPU for all the bursts (with
their tallies). The server is pinned to core 0 and the generator to core 1, as in
bench/run.py; the targets run one after the other, so compare figures of the same run.

    python bench/votes.py                          # 6 bursts on 1,000 phones
    python bench/votes.py --n 3000 --bursts 3 --targets plenary
"""
import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import scenario  # noqa: E402
from joins import start  # noqa: E402  (the same servers: wsgi.py on a fresh SQLite, or bare)
from loadgen import Generator  # noqa: E402
from servers import raise_fd_limit  # noqa: E402


async def bursts(target: str, n: int, count: int, work: Path) -> dict:
    server, workshop = start(target, work)  # plenary's workshop: 20 votes, one per idea
    wid, spreads = workshop["id"], []
    try:
        async with Generator([server.url]) as gen:
            pages = "code" in workshop
            await gen.connect_crowd(n, f"/j/{workshop['code']}" if pages else None, wid)
            await gen.connect_facilitator(f"/f/{workshop['token']}" if pages else None, wid)
            posted = await scenario.collecting(gen, wid, 10 * count, 20.0)
            ideas = posted["idea_ids"]
            await scenario.open_voting(gen, wid)
            await asyncio.sleep(1)
            cpu = server.cpu_seconds()
            for b in range(count):
                result = await scenario.voting(gen, wid, ideas[10 * b:10 * b + 10], 300)
                if result["accepted"] != result["voters"] or result["screens_showing_exact_tally"] \
                        != result["screens"]:
                    raise RuntimeError(f"{target}: burst {b} lost something: {result}")
                spreads.append(result["acks_spread_ms"])
                await asyncio.sleep(0.3)
            cpu = server.cpu_seconds() - cpu
    finally:
        server.stop()
    return {"spreads": spreads, "median": statistics.median(spreads), "cpu_s": round(cpu, 2)}


async def main_async(args) -> None:
    raise_fd_limit()
    work = Path(tempfile.mkdtemp(prefix="plenary-votes-"))
    for target in args.targets.split(","):
        got = await bursts(target, args.n, args.bursts, work)
        print(f"{target}: acks spread per burst {got['spreads']} ms, median "
              f"{got['median']:.1f} ms; server CPU {got['cpu_s']} s for {args.bursts} bursts",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="phones connected")
    parser.add_argument("--bursts", type=int, default=6)
    parser.add_argument("--targets", default="plenary,flask-bare")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
