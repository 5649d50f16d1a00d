"""The projector at the size of a real room (tests/browser/full_room.py): at 1920x1080,
1280x720 and 1024x768, with 10 or 150 ideas and 3 or 12 themes, while grouping, voting and
in the results, nothing overflows its box or the screen, no word is split over two lines,
no text is below the floor (max(20 px, 2.8 % of the height)); what does not fit is paged,
and the console pages it, puts an idea in the spotlight and hides the tallies. Grouping
opens on an overview of every theme; the voting wall packs its cards; a card with a very
long word spans more columns instead of shrinking its text."""
import re

import pytest
from full_room import THEMES
from playwright.sync_api import expect

from browser_support import screenshot
from full_room import full_room

# Every problem on the page: [what, where]. Text elements are the leaves that hold text;
# a word is split when its characters' boxes fall on more than one line.
CHECK = """() => {
  const problems = [];
  const floor = Math.max(20, innerHeight * 0.028) - 0.01;
  const shown = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
    && !e.closest('[hidden]');
  const name = e => (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.') + ' ' +
    (e.textContent || '').slice(0, 40);
  // a line may end after a hyphen or between two emoji (as every browser does); a break
  // between two letters or digits is a split word
  const letter = ch => /[\\p{L}\\p{N}]/u.test(ch);
  const breaksWhereAllowed = (node, start, word) => {
    const chars = [...word]; let at = start, top = null;
    for (let i = 0; i < chars.length; i++) {
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + chars[i].length);
      const box = [...range.getClientRects()].find(x => x.width > 0);
      if (box) {
        const row = Math.round(box.top);
        if (top !== null && row !== top && letter(chars[i - 1]) && letter(chars[i])) return false;
        top = row;
      }
      at += chars[i].length;
    }
    return true;
  };
  for (const e of document.querySelectorAll('.screen *, .spotlight *')) {
    if (!shown(e) || e.closest('svg')) continue;
    const wide = e.clientWidth && e.scrollWidth > e.clientWidth + 1;
    if (wide && (getComputedStyle(e).overflowX !== 'visible' || e.matches('.fit')))
      problems.push(['overflows', name(e)]);
    const r = e.getBoundingClientRect();
    if (r.width && (r.left < -1 || r.top < -1 || r.right > innerWidth + 1
                    || r.bottom > innerHeight + 1))
      problems.push(['outside the screen', name(e)]);
    const texts = [...e.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!texts.length) continue;
    const size = parseFloat(getComputedStyle(e).fontSize);
    // squeezed: only a word wider than the whole stage, in a box as wide as the stage,
    // and never below 3/4 of the floor
    const squeezed = e.closest('.is-squeezed');
    if (size < floor * 0.75 || (size < floor && !squeezed))
      problems.push(['small ' + size, name(e)]);
    const stage = e.closest('.paged');
    if (squeezed && stage) {
      let box = e; while (box.parentElement !== stage) box = box.parentElement;
      if (box.getBoundingClientRect().width < stage.clientWidth - 2)
        problems.push(['squeezed in a narrow box', name(e)]);
    }
    for (const node of texts) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(node.textContent))) {
        const range = document.createRange();
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(x => x.width > 0)
          .map(x => Math.round(x.top)));
        if (lines.size > 1 && !breaksWhereAllowed(node, m.index, m[0]))
          problems.push(['word split: ' + m[0], name(e)]);
      }
    }
  }
  return problems;
}"""
SQUEEZED = "() => [...document.querySelectorAll('.is-squeezed')].map(e => e.textContent)"


