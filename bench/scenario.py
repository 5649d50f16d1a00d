"""The benchmark scenario, phase by phase, on a connected crowd (bench/loadgen.py).

- collecting: ideas posted at a steady rate by different attendees; for each idea, the
  time from sending `idea.post` to the moment the last screen received `idea.posted`.
- voting: the facilitator opens voting; `voters` attendees cast one vote each at the same
  instant; every screen must end showing exactly the totals the acks add up to, and we
  measure when each screen first showed them, from the last vote's ack.
- soak: the crowd stays connected for a while (a few ideas keep flowing); disconnects
  and server memory are sampled.
"""
import asyncio
import time
import uuid
from collections import Counter


def percentile(values, p: float):
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary_ms(values) -> dict:
    return {"n": len(values),
            **{f"p{p}": None if not values else round(percentile(values, p) * 1000, 1)
               for p in (50, 95, 99)},
            "max": None if not values else round(max(values) * 1000, 1)}


def cid() -> str:
    return uuid.uuid4().hex


async def collecting(gen, workshop_id: int, ideas: int, rate: float,
                     settle: float = 20.0, ack_timeout: float = 30.0) -> dict:
    """Post `ideas` ideas at `rate` per second; post-to-every-screen latency."""
    screens = gen.screens()
    authors = [c for c in gen.clients if not c.lost]
    expected = len(screens)
    gen.latencies.clear()
    acks = []
    failures = []

    async def post(n: int, author):
        text = f"Bench idea {n:05d} {uuid.uuid4().hex[:6]}: shared testing facilities for SMEs"
        gen.sent[text] = time.perf_counter()
        try:
            ack = await author.call("idea.post", {"workshop_id": workshop_id,
                                                  "client_id": cid(), "text": text},
                                    ack_timeout)
            (acks if ack.get("ok") else failures).append((text, ack))
        except (asyncio.TimeoutError, ConnectionError) as error:
            failures.append((text, repr(error)))

    tasks = []
    start = time.perf_counter()
    for n in range(ideas):
        await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        tasks.append(asyncio.ensure_future(post(n, authors[(n * 7919) % len(authors)])))
    await asyncio.wait_for(asyncio.gather(*tasks), ack_timeout + 30)
    texts = [t for t, _ in acks]
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline and not all(
            gen.received.get(t, [0])[0] >= expected for t in texts):
        await asyncio.sleep(0.05)
    every_screen = [gen.received[t][1] - gen.sent[t] for t in texts
                    if gen.received.get(t, [0])[0] >= expected]
    ids = {a["idea"]["id"] for _t, a in acks}
    complete = sum(1 for c in screens if ids <= set(c.ideas))
    return {"ideas": ideas, "rate_per_second": rate, "accepted": len(acks),
            "refused": len(failures), "first_refusals": [str(f)[:200] for f in failures[:3]],
            "screens": expected, "screens_with_every_idea": complete,
            "post_to_every_screen_ms": summary_ms(every_screen),
            "post_to_one_screen_ms": summary_ms(gen.latencies),
            "idea_ids": sorted(ids)}


async def open_voting(gen, workshop_id: int, timeout: float = 30.0) -> float:
    ack = await gen.facilitator.call("phase.set", {"workshop_id": workshop_id,
                                                   "client_id": cid(), "phase": "voting"})
    if not ack.get("ok"):
        raise RuntimeError(f"phase.set refused: {ack}")
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if all(c.phase == "voting" for c in gen.screens()):
            break
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def voting(gen, workshop_id: int, idea_ids: list[int], voters: int,
                 settle: float = 20.0) -> dict:
    """`voters` attendees vote at the same instant; exact tallies everywhere, and when."""
    crowd = [c for c in gen.clients if not c.lost][:voters]
    targets = idea_ids[:max(1, min(len(idea_ids), 10))]
    gen.recording_tallies = True
    for c in gen.screens():
        c.tally_log.clear()
    before = dict(gen.facilitator.ideas)
    ack_times = {}

    async def vote(i, client):
        idea_id = targets[i % len(targets)]
        ack = await client.call("vote.cast", {"workshop_id": workshop_id, "client_id": cid(),
                                              "idea_id": idea_id}, 30)
        ack_times[i] = time.perf_counter()
        return idea_id, ack

    sent_at = time.perf_counter()
    results = await asyncio.wait_for(asyncio.gather(
        *(vote(i, c) for i, c in enumerate(crowd)), return_exceptions=True), 60)
    last_ack = max(ack_times.values()) if ack_times else sent_at
    accepted = Counter(r[0] for r in results if not isinstance(r, BaseException)
                       and r[1].get("ok"))
    refused = [r for r in results if isinstance(r, BaseException) or not r[1].get("ok")]
    expected = {i: before.get(i, 0) + accepted.get(i, 0) for i in targets}
    screens = gen.screens()

    def shows_final(c):
        return all(c.ideas.get(i) == v for i, v in expected.items())
    deadline = time.monotonic() + settle
    while time.monotonic() < deadline and not all(shows_final(c) for c in screens):
        await asyncio.sleep(0.05)
    gen.recording_tallies = False
    final_times = []
    for c in screens:
        state = {i: before.get(i, 0) for i in targets}
        for at, totals in c.tally_log:
            state.update({i: v for i, v in totals.items() if i in state})
            if state == expected:
                final_times.append(at - last_ack)
                break
    wrong = [c.index for c in screens if not shows_final(c)]
    return {"voters": len(crowd), "ideas_voted": len(targets), "accepted": sum(accepted.values()),
            "refused": len(refused), "first_refusals": [str(r)[:200] for r in refused[:3]],
            "votes_counted": sum(expected.values()) - sum(before.get(i, 0) for i in targets),
            "screens": len(screens), "screens_showing_exact_tally": len(screens) - len(wrong),
            "acks_spread_ms": round((last_ack - sent_at) * 1000, 1),
            "final_tally_after_last_ack_ms": summary_ms(final_times),
            "tally_broadcasts_seen_by_facilitator": len(gen.facilitator.tally_log)}


async def soak(gen, workshop_id: int, seconds: float, sample, every: float = 5.0,
               idea_every: float = 10.0) -> dict:
    """Hold the crowd for `seconds`; `sample()` returns the server's memory in MB."""
    start = time.monotonic()
    before = gen.disconnects
    memory = []
    posted = 0
    authors = [c for c in gen.clients if not c.lost]
    next_idea = start
    while time.monotonic() - start < seconds:
        memory.append(sample())
        if time.monotonic() >= next_idea and authors:
            author = authors[(posted * 31) % len(authors)]
            try:
                await author.call("idea.post", {"workshop_id": workshop_id, "client_id": cid(),
                                                "text": f"Soak idea {posted}"}, 30)
            except (asyncio.TimeoutError, ConnectionError):
                pass
            posted += 1
            next_idea += idea_every
        await asyncio.sleep(min(every, max(0.0, seconds - (time.monotonic() - start))))
    still = sum(1 for c in gen.clients if not c.lost)
    return {"seconds": round(time.monotonic() - start, 1), "connected_at_end": still,
            "disconnects": gen.disconnects - before, "ideas_posted": posted,
            "server_rss_mb_max": max(memory) if memory else None}
