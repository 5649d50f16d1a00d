"""The facilitator's board, moderation, the clock and suggestions in a real browser."""
import re

from playwright.sync_api import expect

from browser_support import add_theme, moderate, move_to, new_workshop, screenshot
from test_screens import IDEAS, post


def test_facilitator_drags_ideas_into_themes_merges_and_undoes(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:4])
    console = pages("console", f"/f/{workshop['token']}")
    other = pages("console", f"/f/{workshop['token']}")
    add_theme(console, "Testbeds and pilots")
    theme_list = console.locator('.board-list:not([data-theme-id="none"])')
    expect(theme_list).to_have_count(1)
    unplaced = console.locator('.board-list[data-theme-id="none"] .board-card')
    expect(unplaced).to_have_count(4)
    card = unplaced.filter(has_text=IDEAS[0])
    card.locator(".text").drag_to(theme_list.first)     # mouse drag and drop, by the text
    expect(theme_list.first.locator(".board-card")).to_have_count(1)
    expect(other.locator('.board-list:not([data-theme-id="none"]) .board-card')) \
        .to_contain_text(IDEAS[0])                       # the other console follows live
    move_to(console, console.locator('.board-list[data-theme-id="none"] .board-card',
                                     has_text=IDEAS[1]), "Testbeds and pilots")
    expect(theme_list.first.locator(".board-card")).to_have_count(2)
    moderate(console, console.locator(".board-card", has_text=IDEAS[2]), "Merge…")
    console.locator(".board-card", has_text=IDEAS[3]).locator("text=Merge here").click()
    expect(console.locator(".board-card")).to_have_count(3)
    expect(console.locator(".board-card", has_text=IDEAS[3]).locator(".also")) \
        .to_contain_text(IDEAS[2])
    screenshot(console, "console-board")
    console.keyboard.press("Control+z")                  # undo the merge
    expect(console.locator(".board-card")).to_have_count(4)
    expect(other.locator(".board-card")).to_have_count(4)


def test_projector_and_phones_show_the_themes_live(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:3])
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    add_theme(console, "Cross-border cooperation")
    card = console.locator('.board-list[data-theme-id="none"] .board-card', has_text=IDEAS[1])
    move_to(console, card, "Cross-border cooperation")
    column = projector.locator(".theme-column", has_text="Cross-border cooperation")
    expect(column.locator(".card-idea")).to_have_text([IDEAS[1]])
    expect(projector.locator(".theme-column", has_text="Not placed yet").locator(".card-idea")) \
        .to_have_count(2)
    expect(phone.locator(".group-head").first).to_have_text("Cross-border cooperation")
    assert projector.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.theme-list .card-idea')).fontSize)"
    ) >= 28
    screenshot(projector, "projector-themes")
    screenshot(phone, "phone-themes")


def test_facilitator_hides_and_edits_an_idea_and_every_screen_follows(pages, browser_db):
    workshop = new_workshop(browser_db, ideas=["Shared testbeds", "Something rude", "Vouchrs"])
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(phone.locator("#ideas .idea")).to_have_count(3)
    rude = console.locator(".board-card", has_text="Something rude")
    moderate(console, rude, "Hide from the room")
    expect(phone.locator("#ideas .idea")).to_have_count(2)
    expect(projector.locator(".card-idea", has_text="Something rude")).to_have_count(0)
    expect(rude).to_have_class(re.compile("is-hidden"))   # the facilitator still sees it
    typo = console.locator(".board-card", has_text="Vouchrs")
    moderate(console, typo, "Edit the text")
    console.locator(".edit-text").fill("Cross-border vouchers")
    console.locator(".editor >> text=Save").click()
    expect(phone.locator("#ideas")).to_contain_text("Cross-border vouchers")
    expect(projector.locator("#wall")).to_contain_text("Cross-border vouchers")


