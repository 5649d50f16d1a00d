"""Real-browser fixtures: wsgi.py in a subprocess, Playwright driving Debian's Chromium.
Every page of every browser test runs under the app's Content-Security-Policy, and any
violation of it fails the test (no_csp_violations).

Skipped, with one line saying how to enable them, where there is no Chromium or no
Playwright (`apt-get install -y chromium`, or PLENARY_CHROMIUM=/path/to/chrome).
"""
import os
import shutil

import pytest

from live import LiveServer

CHROMIUM = os.environ.get("PLENARY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
              "device_scale_factor": 2},
    "projector": {"viewport": {"width": 1920, "height": 1080}},
    "console": {"viewport": {"width": 1440, "height": 900}},
}

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _why_unavailable():
    if sync_playwright is None:
        return "pip install playwright"
    if not os.path.exists(CHROMIUM):
        return (f"no Chromium at {CHROMIUM}: apt-get install -y chromium, "
                "or set PLENARY_CHROMIUM=/path/to/chrome")
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_unavailable()
    if not reason:
        return
    browser_items = [i for i in items if "tests/browser" in str(i.fspath).replace(os.sep, "/")]
    if browser_items:  # deselected, so the run reports them in one line below
        items[:] = [i for i in items if i not in browser_items]
        config.hook.pytest_deselected(items=browser_items)
        config._plenary_browser_skip = (f"{len(browser_items)} browser tests not run: {reason}")


def pytest_terminal_summary(terminalreporter, config):
    line = getattr(config, "_plenary_browser_skip", None)
    if line:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def browser_db(sqlite_template, tmp_path_factory):
    """Browser tests share one file SQLite database (a copy of the migrated template) and
    one live server."""
    path = tmp_path_factory.mktemp("browser") / "plenary.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def server(browser_db, tmp_path_factory):
    live = LiveServer(browser_db, SUGGEST_WARMUP="1").start(tmp_path_factory.mktemp("server-log"))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


# Each page reports a blocked inline style or script, eval, or a load from elsewhere
# to Python at once (a binding, so a page closed before the test ends still counts).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) =>
    window.__plenaryCspViolation(`${e.effectiveDirective} refused ${e.blockedURI || "?"} in `
        + `${e.sourceFile || document.URL}:${e.lineNumber} ${e.sample || ""}`), true);"""


@pytest.fixture(autouse=True)
def no_csp_violations(browser, monkeypatch):
    """Watches every browser context a test makes, through `pages` or browser.new_context."""
    violations, new_context = [], browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.expose_binding("__plenaryCspViolation",
                               lambda source, text: violations.append(text))
        context.add_init_script(CSP_LISTENER)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    assert not violations, f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def pages(browser, server):
    """open(kind, path) -> a page in a fresh context; fails the test on console errors,
    page errors or failed requests seen on any page."""
    contexts, problems = [], []

    def open_page(kind, path, expect_status=200):
        context = browser.new_context(**VIEWPORTS[kind])
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and not _expected_failure(m.text)
                and problems.append(f"{kind} console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"{kind} page error: {e}"))
        page.on("requestfailed", lambda r: _expected_failure(r.failure) or problems.append(
            f"{kind} request failed: {r.url} {r.failure}"))
        page.on("dialog", lambda d: (problems.append(f"{kind} dialog: {d.message}"), d.dismiss()))
        response = page.goto(server.url + path)
        assert response.status == expect_status, (path, response.status)
        return page

    yield open_page
    seen = list(problems)
    for context in contexts:
        context.close()
    assert not seen, seen


def _expected_failure(failure):
    # Offline mode (the Wi-Fi test) and a reload abort in-flight long-polling requests.
    return any(code in (failure or "") for code in ("ERR_INTERNET_DISCONNECTED", "ERR_ABORTED"))
