"""Configuration read from the environment."""
import pytest

from app import create_app
from config import ProductionConfig, database_url


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, db_url):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app("production", SQLALCHEMY_DATABASE_URI=db_url)


def test_plain_postgres_urls_use_the_installed_psycopg3_driver():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(None).startswith("sqlite:///") and database_url(None).endswith(
        "instance/plenary.sqlite3")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app, ctx):
    from app.extensions import db
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only; this run uses PostgreSQL")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_the_pool_pings_a_database_server_before_use_but_not_a_local_sqlite_file(db_url):
    """A server may restart under the pool (a stale connection would fail an event); a
    SQLite file cannot, and the ping would be one more statement for every socket event."""
    from app.extensions import db
    for uri, pings in ((db_url, not db_url.startswith("sqlite")),
                       ("sqlite:///" + "/tmp/plenary-ping-check.sqlite3", False),
                       ("postgresql+psycopg://u@127.0.0.1:1/none", True)):
        app = create_app("test", SQLALCHEMY_DATABASE_URI=uri)
        with app.app_context():
            assert db.engine.pool._pre_ping is pings, uri
            db.engine.dispose()


def test_every_sqlite_transaction_takes_the_write_lock_when_it_begins(app, ctx):
    """BEGIN IMMEDIATE (database.configure_engine): two writers then queue on the busy
    timeout instead of deadlocking on a lock upgrade. A second connection cannot write
    while a transaction that has only read is open."""
    import sqlite3

    from app.extensions import db
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite locking only; this run uses PostgreSQL")
    db.session.execute(db.text("SELECT 1"))  # a read opens the transaction
    other = sqlite3.connect(db.engine.url.database, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        db.session.rollback()
        other.execute("BEGIN IMMEDIATE")  # free again once it ends
        other.execute("ROLLBACK")
    finally:
        other.close()
