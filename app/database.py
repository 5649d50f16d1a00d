"""Engine set-up that SQLAlchemy cannot express in a URL.

SQLite: WAL journal, synchronous=NORMAL, a busy timeout, foreign keys, secure_delete, and
every transaction opened with BEGIN IMMEDIATE so that two writers never deadlock on a lock
upgrade (they queue on the busy timeout instead).

secure_delete=ON: SQLite overwrites with zeros what a DELETE or UPDATE frees (the old bytes
of a row inside its page, and pages put on the free list). Without it an erased or edited
profile stays readable in the database file's free space until that space is reused
(docs/PRIVACY.md, "For how long"). It is per connection, so every connection sets it.
"""
from sqlalchemy import event


def configure_engine(engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def end_read(session) -> None:
    """End a read-only transaction before waiting on another process (the suggestion worker,
    app/suggest/remote.py). On SQLite every transaction holds the write lock from its first
    statement (BEGIN IMMEDIATE): a green thread that waited while holding it would stall
    every other one on the busy timeout. Only for read paths: what was loaded is expired and
    reloads on next use; pending (unflushed) changes are never thrown away."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read() with unsaved changes")
    session.rollback()
