"""Bilateral meetings in a real browser (issue 15, "Done means"): two attendees on their own
phones (separate browser contexts), from different regions, who backed the same theme,
opt in; one requests a meeting, the other accepts; both agendas show the same slot and
table live; the .ics parses as iCalendar; the organiser's grid shows the meeting and the
event roadmap counts it. axe-clean phone, agenda and organiser pages."""
import icalendar
from playwright.sync_api import expect

from browser_support import axe_violations, screenshot

EMAIL, PASSWORD = "organiser@example.eu", "correct horse battery"


def meeting_event(db_url) -> dict:
    from app import create_app
    from app.extensions import db
    from app.models import Organiser, Theme
    from app.services import accounts, meeting_slots, workshops
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        organiser = db.session.query(Organiser).filter_by(email=EMAIL).first() or \
            accounts.create_organiser(EMAIL, PASSWORD)
        event = workshops.create_event("Brokerage day 2030", organiser_id=organiser.id)
        workshop = workshops.create_workshop(event, "Hydrogen valleys", "Where next?")
        workshop.phase, workshop.vote_on = "results", "themes"
        db.session.flush()
        db.session.add(Theme(workshop_id=workshop.id, name="Green hydrogen", colour="#1f4fd1"))
        meeting_slots.set_plan(event, days=["2030-05-12"], day_start="09:00", day_end="12:00",
                               slot_minutes=20, breaks=[["10:00", "10:20"]],
                               tables=["Table A", "Table B"], timezone="Europe/Madrid")
        db.session.commit()
        info = {"event_id": event.id, "id": workshop.id, "code": workshop.code}
        db.session.remove()
        db.engine.dispose()
    return info


def back_the_theme(db_url, workshop_id):
    """Every attendee of the workshop gives the theme a dot (as voting would)."""
    from app import create_app
    from app.extensions import db
    from app.models import Participant, Theme, Vote
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        theme = db.session.query(Theme).filter_by(workshop_id=workshop_id).one()
        for p in db.session.query(Participant).filter_by(workshop_id=workshop_id):
            db.session.add(Vote(workshop_id=workshop_id, participant_id=p.id,
                                theme_id=theme.id, dots=1))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def opt_in(phone, name, organisation, kind, region, contact):
    phone.locator("#profile summary").click()
    phone.fill("#p-name", name)
    phone.fill("#p-org", organisation)
    phone.select_option("#p-kind", kind)
    phone.fill("#p-region", region)
    phone.check("#p-match")
    phone.fill("#p-contact", contact)
    phone.locator("#profile-form button[type=submit]").click()
    expect(phone.locator("#profile-status")).to_have_text("Saved.")


def ana_and_ben(pages, browser_db):
    """Two phones in the meeting event, from different regions, who backed the same theme
    and opted in: Ana (a Valencian cluster) and Ben (a Navarrese company)."""
    room = meeting_event(browser_db)
    ana = pages("phone", f"/j/{room['code']}")
    ben = pages("phone", f"/j/{room['code']}")
    for phone in (ana, ben):
        expect(phone.locator("#phase-banner")).not_to_have_text("Connecting…")
    back_the_theme(browser_db, room["id"])
    opt_in(ana, "Ana", "Avaesen", "cluster", "Comunitat Valenciana", "ana@avaesen.example")
    opt_in(ben, "Ben", "Navarra Hydrogen ✨", "company", "Navarra", "ben@nh2.example")
    return room, ana, ben


