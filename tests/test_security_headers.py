"""Security headers (app/security_headers.py) on every kind of response: pages, redirects,
errors, JSON, static files, downloads and the printable roadmap; HSTS only in production."""
import re
from pathlib import Path

from app import create_app
from config import DevelopmentConfig, ProductionConfig, TestConfig

ROOT = Path(__file__).resolve().parents[1]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
FIXED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_secured(response, status):
    assert response.status_code == status, response.status_code
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    assert "Strict-Transport-Security" not in response.headers  # tests run on http


def test_every_kind_of_response_carries_the_headers(app, workshop):
    attendee, facilitator, organiser = app.test_client(), app.test_client(), app.test_client()
    code, wid = workshop["code"], workshop["id"]
    assert_secured(attendee.get("/"), 200)
    assert_secured(attendee.get(f"/join?code={code}"), 302)
    assert_secured(attendee.get(f"/j/{code}"), 200)
    assert_secured(attendee.get(f"/w/{code}/screen"), 403)              # refused page
    assert_secured(attendee.get(f"/api/workshops/{wid}/state"), 200)  # JSON
    assert_secured(attendee.get("/static/css/plenary.css"), 200)
    assert_secured(attendee.get("/no/such/page"), 404)                 # HTML error page
    assert_secured(attendee.get(f"/workshops/{wid}/roadmap"), 403)     # refused

    assert_secured(facilitator.get(f"/f/{workshop['token']}"), 302)
    assert_secured(facilitator.get(f"/w/{code}/console"), 200)
    assert_secured(facilitator.get(f"/w/{code}/screen"), 200)         # the projector
    assert_secured(facilitator.get(f"/workshops/{wid}/export.md"), 200)  # a download
    roadmap = facilitator.get(f"/workshops/{wid}/roadmap")               # printable page
    assert_secured(roadmap, 200)
    assert "<style" not in roadmap.text and " style=" not in roadmap.text
    assert " onclick=" not in roadmap.text

    assert_secured(organiser.get("/setup"), 200)
    assert_secured(organiser.post("/setup", data={"email": "ana@example.eu",
                                                   "password": "correct horse battery"}), 302)
    assert_secured(organiser.get("/organiser"), 200)
    assert_secured(app.test_client().get("/login"), 200)


def test_the_policy_allows_no_inline_or_eval_script_and_no_framing(app):
    csp = app.config["CONTENT_SECURITY_POLICY"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_a_deployment_can_change_the_policy(db_url):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url,
                     CONTENT_SECURITY_POLICY="default-src 'self' https://cdn.example.org")
    response = app.test_client().get("/")
    assert response.headers["Content-Security-Policy"] == \
        "default-src 'self' https://cdn.example.org"
    assert response.headers["X-Frame-Options"] == "DENY"


def app_as(config_class, db_url):
    """An app with these settings, on the threading server like the other tests."""
    variant = type(config_class.__name__, (config_class,), {"ASYNC_MODE": "threading",
                                                         "SECRET_KEY": "headers-test"})
    return create_app(variant, SQLALCHEMY_DATABASE_URI=db_url)


def test_hsts_for_a_year_in_production_only(db_url):
    production = app_as(ProductionConfig, db_url).test_client()
    for path in ("/", "/static/css/plenary.css", "/no/such/page"):
        response = production.get(path)
        assert response.headers["Strict-Transport-Security"] == \
            "max-age=31536000; includeSubDomains", path
        assert response.headers["Content-Security-Policy"] == CSP
    for config_class in (DevelopmentConfig, TestConfig):
        response = app_as(config_class, db_url).test_client().get("/")
        assert "Strict-Transport-Security" not in response.headers, config_class
        assert response.headers["Content-Security-Policy"] == CSP


def test_no_template_or_script_needs_what_the_policy_refuses():
    """Inline styles, <style>, inline handlers and inline scripts (a JSON data block is
    fine), HTML strings with them built in JavaScript, and eval."""
    for path in (ROOT / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=|<style|\son[a-z]+\s*=|javascript:", text), path.name
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert " src=" in tag or 'type="application/json"' in tag, (path.name, tag)
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|"
                             r"\beval\(|new Function|setAttribute\(\s*[\"']style", text), path.name
