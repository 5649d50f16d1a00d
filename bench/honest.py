"""The honest side of bench/flood.py: the phones' ideas and what every screen saw of them.

- seed: ideas in the change log before the crowd arrives (their posters then leave);
- honest_phase: ideas at a steady rate (bench/scenario.py's collecting), post → every
  screen over every idea posted, acknowledged or not; during the flood, the flooders are
  stopped at the phase's end while the held-up posts are still waited for;
- reconnect_lost: the phones a flood disconnected come back before recovery.
"""
import asyncio
import math
import time

import aiohttp

import scenario
from loadgen import Generator
from run import Load


async def seed(url: str, workshop: dict, changes: int) -> dict:
    """`changes` ideas in the change log before anyone else arrives (posters then leave)."""
    if changes <= 0:
        return {"ideas": 0}
    authors = max(1, math.ceil(changes / 4))  # within a browser's post burst (5)
    version = 0
    async with Generator([url]) as gen:
        await gen.connect_crowd(authors, f"/j/{workshop['code']}", workshop["id"])

        async def post(author, count):
            nonlocal version
            for n in range(count):
                ack = await author.call("idea.post", {
                    "workshop_id": workshop["id"], "client_id": scenario.cid(),
                    "text": f"Seed idea {author.index}-{n}: regional testbeds for SMEs"})
                if not ack.get("ok"):
                    raise RuntimeError(f"seed refused: {ack}")
                version = max(version, ack["version"])
        share = [changes // authors + (i < changes % authors) for i in range(authors)]
        await asyncio.gather(*(post(c, k) for c, k in zip(gen.clients, share, strict=True)))
    return {"ideas": changes, "version": version}


def every_screen_all(gen, texts: list[str], screens: int) -> dict:
    """Post → every screen over every idea posted, acknowledged or not; an idea that never
    reached every screen counts as infinitely late ("lost" when a percentile lands on one)."""
    late = sorted(gen.received[t][1] - gen.sent[t]
                  if gen.received.get(t, [0])[0] >= screens else math.inf for t in texts)
    out = {"n": len(late), "lost": sum(1 for x in late if x == math.inf)}
    for p in (50, 95, 99):
        value = scenario.percentile(late, p)
        out[f"p{p}"] = None if value is None else "lost" if value == math.inf \
            else round(value * 1000, 1)
    return out


class Usage(Load):
    """bench/run.py's CPU figures, plus the time the server waited for its core: on a
    shared machine, the share of the core that other jobs took from it."""

    def __init__(self, servers):
        super().__init__(servers)
        self.delay = self._waited()

    def _waited(self) -> float:
        return sum(s.cpu_wait_seconds() for s in self.servers if s.alive())

    def percent(self) -> dict:
        out = super().percent()
        wall = max(time.monotonic() - self.wall, 1e-9)
        out["server_waiting_for_cpu"] = round(100 * (self._waited() - self.delay) / wall, 1)
        return out


async def honest_phase(gen, wid: int, seconds: float, rate: float, servers,
                       stop=None, memory=None) -> dict:
    """Honest ideas at `rate` for `seconds`. With `stop` (the flood's), `stop()` is awaited
    at exactly `seconds` (or as soon as the server's RSS passes memory.limit_mb) while the
    posts still in flight are waited for (up to a minute more), so a post the flood held up
    is measured late, not lost."""
    if all(c.lost for c in gen.clients):
        return {"skipped": "no phone connected"}
    load, lost, mark = Usage(servers), gen.disconnects, len(gen.sent)
    started = time.monotonic()
    task = asyncio.ensure_future(scenario.collecting(
        gen, wid, max(1, round(seconds * rate)), rate,
        ack_timeout=seconds + 60 if stop else 30.0))
    extra = {}
    if stop is not None:
        try:
            over = memory.over if memory else asyncio.Event()
            await asyncio.wait_for(over.wait(), seconds)
            extra["aborted"] = f"server RSS over {memory.limit_mb:.0f} MB"
        except asyncio.TimeoutError:
            pass
        extra["cpu_percent"] = load.percent()
        extra["flood_seconds"] = round(time.monotonic() - started, 1)
        extra["flooders"] = await stop()
        extra["flooders_stopped_at"] = time.monotonic()
    out = await task
    out.pop("idea_ids")
    out["every_idea_to_every_screen_ms"] = every_screen_all(gen, list(gen.sent)[mark:],
                                                            out["screens"])
    out["seconds"] = round(time.monotonic() - started, 1)
    out["cpu_percent"] = load.percent()
    out["honest_disconnects"] = gen.disconnects - lost
    return {**out, **extra}


async def reconnect_lost(gen, workshop: dict) -> dict:
    """Phones (and the console) the flood disconnected come back, as real ones do, so that
    recovery is measured on a full room."""
    lost = sum(1 for c in gen.clients if c.lost)
    out = {"phones": lost, "facilitator": gen.facilitator.lost}
    try:
        if gen.facilitator.lost:
            await gen.connect_facilitator(f"/f/{workshop['token']}", workshop["id"])
        if lost:
            out["connect"] = await gen.connect_crowd(lost, f"/j/{workshop['code']}",
                                                     workshop["id"])
    except (asyncio.TimeoutError, aiohttp.ClientError, OSError, RuntimeError) as error:
        out["error"] = repr(error)[:300]
    return out


async def responsive(url: str, since: float, timeout: float = 600.0) -> float | None:
    """Seconds from `since` until the server answers a page again (None: not within
    `timeout`): a flood's backlog can keep it busy after the flooders have gone."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url + "/", timeout=aiohttp.ClientTimeout(total=5)) as r:
                    if r.status == 200:
                        return round(time.monotonic() - since, 1)
            except (asyncio.TimeoutError, aiohttp.ClientError, OSError):
                pass
            await asyncio.sleep(1)
    return None


async def version_of(gen, wid: int) -> int | None:
    """The workshop's version (the number of changes logged), asked by the facilitator."""
    try:
        answer = await gen.facilitator.call("workshop.sync", {"workshop_id": wid, "since": 0})
    except (asyncio.TimeoutError, ConnectionError):
        return None
    return answer.get("version")
