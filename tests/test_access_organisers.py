"""Organisers are isolated: an event belongs to its owner and the co-organisers the owner
invited; every other organiser is told it does not exist (404), over pages, downloads,
forms and sockets alike. The site administrator (the first account) may list all events."""
import re

from flask_socketio import SocketIOTestClient

from app.extensions import db, socketio
from app.models import Event, EventOrganiser, Workshop
from app.services import accounts
from helpers import make_workshop

ANA, BEN, CAROLA = "ana@example.eu", "ben@example.eu", "carola@example.eu"
PASSWORD = "correct horse battery"
JSON = {"Accept": "application/json"}


def account(app, email):
    with app.app_context():
        accounts.create_organiser(email, PASSWORD)
        db.session.commit()


def logged_in(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def own_event(app, email, title):
    """An event made by `email` through the dashboard, with one workshop."""
    client = logged_in(app, email)
    event_url = client.post("/organiser/events", data={"title": title}).headers["Location"]
    event_id = int(event_url.rsplit("/", 1)[1])
    client.post(f"/organiser/events/{event_id}/workshops", data={"title": "Hydrogen valleys"})
    with app.app_context():
        workshop = db.session.scalar(db.select(Workshop).where(Workshop.event_id == event_id))
        info = {"event_id": event_id, "id": workshop.id, "code": workshop.code,
                "token": workshop.facilitator_token, "screen_token": workshop.screen_token}
        db.session.remove()
    return client, info


def event_state(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        state = (event.published_token, event.deleted_at, event.personal_data_erased_at,
                 [(w.title, w.facilitator_token, w.screen_token) for w in event.workshops])
        db.session.remove()
        return state


def socket_for(app, http):
    return SocketIOTestClient(app, socketio, flask_test_client=http)


def test_another_organiser_finds_no_door_into_an_event(app):
    account(app, ANA)  # the site administrator
    account(app, BEN)
    account(app, CAROLA)
    _ben, mine = own_event(app, BEN, "Bens regional forum")
    before = event_state(app, mine["event_id"])
    carola = logged_in(app, CAROLA)
    event_id, workshop_id = mine["event_id"], mine["id"]

    assert "Bens regional forum" not in carola.get("/organiser").text
    for url in (f"/organiser/events/{event_id}", f"/organiser/events/{event_id}/roadmap",
                f"/organiser/events/{event_id}/export.json",
                f"/organiser/events/{event_id}/export.pdf",
                f"/organiser/events/{event_id}/matches.csv"):
        response = carola.get(url, headers=JSON)
        assert response.status_code == 404, url
        assert response.get_json() == {"ok": False, "error": "This event does not exist."}
    page = carola.get(f"/organiser/events/{event_id}")
    assert page.status_code == 404 and mine["token"] not in page.text
    for url, data in ((f"/organiser/events/{event_id}/publish", {}),
                      (f"/organiser/events/{event_id}/erase-personal-data", {"confirm": True}),
                      (f"/organiser/events/{event_id}/delete", {"confirm": True}),
                      (f"/organiser/events/{event_id}/organisers", {"email": CAROLA}),
                      (f"/organiser/events/{event_id}/recurring", {"theme_ids": []})):
        assert carola.post(url, json=data, headers=JSON).status_code == 404, url
    for url in (f"/organiser/workshops/{workshop_id}/rotate-link",
                f"/organiser/workshops/{workshop_id}/rotate-projector-link",
                f"/organiser/events/{event_id}/workshops"):
        assert carola.post(url, data={"title": "Intruder"}, headers=JSON).status_code == 404
    # the workshop's own doors: console, projector, exports, sockets
    assert carola.get(f"/w/{mine['code']}/console").status_code == 403
    assert carola.get(f"/w/{mine['code']}/screen").status_code == 403
    assert carola.get(f"/workshops/{workshop_id}/export.json").status_code == 403
    assert carola.get(f"/workshops/{workshop_id}/roadmap").status_code == 403
    sock = socket_for(app, carola)
    for role in ("facilitator", "screen"):
        ack = sock.emit("workshop.join", {"workshop_id": workshop_id, "role": role},
                        callback=True)
        assert ack["ok"] is False, role
    assert event_state(app, event_id) == before


def test_the_owner_invites_and_removes_a_co_organiser(app):
    account(app, ANA)
    account(app, BEN)
    account(app, CAROLA)
    ben, mine = own_event(app, BEN, "Bens regional forum")
    carola = logged_in(app, CAROLA)
    event_url = f"/organiser/events/{mine['event_id']}"
    assert carola.get(event_url).status_code == 404

    unknown = ben.post(event_url + "/organisers", json={"email": "nobody@example.eu"},
                       headers=JSON)
    assert unknown.status_code == 404 and "no organiser account" in unknown.get_json()["error"]
    invited = ben.post(event_url + "/organisers", data={"email": " Carola@Example.eu "},
                       follow_redirects=True)
    assert "is now a co-organiser" in invited.text
    again = ben.post(event_url + "/organisers", json={"email": CAROLA}, headers=JSON)
    assert again.status_code == 409

    # a co-organiser sees and runs the event, but doesn't manage its team or delete it
    assert "Bens regional forum" in carola.get("/organiser").text
    page = carola.get(event_url)
    assert page.status_code == 200 and mine["token"] in page.text
    assert carola.get(f"/w/{mine['code']}/console").status_code == 200
    assert carola.get(event_url + "/export.json").status_code == 200
    assert carola.post(event_url + "/publish", json={}, headers=JSON).get_json()["ok"] is True
    for url, data in (("/delete", {"confirm": True}), ("/organisers", {"email": ANA})):
        refused = carola.post(event_url + url, json=data, headers=JSON)
        assert refused.status_code == 403, url
        assert refused.get_json()["error"] == "Only the event's owner can do this."
    with app.app_context():
        owner_id = db.session.scalar(db.select(EventOrganiser.organiser_id).where(
            EventOrganiser.event_id == mine["event_id"], EventOrganiser.role == "owner"))
        carola_id = db.session.scalar(db.select(EventOrganiser.organiser_id).where(
            EventOrganiser.event_id == mine["event_id"], EventOrganiser.role != "owner"))
    assert carola.post(f"{event_url}/organisers/{owner_id}/remove", json={},
                       headers=JSON).status_code == 400  # nobody removes the owner

    removed = ben.post(f"{event_url}/organisers/{carola_id}/remove", json={}, headers=JSON)
    assert removed.get_json() == {"ok": True,
                                  "message": f"{CAROLA} no longer organises this event."}
    assert carola.get(event_url).status_code == 404
    assert carola.get(f"/w/{mine['code']}/console").status_code == 403
    assert carola.get(event_url + "/export.json").status_code == 404


def test_a_co_organiser_may_leave_an_event(app):
    account(app, ANA)
    account(app, BEN)
    account(app, CAROLA)
    ben, mine = own_event(app, BEN, "Forum")
    event_url = f"/organiser/events/{mine['event_id']}"
    ben.post(event_url + "/organisers", data={"email": CAROLA})
    carola = logged_in(app, CAROLA)
    page = carola.get(event_url).text
    leave = re.search(r'action="([^"]+/remove)"', page).group(1)
    assert "Leave this event" in page
    response = carola.post(leave)
    assert response.status_code == 302 and response.headers["Location"].endswith("/organiser")
    assert carola.get(event_url).status_code == 404


def test_the_site_administrator_lists_every_event_but_opens_only_their_own(app):
    account(app, ANA)
    account(app, BEN)
    _ben, mine = own_event(app, BEN, "Bens regional forum")
    shell = make_workshop(app)  # made from the shell: no organiser, run by the administrator
    with app.app_context():
        shell_event = db.session.get(Workshop, shell["id"]).event_id
    ana = logged_in(app, ANA)
    dashboard = ana.get("/organiser").text
    listing = dashboard[dashboard.index("All events on this installation"):]
    assert "Bens regional forum" in listing and BEN in listing
    assert f"/organiser/events/{mine['event_id']}\"" not in dashboard
    assert ana.get(f"/organiser/events/{mine['event_id']}").status_code == 404
    assert ana.get(f"/organiser/events/{shell_event}").status_code == 200
    ben = logged_in(app, BEN)
    assert "All events on this installation" not in ben.get("/organiser").text
    assert ben.get(f"/organiser/events/{shell_event}").status_code == 404


def test_logging_out_ends_every_copy_of_the_login(app):
    account(app, ANA)
    laptop = logged_in(app, ANA)
    cookie = laptop.get_cookie("session").value
    stolen = app.test_client()
    stolen.set_cookie("session", cookie)
    assert stolen.get("/organiser").status_code == 200
    laptop.post("/logout")
    assert stolen.get("/organiser").status_code == 302  # back to the login page
    assert logged_in(app, ANA).get("/organiser").status_code == 200


def test_after_login_only_same_site_paths_are_followed(app):
    account(app, ANA)
    for target in ("/%09/evil.example/", "//evil.example", "/%5Cevil.example",
                   "https://evil.example/", "/%0d%0a/evil.example", "javascript:alert(1)",
                   "%2F%2Fevil.example", "/%20/evil.example", "/\\evil.example"):
        client = app.test_client()  # the URL as an attacker writes it, percent-escapes and all
        response = client.post(f"/login?next={target}",
                               data={"email": ANA, "password": PASSWORD})
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location == "/organiser", (target, location)
    inside = app.test_client().post("/login?next=/organiser/events/3%3Fx",
                                    data={"email": ANA, "password": PASSWORD})
    assert inside.headers["Location"] == "/organiser/events/3?x"
