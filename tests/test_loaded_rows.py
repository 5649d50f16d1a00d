"""A join's door loads the workshop, its event and the participant on the driver
(app/loaded_rows.py) and makes the ORM instances itself: they must be exactly what an
ORM query returns, and behave like it (changes saved, nothing marked changed by loading,
one instance per row in a session)."""
import datetime

from sqlalchemy import inspect, select

from app.extensions import db
from app.models import Event, Participant, Workshop
from app.services import participants


def _columns(instance):
    return {attr.key: getattr(instance, attr.key) for attr in inspect(type(instance)).column_attrs}


def test_the_door_loads_what_the_orm_would(app, workshop):
    ends = datetime.datetime(2026, 12, 1, 17, 30)
    with app.app_context():
        row = db.session.get(Workshop, workshop["id"])
        row.ends_at, row.segments_frozen, row.premoderation = ends, {"region": ["València"]}, True
        db.session.add(Participant(workshop_id=row.id, token="tab-1", display_name="Núria"))
        db.session.commit()
        expected = {"workshop": _columns(row), "event": _columns(row.event),
                    "participant": _columns(db.session.scalar(
                        select(Participant).where(Participant.token == "tab-1")))}
        db.session.remove()

        loaded, me = participants.admission(workshop["id"], "tab-1")
        assert _columns(loaded) == expected["workshop"]  # dates, JSON and booleans typed
        assert _columns(loaded.event) == expected["event"]
        assert _columns(me) == expected["participant"]
        assert not db.session.dirty and not db.session.new
        assert inspect(loaded).persistent and inspect(loaded.event).persistent
        assert db.session.get(Workshop, workshop["id"]) is loaded  # one instance per row
        assert participants.admission(workshop["id"], "never-joined")[1] is None
        db.session.remove()


def test_a_change_to_what_the_door_loaded_is_saved(app, workshop):
    with app.app_context():
        loaded, _me = participants.admission(workshop["id"], None)
        loaded.phase = "voting"
        db.session.commit()
        db.session.remove()
        assert db.session.get(Workshop, workshop["id"]).phase == "voting"
        db.session.remove()


def test_after_a_rollback_the_door_returns_the_same_instance(app, workshop):
    with app.app_context():
        first, _ = participants.admission(workshop["id"], None)
        db.session.rollback()  # as a join does when another tab made its participant
        again, _ = participants.admission(workshop["id"], None)
        assert again is first and again.title == "Interregional value chains"
        assert isinstance(again.event, Event)
        db.session.remove()
