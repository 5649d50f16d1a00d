"""SOCKETIO_TRANSPORTS=websocket: no long-polling, so a load balancer needs no sticky
sessions. The server refuses a polling handshake and the pages tell the browser client."""
import json
import re

import pytest

from app import create_app
from config import transports
from helpers import make_workshop

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def page_config(http, path):
    html = http.get(path).get_data(as_text=True)
    found = re.search(r'<script[^>]*id="plenary-config"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_by_default_clients_start_with_polling_and_upgrade(app, workshop):
    http = app.test_client()
    response = http.get(HANDSHAKE)
    assert response.status_code == 200
    assert '"upgrades":["websocket"]' in response.get_data(as_text=True)
    assert page_config(http, f"/j/{workshop['code']}")["transports"] == ["polling", "websocket"]


def test_websocket_only_refuses_a_polling_handshake_and_pages_say_so(db_url, app):
    ws_only = create_app("test", SQLALCHEMY_DATABASE_URI=db_url, SOCKETIO_TRANSPORTS=["websocket"])
    workshop = make_workshop(ws_only)
    http = ws_only.test_client()
    assert http.get(HANDSHAKE).status_code == 400
    http.get(f"/p/{workshop['screen_token']}")  # the projector link grants the screen
    for path in (f"/j/{workshop['code']}", f"/w/{workshop['code']}/screen"):
        assert page_config(http, path)["transports"] == ["websocket"]


def test_the_setting_reads_one_or_two_transport_names_and_refuses_others():
    assert transports(None) == transports("") == ["polling", "websocket"]
    assert transports("websocket") == ["websocket"]
    assert transports(" polling , websocket ") == ["polling", "websocket"]
    for wrong in ("websockets", ",", "comet,websocket"):
        with pytest.raises(RuntimeError, match="SOCKETIO_TRANSPORTS must be"):
            transports(wrong)
