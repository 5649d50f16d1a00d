"""Pages, organiser flow, facilitator links, exports and the JSON API over real HTTP."""
import json
import re

from app import create_app
from app.extensions import db
from app.models import Event, Idea, Organiser, Workshop
from helpers import count_rows, make_workshop, new_client_id


def organiser_client(app, email="ana@example.eu", password="correct horse battery"):
    client = app.test_client()
    client.post("/setup", data={"email": email, "password": password})
    return client


def test_home_join_form_normalises_the_code(app, workshop):
    client = app.test_client()
    assert b'name="code"' in client.get("/").data
    lower = workshop["code"].lower()
    response = client.get(f"/join?code={lower[:3]}-{lower[3:]}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{workshop['code']}")


def test_unknown_and_closed_codes_get_friendly_pages(app):
    client = app.test_client()
    unknown = client.get("/j/ZZZZZZ")
    assert unknown.status_code == 404 and "ZZZZZZ" in unknown.text
    assert "Traceback" not in unknown.text and "<html" in unknown.text
    closed = make_workshop(app, phase="closed")
    ended = client.get(f"/j/{closed['code']}")
    assert ended.status_code == 410 and "has ended" in ended.text


def test_same_browser_is_the_same_participant_after_reload(connect):
    phone = connect()
    first = phone.join()["me"]["participant_id"]
    phone.http.get(f"/j/{phone.workshop['code']}")  # reload
    phone.sio.disconnect()
    phone.sio.connect()
    assert phone.join()["me"]["participant_id"] == first


def test_first_run_setup_creates_the_organiser_once(app):
    client = app.test_client()
    assert client.get("/organiser").headers["Location"].endswith("/setup")
    bad = client.post("/setup", data={"email": "not-an-email", "password": "correct horse battery"})
    assert bad.status_code == 400 and "valid email" in bad.text
    short = client.post("/setup", data={"email": "ana@example.eu", "password": "short"})
    assert short.status_code == 400 and "at least 10" in short.text
    assert count_rows(app, Organiser) == 0
    ok = client.post("/setup",
                     data={"email": "Ana@Example.eu", "password": "correct horse battery"})
    assert ok.headers["Location"].endswith("/organiser")
    assert client.get("/organiser").status_code == 200
    assert app.test_client().get("/setup").headers["Location"].endswith("/login")
    with app.app_context():
        organiser = db.session.query(Organiser).one()
        assert organiser.email == "ana@example.eu"
        assert "correct horse" not in organiser.password_hash


def test_login_logout(app):
    organiser_client(app)
    client = app.test_client()
    wrong = client.post("/login", data={"email": "ana@example.eu", "password": "nope nope nope"})
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    ok = client.post("/login?next=/organiser", data={"email": "ana@example.eu",
                                                      "password": "correct horse battery"})
    assert ok.headers["Location"] == "/organiser"
    offsite = client.post("/login?next=//evil.example", data={
        "email": "ana@example.eu", "password": "correct horse battery"})
    assert offsite.headers["Location"] == "/organiser"
    client.post("/logout")
    assert client.get("/organiser").headers["Location"].startswith("/login")


def test_organiser_creates_event_and_workshop_and_sees_links(app):
    client = organiser_client(app)
    response = client.post("/organiser/events", data={"title": "Grow your Region 2026"})
    event_url = response.headers["Location"]
    client.post(event_url + "/workshops", data={
        "title": "Interregional value chains", "question": "How can clusters…?",
        "vote_budget": "4", "vote_cap": "2"})
    with app.app_context():
        workshop = db.session.query(Workshop).one()
        assert (workshop.vote_budget, workshop.vote_cap, workshop.phase) == (4, 2, "draft")
        code, token = workshop.code, workshop.facilitator_token
    page = client.get(event_url).text
    assert code in page and f"/f/{token}" in page
    assert "Grow your Region 2026" in client.get("/organiser").text


def test_bad_workshop_form_creates_nothing(app):
    client = organiser_client(app)
    event_url = client.post("/organiser/events", data={"title": "Event"}).headers["Location"]
    for data in ({"title": "", "vote_budget": "5"}, {"title": "W", "vote_budget": "abc"},
                 {"title": "W", "vote_budget": "3", "vote_cap": "4"}):
        page = client.post(event_url + "/workshops", data=data, follow_redirects=True)
        assert 'class="flash flash-error"' in page.text
    assert count_rows(app, Workshop) == 0
    assert client.post("/organiser/events", data={"title": "  "}, follow_redirects=True) \
        .text.count("flash-error") == 1
    assert count_rows(app, Event) == 1


