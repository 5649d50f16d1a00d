"""Roadmap as JSON: the roadmap dict itself (the contract in docs/EXPORTS.md), checked for the
shape that docs/roadmap.schema.json documents, so a consumer can rely on schema_version."""
import json
import re
from pathlib import Path

SCHEMA = "plenary.roadmap"
SCHEMA_VERSION = 2
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "roadmap.schema.json"
_SURROGATE = re.compile("[\ud800-\udfff]")
_COMMON = ("schema", "schema_version", "scope", "draft", "public", "generated_at",
           "personal_data_erased", "event", "participation")
_WORKSHOP_KEYS = ("workshop", "participation", "themes", "ideas", "actions")
_REQUIRED = {"workshop": _COMMON + _WORKSHOP_KEYS[2:] + ("workshop", "history"),
             "event": _COMMON + ("where", "timeline", "recurring_themes", "workshops")}


class RoadmapShapeError(ValueError):
    """The dict is not a roadmap this exporter knows how to publish."""


def build(d: dict) -> dict:
    """The roadmap dict, unchanged, once its shape is checked."""
    if not isinstance(d, dict):
        raise RoadmapShapeError("a roadmap is a JSON object")
    if d.get("schema") != SCHEMA or d.get("schema_version") != SCHEMA_VERSION:
        raise RoadmapShapeError(f"expected schema {SCHEMA} version {SCHEMA_VERSION}, got "
                                f"{d.get('schema')!r} version {d.get('schema_version')!r}")
    scope = d.get("scope")
    if scope not in _REQUIRED:
        raise RoadmapShapeError(f"unknown scope {scope!r}")
    missing = [key for key in _REQUIRED[scope] if key not in d]
    workshops = d.get("workshops") or [] if scope == "event" else []
    for n, workshop in enumerate(workshops):
        missing += [f"workshops[{n}].{key}" for key in _WORKSHOP_KEYS if key not in workshop]
    if missing:
        raise RoadmapShapeError("missing " + ", ".join(missing))
    return d


def dumps(d: dict) -> str:
    """The JSON document: UTF-8 text (accents kept as is), keys in contract order; a lone
    surrogate (which UTF-8 cannot hold) becomes U+FFFD."""
    text = json.dumps(build(d), ensure_ascii=False, indent=2) + "\n"
    return _SURROGATE.sub("\ufffd", text)


def build_workshop(d: dict) -> str:
    return dumps(d)


build_event = build_workshop


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
