"""Collaboration matches (opt-in only, other regions, same themes) and the organiser's
privacy controls: erasing an event's personal data and deleting an event."""
import pytest

from app.extensions import db
from app.models import Event, Participant, PendingTally, ProcessedWrite, Workshop
from helpers import count_rows, wait_for
from test_web import organiser_client


@pytest.fixture
def voted(app, connect, workshop):
    """Five attendees who voted on two themes; three of them opted in to matches."""
    console = connect("facilitator")
    people = [connect() for _ in range(5)]
    profiles = [  # name, region, opt-in contact
        ("Ana", "Valencia", "ana@avaesen.example"),
        ("Ben", "Navarra", "https://ben.example/contact"),
        ("Cai", "valencia ", "cai@example.eu"),        # same region as Ana
        ("Dee", "Bavaria", None),                      # did not opt in
        ("Eli", "Flanders", "eli@example.be"),
    ]
    for phone, (name, region, contact) in zip(people, profiles, strict=True):
        fields = {"display_name": name, "region": region, "organisation": f"{name} Ltd",
                  "kind": "company"}
        if contact:
            fields.update(contact=contact, match_opt_in=True)
        assert phone.write("profile.update", **fields)["ok"], name
    ideas = [people[0].write("idea.post", text=t)["idea"]["id"]
             for t in ("Skills academy", "Hydrogen pilots", "Vouchers")]
    skills = console.write("theme.create", name="Skills")["theme"]["id"]
    hydrogen = console.write("theme.create", name="Hydrogen")["theme"]["id"]
    console.write("idea.move", idea_id=ideas[0], theme_id=skills, position=0)
    console.write("idea.move", idea_id=ideas[1], theme_id=hydrogen, position=0)
    console.write("phase.set", phase="voting")
    backing = {0: [0, 1], 1: [0, 1], 2: [0], 3: [0, 1], 4: [2]}
    for who, idea_indexes in backing.items():
        for index in idea_indexes:
            assert people[who].write("vote.cast", idea_id=ideas[index])["ok"]
    console.write("phase.set", phase="results")
    return console, people


def test_opted_in_attendees_meet_people_from_other_regions_who_backed_the_same_themes(voted):
    console, people = voted
    ana = people[0].call("matches.mine", {"workshop_id": people[0].workshop["id"]})
    assert ana["ok"] and ana["opted_in"] is True
    # Ben (Navarra) backed both of Ana's themes; Cai is from Ana's region; Dee did not opt
    # in; Eli backed only an idea that Ana did not.
    assert [(m["name"], m["score"], m["shared"], m["contact"]) for m in ana["matches"]] == [
        ("Ben", 2, ["Hydrogen", "Skills"], "https://ben.example/contact")]
    ben = people[1].call("matches.mine", {"workshop_id": people[1].workshop["id"]})
    assert [(m["name"], m["score"]) for m in ben["matches"]] == [("Ana", 2), ("Cai", 1)]
    dee = people[3].call("matches.mine", {"workshop_id": people[3].workshop["id"]})
    assert dee == {"ok": True, "opted_in": False, "matches": []}
    everyone = [m["name"] for p in people for m in
                p.call("matches.mine", {"workshop_id": p.workshop["id"]})["matches"]]
    assert "Dee" not in everyone
    refused = console.call("matches.mine", {"workshop_id": people[0].workshop["id"]})
    assert refused == {"ok": False, "error": "Only attendees have matches."}


@pytest.mark.parametrize("fields, error", [
    ({"match_opt_in": True, "region": "Murcia"},
     "Give a contact (email or web page) so the people you are matched with can reach you."),
    ({"match_opt_in": True, "contact": "me@example.org"},
     "Give your region: matches are with people from other regions."),
    ({"contact": "call me maybe", "region": "Murcia"},
     "The contact must be an email address or a web page (https://…)."),
    ({"contact": "javascript:alert(1)", "region": "Murcia"},
     "The contact must be an email address or a web page (https://…)."),
    ({"match_opt_in": "yes"}, "Field 'match_opt_in' must be true or false."),
    ({"contact": "x" * 190 + "@example.org"}, "The contact is too long (at most 200 characters)."),
])
def test_bad_opt_ins_are_refused_and_change_nothing(app, connect, fields, error):
    phone = connect()
    assert phone.write("profile.update", **fields) == {"ok": False, "error": error}
    assert phone.join()["me"]["profile"] == {
        "display_name": "", "organisation": "", "kind": "", "region": "", "contact": "",
        "match_opt_in": False}


