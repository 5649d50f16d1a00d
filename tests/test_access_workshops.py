"""Workshop doors: an attendee acts only in the workshop whose join code their browser
opened; the projector needs a grant (console or projector link); a closed workshop takes no
new attendees; reads never create participants. Sockets and the JSON API alike."""
from flask_socketio import SocketIOTestClient

from app.extensions import db, socketio
from app.models import Participant, Workshop
from app.services import workshops as workshop_service
from helpers import Client, count_rows, make_workshop, new_client_id

JSON = {"Accept": "application/json"}


def participants_in(app, workshop_id):
    with app.app_context():
        n = db.session.query(Participant).filter_by(workshop_id=workshop_id).count()
        db.session.remove()
        return n


def socket_of(app, http):
    return SocketIOTestClient(app, socketio, flask_test_client=http)


def test_the_cookie_from_one_join_code_opens_no_other_workshop(app):
    room_a, room_b = make_workshop(app), make_workshop(app)
    phone = Client(app, room_a, "attendee")  # opened /j/<code of A>
    phone.join()
    for role in ("attendee", "screen", "facilitator"):
        ack = phone.call("workshop.join", {"workshop_id": room_b["id"], "role": role})
        assert ack["ok"] is False, role
    assert phone.call("workshop.join", {"workshop_id": room_b["id"], "role": "attendee"}) \
        == {"ok": False, "error": "Open the workshop's join link first to take part."}
    posted = phone.call("idea.post", {"workshop_id": room_b["id"], "client_id": new_client_id(),
                                      "text": "Smuggled into B"})
    assert posted == {"ok": False, "error": "You have not joined this workshop."}
    # the same over HTTP
    assert phone.http.get(f"/api/workshops/{room_b['id']}/state").status_code == 403
    refused = phone.http.post(f"/api/workshops/{room_b['id']}/commands/idea.post",
                              json={"workshop_id": room_b["id"], "client_id": new_client_id(),
                                    "text": "Smuggled into B"})
    assert refused.status_code == 403
    assert participants_in(app, room_b["id"]) == 0
    with app.app_context():
        assert db.session.get(Workshop, room_b["id"]).version == 0
    # once the browser opens B's code, it may take part there too
    assert phone.http.get(f"/j/{room_b['code']}").status_code == 200
    phone.sio.disconnect()  # a new page: a new socket with the new cookie
    phone.sio.connect()
    assert phone.call("workshop.join", {"workshop_id": room_b["id"], "role": "attendee"})["ok"]


def test_a_closed_workshop_takes_no_new_attendees_but_keeps_its_own(app):
    room = make_workshop(app)
    present, late = Client(app, room, "attendee"), Client(app, room, "attendee")
    present.join()  # `late` opened the code but never joined before the end
    with app.app_context():
        workshop_service.set_phase(db.session.get(Workshop, room["id"]), "closed")
        db.session.commit()
    assert late.call("workshop.join", {"workshop_id": room["id"], "role": "attendee"}) == {
        "ok": False, "error": "This workshop has ended: it takes no new participants."}
    assert late.http.post(f"/api/workshops/{room['id']}/commands/idea.post", json={
        "workshop_id": room["id"], "client_id": new_client_id(), "text": "x"}).status_code == 403
    assert participants_in(app, room["id"]) == 1
    present.sio.disconnect()
    present.sio.connect()
    assert present.join()["me"]["participant_id"]  # the results stay readable to them
    # a stranger arriving after the end gets the ended page and no grant
    stranger = app.test_client()
    assert stranger.get(f"/j/{room['code']}").status_code == 410
    assert socket_of(app, stranger).emit("workshop.join", {
        "workshop_id": room["id"], "role": "attendee"}, callback=True)["ok"] is False


def test_reads_never_create_participants(app, workshop):
    phone = Client(app, workshop, "attendee")  # opened the code, not yet joined
    state = phone.http.get(f"/api/workshops/{workshop['id']}/state").get_json()
    assert state["ok"] and state["role"] == "attendee" and state["me"] is None
    assert participants_in(app, workshop["id"]) == 0
    phone.join()
    again = phone.http.get(f"/api/workshops/{workshop['id']}/state").get_json()
    assert again["me"]["participant_id"] and participants_in(app, workshop["id"]) == 1


def test_the_projector_needs_a_grant_and_never_hands_out_a_code(app, workshop):
    nobody = app.test_client()
    sock = socket_of(app, nobody)
    ack = sock.emit("workshop.join", {"workshop_id": workshop["id"], "role": "screen"},
                    callback=True)
    assert ack == {"ok": False, "error": "The projector screen opens from the facilitator's "
                                         "console or with the workshop's projector link."}
    assert workshop["code"] not in str(sock.get_received())
    state = nobody.get(f"/api/workshops/{workshop['id']}/state")
    assert state.status_code == 403 and workshop["code"] not in state.text
    page = nobody.get(f"/w/{workshop['code']}/screen")
    assert page.status_code == 403
    # listing every workshop by its sequential id yields no code at all
    for workshop_id in range(1, workshop["id"] + 3):
        answer = nobody.get(f"/api/workshops/{workshop_id}/state")
        assert answer.status_code in (403, 404) and workshop["code"] not in answer.text

    # the facilitator's console opens the projector in the same browser
    console = Client(app, workshop, "facilitator")
    assert console.http.get(f"/w/{workshop['code']}/screen").status_code == 200
    assert console.call("workshop.join", {"workshop_id": workshop["id"], "role": "screen"})["ok"]
    # and a venue PC gets the projector link: the screen of this workshop, nothing more
    venue_pc = app.test_client()
    opened = venue_pc.get(f"/p/{workshop['screen_token']}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/screen")
    assert venue_pc.get(f"/w/{workshop['code']}/screen").status_code == 200
    pc_socket = socket_of(app, venue_pc)
    assert pc_socket.emit("workshop.join", {"workshop_id": workshop["id"], "role": "screen"},
                          callback=True)["ok"]
    for role in ("facilitator", "attendee"):
        assert pc_socket.emit("workshop.join", {"workshop_id": workshop["id"], "role": role},
                              callback=True)["ok"] is False
    other = make_workshop(app)
    assert pc_socket.emit("workshop.join", {"workshop_id": other["id"], "role": "screen"},
                          callback=True)["ok"] is False
    assert venue_pc.get(f"/w/{other['code']}/screen").status_code == 403
    assert venue_pc.get(f"/w/{workshop['code']}/console").status_code == 403
    assert app.test_client().get("/p/not-a-token").status_code == 404
    pc_socket.disconnect()


def test_an_unknown_or_forged_cookie_grants_nothing(app, workshop):
    forged = app.test_client()
    with forged.session_transaction() as cookie:  # signed by us, but values of the wrong type
        cookie["att"] = {"1": True}
        cookie["fac"] = ["x"]
        cookie["scr"] = {str(workshop["id"]): 42}
        cookie["pt"] = 7
        cookie["org"] = "1"
    sock = socket_of(app, forged)
    for role in ("attendee", "screen", "facilitator"):
        assert sock.emit("workshop.join", {"workshop_id": workshop["id"], "role": role},
                         callback=True)["ok"] is False
    assert forged.get(f"/api/workshops/{workshop['id']}/state").status_code == 403
    assert count_rows(app, Participant) == 0
