"""The organiser's event page in a real browser: a join QR per workshop, Copy buttons that
really put each link on the clipboard, the join poster as a PDF download, axe clean; and
the event roadmap page has no two landmarks with the same name."""
import subprocess

from playwright.sync_api import expect

from browser_support import axe_violations, screenshot
from test_roadmap_pages import demo_event, log_in

LANDMARKS = """async () => {
    const r = await axe.run(document, {runOnly: ['landmark-unique', 'landmark-no-duplicate-main',
        'landmark-complementary-is-top-level']});
    return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


def test_event_page_qr_copy_buttons_and_poster(browser, server, browser_db):
    event_id = demo_event(browser_db)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/login?next=/organiser/events/{event_id}")
    log_in(page)
    cards = page.locator(".workshop-card")
    expect(cards.first).to_be_visible()
    count = cards.count()
    assert count >= 2
    expect(page.locator(".workshop-qr svg")).to_have_count(count)
    first = cards.first
    for kind in ("join", "fac", "scr"):
        field = first.locator(f"input[id^='{kind}-']")
        value = field.input_value()
        assert value.startswith("http")
        # the whole link is shown: the field is as wide as the text, not cut off
        assert field.evaluate("f => f.scrollWidth <= f.clientWidth + 1"), kind
        first.locator(f"button.copy[data-copy='{field.get_attribute('id')}']").click()
        expect(field.locator("xpath=following-sibling::span[@role='status']")
               ).to_have_text("Copied")
        assert page.evaluate("() => navigator.clipboard.readText()") == value
    code = first.locator(".code").inner_text()
    assert first.locator("input[id^='join-']").input_value().endswith(f"/j/{code}")
    headings = page.evaluate("() => [...document.querySelectorAll('main h2')].map(h => h.id)")
    assert headings.index("new-workshop-title") < headings.index("workshops-title") \
        < headings.index("danger-title") == len(headings) - 1
    assert axe_violations(page) == []
    screenshot(page, "organiser-event-page")

    href = first.locator("a", has_text="Join poster (PDF)").get_attribute("href")
    poster = context.request.get(server.url + href)
    assert poster.status == 200 and poster.headers["content-type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=poster.body(), capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert f"Code: {code}" in text
    href = first.locator("a", has_text="Table cards (PDF)").get_attribute("href")
    cards_pdf = context.request.get(server.url + href)
    assert cards_pdf.status == 200 and cards_pdf.headers["content-type"] == "application/pdf"

    page.goto(f"{server.url}/organiser/events/{event_id}/roadmap")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap demo 2026")
    axe_violations(page)   # loads axe into the page
    assert page.evaluate(LANDMARKS) == []
    context.close()
    assert not errors, errors
