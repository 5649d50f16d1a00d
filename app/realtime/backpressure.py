"""Slow readers: a socket that does not read what it is sent cannot grow the server.

Engine.IO queues every packet for a socket until its writer task hands it to the network; a
client that stops reading (hostile, or a phone whose radio died without closing) makes that
queue, and the server's memory, grow until the ping timeout (up to 45 s). Here every packet
to a socket first looks at its queue: past SOCKET_MAX_BACKLOG packets not yet written, the
socket is closed instead. The client, if it is honest, reconnects and resyncs by version.

python-engineio has no setting for this; the one hook is its server's send_packet (every
Socket.IO emit, broadcast or ack goes through it), wrapped once per app here.
"""
import logging

log = logging.getLogger(__name__)


def bound_backlogs(eio_server, max_packets: int) -> None:
    send_packet = eio_server.send_packet

    def send_or_drop(sid, pkt):
        socket = eio_server.sockets.get(sid)
        if socket is not None and not socket.closed and socket.queue.qsize() >= max_packets:
            log.warning("closing %s: %d packets unread (SOCKET_MAX_BACKLOG)", sid,
                        socket.queue.qsize())
            drop(socket)
            return None
        return send_packet(sid, pkt)

    def drop(socket):
        try:
            socket.close(wait=False, abort=True,
                         reason=eio_server.reason.TRANSPORT_CLOSE)
        except Exception:  # a socket already going away: nothing left to do
            log.debug("closing a slow socket failed", exc_info=True)
        # Its writer may be stuck writing to a peer that never reads: let go of what it
        # queued now, and leave it the end marker for when the write returns.
        empty = eio_server.get_queue_empty_exception()
        try:
            while True:
                socket.queue.get(block=False)
                socket.queue.task_done()
        except empty:
            pass
        socket.queue.put(None)

    eio_server.send_packet = send_or_drop
