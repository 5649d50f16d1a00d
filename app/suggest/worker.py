"""The suggestion worker: a separate process that holds the sentence encoder and runs the
grouping (scikit-learn), so a serving process never loads either (docs/PERFORMANCE.md:
~130 MB it does not carry) and never stalls its sockets for the CPU-bound encoding.

    python -m app.suggest.worker SOCKET_PATH PARENT_PID [BACKEND]

Started by app/suggest/remote.py (one per serving process); listens on a Unix socket the
parent made in a private directory; exits when its parent does. Protocol (remote.py is the
only client): frames of a 4-byte big-endian length and a pickle, request (op, args),
answer ("ok", result) or ("error", message). Ops: "vectors" [texts] -> float32 array of
unit rows; "choose_groups" points -> labels; "ping" -> backend name.
"""
import os
import pickle
import socket
import struct
import sys
import threading
import time

HEADER = struct.Struct(">I")
MAX_FRAME = 64 * 1024 * 1024  # 500 ideas of 512 floats are 1 MB; anything past this is a bug


def send_frame(sock, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(HEADER.pack(len(data)) + data)


def recv_frame(sock):
    (size,) = struct.unpack(">I", _recv_exact(sock, HEADER.size))
    if size > MAX_FRAME:
        raise ConnectionError(f"frame of {size} bytes")
    return pickle.loads(_recv_exact(sock, size))  # noqa: S301  (our own process, our socket)


def _recv_exact(sock, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ConnectionError("closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _watch_parent(parent: int) -> None:
    """Exit with the serving process that started us (no orphan holding the model)."""
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(1.0)


def main(argv: list[str]) -> None:
    path, parent = argv[1], int(argv[2])
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from . import local_backend
    from .grouping import choose_groups
    engine = local_backend(argv[3] if len(argv) > 3 else "embeddings")
    engine.vectors(["Plenary is ready", "Plenary está lista", "Plenary està llesta"])
    ops = {"vectors": engine.vectors, "choose_groups": choose_groups,
           "ping": lambda: engine.name}
    lock = threading.Lock()  # one computation at a time: the model's threads use both cores

    def serve(conn):
        with conn:
            while True:
                try:
                    op, args = recv_frame(conn)
                except (ConnectionError, OSError, EOFError):
                    return
                try:
                    with lock:
                        answer = ("ok", ops[op](*args))
                except Exception as error:  # told to the caller, which refuses politely
                    answer = ("error", f"{type(error).__name__}: {error}")
                try:
                    send_frame(conn, answer)
                except OSError:
                    return

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path + ".tmp")
    os.chmod(path + ".tmp", 0o600)
    server.listen(8)
    os.rename(path + ".tmp", path)  # the parent connects once the model is loaded
    while True:
        conn, _address = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main(sys.argv)
