"""The load generator: many Socket.IO clients in one asyncio loop (aiohttp websockets).

It speaks Engine.IO 4 / Socket.IO 5 directly (text frames: `0` open, `40` connect,
`2`/`3` ping/pong, `42[...]` event, `42<id>[...]` event with ack, `43<id>[...]` ack), so a
client costs one socket and one task; full python-socketio clients would load the
machine more than the server does. Connections are spread over several loopback source
addresses (127.0.0.2 ...) so the ephemeral ports of one address never run out.

Every wait is bounded in time; every loop in count.
"""
import asyncio
import json
import time

import aiohttp

LOCAL_ADDRESSES = [f"127.0.0.{i}" for i in range(2, 10)]


class Client:
    """One screen: a phone (attendee) or the facilitator's console."""

    def __init__(self, gen, index: int, cookie: str | None, base_url: str):
        self.gen, self.index, self.cookie, self.base_url = gen, index, cookie, base_url
        self.ws = None
        self.reader = None
        self.connected = asyncio.Event()
        self.closed_by_us = False
        self.lost = False
        self.acks: dict[int, asyncio.Future] = {}
        self.next_ack = 0
        self.ideas: dict[int, int] = {}      # idea id -> votes shown
        self.phase = None
        self.tally_log: list = []            # (time, {idea_id: total}) while voting

    async def connect(self, session: aiohttp.ClientSession, timeout: float) -> None:
        url = self.base_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.ws = await session.ws_connect(url, headers=headers, autoping=True,
                                           max_msg_size=0, timeout=aiohttp.ClientWSTimeout(
                                               ws_receive=None, ws_close=5))
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), timeout)

    async def call(self, event: str, payload: dict, timeout: float = 30.0) -> dict:
        ack_id = self.next_ack
        self.next_ack += 1
        future = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        await self.ws.send_str(f"42{ack_id}" + json.dumps([event, payload]))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.acks.pop(ack_id, None)

    async def close(self) -> None:
        self.closed_by_us = True
        if self.ws is not None and not self.ws.closed:
            try:
                await asyncio.wait_for(self.ws.close(), 5)
            except (asyncio.TimeoutError, OSError):
                pass
        if self.reader is not None:
            self.reader.cancel()

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                self._on_text(message.data)
        except (aiohttp.ClientError, OSError):
            pass
        finally:
            if not self.closed_by_us:
                self.lost = True
                self.gen.disconnects += 1
            for future in self.acks.values():
                if not future.done():
                    future.set_exception(ConnectionError("socket closed"))

    def _on_text(self, data: str) -> None:
        kind = data[:2]
        if data == "2":                      # Engine.IO ping from the server
            self._send_soon("3")
        elif data[0] == "0":                 # Engine.IO open: connect the default namespace
            self._send_soon("40")
        elif kind == "40":
            self.connected.set()
        elif kind == "42":
            now = time.perf_counter()
            event, envelope = json.loads(data[2:])[:2]
            self._on_event(now, event, envelope)
        elif kind == "43":
            bracket = data.index("[")
            future = self.acks.get(int(data[2:bracket]))
            if future is not None and not future.done():
                future.set_result(json.loads(data[bracket:])[0])
        elif kind == "41":                   # the server disconnected us
            self.gen.kicked += 1

    def _send_soon(self, text: str) -> None:
        """Send without waiting; a socket the server is closing just misses it (the read
        loop notices the close)."""
        task = asyncio.ensure_future(self.ws.send_str(text))
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

    def _on_event(self, now: float, event: str, envelope) -> None:
        data = envelope.get("data") if isinstance(envelope, dict) else None
        if event == "idea.posted":
            idea = data["idea"]
            if idea["id"] not in self.ideas:
                self.ideas[idea["id"]] = idea.get("votes", 0)
                self.gen.delivered(idea["text"], now)
        elif event == "votes.tallied":
            totals = {int(k): v for k, v in data["tallies"].items()}
            self.ideas.update(totals)
            if self.gen.recording_tallies:
                self.tally_log.append((now, totals))
        elif event == "phase.changed":
            self.phase = data["phase"]