def test_forms_need_a_csrf_token_when_protection_is_on(db_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url, WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/setup", data={"email": "a@b.eu", "password": "x" * 12})
    assert response.status_code == 400 and "expired" in response.text
    assert count_rows(app, Organiser) == 0


def test_facilitator_link_grants_the_console_until_rotated(app, workshop):
    attendee = app.test_client()
    attendee.get(f"/j/{workshop['code']}")
    assert attendee.get(f"/w/{workshop['code']}/console").status_code == 403
    facilitator = app.test_client()
    assert facilitator.get(f"/f/{workshop['token']}").status_code == 302
    assert facilitator.get(f"/w/{workshop['code']}/console").status_code == 200
    organiser = organiser_client(app)
    assert organiser.get(f"/w/{workshop['code']}/console").status_code == 200
    organiser.post(f"/organiser/workshops/{workshop['id']}/rotate-link")
    assert facilitator.get(f"/w/{workshop['code']}/console").status_code == 403
    assert app.test_client().get(f"/f/{workshop['token']}").status_code == 404


def test_projector_page_has_a_qr_code_and_the_join_url(app, workshop):
    projector = app.test_client()
    assert projector.get(f"/p/{workshop['screen_token']}").status_code == 302
    page = projector.get(f"/w/{workshop['code']}/screen").text
    assert "<svg" in page and workshop["code"] in page
    assert f"/j/{workshop['code']}" in page


def test_exports_are_for_facilitators_only(app, connect, workshop):
    phone = connect()
    phone.write("idea.post", text="<img src=x onerror=alert(1)> | *bold*")
    phone.write("idea.post", text="Shared testbeds")
    phone.write("profile.update", organisation="AVAESEN", kind="cluster")
    for path in ("export.md", "export.json", "export.pdf", "export.csv", "roadmap"):
        url = f"/workshops/{workshop['id']}/{path}"
        assert phone.http.get(url).status_code == 403
        assert app.test_client().get(url).status_code == 403
    facilitator = connect("facilitator")
    data = facilitator.http.get(f"/workshops/{workshop['id']}/export.json").get_json()
    assert data["schema_version"] == 2
    assert data["workshop"]["question"].startswith("How can clusters")
    assert [i["text"] for i in data["ideas"]][1] == "Shared testbeds"
    assert data["participation"]["people"] == 1 and data["participation"]["ideas"] == 2
    assert data["participation"]["organisations"] == ["AVAESEN"]
    assert data["participation"]["kinds"] == {"cluster": 1}
    markdown = facilitator.http.get(f"/workshops/{workshop['id']}/export.md")
    assert markdown.mimetype == "text/markdown" and "attachment" in markdown.headers[
        "Content-Disposition"]
    text = markdown.text
    assert "| Rank | Votes | Idea | Theme | Support |" in text and "How can clusters" in text
    assert r"\<img src=x onerror=alert\(1\)\> \| \*bold\*" in text
    # no HTML can take effect (a '>' opening a line is the draft banner's quote)
    assert not [line for line in text.splitlines() if re.search(r"(?<!\\)[<>]", line[1:])]


def test_export_ranks_by_votes(app, connect, workshop):
    phone, other, console = connect(), connect(), connect("facilitator")
    a = phone.write("idea.post", text="A")["idea"]["id"]
    b = phone.write("idea.post", text="B")["idea"]["id"]
    console.write("phase.set", phase="voting")
    phone.write("vote.cast", idea_id=b)
    other.write("vote.cast", idea_id=b)
    other.write("vote.cast", idea_id=a)
    data = console.http.get(f"/workshops/{workshop['id']}/export.json").get_json()
    assert [(i["text"], i["votes"], i["rank"]) for i in data["ideas"]] == [("B", 2, 1), ("A", 1, 2)]
    assert data["participation"]["votes"] == 3 and data["participation"]["voters"] == 2


def api(client, workshop, name, **fields):
    body = {"workshop_id": workshop["id"], "client_id": new_client_id(), **fields}
    return client.post(f"/api/workshops/{workshop['id']}/commands/{name}", json=body)


def test_json_api_posts_once_and_broadcasts_to_sockets(app, workshop, connect):
    screen = connect("screen")
    screen.received()
    http = app.test_client()
    http.get(f"/j/{workshop['code']}")
    body = {"workshop_id": workshop["id"], "client_id": "http-1", "text": "Over HTTP"}
    url = f"/api/workshops/{workshop['id']}/commands/idea.post"
    first, again = http.post(url, json=body), http.post(url, json=body)
    assert first.status_code == 200 and first.get_json() == again.get_json()
    assert count_rows(app, Idea) == 1
    posted = [p for p in screen.received() if p["name"] == "idea.posted"]
    assert len(posted) == 1  # (a presence count may arrive too)
    state = http.get(f"/api/workshops/{workshop['id']}/state").get_json()
    assert state["role"] == "attendee"
    assert state["sync"]["snapshot"]["ideas"][0]["text"] == "Over HTTP"


def test_json_api_refusals(app, workshop):
    http = app.test_client()
    http.get(f"/j/{workshop['code']}")
    url = f"/api/workshops/{workshop['id']}/commands/idea.post"
    not_json = http.post(url, data="text=hi")
    assert not_json.status_code == 400 and "JSON object" in not_json.get_json()["error"]
    assert api(http, workshop, "idea.post", text=5).get_json()["error"] == "The idea must be text."
    assert api(http, workshop, "idea.post").get_json()["error"] == "Missing field 'text'."
    extra = api(http, workshop, "idea.post", text="x", role="admin")
    assert extra.status_code == 400 and extra.get_json()["error"] == "Unexpected field 'role'."
    huge = http.post(url, data=json.dumps({"text": "x" * 100_000}),
                     content_type="application/json")
    assert huge.status_code == 413 and huge.get_json()["ok"] is False
    unknown = api(http, workshop, "idea.delete-everything")
    assert unknown.status_code == 404 and unknown.get_json()["ok"] is False
    phase = api(http, workshop, "phase.set", phase="results")
    assert phase.status_code == 403
    assert http.get(f"/api/workshops/{workshop['id']}/state?since=abc").status_code == 400
    assert http.get("/api/workshops/999/state").status_code == 404
    assert count_rows(app, Idea) == 0
    with app.app_context():
        assert db.session.get(Workshop, workshop["id"]).phase == "collecting"


def test_cli_create_organiser_and_demo(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-organiser", "--email", "org@example.eu",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0 and "org@example.eu created" in result.output
    again = runner.invoke(args=["create-organiser", "--email", "org@example.eu",
                                "--password", "long enough pw"])
    assert again.exit_code != 0 and "already exists" in again.output
    demo = runner.invoke(args=["demo"])
    assert demo.exit_code == 0 and demo.output.count("join code") == 2
    assert count_rows(app, Workshop) == 2
