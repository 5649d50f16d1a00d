"""Behind a load balancer without sticky sessions (SOCKETIO_TRANSPORTS=websocket), the real
browser client connects over a websocket straight away and never long-polls."""
from playwright.sync_api import expect

from browser_support import new_workshop
from conftest import ARGS, CHROMIUM, VIEWPORTS  # noqa: F401 - same browser set-up
from live import LiveServer


def test_phone_talks_websocket_only_when_the_server_allows_nothing_else(
        browser, browser_db, tmp_path):
    server = LiveServer(browser_db, SOCKETIO_TRANSPORTS="websocket",
                        SUGGEST_WARMUP="0").start(tmp_path)
    context = browser.new_context(**VIEWPORTS["phone"])
    try:
        workshop = new_workshop(browser_db)
        phone = context.new_page()
        polls, sockets, errors = [], [], []
        phone.on("request", lambda r: "transport=polling" in r.url and polls.append(r.url))
        phone.on("websocket", lambda ws: sockets.append(ws.url))
        phone.on("pageerror", lambda e: errors.append(str(e)))
        phone.goto(f"{server.url}/j/{workshop['code']}")
        projector = context.new_page()
        projector.goto(f"{server.url}/p/{workshop['screen_token']}")
        phone.fill("#idea-text", "Open data on cluster members, one register per region")
        phone.click("#send")
        expect(projector.locator("#wall")).to_contain_text("Open data on cluster members")
        expect(phone.locator(".idea.mine .status-saved")).to_have_count(1)
        assert sockets and all("transport=websocket" in url for url in sockets), sockets
        assert polls == [] and errors == []
    finally:
        context.close()
        server.stop()
