"""A redraw never takes a control away from under the person using it: what did not change
stays the same element, so a tap or an open menu survives the room changing around it."""
from playwright.sync_api import expect

from browser_support import add_theme, new_workshop
from test_screens import IDEAS, post

MARK = "(nodes) => nodes.forEach(n => { n.__kept = true; })"
KEPT = "(nodes) => nodes.map(n => n.__kept === true)"


def test_the_facilitators_open_move_menu_survives_phones_joining(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:3])
    console = pages("console", f"/f/{workshop['token']}")
    add_theme(console, "Cross-border cooperation", settle=True)
    cards = console.locator(".board-card")
    expect(cards).to_have_count(3)
    cards.evaluate_all(MARK)
    card = console.locator('.board-list[data-theme-id="none"] .board-card', has_text=IDEAS[1])
    card.locator(".move-menu").click()
    option = console.locator("#card-popover").get_by_role("option", name="Cross-border cooperation",
                                                         exact=True)
    expect(option).to_be_visible()
    people = int(console.locator("#stat-people").inner_text())
    for _ in range(2):                                 # two phones join while the menu is open
        pages("phone", f"/j/{workshop['code']}")
    expect(console.locator("#stat-people")).to_have_text(str(people + 2))
    assert cards.evaluate_all(KEPT) == [True] * 3      # the board was not redrawn for them
    expect(option).to_be_visible()
    option.click()
    theme = console.locator('.board-list:not([data-theme-id="none"])')
    expect(theme.locator(".board-card .text")).to_have_text([IDEAS[1]])


def test_phone_rows_stay_put_when_a_new_idea_lands(pages, browser_db):
    workshop = new_workshop(browser_db, ideas=IDEAS[:3])
    phone = pages("phone", f"/j/{workshop['code']}")
    rows = phone.locator("#ideas .idea")
    expect(rows).to_have_count(3)
    rows.evaluate_all(MARK)
    post(pages("phone", f"/j/{workshop['code']}"), IDEAS[3])
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text(IDEAS[3])       # newest first, above the others
    assert rows.evaluate_all(KEPT) == [False, True, True, True]


def test_phone_voting_redraws_only_the_row_voted_on(pages, browser_db):
    workshop = new_workshop(browser_db, phase="voting", ideas=IDEAS[:3], vote_budget=5, vote_cap=3)
    phone = pages("phone", f"/j/{workshop['code']}")
    other = pages("phone", f"/j/{workshop['code']}")
    rows = phone.locator("#ideas .idea")
    expect(rows).to_have_count(3)
    rows.evaluate_all(MARK)
    voted = rows.filter(has_text=IDEAS[0])
    voted.locator(".btn-primary").click()
    expect(voted.locator(".count")).to_have_text("1")
    theirs = other.locator("#ideas .idea", has_text=IDEAS[1])
    for n in range(1, 4):                              # the room votes: tallies reach this phone
        theirs.locator(".btn-primary").click()
        expect(theirs.locator(".count")).to_have_text(str(n))
    phone.wait_for_timeout(1000)                       # a tally follows the votes within 0.6 s
    kept = {IDEAS.index(next(i for i in IDEAS if i in text)): mark
            for text, mark in zip(rows.all_inner_texts(), rows.evaluate_all(KEPT), strict=True)}
    assert kept == {0: False, 1: True, 2: True}        # only the row whose dots changed


def test_a_click_on_the_board_lands_though_the_room_changes_during_the_press(pages, browser_db):
    workshop = new_workshop(browser_db, phase="voting", ideas=IDEAS[:2])
    console = pages("console", f"/f/{workshop['token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    add_theme(console, "Skills", settle=True)
    card = console.locator(".board-card", has_text=IDEAS[0])
    other = console.locator(".board-card", has_text=IDEAS[1])
    expect(other.locator(".count")).to_have_text("0")
    card.locator(".move-menu").hover()
    console.mouse.down()                               # the facilitator presses "Move to…"
    phone.locator("#ideas .idea", has_text=IDEAS[1]).locator(".btn-primary").click()
    expect(console.locator("#stat-votes")).to_have_text("1")   # the vote has arrived
    expect(other.locator(".count")).to_have_text("0")  # the board waits for the release
    console.mouse.up()
    expect(console.locator("#card-popover").get_by_role("option", name="Skills")
           ).to_be_visible()                            # the click was not lost
    expect(other.locator(".count")).to_have_text("1")  # and the board then catches up
    console.keyboard.press("Escape")
    expect(card.locator(".move-menu")).to_be_focused()
