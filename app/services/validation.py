"""Checks for client payloads (socket events and JSON bodies) before any rule runs."""
import re

from .errors import InvalidInput

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_TYPE_NAMES = {int: "a whole number", str: "a string", bool: "true or false", dict: "an object",
               list: "a list"}


def expect_object(payload, required: dict, optional: dict | None = None) -> dict:
    """Return payload if it is an object with exactly the given fields of the given types.

    `required`/`optional` map a field name to a type (or a tuple of types); None is accepted
    for optional fields only.
    """
    optional = optional or {}
    if not isinstance(payload, dict):
        raise InvalidInput("The message must be a JSON object.")
    unknown = sorted(set(payload) - set(required) - set(optional))
    if unknown:
        raise InvalidInput(f"Unexpected field '{unknown[0]}'.")
    for name, kind in required.items():
        if name not in payload:
            raise InvalidInput(f"Missing field '{name}'.")
        _check_type(name, payload[name], kind)
    for name, kind in optional.items():
        if payload.get(name) is not None:
            _check_type(name, payload[name], kind)
    return payload


def _check_type(name, value, kind):
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is a subclass of int in Python; a JSON true is never a number here.
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        raise InvalidInput(f"Field '{name}' must be {_TYPE_NAMES.get(kinds[0], kinds[0].__name__)}.")


def client_id(value) -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise InvalidInput("Field 'client_id' must be 1-64 letters, digits or '_.:-'.")
    return value


def bounded_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Field '{name}' must be a whole number.")
    if not low <= value <= high:
        raise InvalidInput(f"Field '{name}' must be between {low} and {high}.")
    return value


def short_text(name: str, value, max_len: int, *, required: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"Field '{name}' must be a string.")
    value = " ".join(value.split()) if "\n" not in value else value.strip()
    if required and not value:
        raise InvalidInput(f"Please fill in the {name.replace('_', ' ')}.")
    if len(value) > max_len:
        raise InvalidInput(f"The {name.replace('_', ' ')} is too long (at most {max_len} characters).")
    return value
