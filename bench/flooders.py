"""The hostile clients of bench/flood.py, in a process of their own.

    python bench/flooders.py '<json config>'   # prints "ready", floods until stdin closes,
                                               # then prints its counts as one JSON line

Kinds (each client reconnects and rejoins at once when the server drops it, as a real
attacker would; every connection, drop and answer is counted):
A server-side `41` (the namespace disconnected, the websocket left open) is answered by
connecting the namespace again on the same socket and rejoining, which the protocol allows.
- sync:   `workshop.sync {since: 0}` as fast as the socket takes it;
- mix:    any events as fast as it can: writes with garbage, reads, unknown events;
- post:   one attendee posting valid ideas as fast as it can (the same browser cookie on
          every reconnect, so its budget per browser follows it);
- screen: a projector socket that never reads (small SO_RCVBUF, bench/rawsocket.py) and
          keeps asking for snapshots, at `screen_rate` a second.
Answers are classified from the first bytes of each ack, never parsed in full, so the
flooders spend their CPU sending. The process lowers its priority (nice) so that on the
generator's core the honest phones' loop (bench/flood.py) is served first.
"""
import asyncio
import json
import os
import random
import re
import resource
import sys
import time
import uuid
from collections import Counter

import aiohttp

from rawsocket import Closed, SilentSocket

KINDS = ("sync", "mix", "screen", "post")
OK = re.compile(r'"ok":\s*(true|false)')
WORDS = "hydrogen clusters testbeds skills vouchers ports logistics talent data green".split()


def mix_event(wid: int, rng: random.Random):
    """Garbage writes, reads and nonsense, in random order."""
    cid = uuid.uuid4().hex
    return rng.choice([
        ("idea.post", {"workshop_id": wid, "client_id": "", "text": None}),
        ("idea.post", {"workshop_id": wid, "client_id": cid, "text": {"a": [1, 2, {"b": 3}]}}),
        ("idea.post", "not an object"),
        ("idea.post", {"workshop_id": wid, "client_id": cid, "text": "x" * 5000}),
        ("vote.cast", {"workshop_id": wid, "client_id": cid, "idea_id": 10 ** 9}),
        ("profile.update", {"workshop_id": wid, "client_id": cid, "region": 42,
                            "kind": "k" * 3000}),
        ("phase.set", {"workshop_id": wid, "client_id": cid, "phase": "closed"}),
        ("workshop.sync", {"workshop_id": "x", "since": -5}),
        ("results.support", {"workshop_id": wid}),
        ("matches.mine", {"workshop_id": wid}),
        ("idea.similar", {"workshop_id": wid, "text": " ".join(rng.choices(WORDS, k=8))}),
        ("board.history", {"workshop_id": wid}),
        ("board.suggest", {"workshop_id": wid}),
        ("no.such.event", {"workshop_id": wid}),
    ])


