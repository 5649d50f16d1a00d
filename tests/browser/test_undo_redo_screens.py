"""Undo and Redo on the console in a real browser: three moves undone with the button, two
redone with Ctrl+Shift+Z; the History panel tells it in sentences and follows live; the
buttons say what they would do; a second console and the projector follow."""
import re

from playwright.sync_api import expect

from browser_support import add_theme, move_to, new_workshop, screenshot

HYDROGEN = ("Joint hydrogen valley for the three border regions, with shared storage, "
            "pipelines and a common training centre")
IDEAS = [HYDROGEN, "Shared testbeds for SMEs", "Skills academy run by the clusters"]
MOVES = [(HYDROGEN, "Hydrogen & energy"), (IDEAS[1], "Hydrogen & energy"),
         (IDEAS[2], "Skills")]


def unplaced(page):
    return page.locator('.board-list[data-theme-id="none"] .board-card .text')


def in_themes(page):
    return page.locator('.board-list:not([data-theme-id="none"]) .board-card')


def test_undo_three_moves_then_redo_two_by_keyboard(pages, browser_db):
    workshop = new_workshop(browser_db, phase="grouping", ideas=IDEAS)
    console = pages("console", f"/f/{workshop['token']}")
    other = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    for name in ("Hydrogen & energy", "Skills"):
        add_theme(console, name)
    expect(console.locator('.board-list:not([data-theme-id="none"])')).to_have_count(2)
    expect(unplaced(console)).to_have_count(3)
    original = unplaced(console).all_text_contents()
    redo = console.locator("#board .redo")
    expect(redo).to_be_disabled()
    expect(redo).to_have_attribute("title", "Nothing to redo")

    console.click("#board .show-history")
    history = console.locator("#board .history li")
    expect(history).to_have_count(2)                     # the two themes created
    for text, theme in MOVES:
        move_to(console, console.locator(".board-card", has_text=text), theme)
        expect(history).to_have_count(2 + MOVES.index((text, theme)) + 1)  # live, while open
    expect(in_themes(other)).to_have_count(3)
    expect(history.first).to_contain_text("Moved “Skills academy run by the clusters” to Skills")
    expect(history.nth(2)).to_contain_text(
        re.compile(r"Moved “Joint hydrogen valley[^”]*…” to Hydrogen & energy"))
    expect(console.locator("#board .undo")).to_have_attribute(
        "title", "Undo: Moved “Skills academy run by the clusters” to Skills")

    for done in range(1, 4):
        console.click("#board .undo")
        expect(unplaced(console)).to_have_count(done)
    expect(unplaced(console)).to_have_text(original)      # back to the original placement
    expect(unplaced(other)).to_have_text(original)
    expect(projector.locator(".theme-column", has_text="Not placed yet").locator(".card-idea")) \
        .to_have_count(3)
    expect(console.locator("#announcer")).to_have_text(
        re.compile(r"^Undone: Moved “Joint hydrogen valley[^”]*…” to Hydrogen & energy$"))
    struck = console.locator("#board .history li.is-undone")
    expect(struck).to_have_count(3)
    expect(struck).to_contain_text(["Moved “Skills academy", "Moved “Shared testbeds",
                                    "Moved “Joint hydrogen valley"])
    assert console.evaluate("getComputedStyle(document.querySelector('#board .history "
                            "li.is-undone')).textDecorationLine") == "line-through"
    expect(console.locator("#board .undo")).to_have_attribute(
        "title", "Undo: Created the theme Skills")
    expect(redo).to_be_enabled()
    expect(redo).to_have_attribute(
        "title", re.compile(r"^Redo: Moved “Joint hydrogen valley[^”]*…” to Hydrogen & energy$"))
    console.locator("#board").evaluate("board => board.scrollIntoView()")
    screenshot(console, "console-undo-history")

    console.locator("#board-title").click()                # out of the theme name field
    console.keyboard.press("Control+Shift+Z")
    expect(in_themes(console)).to_have_count(1)
    console.keyboard.press("Control+Shift+Z")
    expect(in_themes(console)).to_have_count(2)
    expect(in_themes(other)).to_have_count(2)              # the other console follows live
    column = projector.locator(".theme-column", has_text="Hydrogen & energy")
    expect(column.locator(".card-idea")).to_have_count(2)  # and the projector
    expect(column).to_contain_text("Shared testbeds for SMEs")
    expect(console.locator("#announcer")).to_have_text(
        "Redone: Moved “Shared testbeds for SMEs” to Hydrogen & energy")
    expect(struck).to_have_count(1)                        # only the third move still undone
    expect(redo).to_have_attribute(
        "title", "Redo: Moved “Skills academy run by the clusters” to Skills")
    expect(other.locator("#board .redo")).to_have_attribute(
        "title", "Redo: Moved “Skills academy run by the clusters” to Skills")
    expect(history.first).to_contain_text("Redid: moved “Shared testbeds for SMEs”")
    console.keyboard.press("Control+y")
    expect(in_themes(console)).to_have_count(3)
    expect(redo).to_be_disabled()
    expect(struck).to_have_count(0)
    expect(history.first).to_contain_text("Redid: moved “Skills academy run by the clusters”")
    assert console.evaluate("document.querySelector('#board .history').reversed")  # #1 oldest
    console.locator("#board").evaluate("board => board.scrollIntoView()")
    screenshot(console, "console-redo-history")
