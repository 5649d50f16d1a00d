"""Revocation takes effect at once, on sockets that are already connected: a replaced
facilitator or projector link, a removed co-organiser, a deleted event. Two layers, each
tested alone: every socket event re-checks its grant in the database (so a revocation made
by another worker holds even if its message never arrives), and revoking disconnects the
sockets that used the grant (tests/test_multi_worker.py checks it across two workers)."""
import time

import pytest
import requests
import socketio as socketio_client

from app.extensions import db
from app.models import Event, Workshop, utcnow
from app.services import accounts, workshops
from helpers import Client, make_workshop, new_client_id, wait_for
from live import LiveServer, organiser_session, post_form, wait_until

PASSWORD = "correct horse battery"
ENDED = ("Your access to this workshop has ended: the link was replaced, you were removed "
         "from the event, or it was deleted.")


def admin(app, email="ana@example.eu"):
    with app.app_context():
        accounts.create_organiser(email, PASSWORD)
        db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def phase_of(app, workshop_id):
    with app.app_context():
        phase = db.session.get(Workshop, workshop_id).phase
        db.session.remove()
        return phase


def change_in_database(app, workshop_id, change):
    """A revocation as another worker makes it: committed, with no message to this one."""
    with app.app_context():
        change(db.session.get(Workshop, workshop_id))
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("revoke", [
    lambda w: workshops.rotate_facilitator_token(w),
    lambda w: setattr(w.event, "deleted_at", utcnow()),
], ids=["link replaced", "event deleted"])
def test_a_connected_console_is_refused_once_its_grant_is_gone_from_the_database(
        app, workshop, revoke):
    console = Client(app, workshop, "facilitator")
    console.join()
    assert console.write("phase.set", phase="voting")["ok"]
    change_in_database(app, workshop["id"], revoke)
    assert console.write("phase.set", phase="results") == {"ok": False, "error": ENDED}
    # the first refusal also ends the membership: everything after is refused as well
    assert console.write("idea.hide", idea_id=1) == {
        "ok": False, "error": "You have not joined this workshop."}
    for event, fields in (("board.history", {}), ("workshop.sync", {"since": 0})):
        assert console.call(event, {"workshop_id": workshop["id"], **fields}) == {
            "ok": False, "error": "You have not joined this workshop."}, event
    assert phase_of(app, workshop["id"]) == "voting"


def test_replacing_the_link_disconnects_the_old_console_and_its_projector(app, workshop):
    organiser = admin(app)
    console = Client(app, workshop, "facilitator")
    console.join()
    projector = Client(app, workshop, "facilitator")  # opened from that console
    projector.join(role="screen")
    venue_pc = Client(app, workshop, "screen")  # the projector link: not this grant
    venue_pc.join()
    phone = Client(app, workshop, "attendee")
    phone.join()
    organiser.post(f"/organiser/workshops/{workshop['id']}/rotate-link")
    assert not console.sio.is_connected() and not projector.sio.is_connected()
    assert venue_pc.sio.is_connected() and phone.sio.is_connected()
    console.sio.connect()
    assert console.call("workshop.join", {"workshop_id": workshop["id"], "role": "facilitator"})[
        "ok"] is False
    assert console.http.get(f"/w/{workshop['code']}/console").status_code == 403
    assert phase_of(app, workshop["id"]) == "collecting"


def test_replacing_the_projector_link_disconnects_only_the_screens_that_used_it(app, workshop):
    console = Client(app, workshop, "facilitator")
    console.join()
    venue_pc = Client(app, workshop, "screen")
    venue_pc.join()
    page = console.http.get(f"/w/{workshop['code']}/console").text
    assert f"/p/{workshop['screen_token']}" in page
    replaced = console.http.post(f"/w/{workshop['code']}/console/projector-link")
    assert replaced.status_code == 302
    assert not venue_pc.sio.is_connected() and console.sio.is_connected()
    assert venue_pc.http.get(f"/w/{workshop['code']}/screen").status_code == 403
    assert venue_pc.http.get(f"/p/{workshop['screen_token']}").status_code == 404
    stranger = app.test_client()  # nobody else may replace it
    assert stranger.post(f"/w/{workshop['code']}/console/projector-link").status_code == 404


def test_a_removed_co_organiser_loses_the_console_they_have_open(app):
    owner = admin(app, "ben@example.eu")
    event_id = int(owner.post("/organiser/events", data={"title": "Forum"})
                   .headers["Location"].rsplit("/", 1)[1])
    owner.post(f"/organiser/events/{event_id}/workshops", data={"title": "Hydrogen"})
    with app.app_context():
        accounts.create_organiser("carola@example.eu", PASSWORD)
        db.session.commit()
        room = db.session.scalar(db.select(Workshop).where(Workshop.event_id == event_id))
        workshop = {"id": room.id, "code": room.code, "token": room.facilitator_token,
                    "screen_token": room.screen_token}
    owner.post(f"/organiser/events/{event_id}/organisers", data={"email": "carola@example.eu"})
    carola = Client(app, workshop, "organiser")
    assert carola.http.post("/login", data={"email": "carola@example.eu",
                                            "password": PASSWORD}).status_code == 302
    carola.sio.disconnect()
    carola.sio.connect()  # with the login cookie
    carola.join(role="facilitator")
    assert carola.write("phase.set", phase="voting")["ok"]
    with app.app_context():
        carola_id = accounts.authenticate("carola@example.eu", PASSWORD).id
    owner.post(f"/organiser/events/{event_id}/organisers/{carola_id}/remove")
    assert not carola.sio.is_connected()
    carola.sio.connect()
    assert carola.call("workshop.join", {"workshop_id": workshop["id"],
                                         "role": "facilitator"})["ok"] is False
    assert phase_of(app, workshop["id"]) == "voting"


