"""axe-core on a room at full size (150 ideas, 12 themes, RTL and emoji text) in every phase,
on the projector (1280x720) and on a phone: no serious or critical WCAG 2.x A/AA finding.
The console is checked the same way in test_console_layout.py."""
import pytest
from playwright.sync_api import expect

from browser_support import axe_violations
from full_room import full_room

PHASES = ["collecting", "grouping", "voting", "results", "closed"]


@pytest.mark.parametrize("phase", PHASES)
def test_projector_and_phone_of_a_full_room_are_accessible_in_every_phase(
        browser, server, browser_db, phase):
    room = full_room(browser_db, phase=phase)
    for size, path in (({"width": 1280, "height": 720}, f"/p/{room['screen_token']}"),
                       ({"width": 390, "height": 844}, f"/j/{room['code']}")):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        page.goto(server.url + path)
        if phase == "closed":  # both say the workshop has ended (the phone, its matches)
            expect(page.locator("h1")).to_have_text("This workshop has ended")
        else:
            expect(page.locator("#phase, #phase-banner").first).not_to_have_text("Connecting…")
            page.wait_for_timeout(300)  # the projector's first layout pass
        assert axe_violations(page) == [], (phase, path)
        context.close()