class Generator:
    """A crowd of clients against one or more server URLs (one per worker)."""

    def __init__(self, urls: list[str]):
        self.urls = urls
        self.sessions: list[aiohttp.ClientSession] = []
        self.clients: list[Client] = []
        self.facilitator: Client | None = None
        self.disconnects = 0
        self.kicked = 0
        self.recording_tallies = False
        self.sent: dict[str, float] = {}         # idea text -> time posted
        self.received: dict[str, list] = {}      # idea text -> [count, last time]
        self.latencies: list[float] = []         # every (idea, screen) delivery

    async def __aenter__(self):
        for address in LOCAL_ADDRESSES:
            connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=0,
                                             force_close=True)
            self.sessions.append(aiohttp.ClientSession(connector=connector,
                                                       cookie_jar=aiohttp.DummyCookieJar()))
        return self

    async def __aexit__(self, *exc):
        await self.close_all()
        for session in self.sessions:
            await session.close()

    def _session(self, i: int) -> aiohttp.ClientSession:
        return self.sessions[i % len(self.sessions)]

    async def cookie(self, i: int, page: str, timeout: float = 30.0) -> str:
        """The signed session cookie a browser gets from a page (/j/<code>, /f/<token>)."""
        url = self.urls[i % len(self.urls)] + page
        async with self._session(i).get(url, allow_redirects=False,
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as r:
            if r.status not in (200, 302):
                raise RuntimeError(f"GET {page}: HTTP {r.status}")
            await r.read()
            return "; ".join(f"{k}={m.value}" for k, m in r.cookies.items())

    async def connect_crowd(self, n: int, page: str | None, workshop_id: int,
                            concurrency: int = 100, timeout: float = 300.0) -> dict:
        """n attendees: cookie (when the server has pages), socket, workshop.join."""
        cookies = [None] * n
        t0 = time.perf_counter()
        if page:
            gate = asyncio.Semaphore(32)

            async def fetch(i):
                async with gate:
                    cookies[i] = await self.cookie(i, page)
            await asyncio.wait_for(asyncio.gather(*(fetch(i) for i in range(n))), timeout)
        t1 = time.perf_counter()
        gate = asyncio.Semaphore(concurrency)
        start = len(self.clients)
        new = [Client(self, start + i, cookies[i], self.urls[(start + i) % len(self.urls)])
               for i in range(n)]
        self.clients.extend(new)
        failures = []

        async def join(client):
            async with gate:
                try:
                    await client.connect(self._session(client.index), 30)
                    ack = await client.call("workshop.join", {
                        "workshop_id": workshop_id, "role": "attendee", "since": None})
                    if not ack.get("ok"):
                        failures.append(ack)
                except (asyncio.TimeoutError, aiohttp.ClientError, OSError,
                        ConnectionError) as error:
                    failures.append(repr(error))
        await asyncio.wait_for(asyncio.gather(*(join(c) for c in new)), timeout)
        t2 = time.perf_counter()
        return {"attendees": n, "cookie_seconds": round(t1 - t0, 3),
                "connect_seconds": round(t2 - t1, 3),
                "connects_per_second": round(n / max(t2 - t1, 1e-9), 1),
                "failures": len(failures), "first_failures": [str(f)[:200] for f in failures[:3]]}

    async def connect_facilitator(self, page: str | None, workshop_id: int) -> None:
        cookie = await self.cookie(0, page) if page else None
        self.facilitator = Client(self, -1, cookie, self.urls[0])
        await self.facilitator.connect(self._session(0), 30)
        ack = await self.facilitator.call("workshop.join", {
            "workshop_id": workshop_id, "role": "facilitator", "since": None})
        if not ack.get("ok"):
            raise RuntimeError(f"facilitator join refused: {ack}")

    def screens(self) -> list[Client]:
        return [c for c in self.clients if not c.lost] + [self.facilitator]

    def delivered(self, text: str, now: float) -> None:
        sent = self.sent.get(text)
        if sent is None:
            return
        entry = self.received.setdefault(text, [0, 0.0])
        entry[0] += 1
        entry[1] = now
        self.latencies.append(now - sent)

    async def close_all(self) -> None:
        everyone = self.clients + ([self.facilitator] if self.facilitator else [])
        for i in range(0, len(everyone), 200):
            await asyncio.gather(*(c.close() for c in everyone[i:i + 200]))
