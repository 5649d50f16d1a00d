"""The facilitator's console at the size of a real room (12 themes, 150 ideas) on a laptop
(1366x768) and larger screens: the board on screen, full theme names, every card's menu
reachable with the mouse and the keyboard, and axe-core clean in every phase."""
import re

import pytest
from playwright.sync_api import expect

from browser_support import axe_violations, screenshot
from full_room import THEMES, full_room

LAPTOP = {"width": 1366, "height": 768}

# Each theme name (a text area that wraps) measured against a copy of itself made of one
# span per word: every word on one line (never broken inside), and every line visible.
THEME_NAMES = """() => Array.from(document.querySelectorAll('.theme-name')).map(area => {
    const css = getComputedStyle(area);
    const copy = document.createElement('div');
    for (const p of ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing',
                     'paddingLeft', 'paddingRight', 'paddingTop', 'paddingBottom',
                     'overflowWrap', 'wordBreak', 'whiteSpace', 'boxSizing', 'direction']) {
        copy.style[p] = css[p];
    }
    copy.style.width = area.clientWidth + 'px';
    copy.style.position = 'absolute';
    copy.style.visibility = 'hidden';
    area.value.split(' ').forEach((word, i) => {
        if (i) copy.appendChild(document.createTextNode(' '));
        const span = document.createElement('span');
        span.textContent = word;
        copy.appendChild(span);
    });
    document.body.appendChild(copy);
    const broken = Array.from(copy.querySelectorAll('span'))
        .filter(s => s.getClientRects().length > 1).map(s => s.textContent);
    const needed = copy.offsetHeight;
    copy.remove();
    return {name: area.value, broken, needed, shown: area.clientHeight,
            wide: area.scrollWidth > area.clientWidth, tall: area.scrollHeight > area.clientHeight,
            ellipsis: css.textOverflow === 'ellipsis'};
})"""

OVERFLOW = """() => ({page: document.documentElement.scrollWidth, inner: window.innerWidth,
    boxes: Array.from(document.querySelectorAll('.board-column')).map(b => {
        const r = b.getBoundingClientRect();
        return [Math.floor(r.left), Math.ceil(r.right)]; })})"""

TOPMOST = """(nodes) => nodes.map(n => { const r = n.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!top && (top === n || n.contains(top)); })"""


def open_console(browser, server, room, viewport=LAPTOP):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server.url}/f/{room['token']}")
    expect(page.locator("#conn")).to_have_text("Connected")
    expect(page.locator(".board-card")).to_have_count(150)
    return page, problems


def assert_names_in_full(page, count=12):
    names = page.evaluate(THEME_NAMES)
    assert sorted(n["name"] for n in names) == sorted(THEMES[:count])
    for n in names:
        assert not n["broken"] and not n["wide"] and not n["tall"] and not n["ellipsis"], n
        assert n["needed"] <= n["shown"] + 1, n


def assert_nothing_overflows(page):
    sizes = page.evaluate(OVERFLOW)
    assert sizes["page"] <= sizes["inner"], sizes
    assert all(0 <= left and right <= sizes["inner"] for left, right in sizes["boxes"]), sizes


def test_the_board_fits_a_laptop_and_the_last_box_menus_answer_the_mouse(
        browser, server, browser_db):
    room = full_room(browser_db, phase="grouping")
    page, problems = open_console(browser, server, room)
    assert page.evaluate("window.scrollY") == 0
    board_top = page.evaluate(
        "document.querySelector('.board-columns').getBoundingClientRect().top")
    assert board_top < LAPTOP["height"] / 2  # the boxes start on the first screen
    assert_names_in_full(page)
    assert_nothing_overflows(page)
    screenshot(page, "console-layout/grouping-1366")

    last = page.locator(".board-column").last
    card = last.locator(".board-card").first
    card.scroll_into_view_if_needed()
    tools = card.locator(".card-tools .btn")
    assert all(page.evaluate(TOPMOST, tools.element_handles()))  # nothing lies on them
    card.locator(".moderate-menu").click()                      # the mouse, no force
    items = page.locator("#card-popover [role=menuitem]")
    expect(items).to_have_count(5)  # pin, hide, merge, edit, delete
    assert all(page.evaluate(TOPMOST, items.element_handles()))
    screenshot(page, "console-layout/moderate-menu-last-box")
    idea_id = card.get_attribute("data-idea-id")
    items.filter(has_text="Pin to the top").click()
    expect(page.locator(f'.board-card[data-idea-id="{idea_id}"]')).to_have_class(
        re.compile(r"\bis-pinned\b"))

    card = last.locator(".board-card").nth(1)
    card.locator(".move-menu").click()
    options = page.locator("#card-popover [role=option]")
    expect(options).to_have_count(12)  # not placed yet + the 11 other themes
    assert all(page.evaluate(TOPMOST, options.element_handles()))
    idea_id = card.get_attribute("data-idea-id")
    options.first.click()
    expect(page.locator(f'.board-list[data-theme-id="none"] [data-idea-id="{idea_id}"]')) \
        .to_have_count(1)
    assert not problems


