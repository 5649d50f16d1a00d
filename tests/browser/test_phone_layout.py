"""The phone at 200% zoom, in a room at full size (150 ideas, 12 themes, RTL text): a 390 px
phone zoomed to 200% is a 195 CSS px viewport (360 px: 180). Nothing scrolls sideways, the
idea text keeps a readable width, "+" says when it cannot be used, the votes left stay in
view, a refusal is shown next to its row, and results start at the top."""
import pytest
from playwright.sync_api import expect

from browser_support import axe_violations, screenshot
from full_room import THEMES, full_room

ZOOMED = [180, 195]   # 360 px and 390 px phones at 200%
ARABIC_THEME = next(name for name in THEMES if "\u0600" <= name[0] <= "\u06ff")


@pytest.fixture
def zoomed(browser, server):
    """open(path, width) -> a page on a phone `width` CSS px wide, zoomed (scale 4)."""
    contexts, problems = [], []

    def open_page(path, width=195):
        context = browser.new_context(viewport={"width": width, "height": 422},
                                      device_scale_factor=4, is_mobile=True, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.goto(server.url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


def overflow(page):
    """How far the page reaches past the viewport's right edge (0 when it fits)."""
    return page.evaluate("""() => Math.max(
        document.documentElement.scrollWidth - window.innerWidth,
        ...[...document.querySelectorAll('body *')].filter(e => e.getClientRects().length)
            .map(e => Math.ceil(e.getBoundingClientRect().right) - window.innerWidth), 0)""")


def narrowest_idea_text(page):
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('#ideas .idea-text')]
        .map(e => e.getBoundingClientRect().width))""")


def links_outside(page):
    """Language links not wholly inside the viewport."""
    return page.evaluate("""() => [...document.querySelectorAll('.languages a')]
        .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
        .filter(([, r]) => r.left < 0 || r.right > window.innerWidth).map(([t]) => t)""")


@pytest.mark.parametrize("width", ZOOMED)
def test_voting_reflows_at_200_percent(zoomed, browser_db, width):
    room = full_room(browser_db, phase="voting")
    phone = zoomed(f"/j/{room['code']}", width)
    expect(phone.locator("#ideas .idea-votes")).to_have_count(150)
    assert overflow(phone) == 0
    assert narrowest_idea_text(phone) >= 120
    assert links_outside(phone) == []
    screenshot(phone, f"phone-voting-{width}px-zoomed")
    home = zoomed("/", width)   # the join page
    expect(home.locator("#code")).to_be_visible()
    assert links_outside(home) == []
    assert overflow(home) == 0
    screenshot(home, f"join-{width}px-zoomed")


def test_dots_spent_refusal_beside_the_row_and_results_from_the_top(zoomed, pages, browser_db):
    room = full_room(browser_db, phase="voting")
    phone = zoomed(f"/j/{room['code']}")
    usable = phone.locator('#ideas .idea-votes .btn-primary:not([aria-disabled="true"])')
    expect(usable).to_have_count(150)
    expect(phone.locator("#ideas .idea-votes .btn:not(.btn-primary)[disabled]")).to_have_count(150)
    for n in range(5):
        usable.first.click()
        expect(phone.locator(".dot.used")).to_have_count(n + 1)
    expect(phone.locator("#budget-text")).to_have_text("0 of 5 votes left")
    expect(usable).to_have_count(0)   # every "+" now says why it cannot be used
    plus = phone.locator("#ideas .idea-votes .btn-primary")
    assert plus.nth(0).get_attribute("aria-describedby") == "why-spent"
    expect(phone.locator("#why-spent")).to_have_text(
        "You have used all 5 of your votes. Take one back to vote for another idea.")
    expect(phone.locator("#ideas .idea-votes .btn:not(.btn-primary):not([disabled])")
           ).to_have_count(5)   # "−" only where a dot is

    # the tallies of these votes arrive now (~0.15 s after the last): they change no row
    phone.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    expect(phone.locator("#budget")).to_be_in_viewport(ratio=1)   # sticky: still in view
    row = phone.locator("#ideas .idea").nth(120)
    row.scroll_into_view_if_needed()
    row.locator(".btn-primary").click(force=True)   # aria-disabled: focusable, says why
    note = row.locator(".row-note")
    expect(note).to_have_text("You have used all 5 of your votes. "
                              "Take one back to vote for another idea.")
    box = note.evaluate("""n => { const r = n.getBoundingClientRect();
        return [r.top, r.bottom, document.getElementById('budget').getBoundingClientRect().bottom,
                window.innerHeight]; }""")
    assert box[2] <= box[0] and box[1] <= box[3], box   # below the sticky bar, on screen
    expect(phone.locator("#vote-msg")).to_contain_text("You have used all 5")  # read out
    expect(phone.locator("#budget")).to_be_in_viewport(ratio=1)
    expect(phone.locator(".dot.used")).to_have_count(5)   # nothing was sent
    screenshot(phone, "phone-voting-refused-195px-zoomed")
    assert axe_violations(phone) == []

    phone.evaluate("() => window.scrollTo(0, 4000)")
    assert phone.evaluate("() => window.scrollY") > 1000
    console = pages("console", f"/f/{room['token']}")
    console.click('[data-phase="results"]')
    expect(phone.locator("#ideas .rank").first).to_have_text("1.")
    phone.wait_for_function("() => window.scrollY === 0")
    expect(phone.locator("#phase-banner")).to_be_in_viewport()
    assert overflow(phone) == 0
    screenshot(phone, "phone-results-195px-zoomed")
    assert axe_violations(phone) == []


def test_right_to_left_theme_name_keeps_its_ranking_line_in_order(zoomed, browser_db):
    room = full_room(browser_db, phase="results", vote_on="themes")
    phone = zoomed(f"/j/{room['code']}")
    head = phone.locator(".group-head", has=phone.locator("bdi.name", has_text=ARABIC_THEME))
    expect(head).to_have_count(1)
    parts = head.evaluate("""h => [...h.children].map(c => [c.tagName.toLowerCase(), c.className,
        c.textContent, c.getBoundingClientRect().left, c.getBoundingClientRect().top])""")
    assert [p[0] for p in parts] == ["span", "bdi", "strong"]   # rank, name, votes
    rank, name, votes = parts
    assert rank[2].endswith(".") and name[2] == ARABIC_THEME and votes[2].endswith("votes")
    assert rank[3] < name[3]   # the rank stays at the start of the line
    assert votes[4] >= name[4]   # the votes after the name, never before it
    assert overflow(phone) == 0
    screenshot(phone, "phone-results-themes-rtl-195px-zoomed")
