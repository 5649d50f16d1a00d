"""The organiser's side of the roadmap in a real browser: the event page with its roadmap
downloads, recurring themes and privacy controls, the printable roadmap page, and the
published results page an attendee opens without logging in."""
import re

from playwright.sync_api import expect

from browser_support import axe_violations, screenshot

EMAIL, PASSWORD = "organiser@example.eu", "correct horse battery"


def demo_event(db_url) -> int:
    """The full demo conference in the browser tests' database, and the organiser account."""
    from app import create_app
    from app.demo import build
    from app.extensions import db
    from app.models import Organiser
    from app.services import accounts
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        if db.session.query(Organiser).filter_by(email=EMAIL).first() is None:
            accounts.create_organiser(EMAIL, PASSWORD)
        event, _rooms = build("Roadmap demo 2026")
        db.session.commit()
        event_id = event.id
        db.session.remove()
        db.engine.dispose()
    return event_id


def log_in(page):
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


def test_organiser_reads_the_roadmap_publishes_it_and_an_attendee_opens_it(pages, browser_db):
    event_id = demo_event(browser_db)
    organiser = pages("console", f"/login?next=/organiser/events/{event_id}")
    log_in(organiser)
    expect(organiser).to_have_url(re.compile(rf"/organiser/events/{event_id}$"))
    expect(organiser.get_by_role("heading", name="Event roadmap")).to_be_visible()
    expect(organiser.locator(".recurring-group")).to_have_count(2)  # Skills, Hydrogen
    assert axe_violations(organiser) == []
    screenshot(organiser, "organiser-event-roadmap")

    base = organiser.url.split("/organiser/")[0]
    roadmap = organiser.context.new_page()  # the organiser's own cookie, in a second tab
    roadmap.goto(f"{base}/organiser/events/{event_id}/roadmap")
    expect(roadmap.get_by_role("heading", level=1)).to_have_text("Roadmap demo 2026")
    expect(roadmap.locator("body")).to_contain_text("Timeline of action items")
    expect(roadmap.locator("body")).to_contain_text("Publish a catalogue of open testbeds")
    expect(roadmap.locator(".watermark")).to_be_hidden()  # every workshop is closed
    roadmap.evaluate("() => { window.printed = 0; window.print = () => window.printed++; }")
    roadmap.click("text=Print or save as PDF")  # static/js/roadmap.js: no inline onclick
    assert roadmap.evaluate("() => window.printed") == 1
    for fmt in ("pdf", "md", "csv", "json"):
        expect(roadmap.locator(f'a[href="/organiser/events/{event_id}/export.{fmt}"]')).to_have_count(1)
    with roadmap.expect_download() as download:
        roadmap.click(f'a[href="/organiser/events/{event_id}/export.pdf"]')
    assert download.value.suggested_filename == "plenary-roadmap-demo-2026-roadmap.pdf"
    assert axe_violations(roadmap) == []
    screenshot(roadmap, "roadmap-page")

    organiser.click("text=Publish the results page")
    path = "/" + organiser.locator("#public-link").input_value().split("/", 3)[3]  # /r/<token>
    attendee = pages("phone", path)
    expect(attendee.locator("body")).to_contain_text("Regions should open their testbeds")
    expect(attendee.locator("body")).not_to_contain_text("Org 1")  # no organisation names
    organiser.click("text=Unpublish")
    expect(organiser.locator("#public-link")).to_have_count(0)
    gone = attendee.context.request.get(base + path)
    assert gone.status == 404 and "not published" in gone.text()
