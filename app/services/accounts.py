"""Organiser accounts: email + hashed password."""
import functools
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Organiser
from . import fields
from .errors import Conflict, InvalidInput

MIN_PASSWORD = 10


def has_organiser() -> bool:
    return db.session.scalar(select(func.count(Organiser.id))) > 0


def create_organiser(email: str, password: str) -> Organiser:
    email = fields.email(email)
    if not fields.is_email(email):
        raise InvalidInput(_("Please enter a valid email address."))
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD))
    if db.session.scalar(select(Organiser).where(Organiser.email == email)):
        raise Conflict(_("An organiser with this email already exists."))
    # The first account is the site administrator (docs/PRIVACY.md says what it may see).
    organiser = Organiser(email=email, password_hash=generate_password_hash(password),
                          is_admin=not has_organiser())
    db.session.add(organiser)
    db.session.flush()
    return organiser


def authenticate(email: str, password: str) -> Organiser | None:
    email = fields.email(email)
    organiser = db.session.scalar(select(Organiser).where(Organiser.email == email))
    # An unknown email costs the same hash check as a known one, so the time of the answer
    # does not tell which emails have an account.
    password_hash = organiser.password_hash if organiser else _unknown_account_hash()
    if check_password_hash(password_hash, password or "") and organiser:
        return organiser
    return None


@functools.cache
def _unknown_account_hash() -> str:
    """A hash of a random password, made once, with the same method and cost as real ones."""
    return generate_password_hash(secrets.token_urlsafe(24))
