"""Doors in the real browser: the projector needs a grant, the venue PC's projector link
works until the facilitator replaces it from the console, and the cut-off screen says why."""
import requests
from playwright.sync_api import expect

from browser_support import new_workshop, screenshot

IDEAS = ["Shared testbeds for SMEs", "A cluster passport"]


def test_the_facilitator_replaces_the_projector_link_and_the_venue_pc_is_told(
        pages, browser_db, server):
    workshop = new_workshop(browser_db, ideas=IDEAS)
    assert requests.get(f"{server.url}/w/{workshop['code']}/screen").status_code == 403
    venue_pc = pages("projector", f"/p/{workshop['screen_token']}")
    expect(venue_pc.locator("#wall")).to_contain_text(IDEAS[0])
    expect(venue_pc.locator("#join-code")).to_have_text(workshop["code"])

    console = pages("console", f"/f/{workshop['token']}")
    expect(console.locator("#conn")).to_have_text("Connected")
    console.locator(".projector-link summary").click()
    link = console.locator("#projector-link")
    expect(link).to_have_value(f"{console.url.split('/w/')[0]}/p/{workshop['screen_token']}")
    console.get_by_role("button", name="Replace projector link").click()
    expect(console.locator(".flash-success")).to_contain_text("New projector link")
    expect(console.locator("#conn")).to_have_text("Connected")  # the console is not cut off

    notice = venue_pc.locator("#offline")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This projector link was replaced")
    # the cut-off screen shows neither the ideas nor the join code any more
    expect(venue_pc.locator("#wall")).not_to_contain_text(IDEAS[0])
    expect(venue_pc.locator("#join-code")).to_be_hidden()
    venue_pc.wait_for_timeout(1500)  # and it does not come back by itself
    expect(notice).to_contain_text("This projector link was replaced")
    screenshot(venue_pc, "projector-link-replaced")

    # the console's "Open projector screen" still works, with the new link in the page
    new_link = console.locator("#projector-link").input_value()
    assert new_link.rsplit("/p/", 1)[1] != workshop["screen_token"]
    fresh = pages("projector", "/p/" + new_link.rsplit("/p/", 1)[1])
    expect(fresh.locator("#wall")).to_contain_text(IDEAS[1])
