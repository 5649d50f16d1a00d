"""The message queue that lets several worker processes share workshop rooms.

MESSAGE_QUEUE_URL unset: one process, rooms in memory (no queue). `redis://` or
`rediss://`: python-socketio's RedisManager on the channel MESSAGE_QUEUE_CHANNEL; any other
URL goes to kombu. The manager is built here rather than by Flask-SocketIO so that every
create_app() gets its own (Flask-SocketIO keeps a previous app's manager otherwise) and so
that a Redis restart cannot leave a worker deaf for long (see RecoveringRedisManager).
"""
import logging

import socketio

log = logging.getLogger(__name__)


REVOKE_PREFIX = "revoke:"  # rooms of grants (broadcast.py names them)


class DisconnectOnRevoke:
    """Closing a room named 'revoke:…' disconnects its members instead of only emptying it.

    With a message queue, close_room() reaches every worker, and each one runs this for its
    own sockets: so revoking a grant (broadcast.revoke) cuts off every socket that used it,
    whichever worker holds it. python-socketio's managers all close rooms through
    basic_close_room(), locally and for messages from the queue."""

    def basic_close_room(self, room, namespace):
        if isinstance(room, str) and room.startswith(REVOKE_PREFIX):
            for sid, _eio_sid in list(self.get_participants(namespace, room)):
                try:
                    self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
                except Exception:  # one socket's failure must not keep the others connected
                    self._get_logger().exception("could not disconnect %s on revoke", sid)
        return super().basic_close_room(room, namespace)


class RevokingManager(DisconnectOnRevoke, socketio.Manager):
    """One process, rooms in memory."""


class RecoveringRedisManager(DisconnectOnRevoke, socketio.RedisManager):
    """python-socketio's RedisManager, with the listener's reconnection wait capped.

    When Redis goes away the stock listener retries after 1, 2, 4 ... up to 60 seconds:
    a Redis that was down for half a minute leaves every worker deaf to the others for up to
    another minute after it is back. Here it retries every RETRY_MAX seconds at most. The
    publishing side already reconnects on the next emit (two attempts per message).
    Waiting uses the server's sleep, so it is green under eventlet and gevent.
    This overrides a private method of python-socketio 5.18 (pinned in requirements.txt);
    tests/test_multi_worker.py's Redis-restart test fails if an upgrade changes it.
    """

    RETRY_MAX = 1.0

    def _redis_listen_with_retries(self):  # pragma: no cover - exercised by live tests
        retry_sleep = 0.1
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed = True
                    if retry_sleep > 0.1:
                        self._get_logger().warning("Receiving from redis again.")
                        self._suggest_sync()
                    retry_sleep = 0.1
                yield from self.pubsub.listen()
                subscribed = False  # listen() only returns once unsubscribed: subscribe again
            except Exception as exc:
                self._get_logger().error(
                    f"Cannot receive from redis ({exc}); retrying in {retry_sleep:.1f} s")
                subscribed = False
                self._close_quietly()
                self.server.sleep(retry_sleep)
                retry_sleep = min(retry_sleep * 2, self.RETRY_MAX)

    def _suggest_sync(self) -> None:
        """Whatever the other workers published while Redis was away never arrived here:
        ask this worker's own clients (not the queue's) to compare their version with the
        database's, so nobody waits for the next change to notice the gap."""
        try:
            socketio.Manager.emit(self, "sync.suggested", {}, namespace="/")
        except Exception:
            self._get_logger().exception("could not suggest a sync after reconnecting")

    def _close_quietly(self) -> None:
        """Let go of the listener's broken connection before _redis_connect() makes a new
        one (the publishing side reconnects through its own client)."""
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:
            pass


def client_manager(app):
    """The Socket.IO client manager for MESSAGE_QUEUE_URL, or rooms in memory."""
    url = app.config["MESSAGE_QUEUE_URL"]
    if not url:
        return RevokingManager()
    channel = app.config["MESSAGE_QUEUE_CHANNEL"]
    if url.startswith(("redis://", "rediss://")):
        return RecoveringRedisManager(url, channel=channel, logger=log)
    return RevokingKombuManager(url, channel=channel, logger=log)


class RevokingKombuManager(DisconnectOnRevoke, socketio.KombuManager):
    """Any other kombu URL (RabbitMQ, ...)."""