def add_outcomes(db_url, room, per_theme=3):
    """A conclusion and action items on every theme, as a facilitator writes them."""
    from app import create_app
    from app.extensions import db
    from app.models import Workshop
    from app.services import outcomes
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        workshop = db.session.get(Workshop, room["id"])
        for n, theme_id in enumerate(room["theme_ids"]):
            outcomes.set_conclusion(workshop, (
                "The clusters agree to pool their testbeds and open them to companies from "
                "the other regions, with one contact point and shared vouchers. ") * (1 + n % 3),
                theme_id=theme_id)
            for a in range(per_theme):
                outcomes.add_action(workshop, f"Map the regional testbeds and their prices ({a})",
                                    "Cluster network", ["short", "medium", "long"][a % 3],
                                    theme_id=theme_id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def projector_at(browser, server, room, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{server.url}/p/{room['screen_token']}")
    expect(page.locator("#phase")).not_to_have_text("Connecting…")
    page.wait_for_timeout(300)
    return context, page


def assert_readable(page, where):
    problems = page.evaluate(CHECK)
    assert not problems, f"{where}: {problems[:8]}"
    # only a word longer than its box may shrink its own text
    for squeezed in page.evaluate(SQUEEZED):
        assert max(len(word) for word in squeezed.split()) >= 20, (where, squeezed)


ROOMS = [(10, 3), (150, 12)]
SIZES = [(1920, 1080), (1280, 720), (1024, 768)]


@pytest.mark.parametrize("phase", ["grouping", "voting", "results"])
def test_the_projector_fits_any_room_on_any_screen(browser, server, browser_db, phase):
    for ideas, themes in ROOMS:
        room = full_room(browser_db, phase=phase, ideas=ideas, themes=themes,
                         people=min(50, ideas))
        if phase == "results":
            add_outcomes(browser_db, room)
        for size in SIZES:
            context, page = projector_at(browser, server, room, size)
            where = f"{phase}, {ideas} ideas, {themes} themes, {size[0]}x{size[1]}"
            assert_readable(page, where)
            if ideas == 150:  # a real room does not fit one screen: pages, never a cut
                expect(page.locator("#more")).to_have_text(re.compile(r"^Page 1 of \d+$"))
            if phase == "grouping" and themes == 12 and size != (1024, 768):
                # page 1: every theme at a glance, its count, and what does not fit counted
                names = page.locator("#themes .theme-name").all_inner_texts()
                assert set(THEMES) | {"Not placed yet"} == set(names), (where, names)
                expect(page.locator("#themes .theme-count").first).to_have_text(
                    re.compile(r"^\d+ ideas?$"))
                assert page.locator("#themes .theme-more:visible").count() + \
                    page.locator("#themes .theme-list:empty").count() >= 1
            if phase == "voting" and ideas == 150 and size == (1280, 720):
                # the wall is packed: a tall card does not leave half the screen empty
                assert page.locator("#wall .card-idea").count() >= 8, where
                expect(page.locator("#wall .card-idea .place").first).to_have_text("#1")
            screenshot(page, f"projector-layout-{phase}-{themes}-themes-{size[0]}")
            context.close()


def test_the_console_pages_spotlights_and_hides_tallies(browser, server, browser_db, pages):
    room = full_room(browser_db, phase="voting", ideas=150, themes=12, people=50)
    console = pages("console", f"/f/{room['token']}")
    context, projector = projector_at(browser, server, room, (1280, 720))
    indicator = projector.locator("#more")
    expect(indicator).to_have_text(re.compile(r"^Page 1 of \d+$"))
    pages_count = int(indicator.inner_text().split()[-1])
    first = projector.locator(".card-idea .text").first.inner_text()
    expect(projector.locator(".card-idea .votes").first).to_have_text(re.compile(r"^\d+ votes?$"))

    card = console.locator("#projector-controls")
    card.get_by_role("button", name="Next page").click()
    expect(indicator).to_have_text(f"Page 2 of {pages_count}")
    expect(projector.locator(".card-idea .text").first).not_to_have_text(first)
    console.locator("#projector-title").click()  # PageDown anywhere but a text field
    console.keyboard.press("PageDown")
    expect(indicator).to_have_text(f"Page 3 of {pages_count}")
    console.keyboard.press("PageUp")
    expect(indicator).to_have_text(f"Page 2 of {pages_count}")
    assert_readable(projector, "voting, page 2")

    # hidden tallies: no counts, no bars, no order by votes while voting
    card.get_by_label("Hide vote counts until the results").check()
    expect(projector.locator(".card-idea .votes:visible")).to_have_count(0)
    expect(projector.locator(".card-idea .bar:visible")).to_have_count(0)
    assert not re.search(r"\d+ votes?", projector.locator("#wall").inner_text())
    assert_readable(projector, "voting, tallies hidden")
    screenshot(projector, "projector-layout-voting-hidden-tallies-1280")

    # the spotlight: one idea over everything, then gone
    long_idea = room["idea_ids"][3]  # a 500-character idea
    card.get_by_label("Idea to spotlight").select_option(str(long_idea))
    card.get_by_role("button", name="Spotlight", exact=True).click()
    expect(projector.locator("#spotlight")).to_be_visible()
    expect(projector.locator("#spotlight-text")).to_contain_text("interregional skills observatory")
    assert_readable(projector, "spotlight")
    assert projector.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#spotlight-text')).fontSize)") >= 28
    screenshot(projector, "projector-layout-spotlight-1280")
    # a second projector (or a reload) shows the same
    again = context.new_page()
    again.goto(f"{server.url}/p/{room['screen_token']}")
    expect(again.locator("#spotlight")).to_be_visible()
    expect(again.locator("#more")).to_have_text(re.compile(r"^Page 2 of \d+$"))
    card.get_by_role("button", name="Spotlight off").click()
    expect(projector.locator("#spotlight")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("phase", ["grouping", "voting"])
def test_a_very_long_word_spans_columns_on_every_page(browser, server, browser_db, pages, phase):
    """Every page of a real room, at the smallest screen: the card with a 46-letter word
    is somewhere, at no less than the floor, in a box wider than one column."""
    room = full_room(browser_db, phase=phase, ideas=150, themes=12, people=50)
    console = pages("console", f"/f/{room['token']}")
    context, projector = projector_at(browser, server, room, (1024, 768))
    indicator = projector.locator("#more")
    expect(indicator).to_have_text(re.compile(r"^Page 1 of \d+$"))
    count, seen = int(indicator.inner_text().split()[-1]), 0
    for number in range(1, count + 1):
        expect(indicator).to_have_text(f"Page {number} of {count}")
        assert_readable(projector, f"{phase}, page {number}")
        found = projector.evaluate("""() => [...document.querySelectorAll('.card-idea .text')]
          .filter(e => e.textContent.includes('Interregionalzusammenarbeits'))
          .map(e => { const stage = e.closest('.paged'); let box = e;
            while (box.parentElement !== stage) box = box.parentElement;
            return [parseFloat(getComputedStyle(e).fontSize), box.getBoundingClientRect().width,
                    parseFloat(getComputedStyle(stage).gridTemplateColumns)]; })""")
        floor = max(20, 768 * 0.028)
        for size, width, column in found:
            assert size >= floor - 0.01 and width > column * 1.5, (phase, number, found)
        seen += len(found)
        if number < count:
            console.locator("#projector-controls").get_by_role("button", name="Next page").click()
    assert seen, "the long word was on no page"
    context.close()


WATCH_ARRIVALS = """() => { window.arrivals = new Set();
  new MutationObserver(changes => changes.forEach(change => change.addedNodes.forEach(node => {
    if (node.classList && node.classList.contains('is-new'))
      window.arrivals.add(node.querySelector('.text').textContent);
  }))).observe(document.querySelector('#wall'), {childList: true}); }"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_collecting_shows_the_newest_first_and_only_new_ideas_arrive(
        browser, server, browser_db, pages, motion):
    room = full_room(browser_db, phase="collecting", ideas=40, themes=3, people=10)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, reduced_motion=motion)
    projector = context.new_page()
    projector.goto(f"{server.url}/p/{room['screen_token']}")
    # themes already made: still the wall, newest first, on page 1
    expect(projector.locator("#wall .card-idea").first).to_contain_text("(40)")
    expect(projector.locator("#themes")).to_be_hidden()
    expect(projector.locator(".card-idea.is-new")).to_have_count(0)  # the room was there
    projector.evaluate(WATCH_ARRIVALS)
    phone = pages("phone", f"/j/{room['code']}")
    phone.fill("#idea-text", "A brand new idea from the back row")
    phone.click("#send")
    expect(projector.locator("#wall .card-idea").first).to_contain_text("from the back row")
    arrived = projector.evaluate("[...window.arrivals]")
    assert arrived == ([] if motion == "reduce" else ["A brand new idea from the back row"])
    expect(projector.locator(".card-idea.is-new")).to_have_count(0)  # and it settles
    context.close()
