"""Shared fixtures: a real app on a real database (file SQLite, or PostgreSQL when
PLENARY_TEST_DATABASE_URL is set), real Socket.IO test clients, real HTTP clients."""
import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from helpers import Client, make_workshop

PG_URL = os.environ.get("PLENARY_TEST_DATABASE_URL")


def _reset_postgres(url):
    from sqlalchemy import create_engine
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(autouse=True)
def _disconnect_clients():
    yield
    for client in Client.made:
        if client.sio.is_connected():
            client.sio.disconnect()
    Client.made.clear()


@pytest.fixture
def db_url(tmp_path):
    if PG_URL:
        _reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'plenary-test.sqlite3'}"


@pytest.fixture
def app(db_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        upgrade()  # the real migrations, not create_all
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