def test_two_attendees_book_a_meeting_and_everyone_sees_it(pages, browser_db, server):
    room, ana, ben = ana_and_ben(pages, browser_db)

    # Ana finds Ben (suggested: another region, the same theme) and asks for a meeting
    expect(ana.locator("#meetings")).to_be_visible()
    ana.locator("#mt-search button[type=submit]").click()
    card = ana.locator(".mt-person", has_text="Navarra Hydrogen")
    expect(card.locator(".mt-suggested")).to_be_visible()
    expect(card).to_contain_text("Green hydrogen")
    card.get_by_role("button", name="Request a meeting: Ben").click()
    card.get_by_label("Message to Ben").fill("Shall we talk about electrolysers? 🔋")
    card.get_by_role("button", name="Send request").click()
    expect(ana.locator("#mt-requests")).to_contain_text("Waiting for Ben's answer")

    # Ben's phone shows it live, without a reload; he accepts
    request = ben.locator("#mt-requests .mt-pending")
    expect(request).to_contain_text("Ana asks to meet you")
    expect(request).to_contain_text("electrolysers")
    screenshot(ben, "meetings-phone-request")
    request.get_by_role("button", name="Accept").click()

    # both agendas show the same slot and table, live; contacts only now
    slot = "09:00–09:20 · Table A"
    for phone, other in ((ana, "ben@nh2.example"), (ben, "ana@avaesen.example")):
        meeting = phone.locator("#mt-agenda .mt-accepted")
        expect(meeting.locator(".mt-when")).to_contain_text(slot)
        expect(meeting).to_contain_text(other)
    assert ana.locator("#mt-agenda .mt-when").inner_text() == \
        ben.locator("#mt-agenda .mt-when").inner_text()
    screenshot(ana, "meetings-phone-agenda")
    assert axe_violations(ana) == []
    overflow = ana.evaluate("() => document.documentElement.scrollWidth > "
                            "document.documentElement.clientWidth")
    assert not overflow

    # the .ics opens in a calendar parser; the printable agenda shows the same
    ics = ana.request.get(f"{server.url}/w/{room['id']}/agenda.ics")
    assert ics.status == 200
    [entry] = icalendar.Calendar.from_ical(ics.body()).walk("VEVENT")
    assert entry.decoded("dtstart").isoformat() == "2030-05-12T09:00:00+02:00"
    assert "Table A" in str(entry["location"]) and "Ben" in str(entry["summary"])
    ana.goto(f"{server.url}/w/{room['id']}/agenda")
    expect(ana.locator(".mt-accepted .mt-when")).to_contain_text("09:00–09:20 · Table A")
    assert axe_violations(ana) == []
    screenshot(ana, "meetings-agenda-page")

    # the organiser's grid shows it; the event roadmap counts it
    organiser = pages("console", "/login")
    organiser.fill("#email", EMAIL)
    organiser.fill("#password", PASSWORD)
    organiser.click("button[type=submit]")
    organiser.wait_for_url("**/organiser**")
    organiser.goto(f"{server.url}/organiser/events/{room['event_id']}/meetings")
    booked = organiser.locator("#mt-grid td.booked")
    expect(booked).to_have_count(1)
    expect(booked).to_contain_text("Ana · Avaesen")
    expect(booked).to_contain_text("Ben · Navarra Hydrogen")
    first_row = organiser.locator("#mt-grid tbody tr").first
    expect(first_row.locator("td").first).to_have_class("booked")  # 09:00, Table A
    assert axe_violations(organiser) == []
    screenshot(organiser, "meetings-organiser-grid")
    # (read, not opened: the roadmap page has no icon link and Chromium would ask for
    # /favicon.ico, a 404 the page fixture counts as an error)
    roadmap = organiser.request.get(
        f"{server.url}/organiser/events/{room['event_id']}/roadmap").text()
    section = roadmap.split('id="collaborations"')[1].split("</section>")[0]
    for shown in ("1 bilateral meeting booked", "Cluster organisation + Company",
                  "Green hydrogen", "Comunitat Valenciana + Navarra"):
        assert shown in section, shown
    assert "Ana" not in section and "Avaesen" not in section


def test_the_one_asked_may_choose_the_time_from_those_free_for_both(pages, browser_db):
    """Instead of the earliest free slot: "Choose a time" lists the slots both people have
    free (the break left out), with the keyboard; the meeting lands at the one chosen, on
    both phones."""
    room, ana, ben = ana_and_ben(pages, browser_db)
    ana.locator("#mt-search button[type=submit]").click()
    card = ana.locator(".mt-person", has_text="Navarra Hydrogen")
    card.get_by_role("button", name="Request a meeting: Ben").click()
    card.get_by_role("button", name="Send request").click()

    request = ben.locator("#mt-requests .mt-pending")
    expect(request).to_contain_text("Ana asks to meet you")
    request.get_by_role("button", name="Choose a time").click()
    times = request.get_by_label("Time", exact=True)
    expect(times).to_be_focused()
    offered = [o.split(" ")[-1] for o in times.locator("option").all_inner_texts()]
    assert offered[:4] == ["09:00–09:20", "09:20–09:40", "09:40–10:00", "10:20–10:40"]
    times.press("ArrowDown")
    times.press("ArrowDown")
    times.press("ArrowDown")                             # past the 10:00-10:20 break
    ben.get_by_role("button", name="Accept at this time").click()
    for phone in (ana, ben):
        expect(phone.locator("#mt-agenda .mt-accepted .mt-when")).to_contain_text("10:20–10:40")
    assert axe_violations(ben) == []
