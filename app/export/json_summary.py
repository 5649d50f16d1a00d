"""Workshop summary as JSON, with a schema version (documented in docs/EXPORTS.md)."""

SCHEMA_VERSION = 1


def build(summary: dict) -> dict:
    return {"schema": "plenary.workshop-summary", "schema_version": SCHEMA_VERSION, **summary}
