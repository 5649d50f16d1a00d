"""Engine set-up that SQLAlchemy cannot express in a URL.

SQLite: WAL journal, synchronous=NORMAL, a busy timeout, foreign keys, secure_delete, and
every transaction opened with BEGIN IMMEDIATE so that two writers never deadlock on a lock
upgrade (they queue on the busy timeout instead).

secure_delete=ON: SQLite overwrites with zeros what a DELETE or UPDATE frees (the old bytes
of a row inside its page, and pages put on the free list). Without it an erased or edited
profile stays readable in the database file's free space until that space is reused
(docs/PRIVACY.md, "For how long"). It is per connection, so every connection sets it.
"""
from collections import namedtuple

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError


def engine_options(uri: str, options: dict) -> dict:
    """No ping before every checkout on SQLite: a file on this machine never goes stale,
    and the ping is one more statement for every socket event. A database server (which
    may restart under the pool) keeps it."""
    if uri.startswith("sqlite"):
        return {**options, "pool_pre_ping": False}
    return options


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
        # on the driver's cursor: every socket event opens a transaction, and SQLAlchemy's
        # execution machinery costs more than the statement
        begin_immediate(connection.connection)


def begin_immediate(dbapi_connection) -> None:
    """SQLite: open the transaction with the write lock taken at once."""
    run_plain(dbapi_connection, "BEGIN IMMEDIATE")


def run_plain(dbapi_connection, statement: str) -> None:
    """A statement with no parameters and no rows (BEGIN, SAVEPOINT...) on the driver."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


def end_read(session) -> None:
    """End a read-only transaction before waiting on another process (the suggestion worker,
    app/suggest/remote.py). On SQLite every transaction holds the write lock from its first
    statement (BEGIN IMMEDIATE): a green thread that waited while holding it would stall
    every other one on the busy timeout. Only for read paths: what was loaded is expired and
    reloads on next use; pending (unflushed) changes are never thrown away."""
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("end_read() with unsaved changes")
    session.rollback()


class Prepared:
    """A Core statement compiled once per dialect into the driver's own SQL and run straight
    on the DBAPI cursor of the session's connection, in its transaction. Only for the
    hottest paths (a vote and the grant check of every attendee event): SQLAlchemy's
    execution of a cached statement costs ~40 µs of CPU, the driver's ~8 µs (measured on
    SQLite, docs/PERFORMANCE.md "Votes"); a 300-vote burst is bound by that CPU.

    Bind values are processed as SQLAlchemy would (JSON, dates); Python-side column
    defaults are not applied, so an INSERT names every column it sets, each a bindparam.
    Driver errors are raised as SQLAlchemy's (IntegrityError...), like any execute.
    Rows come back as named tuples (column names as the driver reports them)."""

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect = {}

    def _plan(self, dialect):
        plan = self._by_dialect.get(dialect)
        if plan is None:
            compiled = self.statement.compile(dialect=dialect)
            names = compiled.positiontup if dialect.positional else None
            plan = (compiled, compiled.string, names, compiled._bind_processors)
            self._by_dialect[dialect] = plan
        return plan

    def _bound(self, plan, params: dict):
        compiled, _sql, names, processors = plan
        values = compiled.construct_params(params)
        for name, process in processors.items():
            if name in values:
                values[name] = process(values[name])
        return values if names is None else tuple(values[name] for name in names)

    def run(self, connection, params: dict | None = None, many: list[dict] | None = None):
        """Execute on `connection` (the session's: `db.session.connection()`, in its
        transaction, pending ORM changes flushed); returns the DBAPI cursor, still open."""
        dialect = connection.dialect
        plan = self._plan(dialect)
        cursor = connection.connection.cursor()
        bound = [self._bound(plan, p) for p in many] if many is not None \
            else self._bound(plan, params or {})
        if connection._has_events or connection.engine._has_events:  # listeners see it too
            connection.dispatch.before_cursor_execute(connection, cursor, plan[1], bound, None,
                                                      many is not None)
        try:
            if many is not None:
                cursor.executemany(plan[1], bound)
            else:
                cursor.execute(plan[1], bound)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise DBAPIError.instance(plan[1], params, error, dialect.loaded_dbapi.Error,
                                      dialect=dialect) from error
        return cursor

    def first(self, connection, params: dict | None = None):
        """The first row as a named tuple, or None."""
        cursor = self.run(connection, params)
        try:
            row = cursor.fetchone()
            if row is None:
                return None
            return self._row_type(cursor)(*row)
        finally:
            cursor.close()

    def scalar(self, connection, params: dict | None = None):
        cursor = self.run(connection, params)
        try:
            row = cursor.fetchone()
            return None if row is None else row[0]
        finally:
            cursor.close()

    def rowcount(self, connection, params: dict | None = None, many: list[dict] | None = None):
        cursor = self.run(connection, params, many)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    def _row_type(self, cursor):
        names = tuple(column[0] for column in cursor.description)
        found = getattr(self, "_rows", None)
        if found is None or found._fields != names:
            found = self._rows = namedtuple("Row", names)
        return found


def new_row(model, **given) -> dict:
    """Every column of a new `model` row but its primary key: `given`, else the column's
    Python-side default (what the ORM would have filled in), else None. For a Prepared
    INSERT, which applies no defaults itself."""
    row = {}
    for column in model.__table__.columns:
        if column.primary_key:
            continue
        if column.key in given:
            row[column.key] = given[column.key]
        elif column.default is not None and column.default.is_scalar:
            row[column.key] = column.default.arg
        elif column.default is not None and column.default.is_callable:
            row[column.key] = column.default.arg(None)
        else:
            row[column.key] = None
    return row


class DriverTransaction:
    """One transaction straight on a pooled DBAPI connection, for a write whose statements
    are all Prepared (a vote): the ORM session's set-up and tear-down around a transaction
    (checkout, SessionTransaction, commit, close: ~150 µs of CPU, docs/PERFORMANCE.md) cost
    more than the vote's own statements. Prepared statements run on it as on a SQLAlchemy
    Connection, and the engine's listeners still see them. Commits on a clean exit, rolls
    back on an exception; the connection goes back to the pool either way."""

    def __init__(self, engine):
        self.engine = engine
        self.dialect = engine.dialect
        self.dispatch = engine.dispatch
        self._has_events = False
        self.connection = None

    def __enter__(self) -> "DriverTransaction":
        self.connection = self.engine.raw_connection()
        if self.dialect.name == "sqlite":  # the write lock at once, as configure_engine does
            try:
                begin_immediate(self.connection)
            except Exception:
                self.connection.close()
                raise
        return self  # PostgreSQL (psycopg) opens the transaction at the first statement

    def __exit__(self, kind, _error, _traceback) -> None:
        try:
            if kind is None:
                self.connection.commit()
            else:
                self.connection.rollback()
        finally:
            self.connection.close()