def test_a_live_console_is_told_why_and_disconnected(db_url, app, tmp_path):
    """Against wsgi.py (eventlet), with a real Socket.IO client."""
    workshop = make_workshop(app)
    admin(app)  # the account, in the same database: the organiser logs in on the live server
    server = LiveServer(db_url).start(tmp_path)
    try:
        http = requests.Session()
        assert http.get(f"{server.url}/f/{workshop['token']}", allow_redirects=False) \
            .status_code == 302
        told = []
        sio = socketio_client.Client(reconnection=False)
        sio.on("access.revoked", told.append)
        sio.connect(server.url, headers={"Cookie": f"session={http.cookies['session']}"},
                    transports=["websocket"], wait_timeout=10)
        assert sio.call("workshop.join", {"workshop_id": workshop["id"],
                                          "role": "facilitator"}, timeout=10)["ok"]
        with app.app_context():
            room = db.session.get(Workshop, workshop["id"])
            room.facilitator_token = "replaced-" + new_client_id()
            db.session.commit()
        refused = sio.call("phase.set", {"workshop_id": workshop["id"], "phase": "voting",
                                         "client_id": new_client_id()}, timeout=10)
        assert refused == {"ok": False, "error": ENDED}
        # the organiser replaces it through the page: the socket is told, then cut off
        organiser = organiser_session(server.url, "ana@example.eu", PASSWORD)
        sio2 = socketio_client.Client(reconnection=False)
        sio2.on("access.revoked", told.append)
        http.get(f"{server.url}/f/replaced-none")  # an unknown link grants nothing
        with app.app_context():
            token = db.session.get(Workshop, workshop["id"]).facilitator_token
        http.get(f"{server.url}/f/{token}")
        sio2.connect(server.url, headers={"Cookie": f"session={http.cookies['session']}"},
                     transports=["websocket"], wait_timeout=10)
        assert sio2.call("workshop.join", {"workshop_id": workshop["id"],
                                           "role": "facilitator"}, timeout=10)["ok"]
        started = time.monotonic()
        post_form(organiser, server.url, "/organiser",
                  f"/organiser/workshops/{workshop['id']}/rotate-link")
        assert wait_until(lambda: not sio2.connected and not sio.connected, timeout=5)
        assert time.monotonic() - started < 5
        assert told == 2 * [{"error": "The facilitator link was replaced: ask the organiser "
                                      "for the new one."}]
    finally:
        server.stop()


def test_revoked_sockets_no_longer_receive_the_room(app, workshop):
    """After the database says no, the socket also leaves the workshop's broadcasts."""
    console = Client(app, workshop, "facilitator")
    console.join()
    change_in_database(app, workshop["id"], workshops.rotate_facilitator_token)
    assert console.write("phase.set", phase="voting")["ok"] is False
    phone = Client(app, workshop, "attendee")
    phone.join()
    assert phone.write("idea.post", text="After the revocation")["ok"]
    wait_for(lambda: False, timeout=0.3)
    heard = [p["name"] for p in console.received()]
    assert "idea.posted" not in heard and "idea.queued" not in heard
    with app.app_context():
        assert db.session.get(Event, db.session.get(Workshop, workshop["id"]).event_id)


def test_a_phone_in_the_middle_of_voting_is_refused_once_the_event_is_deleted(app):
    """A vote checks its grant in its own transaction (on the driver, commands.py): a
    deleted event refuses the next vote, changes nothing, and ends the membership."""
    workshop = make_workshop(app)
    console, phone = Client(app, workshop, "facilitator"), Client(app, workshop, "attendee")
    console.join()
    phone.join()
    idea = phone.write("idea.post", text="Shared test beds")["idea"]["id"]
    assert console.write("phase.set", phase="voting")["ok"]
    assert phone.write("vote.cast", idea_id=idea)["my_dots"] == 1
    change_in_database(app, workshop["id"], lambda w: setattr(w.event, "deleted_at", utcnow()))
    assert phone.write("vote.cast", idea_id=idea) == {"ok": False, "error": ENDED}
    assert phone.write("vote.retract", idea_id=idea) == {
        "ok": False, "error": "You have not joined this workshop."}
    with app.app_context():
        from app.models import Vote
        assert [v.dots for v in db.session.query(Vote).all()] == [1]
        db.session.remove()