def test_the_clock_shows_the_same_time_on_every_screen(pages, browser_db):
    workshop = new_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    # this phone's own clock is 7 minutes fast: it must still show the server's time
    phone.context.add_init_script(
        "(() => { const real = Date.now; Date.now = () => real() + 7 * 60 * 1000; })()")
    phone.reload()
    assert phone.evaluate("Date.now() - new Date().getTime()") > 6 * 60 * 1000
    console.fill("#clock-minutes", "5")
    console.click("#clock-form button[type=submit]")
    for page in (console, projector, phone):
        expect(page.locator("#clock")).to_have_text(re.compile(r"^(5:00|4:5\d)$"))
    console.click("[data-clock=pause]")
    expect(projector.locator("#clock")).to_have_class(re.compile("is-paused"))
    console.click("[data-clock=stop]")
    expect(phone.locator("#clock")).to_be_hidden()


def test_phone_offers_the_existing_idea_before_posting_a_duplicate(pages, browser_db):
    workshop = new_workshop(browser_db, ideas=["Shared testbeds so SMEs can try robots first"])
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(phone.locator("#ideas .idea")).to_have_count(1)
    post(phone, "Testbeds shared by SMEs to try robots")
    expect(phone.locator("#similar")).to_be_visible()
    expect(phone.locator("#similar-text")).to_contain_text("Shared testbeds so SMEs")
    screenshot(phone, "phone-similar")
    phone.click("#similar-keep")
    expect(phone.locator("#ideas .idea")).to_have_count(1)   # nothing was posted
    post(phone, "Energy communities for industrial parks")   # not a duplicate: posted at once
    expect(phone.locator("#ideas .idea")).to_have_count(2)


def test_facilitator_accepts_theme_suggestions_in_one_click(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=[
        "Solar energy communities in industrial parks", "Energy communities sharing solar storage",
        "Dual vocational training in companies", "Vocational training with company practice"])
    console = pages("console", f"/f/{workshop['token']}")
    expect(console.locator("#conn")).to_have_text("Connected")
    console.click("text=Suggest themes")
    expect(console.locator(".suggestion-list li").first).to_be_visible(timeout=15_000)
    screenshot(console, "console-suggestions")
    console.click("text=Accept all")
    expect(console.locator('.board-list[data-theme-id="none"] .board-card')).to_have_count(0)
    assert console.locator('.board-list:not([data-theme-id="none"])').count() >= 1


def test_premoderated_idea_waits_for_approval_then_appears_everywhere(pages, browser_db):
    workshop = new_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    console.check("#premoderation")
    console.click("#settings button[type=submit]")
    expect(console.locator("#settings-msg")).to_have_text("Saved.")
    post(phone, "Please approve me")
    expect(phone.locator(".status-pending")).to_have_text(
        "Sent: waiting for the facilitator's approval")
    expect(console.locator("#queue-list li")).to_have_count(1)
    expect(projector.locator("#wall")).not_to_contain_text("Please approve me")
    console.locator("#queue-list").get_by_role("button", name="Approve").click()
    expect(projector.locator("#wall")).to_contain_text("Please approve me")
    expect(phone.locator(".idea.mine .status-saved")).to_have_count(1)
    expect(console.locator("#queue")).to_be_hidden()


def test_ideas_stay_private_until_the_facilitator_reveals_them(pages, browser_db):
    workshop = new_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    ana = pages("phone", f"/j/{workshop['code']}")
    ben = pages("phone", f"/j/{workshop['code']}")
    console.check("#hide-until-reveal")
    console.click("#settings button[type=submit]")
    expect(console.locator("#reveal")).to_be_visible()
    post(ana, "Ana's first thought")
    post(ben, "Ben's first thought")
    expect(ana.locator("#ideas .idea")).to_have_count(1)
    expect(ana.locator("#ideas")).to_contain_text("Ana's first thought")
    expect(ben.locator("#ideas")).not_to_contain_text("Ana's first thought")
    console.click("#reveal")
    expect(ben.locator("#ideas .idea")).to_have_count(2)
    expect(ana.locator("#ideas")).to_contain_text("Ben's first thought")


