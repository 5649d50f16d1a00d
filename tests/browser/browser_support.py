"""Helpers for the browser tests: screenshots, axe-core, and workshops made in-process."""
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def new_workshop(db_url, phase="collecting", ideas=(), **settings):
    """A fresh workshop in the browser tests' database (made in-process, like an organiser)."""
    from app import create_app
    from app.extensions import db
    from app.models import Idea
    from app.services import workshops
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026")
        workshop = workshops.create_workshop(
            event, "Interregional value chains",
            "How can clusters multiply the connections between regional value chains?",
            **settings)
        workshop.phase = phase
        db.session.flush()
        for text in ideas:
            db.session.add(Idea(workshop_id=workshop.id, text=text))
        return saved(workshop)


def saved(workshop) -> dict:
    """Commit a workshop made for a test (inside its app context) and say how to reach it."""
    from app.extensions import db
    db.session.commit()
    info = {"id": workshop.id, "code": workshop.code, "token": workshop.facilitator_token,
            "screen_token": workshop.screen_token}
    db.session.remove()
    db.engine.dispose()
    return info


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:  # settled: no card arriving or gliding (a picture, not an assertion: a busy
        # machine may still be animating, and the screenshot is taken all the same)
        # a function, not an expression: Playwright would eval an expression on every poll,
        # which the page's CSP refuses (no 'unsafe-eval')
        page.wait_for_function(
            "() => !document.querySelector('.is-new') && !document.getAnimations()"
            ".some(a => a.playState === 'running' && a.effect"
            " && a.effect.getTiming().iterations !== Infinity)",
            timeout=10_000)
    except PlaywrightTimeout:
        pass
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def axe_violations(page):
    """Serious and critical WCAG 2.x A/AA violations found by axe-core in this page."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script> tag: the CSP refuses those
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


# The console's card menus (static/js/card-menus.js) ---------------------------------------
def add_theme(page, name, settle=False):
    """Add a theme on the console and wait for its box. settle: also wait out the placement
    hints it prompts (asked within 1.1 s), so no later redraw comes from them."""
    page.fill("#theme-new", name)
    page.click("text=Add theme")
    expect(page.locator(".theme-name", has_text=name)).to_have_count(1)
    if settle:
        page.wait_for_timeout(1500)


def move_to(page, card, theme):
    """The keyboard-friendly way: a card's "Move to…" list, then the theme (a click). The list
    offers the themes there are when it opens: wait for a theme just added."""
    expect(page.locator(".theme-name", has_text=theme)).to_have_count(1)
    card.locator(".move-menu").click()
    page.locator("#card-popover").get_by_role("option", name=theme, exact=True).click()


def moderate(page, card, action):
    """A card's "Moderate…" menu, then one of its actions."""
    card.locator(".moderate-menu").click()
    page.locator("#card-popover").get_by_role("menuitem", name=action).click()