def test_keyboard_move_to_waits_for_enter_and_follows_the_card(browser, server, browser_db):
    room = full_room(browser_db, phase="grouping")
    page, problems = open_console(browser, server, room)
    page.focus("#theme-new")
    for _ in range(12):  # Tab on to the first card of "Not placed yet"
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.board-card .move-menu')"):
            break
    button = page.locator(":focus")
    expect(button).to_have_class("btn btn-small move-menu")
    idea_id = page.evaluate("document.activeElement.closest('.board-card').dataset.ideaId")
    in_inbox = page.locator(f'.board-list[data-theme-id="none"] [data-idea-id="{idea_id}"]')
    expect(in_inbox).to_have_count(1)

    page.keyboard.press("Enter")
    listbox = page.locator("#card-popover [role=listbox]")
    expect(listbox).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator("#card-popover [role=option]").nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(listbox).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    page.wait_for_timeout(500)  # a move would have reached the server and come back by now
    expect(in_inbox).to_have_count(1)  # arrows only highlight

    target = THEMES[1]  # the 2nd choice: the inbox's list offers every theme in order
    expect(second).to_have_text(target)
    theme_id = str(room["theme_ids"][1])
    page.keyboard.press("Enter")
    moved = page.locator(f'.board-list[data-theme-id="{theme_id}"] [data-idea-id="{idea_id}"]')
    expect(moved).to_have_count(1)
    expect(in_inbox).to_have_count(0)
    page.wait_for_function("""([id, theme]) => { const a = document.activeElement;
        const card = a && a.closest('.board-card');
        return !!card && card.dataset.ideaId === id
            && card.closest('.board-list').dataset.themeId === theme; }""",
                           arg=[idea_id, theme_id])

    page.keyboard.press("Enter")  # again, and Escape: nothing moves, the focus comes back
    expect(listbox).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator("#card-popover")).to_be_hidden()
    expect(page.locator(f'[data-idea-id="{idea_id}"] .move-menu')).to_be_focused()
    page.wait_for_timeout(500)
    expect(moved).to_have_count(1)
    assert not problems


def hide_and_pin(db_url, room):
    from app import create_app
    from app.extensions import db
    from app.models import Idea
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        for n, idea_id in enumerate(room["idea_ids"][:6]):
            idea = db.session.get(Idea, idea_id)
            idea.hidden, idea.pinned = n % 2 == 0, n % 3 == 0
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("phase", ["collecting", "grouping", "voting", "results"])
def test_the_console_is_axe_clean_in_every_phase(browser, server, browser_db, phase):
    room = full_room(browser_db, phase=phase)
    hide_and_pin(browser_db, room)
    page, problems = open_console(browser, server, room)
    expect(page.locator(".board-card.is-hidden")).to_have_count(3)
    violations = axe_violations(page)
    assert violations == [], violations
    page.click("#panel-toggle")  # the side panel too
    expect(page.locator("#console-side")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], violations
    assert_nothing_overflows(page)
    screenshot(page, f"console-layout/{phase}-1366")
    assert not problems


@pytest.mark.parametrize("width, height", [(1440, 900), (1920, 1080)])
def test_nothing_overflows_on_larger_screens(browser, server, browser_db, width, height):
    room = full_room(browser_db, phase="grouping")
    page, problems = open_console(browser, server, room, {"width": width, "height": height})
    expect(page.locator("#console-side")).to_be_visible()  # room for the side panel here
    assert_names_in_full(page)
    assert_nothing_overflows(page)
    screenshot(page, f"console-layout/grouping-{width}")
    page.click('.view-switch [data-view="outcomes"]')
    assert_nothing_overflows(page)
    assert not problems
