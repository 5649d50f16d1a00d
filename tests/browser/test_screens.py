"""The three screens in a real browser, several at once, as people use them."""
import re
import time

import pytest
from playwright.sync_api import expect

from browser_support import axe_violations, new_workshop, screenshot

IDEAS = [
    "Shared testbeds so SMEs can try Industry 4.0 before they buy",
    "A cross-border voucher for cluster members to hire researchers from another region",
    "Map the value chains of the five S3 priorities and publish who is missing",
    "Joint calls between the energy clusters of Valencia and Upper Austria",
    "Matchmaking days twice a year, with bilateral meetings booked in advance",
    "Simplify the paperwork for interregional Horizon Europe consortia",
    "Skills academy for the green transition run by clusters and vocational schools",
]



def post(phone, text):
    phone.fill("#idea-text", text)
    phone.click("#send")



def test_attendee_scans_fills_profile_posts_and_everyone_sees_it(pages, browser_db):
    workshop = new_workshop(browser_db)
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    other = pages("phone", f"/j/{workshop['code']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(projector.locator("#people")).to_have_text("2")
    phone.click("#profile summary")
    phone.fill("#p-name", "Ana")
    phone.fill("#p-org", "Energy Cluster of the Valencia Region")
    phone.select_option("#p-kind", "cluster")
    phone.fill("#p-region", "Comunitat Valenciana")
    phone.click("#profile-form button[type=submit]")
    expect(phone.locator("#profile-status")).to_have_text("Saved.")
    started = time.monotonic()
    post(phone, IDEAS[0])
    expect(projector.locator("#wall")).to_contain_text(IDEAS[0], timeout=1000)
    expect(other.locator("#ideas")).to_contain_text(IDEAS[0], timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(phone.locator(".idea.mine .status-saved")).to_have_count(1)
    phone.fill("#idea-text", "Half-written thought")
    phone.reload()  # nothing is lost: profile, own ideas, the draft
    expect(phone.locator("#p-org")).to_have_value("Energy Cluster of the Valencia Region")
    expect(phone.locator(".idea.mine")).to_have_count(1)
    expect(phone.locator("#idea-text")).to_have_value("Half-written thought")
    screenshot(phone, "phone-collecting")
    screenshot(projector, "projector-collecting")



def test_voting_budget_dots_and_results_everywhere(pages, browser_db):
    workshop = new_workshop(browser_db, ideas=IDEAS)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(console.locator("#conn")).to_have_text("Connected")
    screenshot(console, "console-collecting")
    console.keyboard.press("4")  # the shortcut for "Vote"
    expect(phone.locator("#budget")).to_be_visible()  # no reload
    expect(console.locator('[data-phase="voting"]')).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".dot.used")).to_have_count(0)
    plus = phone.locator(".idea-votes .btn-primary")
    for n in range(5):
        plus.nth(n).click()
        expect(phone.locator(".dot.used")).to_have_count(n + 1)
    expect(phone.locator("#budget-text")).to_contain_text("0 of 5 votes left")
    expect(plus.nth(5)).to_have_attribute("aria-disabled", "true")
    plus.nth(5).click(force=True)  # aria-disabled: still focusable, says why when pressed
    expect(phone.locator("#vote-msg")).to_contain_text("You have used all 5 of your votes")
    expect(projector.locator(".card-idea .votes", has_text="1 vote")).to_have_count(5)
    expect(console.locator("#stat-votes")).to_have_text("5")
    screenshot(phone, "phone-voting")
    screenshot(projector, "projector-voting")
    screenshot(console, "console-voting")
    console.click('[data-phase="results"]')
    expect(projector.locator("#ranking li").first).to_contain_text("1.")
    expect(phone.locator(".rank").first).to_have_text("1.")
    screenshot(phone, "phone-results")
    screenshot(projector, "projector-results")
    screenshot(console, "console-results")



