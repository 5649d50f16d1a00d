"""How many distinct attendees are connected to a workshop, over every worker process.

One process (no MESSAGE_QUEUE_URL, or a non-Redis queue): this process's own count
(connections.py). With a Redis MESSAGE_QUEUE_URL, each worker keeps the participant ids it
serves in one field of a Redis hash per workshop, and the count is the size of the union of
the fields of the workers that are alive (an attendee with two tabs on two workers counts
once). A worker proves it is alive with a heartbeat key that expires after PRESENCE_TTL
seconds; a crashed worker's attendees drop out of the count within that time, and the
survivors then broadcast the corrected count. If Redis does not answer, the count falls back
to this worker's own attendees rather than failing a join.
"""
import json
import logging
import uuid

log = logging.getLogger(__name__)


class LocalPresence:
    def __init__(self, connections):
        self.connections = connections

    def count(self, workshop_id: int) -> int:
        return self.connections.attendee_count(workshop_id)


class RedisPresence:
    def __init__(self, url: str, prefix: str, ttl: float, connections, start_task, sleep,
                 changed, serving):
        import redis
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.worker = uuid.uuid4().hex
        self.prefix = prefix
        self.ttl = ttl
        self.connections = connections
        self._start_task, self._sleep, self._changed = start_task, sleep, changed
        self._serving = serving  # False once another app took this process's Socket.IO
        self._workshops: set[int] = set()    # workshops this worker has written a field for
        self._beating = False

    def count(self, workshop_id: int) -> int:
        mine = self.connections.attendee_ids(workshop_id)
        try:
            self._start_heartbeat()
            key = self._key(workshop_id)
            pipe = self.redis.pipeline()
            pipe.set(self._alive_key(self.worker), 1, ex=max(1, int(self.ttl)))
            pipe.hset(key, self.worker, json.dumps(sorted(mine)))
            pipe.expire(key, 86400)
            pipe.hgetall(key)
            fields = pipe.execute()[-1]
            self._workshops.add(workshop_id)
            everyone = set(mine)
            for worker, ids in self._alive(fields).items():
                if worker != self.worker:
                    everyone.update(json.loads(ids))
            return len(everyone)
        except Exception as error:  # Redis away: this worker's own count, not a failed join
            log.warning("presence: Redis did not answer (%s); counting this worker only", error)
            return len(mine)

    def _alive(self, fields: dict) -> dict[str, bytes]:
        workers = [w.decode() for w in fields]
        if not workers:
            return {}
        flags = self.redis.mget([self._alive_key(w) for w in workers])
        return {w: fields[w.encode()] for w, flag in zip(workers, flags, strict=True) if flag}

    def _start_heartbeat(self) -> None:
        if not self._beating:
            self._beating = True
            self._start_task(self._heartbeat)

    def _heartbeat(self) -> None:
        """Say this worker is alive; drop the fields of workers that are not. Stops with
        its app (broadcast.Broadcaster.serving)."""
        while True:
            self._sleep(self.ttl / 3)
            if not self._serving():
                return
            try:
                self.redis.set(self._alive_key(self.worker), 1, ex=max(1, int(self.ttl)))
                for workshop_id in list(self._workshops):
                    key = self._key(workshop_id)
                    fields = self.redis.hgetall(key)
                    dead = set(w.decode() for w in fields) - set(self._alive(fields))
                    if dead:
                        self.redis.hdel(key, *dead)
                        if any(json.loads(fields[w.encode()]) for w in dead):
                            self._changed(workshop_id)
            except Exception as error:
                log.warning("presence heartbeat: Redis did not answer (%s)", error)

    def _key(self, workshop_id: int) -> str:
        return f"{self.prefix}:presence:{workshop_id}"

    def _alive_key(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}"


def for_app(app, connections, start_task, sleep, changed, serving):
    """The app's attendee count: `connections` is its registry (connections.py),
    `changed(workshop_id)` is told when a dead worker's attendees drop out, `serving()`
    says whether the app still runs (its heartbeat stops when not)."""
    url = app.config["MESSAGE_QUEUE_URL"]
    if url and url.startswith(("redis://", "rediss://")):
        return RedisPresence(url, app.config["MESSAGE_QUEUE_CHANNEL"],
                             app.config["PRESENCE_TTL"], connections, start_task, sleep,
                             changed, serving)
    return LocalPresence(connections)
