"""Shared fixtures: a real app on a real database (file SQLite, or PostgreSQL when
PLENARY_TEST_DATABASE_URL is set), real Socket.IO test clients, real HTTP clients.

The real migrations (not create_all) run once per test session, into a template; each test
then starts from a copy of it: SQLite copies the template file, PostgreSQL empties every
table of the one migrated database (a live wsgi.py subprocess must see what a test
commits, so a rolled-back transaction per test would not do)."""
import os
import shutil
import sqlite3
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, text

from app import create_app
from app.extensions import db
from helpers import Client, make_workshop

PG_URL = os.environ.get("PLENARY_TEST_DATABASE_URL")
SQLITE_NAME = "plenary-test.sqlite3"


def migrate(url):
    """Run every Alembic migration on the database at `url`."""
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


def _reset_postgres(url):
    """An empty public schema: no tables, not even alembic_version."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class PostgresEmptier:
    """Empties every migrated table and restarts its ids; alembic_version is kept, so the
    schema stays at the head revision. DELETE in foreign-key order, children first: on
    tables this small it takes ~20 ms where TRUNCATE takes ~500 ms (a new file per table)
    and CREATE DATABASE … TEMPLATE ~230 ms. The order and the sequences are read from the
    migrated database once."""

    def __init__(self, url):
        self.engine = create_engine(url)
        reflected = MetaData()
        reflected.reflect(self.engine)
        self.tables = [t.name for t in reversed(reflected.sorted_tables)
                       if t.name != "alembic_version"]
        prepare = self.engine.dialect.identifier_preparer
        with self.engine.connect() as conn:
            self.sequences = conn.execute(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            ).scalars().all()
            seeded = [t for t in self.tables
                      if conn.execute(text(f"SELECT count(*) FROM {prepare.quote(t)}")).scalar()]
        assert not seeded, f"the migrations wrote rows that emptying would delete: {seeded}"

    def empty(self, attempts: int = 5):
        """Fails clearly, not forever, if a connection an earlier test left open still
        holds a lock on a row. A deadlock is tried again: the server of an earlier test that
        was stopped mid-transaction leaves its backend waiting on a lock until PostgreSQL
        picks a victim, and the victim may be this DELETE."""
        from sqlalchemy.exc import OperationalError
        prepare = self.engine.dialect.identifier_preparer
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    conn.execute(text("SET LOCAL lock_timeout = '15s'"))
                    for table in self.tables:
                        conn.execute(text(f"DELETE FROM {prepare.quote(table)}"))
                    for sequence in self.sequences:
                        conn.execute(text(f"ALTER SEQUENCE {prepare.quote(sequence)} RESTART"))
                return
            except OperationalError as error:
                if "deadlock detected" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.5)

    def dispose(self):
        self.engine.dispose()


def copy_sqlite(template, target_dir, name=SQLITE_NAME):
    """A copy of the migrated template file, as a database URL."""
    target = target_dir / name
    shutil.copy(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A file SQLite database migrated to the head revision, to be copied, never opened.
    Its write-ahead log is checkpointed into the file and gone, so one file is all of it."""
    path = tmp_path_factory.mktemp("template") / "plenary-template.sqlite3"
    migrate(f"sqlite:///{path}")
    conn = sqlite3.connect(path)
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    conn.close()
    leftovers = [p.name for p in path.parent.iterdir() if p != path]
    assert not busy and not leftovers, f"template not fully checkpointed: {leftovers}"
    return path


@pytest.fixture(scope="session")
def postgres_template():
    """The PostgreSQL test database, schema dropped and migrated once per session; what
    empties its tables before each test."""
    _reset_postgres(PG_URL)
    migrate(PG_URL)
    emptier = PostgresEmptier(PG_URL)
    yield emptier
    emptier.dispose()


@pytest.fixture
def db_url(request, tmp_path):
    """A migrated database with no rows, for this test only."""
    if PG_URL:
        request.getfixturevalue("postgres_template").empty()
        return PG_URL
    return copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)


@pytest.fixture(autouse=True)
def _disconnect_clients():
    yield
    for client in Client.made:
        if client.sio.is_connected():
            client.sio.disconnect()
    Client.made.clear()


@pytest.fixture
def app(db_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def workshop(app):
    return make_workshop(app)


@pytest.fixture
def connect(app, workshop):
    clients = []

    def factory(role="attendee", join=True, target=None):
        client = Client(app, target or workshop, role)
        if join:
            client.join()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        if client.sio.is_connected():
            client.sio.disconnect()
