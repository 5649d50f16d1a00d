"""English, Spanish and Catalan/Valencian: pages, script strings and error acks."""
import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.extensions import socketio
from app.i18n import LANGUAGES
from helpers import new_client_id

CATALOGUES = Path(__file__).resolve().parent.parent / "app" / "translations"


def page_config(html):
    return json.loads(re.search(r'id="plenary-config" type="application/json">(.*?)</script>',
                                html, re.S).group(1))


@pytest.mark.parametrize("header, lang, words", [
    ("ca-ES-valencia,ca;q=0.9", "ca", "La teua idea"),
    ("es-ES,es;q=0.9,en;q=0.5", "es", "Tu idea"),
    ("de-DE,fr;q=0.8", "en", "Your idea"),
])
def test_phone_page_follows_the_browser_language(app, workshop, header, lang, words):
    html = app.test_client().get(f"/j/{workshop['code']}",
                                 headers={"Accept-Language": header}).text
    assert f'<html lang="{lang}">' in html and words in html


def test_switcher_choice_sticks_and_reaches_the_scripts(app, workshop):
    client = app.test_client()
    html = client.get(f"/j/{workshop['code']}?lang=ca",
                      headers={"Accept-Language": "es"}).text
    assert page_config(html)["strings"]["banner.collecting"] == "Envia les teues idees"
    client.get(f"/p/{workshop['screen_token']}")  # this browser is also the projector
    again = client.get(f"/w/{workshop['code']}/screen", headers={"Accept-Language": "es"}).text
    assert '<html lang="ca">' in again and "i escriu el codi" in again
    assert '<html lang="en">' in client.get("/?lang=en").text


def test_error_acks_speak_the_phone_language_and_ideas_are_never_translated(app, workshop):
    http = app.test_client()
    http.get(f"/j/{workshop['code']}?lang=es")
    phone = socketio.test_client(app, flask_test_client=http)
    assert phone.emit("workshop.join", {"workshop_id": workshop["id"], "role": "attendee"},
                      callback=True)["ok"]
    ack = phone.emit("idea.post", {"workshop_id": workshop["id"], "client_id": new_client_id(),
                                   "text": "  "}, callback=True)
    assert ack == {"ok": False, "error": "La idea está vacía: escribe algo primero."}
    text = "Cluster exchange programme — please keep my English"
    ack = phone.emit("idea.post", {"workshop_id": workshop["id"], "client_id": new_client_id(),
                                   "text": text}, callback=True)
    assert ack["idea"]["text"] == text
    phone.disconnect()


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated(lang):
    template = {m.id for m in read_po(open(CATALOGUES / "messages.pot", "rb")) if m.id}
    catalogue = read_po(open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb"))
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy
                  and all(m.string if isinstance(m.string, tuple) else [m.string])}
    assert template - translated == set()


def test_script_strings_exist_in_every_language(app):
    from app.i18n import js_strings
    keys = None
    for lang in LANGUAGES:
        with app.test_request_context(f"/?lang={lang}"):
            strings = js_strings()
        keys = keys or set(strings)
        assert set(strings) == keys
        placeholders = {k: set(re.findall(r"\{\w+\}", v)) for k, v in strings.items()}
        with app.test_request_context("/?lang=en"):
            english = {k: set(re.findall(r"\{\w+\}", v)) for k, v in js_strings().items()}
        assert placeholders == english  # a translation keeps every {placeholder}