def test_opting_out_takes_the_contact_away(connect):
    phone = connect()
    assert phone.write("profile.update", region="Murcia", contact="me@example.org",
                       match_opt_in=True)["ok"]
    profile = phone.write("profile.update", match_opt_in=False)["profile"]
    assert profile["contact"] == "" and profile["match_opt_in"] is False


def test_matches_export_is_for_the_organiser_and_lists_only_opted_in_people(app, voted, workshop):
    organiser = organiser_client(app)
    with app.app_context():
        event_id = db.session.get(Workshop, workshop["id"]).event_id
    response = organiser.get(f"/organiser/events/{event_id}/matches.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "ana@avaesen.example" in text and "https://ben.example/contact" in text
    assert "Dee" not in text
    console, people = voted
    for client in (people[0].http, console.http, app.test_client()):
        assert client.get(f"/organiser/events/{event_id}/matches.csv",
                          headers={"Accept": "application/json"}).status_code == 403


def test_erasing_personal_data_keeps_ideas_votes_and_the_support_breakdown(app, voted, workshop):
    console, people = voted
    organiser = organiser_client(app)
    with app.app_context():
        event_id = db.session.get(Workshop, workshop["id"]).event_id
    url = f"/organiser/events/{event_id}/erase-personal-data"
    json = {"Accept": "application/json"}
    still_open = organiser.post(url, json={"confirm": True}, headers=json)
    assert still_open.status_code == 400
    assert still_open.get_json()["error"].startswith("Close every workshop first")
    before = organiser.get(f"/workshops/{workshop['id']}/export.json").get_json()
    console.write("phase.set", phase="closed")
    unconfirmed = organiser.post(url, json={}, headers=json)
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.get_json()["error"]
    assert organiser.post(url, json={"confirm": True}, headers=json).get_json()["ok"] is True

    with app.app_context():
        left = {(p.display_name, p.organisation, p.kind, p.region, p.contact, p.match_opt_in)
                for p in db.session.query(Participant)}
        assert left == {("", "", "", "", "", False)}
        assert db.session.query(ProcessedWrite).filter(
            ProcessedWrite.actor.like("attendee:%")).count() == 0
        assert db.session.get(Event, event_id).personal_data_erased_at is not None
    after = organiser.get(f"/workshops/{workshop['id']}/export.json").get_json()
    assert after["personal_data_erased"] is True
    assert after["participation"]["organisations"] == []
    assert [(t["name"], t["votes"], t["segments"]) for t in after["themes"]] == \
        [(t["name"], t["votes"], t["segments"]) for t in before["themes"]]
    assert [i["text"] for i in after["ideas"]] == [i["text"] for i in before["ideas"]]
    for fmt in ("json", "md", "csv"):
        response = organiser.get(f"/organiser/events/{event_id}/export.{fmt}")
        assert response.status_code == 200, fmt
        body = response.get_data(as_text=True)
        for personal in ("Ana", "Ltd", "ana@avaesen.example", "ben.example"):
            assert personal not in body, (fmt, personal)
    assert "Ana" not in organiser.get(f"/organiser/events/{event_id}/matches.csv").get_data(
        as_text=True)


def test_deleting_an_event_closes_its_rooms_and_everything_after_is_gone(app, voted, workshop):
    console, people = voted
    organiser = organiser_client(app)
    with app.app_context():
        event_id = db.session.get(Workshop, workshop["id"]).event_id
    json = {"Accept": "application/json"}
    deleted = organiser.post(f"/organiser/events/{event_id}/delete", json={"confirm": True},
                             headers=json)
    assert deleted.get_json()["ok"] is True
    with app.app_context():
        assert db.session.get(Workshop, workshop["id"]).phase == "closed"
    for url in (f"/organiser/events/{event_id}/export.pdf",
                f"/organiser/events/{event_id}/roadmap",
                f"/workshops/{workshop['id']}/export.json",
                f"/organiser/events/{event_id}/publish"):
        method = organiser.post if url.endswith("publish") else organiser.get
        response = method(url, headers=json)
        assert response.status_code == 410, url
        assert response.get_json() == {"ok": False, "error": "This event was deleted."}
    assert organiser.get(f"/organiser/events/{event_id}").status_code == 410
    assert f"/organiser/events/{event_id}" not in organiser.get("/organiser").get_data(as_text=True)
    # open phones were cut off at once, and cannot come back
    assert not people[0].sio.is_connected()
    people[0].sio.connect()
    rejoin = people[0].call("workshop.join", {"workshop_id": workshop["id"], "role": "attendee"})
    assert rejoin == {"ok": False, "error": "This event was deleted."}
    assert people[0].write("idea.post", text="Too late")["ok"] is False
    assert count_rows(app, Event) == 1  # kept, anonymous, refusing everything


def test_unknown_events_and_strangers_get_clear_errors(app, workshop):
    organiser = organiser_client(app)
    json = {"Accept": "application/json"}
    missing = organiser.get("/organiser/events/424242/export.json", headers=json)
    assert missing.status_code == 404
    assert missing.get_json() == {"ok": False, "error": "This event does not exist."}
    stranger = app.test_client()
    with app.app_context():
        event_id = db.session.get(Workshop, workshop["id"]).event_id
    for url in (f"/organiser/events/{event_id}/export.json",
                f"/organiser/events/{event_id}/roadmap"):
        refused = stranger.get(url, headers=json)
        assert refused.status_code == 403
    refused = stranger.post(f"/organiser/events/{event_id}/delete", json={"confirm": True},
                            headers=json)
    assert refused.status_code == 403 and count_rows(app, Event) == 1
    with app.app_context():
        assert db.session.get(Event, event_id).deleted_at is None
    bad_format = organiser.get(f"/workshops/{workshop['id']}/export.xls", headers=json)
    assert bad_format.status_code == 404
    assert bad_format.get_json()["error"] == \
        "Unknown export format 'xls'. Use md, pdf, csv or json."


def test_published_results_page_is_readable_by_anyone_with_the_link_until_unpublished(
        app, voted, workshop):
    console, people = voted
    organiser = organiser_client(app)
    with app.app_context():
        event_id = db.session.get(Workshop, workshop["id"]).event_id
    json = {"Accept": "application/json"}
    attendee = people[0].http
    assert attendee.get(f"/workshops/{workshop['id']}/export.json", headers=json).status_code == 403
    organiser.post(f"/organiser/events/{event_id}/publish")
    with app.app_context():
        token = db.session.get(Event, event_id).published_token
    page = attendee.get(f"/r/{token}")
    assert page.status_code == 200 and "Skills" in page.get_data(as_text=True)
    data = attendee.get(f"/r/{token}/export.json").get_json()
    assert data["public"] is True and data["participation"]["organisations"] == []
    assert "Ltd" not in attendee.get(f"/r/{token}/export.json").get_data(as_text=True)
    organiser.post(f"/organiser/events/{event_id}/unpublish")
    gone = attendee.get(f"/r/{token}", headers=json)
    assert gone.status_code == 404
    assert gone.get_json()["error"] == "These results are not published (or no longer)."


def test_retention_erases_events_closed_and_quiet_for_the_configured_days(app, voted, workshop):
    from datetime import timedelta

    from app.models import Change
    console, people = voted
    runner = app.test_cli_runner()
    assert "Nothing to erase." in runner.invoke(args=["erase-expired", "--days", "30"]).output
    console.write("phase.set", phase="closed")
    assert "Nothing to erase." in runner.invoke(args=["erase-expired", "--days", "30"]).output
    # the votes' coalesced tally is recorded first (on a busy machine it may still be due)
    assert wait_for(lambda: count_rows(app, PendingTally) == 0)
    with app.app_context():  # forty days later
        for row in db.session.query(Change).all():
            row.created_at -= timedelta(days=40)
        for row in db.session.query(Workshop).all():
            row.created_at -= timedelta(days=40)
        db.session.commit()
    result = runner.invoke(args=["erase-expired", "--days", "30"])
    assert "Erased the personal data of “Grow your Region 2026” (5 attendees)." in result.output
    with app.app_context():
        assert {p.contact for p in db.session.query(Participant)} == {""}


def test_after_the_end_an_opted_in_phone_still_shows_the_people_to_meet(voted):
    console, people = voted
    console.write("phase.set", phase="closed")
    ended = people[0].http.get(f"/j/{people[0].workshop['code']}")
    assert ended.status_code == 410
    page = ended.get_data(as_text=True)
    assert "People to meet" in page and "https://ben.example/contact" in page
    assert "Dee" not in page and "Cai" not in page
    not_opted_in = people[3].http.get(f"/j/{people[3].workshop['code']}").get_data(as_text=True)
    assert "People to meet" not in not_opted_in
