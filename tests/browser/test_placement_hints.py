"""Live placement in a real browser: an idea posted from a phone gets a suggested theme on
the console ("→ theme"), one click (or Enter) puts it there, on the projector too; nothing
moves by itself, and "×" dismisses a hint."""
from playwright.sync_api import expect

from browser_support import add_theme, move_to, new_workshop, screenshot
from test_screens import post

ENERGY = ["Renewable energy communities for SMEs", "Solar energy communities in industrial parks",
          "Energy communities sharing solar storage"]
TRAINING = ["Dual vocational training in companies",
            "Vocational training with more company practice"]
NEW = "Cheaper electricity for firms that share solar panels"


def test_a_posted_idea_gets_a_theme_hint_that_one_click_accepts(pages, browser_db):
    workshop = new_workshop(browser_db, phase="collecting", ideas=ENERGY + TRAINING)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")
    console.click('.view-switch [data-view="board"]')
    for name in ("Energy", "Training"):
        add_theme(console, name)
    inbox = console.locator('.board-list[data-theme-id="none"]')
    for text, theme in ((ENERGY[0], "Energy"), (ENERGY[1], "Energy"), (TRAINING[0], "Training")):
        move_to(console, inbox.locator(".board-card", has_text=text), theme)
    expect(inbox.locator(".board-card")).to_have_count(2)

    post(phone, NEW)
    card = inbox.locator(".board-card", has_text=NEW)
    accept = card.get_by_role("button", name="Put in Energy")
    expect(accept).to_be_visible(timeout=10_000)
    expect(accept).to_have_text("→ Energy")
    expect(card.locator(".place-hint bdi")).to_have_text("Energy")
    screenshot(console, "console-placement-hint")
    chip, box = (card.locator(".place-hint").bounding_box(), card.bounding_box())
    assert box["x"] <= chip["x"] and chip["x"] + chip["width"] <= box["x"] + box["width"] + 0.5
    expect(inbox.locator(".board-card")).to_have_count(3)  # hinted, not moved

    accept.focus()  # a button: reachable with Tab, Enter accepts
    console.keyboard.press("Enter")
    expect(console.locator('.board-list:not([data-theme-id="none"]) .board-card',
                           has_text=NEW)).to_have_count(1)
    expect(inbox.locator(".board-card", has_text=NEW)).to_have_count(0)
    console.click('[data-phase="grouping"]')  # collecting shows the newest ideas, not themes
    column = projector.locator(".theme-column", has_text="Energy")
    expect(column.locator(".card-idea", has_text=NEW)).to_have_count(1)

    other = inbox.locator(".board-card", has_text=TRAINING[1])
    dismiss = other.locator(".place-dismiss")
    expect(dismiss).to_be_visible(timeout=10_000)
    expect(other.locator(".place-accept")).to_have_attribute("aria-label", "Put in Training")
    dismiss.click()
    expect(other.locator(".place-hint")).to_have_count(0)
    expect(inbox.locator(".board-card", has_text=TRAINING[1])).to_have_count(1)
    expect(console.locator(f'[data-focus-key="move-{other.get_attribute("data-idea-id")}"]')) \
        .to_be_focused()
