"""Bare extension objects, bound to the app in create_app()."""
from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase
from werkzeug.local import LocalProxy


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
csrf = CSRFProtect()

# Guessing limits (app/limits.py), counted per client address. Flask-Limiter keeps its
# storage and settings on the Limiter object itself, so one object bound to several apps in
# one process (the tests build many, two at once on Redis) would count every app's requests
# in the last app's storage. Each app gets a Limiter of its own; `limiter` is the current
# app's.
LIMITER_KEY = "plenary.limiter"


def new_limiter() -> Limiter:
    return Limiter(key_func=get_remote_address)


limiter: Limiter = LocalProxy(lambda: current_app.extensions[LIMITER_KEY])  # type: ignore
