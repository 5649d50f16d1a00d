"""The join page (/j/<code>) is rendered once per workshop and language and reused
(app/views/page_cache.py): what it shows still follows the database, each visitor still gets
their own grant, and nothing of one visitor's reaches another."""
from app.extensions import db
from app.models import Workshop, utcnow

from helpers import Client


def _page(client, workshop, **query) -> str:
    response = client.get(f"/j/{workshop['code']}", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _update(app, workshop, **values):
    with app.app_context():
        row = db.session.get(Workshop, workshop["id"])
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()
        db.session.remove()


def test_an_edited_title_or_question_shows_on_the_next_load(app, workshop):
    first = _page(app.test_client(), workshop)
    assert "Interregional value chains" in first
    assert _page(app.test_client(), workshop) == first  # the same page, reused
    _update(app, workshop, title="Value chains, renamed", question="What now?")
    again = _page(app.test_client(), workshop)
    assert "Value chains, renamed" in again and "What now?" in again
    assert "Interregional value chains" not in again


def test_each_language_gets_its_own_page(app, workshop):
    english = _page(app.test_client(), workshop, lang="en")
    spanish = _page(app.test_client(), workshop, lang="es")
    assert 'lang="en"' in english and 'lang="es"' in spanish
    assert "Your idea" in english and "Tu idea" in spanish


def test_every_visitor_still_gets_their_own_grant(app, workshop):
    """Two browsers load the reused page; each may then join, as its own participant."""
    first, second = Client(app, workshop, "attendee"), Client(app, workshop, "attendee")
    assert first.join()["me"] is not None and second.join()["me"] is not None
    ideas = [c.write("idea.post", text=f"From {n}")["idea"] for n, c in enumerate((first,
                                                                                   second))]
    assert ideas[0]["id"] != ideas[1]["id"]
    stranger = app.test_client()  # never opened the join page: refused
    from app.extensions import socketio
    sio = socketio.test_client(app, flask_test_client=stranger)
    ack = sio.emit("workshop.join", {"workshop_id": workshop["id"], "role": "attendee"},
                   callback=True)
    assert ack["ok"] is False
    sio.disconnect()


def test_a_page_shows_the_events_personal_data_state_as_the_database_has_it(app, workshop):
    """(Erasing needs every workshop closed; one reopened afterwards shows profiles closed.)"""
    closed = '<p id="profile-closed" role="status">'
    assert closed not in _page(app.test_client(), workshop)
    with app.app_context():
        event = db.session.get(Workshop, workshop["id"]).event
        event.personal_data_erased_at = utcnow()
        db.session.commit()
        db.session.remove()
    assert closed in _page(app.test_client(), workshop)


def test_a_message_for_one_visitor_is_not_kept_for_the_next(app, workshop):
    visitor = app.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("error", "Only for this visitor")]
    assert "Only for this visitor" in _page(visitor, workshop)
    assert "Only for this visitor" not in _page(app.test_client(), workshop)
