"""Bilateral meetings on the web: the attendee's agenda page and .ics, the organiser's
meeting page (plan, grid, counts, removing a request) and CSV; who may open each."""
import icalendar
from sqlalchemy import select

from app.extensions import db
from app.models import MeetingRequest, Workshop
from test_meetings_socket import meeting_events, room  # noqa: F401  (the fixture)
from test_web import organiser_client


def booked(room):  # noqa: F811
    (ana, ben, _cai, _dee), ids = room
    sent = ana.write("meeting.request", person_id=ids[1], message="Hydrogen?")
    assert ben.write("meeting.accept", request_id=sent["id"])["ok"]
    return sent["id"]


def event_id_of(app, workshop):
    with app.app_context():
        return db.session.get(Workshop, workshop["id"]).event_id


def test_the_agenda_page_and_its_ics_show_the_meeting_to_its_two_people_only(app, room):  # noqa: F811,E501
    booked(room)
    (ana, ben, cai, _dee), _ids = room
    wid = ana.workshop["id"]
    page = ana.http.get(f"/w/{wid}/agenda").get_data(as_text=True)
    assert "2030-05-12 09:00–09:20 · T1" in page and "P1 · Org 1" in page
    assert "p1@example.org" in page
    response = ben.http.get(f"/w/{wid}/agenda.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    [entry] = calendar.walk("VEVENT")
    assert entry.decoded("dtstart").isoformat() == "2030-05-12T09:00:00+02:00"
    assert entry.decoded("dtend").isoformat() == "2030-05-12T09:20:00+02:00"
    assert "T1" in str(entry["location"]) and "P0" in str(entry["summary"])
    assert "P0" not in cai.http.get(f"/w/{wid}/agenda").get_data(as_text=True)
    stranger = app.test_client()
    assert stranger.get(f"/w/{wid}/agenda").status_code == 403
    assert stranger.get(f"/w/{wid}/agenda.ics").status_code == 403


def test_the_organiser_sees_the_grid_counts_and_csv_and_removes_a_meeting(app, room, workshop):  # noqa: F811,E501
    request_id = booked(room)
    (ana, ben, _cai, _dee), _ids = room
    event_id = event_id_of(app, workshop)
    organiser = organiser_client(app)
    page = organiser.get(f"/organiser/events/{event_id}/meetings").get_data(as_text=True)
    assert "P0 · Org 0</bdi> — <bdi>P1 · Org 1" in page
    assert "<strong>1</strong> accepted" in page
    csv = organiser.get(f"/organiser/events/{event_id}/meetings.csv").get_data(as_text=True)
    assert "2030-05-12T09:00" in csv and "Org 1" in csv and "p1@example.org" not in csv
    ana.received(), ben.received()
    response = organiser.post(f"/organiser/events/{event_id}/meetings/{request_id}/remove")
    assert response.status_code == 302
    [told] = meeting_events(ben)
    assert told["name"] == "meeting.removed"
    with app.app_context():
        meeting = db.session.scalar(select(MeetingRequest))
        assert (meeting.status, meeting.slot_start) == ("removed", None)
    for client in (ana.http, app.test_client()):
        assert client.get(f"/organiser/events/{event_id}/meetings").status_code in (403, 404)
        assert client.get(f"/organiser/events/{event_id}/meetings.csv").status_code in (403, 404)


def test_the_organiser_sets_the_plan_and_workshop_times_from_forms(app, workshop):
    event_id = event_id_of(app, workshop)
    organiser = organiser_client(app)
    url = f"/organiser/events/{event_id}/meetings"
    form = {"days": "2030-05-12, 2030-05-13", "day_start": "09:00", "day_end": "12:00",
            "slot_minutes": "30", "breaks": "10:30-11:00", "tables": "3",
            "timezone": "Europe/Madrid", "max_meetings": "8"}
    assert organiser.post(f"{url}/plan", data=form).status_code == 302
    page = organiser.get(url).get_data(as_text=True)
    assert page.count("<tr><th scope=\"row\">") == 10 and "Table 3" in page
    bad = organiser.post(f"{url}/plan", data={**form, "day_end": "08:00"}, follow_redirects=True)
    assert "The daily window must end after it starts." in bad.get_data(as_text=True)
    times = {f"starts_{workshop['id']}": "2030-05-12T09:00",
             f"ends_{workshop['id']}": "2030-05-12T10:00"}
    assert organiser.post(f"{url}/workshop-times", data=times).status_code == 302
    with app.app_context():
        assert db.session.get(Workshop, workshop["id"]).ends_at.hour == 10


def test_the_event_roadmap_counts_the_collaborations_started_without_names(app, room, workshop):  # noqa: F811,E501
    booked(room)
    event_id = event_id_of(app, workshop)
    organiser = organiser_client(app)
    data = organiser.get(f"/organiser/events/{event_id}/export.json").get_json()
    assert data["collaborations"] == {"requested": 1, "accepted": 1, "held": 0,
                                      "kinds": {"Company + Company": 1},
                                      "regions": {"Navarra + Valencia": 1}, "themes": {},
                                      "listed": []}
    markdown = organiser.get(f"/organiser/events/{event_id}/export.md").get_data(as_text=True)
    assert "## Collaborations started" in markdown and "1 bilateral meeting booked" in markdown
    page = organiser.get(f"/organiser/events/{event_id}/roadmap").get_data(as_text=True)
    assert "Collaborations started" in page and "Navarra + Valencia" in page
    assert "P0" not in page.split("Collaborations started")[1].split("</section>")[0]


def test_erasing_personal_data_erases_the_meetings_and_keeps_their_counts(app, room, workshop,  # noqa: F811,E501
                                                                          connect):
    booked(room)
    (ana, _ben, _cai, _dee), _ids = room
    event_id = event_id_of(app, workshop)
    organiser = organiser_client(app)
    assert connect("facilitator").write("phase.set", phase="closed")["ok"]
    response = organiser.post(f"/organiser/events/{event_id}/erase-personal-data",
                              json={"confirm": True}, headers={"Accept": "application/json"})
    assert response.get_json()["ok"] is True
    from app.models import MeetingBlock, MeetingPerson, MeetingSeat
    with app.app_context():
        for model in (MeetingRequest, MeetingSeat, MeetingBlock, MeetingPerson):
            assert db.session.query(model).count() == 0, model
    data = organiser.get(f"/organiser/events/{event_id}/export.json").get_json()
    assert data["collaborations"]["accepted"] == 1 and data["personal_data_erased"] is True
    agenda = ana.call("meetings.mine", {"workshop_id": workshop["id"]})
    assert agenda["meetings"] == [] and agenda["opted_in"] is False
