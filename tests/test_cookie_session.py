"""A Socket.IO connection's events reuse the session opened at its first event: the signed
cookie is checked once per connection, not once per vote (app/cookie_session.py), while
every HTTP request still opens its own."""
from flask.sessions import SecureCookieSessionInterface

from helpers import Client, make_workshop


def _count_cookie_reads(monkeypatch) -> list:
    reads = []
    real = SecureCookieSessionInterface.open_session

    def counting(self, app, request):
        reads.append(request.path)
        return real(self, app, request)
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    return reads


def test_events_after_the_first_do_not_read_the_cookie_again(app, workshop, monkeypatch):
    phone = Client(app, workshop, "attendee")
    phone.join()  # the connection's first events: its session copy is made
    reads = _count_cookie_reads(monkeypatch)
    for n in range(5):
        assert phone.write("idea.post", text=f"Idea {n}")["ok"]
    assert phone.call("workshop.sync", {"workshop_id": workshop["id"], "since": 0})["ok"]
    assert reads == []
    # an HTTP request opens its own session (its cookie may have changed since)
    assert phone.http.get(f"/j/{workshop['code']}").status_code == 200
    assert reads == [f"/j/{workshop['code']}"]


def test_each_socket_still_acts_as_the_browser_whose_cookie_it_carries(app):
    workshop = make_workshop(app, vote_budget=1)
    facilitator = Client(app, workshop, "facilitator")
    phone, other = Client(app, workshop, "attendee"), Client(app, workshop, "attendee")
    for client in (facilitator, phone, other):
        client.join()
    idea = phone.write("idea.post", text="Mine")["idea"]["id"]
    assert facilitator.write("phase.set", phase="voting")["ok"]
    assert phone.write("vote.cast", idea_id=idea)["votes_left"] == 0
    assert phone.write("vote.cast", idea_id=idea)["ok"] is False  # its own budget is spent
    assert other.write("vote.cast", idea_id=idea)["votes_used"] == 1  # not the other's


def test_a_new_secret_key_is_used_at_once_and_old_cookies_need_a_fallback(app, workshop):
    """The cookie signer is built once per app and key set, not per request: rotating
    SECRET_KEY must still refuse cookies signed with the old key (unless it is listed in
    SECRET_KEY_FALLBACKS)."""
    facilitator = Client(app, workshop, "facilitator")  # the console's grant is in the cookie
    url = f"/api/workshops/{workshop['id']}/state"

    def role():
        answer = facilitator.http.get(url)
        return answer.get_json().get("role") if answer.status_code == 200 else answer.status_code
    assert role() == "facilitator"
    old = app.secret_key
    app.secret_key = app.config["SECRET_KEY"] = "rotated-" + old
    try:
        assert role() != "facilitator"
        app.config["SECRET_KEY_FALLBACKS"] = [old]
        assert role() == "facilitator"
    finally:
        app.config["SECRET_KEY_FALLBACKS"] = []
        app.secret_key = app.config["SECRET_KEY"] = old
