"""Plenary: live co-creation for conference workshops. create_app() builds the app."""
import os
from pathlib import Path

from flask import Flask

from config import get_config

from . import security_headers
from .extensions import csrf, db, socketio


def create_app(config=None, **overrides) -> Flask:
    """Build the app. `config` is a config class or a name ('development', 'test', ...)."""
    config_class = config if isinstance(config, type) else get_config(config)
    app = Flask(__name__, static_folder="../static", template_folder="../templates",
                instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config.from_object(config_class)
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or config_class.init_secret()
    app.config.update(overrides)
    _prepare_sqlite_dir(app)
    from .database import engine_options
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    from .cookie_session import CookieSessionInterface
    app.session_interface = CookieSessionInterface()

    db.init_app(app)
    from . import i18n
    i18n.init_app(app)
    if app.config["MIGRATIONS"]:
        # `flask db …` (Flask-Migrate, alembic: ~11 MB); a serving process goes without
        from flask_migrate import Migrate
        Migrate(app, db, render_as_batch=True)
    csrf.init_app(app)
    security_headers.init_app(app)
    from .realtime.packets import TextPacket
    from .realtime.queue import client_manager
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        client_manager=client_manager(app),  # rooms in memory, or shared through the queue
        max_http_buffer_size=app.config["SOCKETIO_MAX_BUFFER"],
        transports=app.config["SOCKETIO_TRANSPORTS"],
        cors_allowed_origins=None,  # same origin only
        serializer=TextPacket,  # JSON only: no scan of every payload for bytes
        logger=False, engineio_logger=False,
    )
    from .realtime.backpressure import bound_backlogs
    from .realtime.fanout import send_directly
    from .realtime.inbound import limit_inbound
    if app.config["DIRECT_FANOUT"]:
        # wrapped first: backpressure looks at the queue before it
        send_directly(socketio.server.eio, app.config["DIRECT_FANOUT_MAX_CHARS"])
    bound_backlogs(socketio.server.eio, app.config["SOCKET_MAX_BACKLOG"])
    app.extensions["plenary_inbound"] = limit_inbound(socketio.server.eio, app.config)
    with app.app_context():
        from .database import configure_engine
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from . import cli
    from .realtime import broadcast, connections, handlers, meeting_handlers
    from .views import register_blueprints

    # the realtime layer's state is the app's own: another app in the process shares none
    joined = app.extensions[connections.EXTENSION] = connections.Connections()
    app.extensions[broadcast.EXTENSION] = broadcast.Broadcaster(app, joined)
    from .realtime.budgets import Budgets
    app.extensions["plenary_budgets"] = Budgets(app.config["SOCKET_BUDGETS"])
    from .services.changes import VersionCache
    app.extensions["plenary_snapshots"] = VersionCache(app.config["SNAPSHOT_CACHE_SIZE"])
    from .write_batches import EXTENSION as BATCHES, WriteBatches
    app.extensions[BATCHES] = WriteBatches(lambda: db.engine, socketio.server.sleep,
                                           socketio.server.eio.create_event)
    from .views.page_cache import EXTENSION as PAGES, PageCache
    app.extensions[PAGES] = PageCache()
    handlers.register()
    meeting_handlers.register()
    register_blueprints(app)
    from . import limits
    limits.init_app(app)  # after the blueprints: it wraps their views
    cli.register(app)
    return app


def _prepare_sqlite_dir(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and ":memory:" not in uri:
        os.makedirs(os.path.dirname(uri[len("sqlite:///"):]) or ".", exist_ok=True)