class Flooder:
    def __init__(self, kind: str, index: int, cfg: dict, stop: asyncio.Event):
        self.kind, self.index, self.cfg, self.stop = kind, index, cfg, stop
        self.wid = cfg["workshop_id"]
        self.cookie = cfg["cookies"][kind][index]
        self.local = f"127.0.0.{10 + (cfg['offsets'][kind] + index) % 40}"
        self.counts = Counter()
        self.errors = Counter()            # refusal messages other than the budget's
        self.rng = random.Random(index)
        self.started = asyncio.Event()     # joined (or failed to) once
        self.posted = 0

    async def run(self) -> None:
        while not self.stop.is_set():
            try:
                if self.kind == "screen":
                    await self._screen_once()
                else:
                    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(
                            local_addr=(self.local, 0), force_close=True),
                            cookie_jar=aiohttp.DummyCookieJar()) as session:
                        await self._socket_once(session)
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
                self.counts["connect_failures"] += 1
                self.errors[type(error).__name__] += 1
                await asyncio.sleep(0.2)   # the server is refusing connections: not a spin
            finally:
                self.started.set()

    # --- aiohttp kinds: sync, mix, post ------------------------------------------------
    def _message(self, ack_id: int) -> str:
        if self.kind == "sync":
            event, payload = "workshop.sync", {"workshop_id": self.wid, "since": 0}
        elif self.kind == "post":
            self.posted += 1
            event, payload = "idea.post", {
                "workshop_id": self.wid, "client_id": uuid.uuid4().hex,
                "text": f"Flood idea {self.posted} from attacker {self.index}"}
        else:
            event, payload = mix_event(self.wid, self.rng)
        return f"42{ack_id}" + json.dumps([event, payload])

    async def _socket_once(self, session) -> None:
        url = self.cfg["url"].replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        ws = await asyncio.wait_for(session.ws_connect(
            url, headers={"Cookie": self.cookie}, max_msg_size=0,
            timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=2)), 20)
        self.counts["connects"] += 1
        joined = asyncio.get_running_loop().create_future()
        reader = asyncio.create_task(self._read(ws, joined))
        try:
            try:
                ack = await asyncio.wait_for(joined, 10)
            except asyncio.TimeoutError:  # the server is too busy to answer a join
                self.counts["join_timeouts"] += 1
                return
            self.started.set()
            if not ack:
                self.counts["joins_refused"] += 1
                await asyncio.sleep(0.5)
                return
            ack_id = 1
            while not self.stop.is_set() and not ws.closed:
                await ws.send_str(self._message(ack_id))
                self.counts["sent"] += 1
                ack_id += 1
                if ack_id % 16 == 0:
                    await asyncio.sleep(0)  # let the reader in: the transport rarely blocks
            if not self.stop.is_set():
                self.counts["dropped_by_server"] += 1
        except (ConnectionError, aiohttp.ClientError, asyncio.TimeoutError):
            if not self.stop.is_set():
                self.counts["dropped_by_server"] += 1
        finally:
            reader.cancel()
            try:
                await asyncio.wait_for(ws.close(), 2)
            except (asyncio.TimeoutError, aiohttp.ClientError, OSError):
                pass

    async def _read(self, ws, joined) -> None:
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = message.data
            if data == "2":
                await ws.send_str("3")
            elif data.startswith("0"):
                await ws.send_str("40")
            elif data.startswith("40"):
                await ws.send_str("420" + json.dumps(["workshop.join", {
                    "workshop_id": self.wid, "role": "attendee", "since": None}]))
            elif data.startswith("430["):
                if not joined.done():
                    joined.set_result('"ok": true' in data[:40] or '"ok":true' in data[:40])
            elif data.startswith("43"):
                self._classify(data)
            elif data.startswith("42"):
                self.counts["broadcasts_received"] += 1
            elif data.startswith("41"):  # disconnected from the namespace, not the socket:
                self.counts["kicked"] += 1  # connect again on it, and rejoin (the "40" above)
                if not self.stop.is_set():
                    self.counts["rejoins"] += 1
                    await ws.send_str("40")
        if not joined.done():
            joined.set_exception(ConnectionError("closed before the join's answer"))

    def _classify(self, data: str) -> None:
        head = data[:300]
        found = OK.search(head)
        if found and found.group(1) == "true":
            self.counts["accepted"] += 1
        elif "retry_after_ms" in head:
            self.counts["refused_budget"] += 1
        else:
            self.counts["refused_other"] += 1
            error = re.search(r'"error":\s*"([^"]{0,80})', head)
            self.errors[error.group(1) if error else head[:60]] += 1

    # --- the silent projector ------------------------------------------------------------
    async def _screen_once(self) -> None:
        ws = SilentSocket(self.cfg["url"], self.cookie, self.cfg.get("rcvbuf", 4096),
                          self.local)
        try:
            await asyncio.wait_for(ws.open(), 20)
            self.counts["connects"] += 1
            try:
                ack = await ws.join(self.wid)
            except asyncio.TimeoutError:
                self.counts["join_timeouts"] += 1
                return
            self.started.set()
            if not ack.get("ok"):
                self.counts["joins_refused"] += 1
                await asyncio.sleep(0.5)
                return
            ws.go_silent()
            ack_id = 1
            pause = 1.0 / self.cfg.get("screen_rate", 5.0)
            while not self.stop.is_set():
                await ws.send(f"42{ack_id}" + json.dumps(["workshop.sync", {
                    "workshop_id": self.wid, "since": None}]))
                self.counts["sent"] += 1
                ack_id += 1
                await asyncio.sleep(pause)
        except (Closed, asyncio.IncompleteReadError):
            if not self.stop.is_set():
                self.counts["dropped_by_server"] += 1
        except asyncio.TimeoutError:  # connecting, or (once silent) its writes, stalled
            self.counts["stalled" if ws.writer is not None and ws.silent
                        else "connect_failures"] += 1
        finally:
            ws.close()


async def flood(cfg: dict) -> dict:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    offsets, flooders, at = {}, [], 0
    for kind in KINDS:
        offsets[kind] = at
        at += cfg["kinds"].get(kind, 0)
    cfg["offsets"] = offsets
    for kind in KINDS:
        flooders += [Flooder(kind, i, cfg, stop) for i in range(cfg["kinds"].get(kind, 0))]
    tasks = [asyncio.create_task(f.run()) for f in flooders]
    await asyncio.wait_for(asyncio.gather(*(f.started.wait() for f in flooders)), 60)
    print("ready", flush=True)
    started = time.monotonic()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    await loop.run_in_executor(None, sys.stdin.read)  # until flood.py closes our stdin
    stop.set()
    seconds = time.monotonic() - started
    await asyncio.wait(tasks, timeout=5)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    out = {"seconds": round(seconds, 1),
           "cpu_percent": round(100 * (cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime
                                       - cpu0.ru_stime) / max(seconds, 1e-9), 1),
           "kinds": {}}
    for kind in KINDS:
        mine = [f for f in flooders if f.kind == kind]
        if not mine:
            continue
        total, errors = Counter(), Counter()
        for f in mine:
            total.update(f.counts)
            errors.update(f.errors)
        total["reconnects"] = max(0, total["connects"] - len(mine))
        out["kinds"][kind] = {"clients": len(mine), **total,
                              "sent_per_second": round(total["sent"] / max(seconds, 1e-9), 1),
                              "other_refusals": dict(errors.most_common(6))}
    return out


async def flood_and_report(cfg: dict) -> None:
    print(json.dumps(await flood(cfg)), flush=True)
    # A flooder the server stopped reading may hang in its close handshake: the counts are
    # out, so leave without waiting for it.
    os._exit(0)


def main() -> None:
    cfg = json.loads(sys.argv[1])
    os.nice(cfg.get("nice", 10))
    asyncio.run(flood_and_report(cfg))


if __name__ == "__main__":
    main()