def test_facilitator_drags_an_idea_with_a_finger_on_a_tablet(browser, server, browser_db):
    """Real touch events (Chrome DevTools Protocol), as on a tablet at the front of the room."""
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:2])
    context = browser.new_context(viewport={"width": 1180, "height": 820}, has_touch=True,
                                  is_mobile=True)
    tablet = context.new_page()
    tablet.goto(f"{server.url}/f/{workshop['token']}")
    add_theme(tablet, "Testbeds")
    target = tablet.locator('.board-list:not([data-theme-id="none"])')
    expect(target).to_have_count(1)
    source = tablet.locator(".board-card .text", has_text=IDEAS[0])
    tablet.locator("#board").scroll_into_view_if_needed()  # the section stays; cards redraw
    expect(source).to_be_visible()
    tablet.wait_for_timeout(300)  # let the live redraws after "Add theme" settle
    start, end = source.bounding_box(), target.first.bounding_box()
    x0, y0 = start["x"] + 10, start["y"] + start["height"] / 2
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + 20
    cdp = context.new_cdp_session(tablet)
    cdp.send("Input.dispatchTouchEvent",
             {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for step in range(1, 16):
        x, y = x0 + (x1 - x0) * step / 15, y0 + (y1 - y0) * step / 15
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        tablet.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    expect(target.first.locator(".board-card")).to_contain_text(IDEAS[0])
    context.close()



def test_the_room_votes_on_themes_and_the_projector_ranks_them(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:2])
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    for name, idea in (("Testbeds", IDEAS[0]), ("Vouchers", IDEAS[1])):
        add_theme(console, name)
        move_to(console, console.locator(".board-card", has_text=idea), name)
    expect(console.locator('.board-list[data-theme-id="none"] .board-card')).to_have_count(0)
    console.select_option("#vote-on", "themes")
    console.click("#settings button[type=submit]")
    expect(console.locator("#settings-msg")).to_have_text("Saved.")
    console.click('[data-phase="voting"]')
    head = phone.locator(".group-head", has_text="Vouchers")
    head.locator(".btn-primary").click()
    expect(phone.locator(".dot.used")).to_have_count(1)
    expect(projector.locator(".theme-title").first).to_have_text("1. Vouchers — 1 vote")
    console.click('[data-phase="results"]')
    expect(phone.locator(".group-head").first).to_contain_text("Vouchers")
    expect(projector.locator(".theme-title").first).to_have_text("1. Vouchers — 1 vote")
    screenshot(projector, "projector-theme-results")


def test_reorder_themes_see_the_history_and_merged_texts_everywhere(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS[:3])
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    expect(console.locator("#conn")).to_have_text("Connected")
    for name in ("First", "Second"):
        add_theme(console, name)
    expect(console.locator(".theme-name")).to_have_count(2)
    console.get_by_role("button", name="Move the theme First right").click()
    expect(console.locator(".theme-name").first).to_have_value("Second")
    moderate(console, console.locator(".board-card", has_text=IDEAS[1]), "Merge…")
    console.locator(".board-card", has_text=IDEAS[0]).locator("text=Merge here").click()
    expect(phone.locator("#ideas")).to_contain_text("Also said as: “" + IDEAS[1])
    expect(projector.locator("#wall, #themes").locator(".also").first).to_contain_text(IDEAS[1])
    console.click("text=History")
    expect(console.locator(".history li")).to_have_count(4)  # 2 created, 1 reordered, 1 merged
    history = console.locator(".history li")  # newest first, as sentences
    expect(history.first).to_contain_text(f"Merged “{IDEAS[1][:30]}")
    expect(history.first).to_contain_text(f"into “{IDEAS[0][:30]}")
    expect(history.nth(1)).to_contain_text("Reordered the themes")
    expect(history.last).to_contain_text("Created the theme First")