def test_phone_offline_posts_once_when_back(pages, browser_db, server):
    workshop = new_workshop(browser_db)
    other = pages("phone", f"/j/{workshop['code']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(phone.locator("#phase-banner")).to_contain_text("Post your ideas")
    phone.context.set_offline(True)
    expect(phone.locator("#offline")).to_be_visible(timeout=10_000)
    post(phone, "Written in the tunnel")
    expect(phone.locator(".status-pending")).to_have_count(1)
    screenshot(phone, "phone-offline")
    phone.context.set_offline(False)
    expect(phone.locator("#offline")).to_be_hidden(timeout=15_000)
    expect(phone.locator(".idea.mine .status-saved")).to_have_count(1, timeout=10_000)
    expect(other.locator("#ideas .idea", has_text="Written in the tunnel")).to_have_count(1)
    phone.reload()
    expect(phone.locator("#ideas .idea", has_text="Written in the tunnel")).to_have_count(1)
    expect(phone.locator("#ideas .idea")).to_have_count(other.locator("#ideas .idea").count())
    state = phone.request.get(f"{server.url}/api/workshops/{workshop['id']}/state").json()
    texts = [i["text"] for i in state["sync"]["snapshot"]["ideas"]]
    assert texts == ["Written in the tunnel"]



def test_html_in_an_idea_is_shown_as_text_everywhere(pages, browser_db):
    workshop = new_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    attack = "<img src=x onerror=alert(1)>"
    post(phone, attack)
    for page, where in ((phone, "#ideas"), (projector, "#wall"), (console, "#ideas")):
        expect(page.locator(where)).to_contain_text(attack)
        assert page.locator(f"{where} img").count() == 0



@pytest.mark.parametrize("kind, path", [
    ("phone", "/"), ("phone", "/j/{code}"), ("projector", "/p/{screen_token}"),
    ("console", "/f/{token}"), ("console", "/setup"),
])
def test_pages_have_no_serious_accessibility_violations(pages, browser_db, kind, path):
    workshop = new_workshop(browser_db, ideas=IDEAS[:3])
    page = pages(kind, path.format(**workshop))
    page.wait_for_timeout(500)  # let the live state render
    assert axe_violations(page) == []



def test_phone_works_one_handed_at_360px(browser, server, browser_db):
    workshop = new_workshop(browser_db, phase="voting", ideas=IDEAS[:3])
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(f"{server.url}/j/{workshop['code']}")
    expect(page.locator(".idea-votes .btn-primary")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for box in (b.bounding_box() for b in page.locator("button:visible, summary").all()):
        assert box["height"] >= 44 and box["width"] >= 44, box
    context.close()



def test_projector_text_is_readable_from_the_back(pages, browser_db):
    workshop = new_workshop(browser_db, ideas=IDEAS)
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    expect(projector.locator(".card-idea").first).to_be_visible()
    size = projector.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.card-idea')).fontSize)")
    assert size >= 28
    qr = projector.locator(".qr svg").bounding_box()
    assert qr["height"] >= 400  # scannable from the back of a room
    expect(projector.locator("#join-code")).to_have_text(workshop["code"])



def test_phone_speaks_the_browser_language_in_page_and_script_text(browser, server, browser_db):
    workshop = new_workshop(browser_db, phase="voting", ideas=IDEAS[:2])
    context = browser.new_context(locale="ca-ES", viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server.url}/j/{workshop['code']}")
    expect(page.locator("html")).to_have_attribute("lang", "ca")
    expect(page.locator("#phase-banner")).to_contain_text("Vota les idees que recolzes")
    expect(page.locator("#budget-text")).to_have_text("Et queden 5 de 5 vots")
    expect(page.locator("#ideas")).to_contain_text(IDEAS[0])  # ideas stay as written
    page.click("a[hreflang=es]")
    expect(page.locator("#phase-banner")).to_contain_text("Vota las ideas que apoyas")
    screenshot(page, "phone-voting-es")
    context.close()



def test_projector_stays_readable_with_300_ideas(pages, browser_db):
    many = [f"Idea {n}: {IDEAS[n % len(IDEAS)]}" for n in range(300)]
    workshop = new_workshop(browser_db, ideas=many)
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    # what does not fit is paged (tests/browser/test_projector_layout.py), never cut
    expect(projector.locator("#more")).to_have_text(re.compile(r"^Page 1 of \d+$"))
    shown = projector.locator(".card-idea").count()
    assert 4 <= shown < 300
    assert projector.evaluate("document.documentElement.scrollHeight") <= 1080
    expect(projector.locator(".qr svg")).to_be_in_viewport()
    expect(projector.locator(".card-idea").first).to_contain_text("Idea 299")  # newest first
    expect(projector.locator(".card-idea.is-new")).to_have_count(0)  # arrivals settled
    screenshot(projector, "projector-300-ideas")



def test_organiser_pages_have_no_serious_accessibility_violations(pages, browser_db):
    page = pages("console", "/login")  # redirects to /setup on the first run of this database
    page.fill("#email", "organiser@example.eu")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/organiser$"))
    assert axe_violations(page) == []
    page.fill("#title", "Grow your Region 2026")
    page.click("text=Create event")
    page.fill("#w-title", "Interregional value chains")
    page.click("text=Create workshop")
    expect(page.locator(".code").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "organiser-event")



PHASE_TEXT = {  # what the phone banner and the projector say in each phase
    "draft": ("The workshop has not started yet", "Not started yet"),
    "collecting": ("Post your ideas", "Collecting ideas"),
    "grouping": ("The ideas are being grouped into themes", "Grouping into themes"),
    "voting": ("Vote for the ideas you support", "Voting"),
    "results": ("Results", "Results"),
    "closed": ("This workshop is closed", "Closed"),
}



def test_every_screen_follows_every_phase_at_once(pages, browser_db):
    workshop = new_workshop(browser_db, phase="collecting", ideas=IDEAS[:4])
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(console.locator("#conn")).to_have_text("Connected")
    for key, phase in enumerate(PHASE_TEXT, start=1):
        console.keyboard.press(str(key))
        banner, label = PHASE_TEXT[phase]
        expect(phone.locator("#phase-banner")).to_contain_text(banner, timeout=1000)
        expect(projector.locator("#phase")).to_have_text(label, timeout=1000)
        expect(console.locator(f'[data-phase="{phase}"]')).to_have_attribute("aria-pressed", "true")
        expect(phone.locator("#composer")).to_be_visible(visible=phase == "collecting")
        for name, page in (("phone", phone), ("projector", projector), ("console", console)):
            screenshot(page, f"phases/{name}-{phase}")



def test_after_an_erase_about_you_says_profiles_are_closed(pages, browser_db):
    """The organiser erased the event's personal data, then the workshop was reopened: a
    phone that joined before and one that joins now both say so instead of the form."""
    from app import create_app
    from app.extensions import db
    from app.models import Workshop
    from app.services import privacy
    closed_note = "The organiser has erased this event's personal data; profiles are closed."
    workshop = new_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    phone.click("#profile summary")
    expect(phone.locator("#profile-form")).to_be_visible()
    expect(phone.locator("#profile-closed")).to_be_hidden()
    console.click('[data-phase="closed"]')
    expect(phone.locator("#profile")).to_be_hidden()
    app = create_app("test", SQLALCHEMY_DATABASE_URI=browser_db)
    with app.app_context():
        privacy.erase_personal_data(db.session.get(Workshop, workshop["id"]).event)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    console.click('[data-phase="collecting"]')
    expect(phone.locator("#profile-closed")).to_contain_text(closed_note)
    expect(phone.locator("#profile-form")).to_be_hidden()
    expect(phone.locator("#composer")).to_be_visible()  # ideas are still welcome
    newcomer = pages("phone", f"/j/{workshop['code']}")
    newcomer.click("#profile summary")
    expect(newcomer.locator("#profile-closed")).to_be_visible()
    expect(newcomer.locator("#profile-form")).to_be_hidden()
    screenshot(newcomer, "phone-profiles-closed")
