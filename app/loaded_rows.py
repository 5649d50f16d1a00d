"""ORM instances from one Prepared SELECT, for the hottest read of all: a join's door
(participants.admission). SQLAlchemy's ORM query took ~105 µs of CPU to load a workshop,
its event and a participant; on the driver, with the rows made into instances here, ~60 µs
(docs/PERFORMANCE.md, "Issue 16, third pass").

The instances are what a query would have returned: in the session, persistent, every
column loaded and unmodified, other attributes loaded on first use. An instance the
session holds already (e.g. after a rollback) is returned as it is, never a second copy.
"""
from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached

from .database import Prepared


class PreparedLoad:
    """SELECT every column of `models` (one row per result; a model on the outer side of a
    join may be missing: all its columns NULL, returned as None), `where` applied by
    `shape(statement)`. first() returns the first row as a tuple of instances (None for a
    model missing from it)."""

    def __init__(self, models: tuple, shape):
        self.models = models
        self.attributes = []  # per model: [(attribute key, column)]
        columns = []
        for model in models:
            mapped = inspect(model)
            pairs = [(prop.key, prop.columns[0]) for prop in mapped.column_attrs]
            self.attributes.append(pairs)
            columns += [column for _key, column in pairs]
        self.prepared = Prepared(shape(select(*columns)))
        self._processors = {}

    def _result_processors(self, dialect) -> list:
        found = self._processors.get(dialect)
        if found is None:
            found = self._processors[dialect] = [
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for pairs in self.attributes for _key, column in pairs]
        return found

    def first(self, session, params: dict) -> tuple | None:
        """The first row's instances, in `session`, or None if there is no row."""
        return self._first(session.connection(), params,
                           lambda model, state: attach(session, model, state))

    def first_detached(self, connection, params: dict) -> tuple | None:
        """first(), run on `connection` (a database.DriverTransaction: no ORM session), the
        instances in no session: every column loaded, nothing else (a relationship not set
        raises DetachedInstanceError instead of querying)."""
        return self._first(connection, params, detached)

    def _first(self, connection, params: dict, make) -> tuple | None:
        cursor = self.prepared.run(connection, params)
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        processors = self._result_processors(connection.dialect)
        values = [value if process is None or value is None else process(value)
                  for value, process in zip(row, processors, strict=True)]
        made, at = [], 0
        for model, pairs in zip(self.models, self.attributes, strict=True):
            mine = values[at:at + len(pairs)]
            at += len(pairs)
            made.append(None if all(value is None for value in mine)  # outer side: none
                        else make(model, {key: value for (key, _column), value
                                          in zip(pairs, mine, strict=True)}))
        return tuple(made)


def attach(session, model, state: dict):
    """The `model` instance whose every column attribute is in `state` (by attribute name),
    in `session` as loaded from the database: persistent, nothing to flush. Its own
    constructor is skipped (it sets attributes one by one, each an ORM event)."""
    mapper = inspect(model)
    key = mapper.identity_key_from_primary_key(
        [state[mapper.get_property_by_column(column).key] for column in mapper.primary_key])
    held = session.identity_map.get(key)
    if held is not None:
        return held
    instance = detached(model, state)
    session.add(instance)
    return instance


def detached(model, state: dict):
    """The `model` instance whose every column attribute is in `state`, as loaded and then
    let go by a session: in none, nothing modified."""
    instance = inspect(model).class_manager.new_instance()
    instance.__dict__.update(state)
    make_transient_to_detached(instance)  # as if loaded: every column set, none modified
    return instance
