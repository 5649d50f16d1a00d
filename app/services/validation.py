"""Checks for client payloads (socket events and JSON bodies) before any rule runs, and
the one rule every user text goes through (docs/PROTOCOL.md, "Limits").

- `check_json` walks a whole received value: lone surrogates (anywhere, keys too), NaN and
  Infinity, binary data and nesting deeper than MAX_DEPTH are refused.
- `expect_object` checks a payload's fields and types; whole numbers must fit a 64-bit
  database integer, and fields typed `Id` (or `[Id]`, a list of them) are ids: 1..MAX_ID.
- `plain_text` cleans one user text: control characters and bidi overrides/isolates out,
  line breaks kept only in multi-line texts. Each field's own rules (length, empty or not)
  are in fields.py.
"""
import json
import math
import re

from .errors import InvalidInput

CLIENT_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
# Whole numbers in payloads: 64-bit (what SQLite's INTEGER holds; larger ones fail when bound
# to a query, OverflowError). Ids: what every id column holds on both databases (INTEGER:
# 32-bit on PostgreSQL, where a larger one fails with "integer out of range").
MIN_INT, MAX_INT = -2 ** 63, 2 ** 63 - 1
MAX_ID = 2 ** 31 - 1
# Payloads are flat objects (a list of ids at most); anything deeper is junk.
MAX_DEPTH = 20


class Id:
    """Type marker for expect_object: a database id, a whole number from 1 to MAX_ID."""


_TYPE_NAMES = {int: "a whole number", Id: "a whole number", str: "a string",
               bool: "true or false", dict: "an object", list: "a list"}

# Lone surrogates (U+D800-U+DFFF): not text. JSON can carry them as "\ud800" escapes, but
# no database or file can store them.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Line breaks, as str.splitlines() sees them: \n in multi-line texts, a space otherwise.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Removed from every text: the other C0 and C1 controls, NUL and DEL included (\t is
# handled with the line breaks), and the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069), which would reorder whatever is shown after the text.
# The bidi marks (LRM U+200E, RLM U+200F, ALM U+061C) stay: they affect nothing beyond
# themselves, and right-to-left text needs no control characters at all.
_DROPPED = dict.fromkeys(
    [c for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e"]
    + [c for c in range(0x7f, 0xa0) if c != 0x85]
    + list(range(0x202a, 0x202f)) + list(range(0x2066, 0x206a)))


def shown(value, limit: int = 40) -> str:
    """A client's value as quoted in an error message: short, whatever was sent."""
    text = value if isinstance(value, str) else repr(value)
    text = _SURROGATE.sub("\ufffd", text).translate(_DROPPED)
    return text if len(text) <= limit else text[:limit] + "…"


def check_json(value, name: str | None = None, _depth: int = 0) -> None:
    """Refuse what no field of any payload may hold, wherever it is in the value."""
    def where():
        return f"Field '{shown(name)}'" if name else "The message"

    if _depth > MAX_DEPTH:
        raise InvalidInput(f"{where()} is nested too deeply (at most {MAX_DEPTH} levels).")
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise InvalidInput(f"{where()} is not valid Unicode text (it has a lone surrogate).")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"{where()} must be a finite number (not NaN or Infinity).")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or _SURROGATE.search(key):
                raise InvalidInput("A field name is not valid Unicode text.")
            check_json(item, name or key, _depth + 1)
    elif isinstance(value, list):
        for item in value:
            if item.__class__ is not int:  # a list of ids is the common case: fast
                check_json(item, name, _depth + 1)
    elif value is not None and not isinstance(value, (bool, int)):
        raise InvalidInput(f"{where()} must be JSON (text, numbers, true/false, lists, "
                           f"objects), not binary data.")


def expect_object(payload, required: dict, optional: dict | None = None) -> dict:
    """Return payload if it is an object with exactly the given fields of the given types.

    `required`/`optional` map a field name to a type (or a tuple of types), `Id`, or `[Id]`
    (a list of ids); None is accepted for optional fields only.
    """
    optional = optional or {}
    if not isinstance(payload, dict):
        raise InvalidInput("The message must be a JSON object.")
    check_json(payload)
    unknown = sorted(set(payload) - set(required) - set(optional))
    if unknown:
        raise InvalidInput(f"Unexpected field '{shown(unknown[0])}'.")
    for name, kind in required.items():
        if name not in payload:
            raise InvalidInput(f"Missing field '{name}'.")
        _check_type(name, payload[name], kind)
    for name, kind in optional.items():
        if payload.get(name) is not None:
            _check_type(name, payload[name], kind)
    return payload


def _check_type(name, value, kind):
    if isinstance(kind, list):  # [Id]: a list of ids
        if not isinstance(value, list):
            raise InvalidInput(f"Field '{name}' must be a list.")
        for position, item in enumerate(value):
            if not is_id(item):
                raise InvalidInput(f"Field '{name}' must be a list of ids (whole numbers from "
                                   f"1 to {MAX_ID}); item {position + 1} is "
                                   f"{shown(json.dumps(item, ensure_ascii=False, default=repr))}.")
        return
    kinds = kind if isinstance(kind, tuple) else (kind,)
    an_id = Id in kinds
    kinds = tuple(int if k is Id else k for k in kinds)
    # bool is a subclass of int in Python; a JSON true is never a number here.
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if not ok:
        wanted = _TYPE_NAMES.get(kinds[0], kinds[0].__name__)
        raise InvalidInput(f"Field '{name}' must be {wanted}.")
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = (1, MAX_ID) if an_id else (MIN_INT, MAX_INT)
        if not low <= value <= high:
            raise InvalidInput(f"Field '{name}' must be a whole number from {low} to {high}.")


def is_id(value) -> bool:
    """A database id: a whole number (not true/false) from 1 to MAX_ID."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


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


def plain_text(name: str, value: str, *, multiline: bool = False) -> str:
    """The rule for every text a person writes (ideas, names, conclusions, profiles...).

    Refused: lone surrogates. Removed: C0/C1 control characters (NUL and DEL included) and
    bidi embeddings, overrides and isolates. Line breaks (\\r\\n, \\r, U+2028, ...) become
    \\n in multi-line texts, which also keep tabs; in single-line texts both become spaces.
    Trimming and collapsing spaces is left to each field.
    """
    if _SURROGATE.search(value):
        raise InvalidInput(f"Field '{name}' is not valid Unicode text (it has a lone surrogate).")
    value = _LINE_BREAK.sub("\n" if multiline else " ", value).translate(_DROPPED)
    return value if multiline else value.replace("\t", " ")
