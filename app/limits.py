"""Guessing limits: how many wrong join codes, passwords and links one client may try.

ENDPOINTS says which rules each view counts against (endpoints naming the same rule share
one count); RULES says what each rule counts, per which key, with which limit (a setting in
config.py). To limit a new view, add a line to ENDPOINTS (and a rule if none fits).
docs/PRIVACY.md ("Guessing limits") explains the numbers.

Attendee paths count FAILURES only (deduct_when): a venue puts hundreds of phones behind
one NAT address, and their right codes must never use up the address's allowance. Once a
count is used up, every request of that rule and key is refused (429) until the window
ends, the right code or password too: otherwise a 429 would mean "wrong" and a 200 "right",
and guessing would simply go on.
"""
import dataclasses
import hashlib
import hmac
import ipaddress
import math
import time
from typing import Callable

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many

from .extensions import LIMITER_KEY, new_limiter
from .views import wants_json

# endpoint, or "blueprint.*" for all of a blueprint's views -> the rules it counts against
ENDPOINTS = {
    "pages.phone": ("join-code",),              # /j/<code>
    "pages.join_form": ("join-code",),          # /join?code= (redirects to /j/<code>)
    "pages.screen": ("join-code",),             # /w/<code>/screen: 404 for unknown codes too
    "pages.console": ("join-code",),            # /w/<code>/console: likewise
    "organiser.login": ("login-ip", "login-account"),
    "organiser.setup": ("setup",),
    "pages.facilitator_link": ("facilitator-link",),  # /f/<token>
    "pages.projector_link": ("facilitator-link",),    # /p/<token>: the same kind of secret
    "exports.published_page": ("published-results",),  # /r/<token>
    "exports.published_export": ("published-results",),  # /r/<token>/export.<fmt>
    "api.*": ("api-refusals",),                 # /api/workshops/<id>/...
}


def client_network() -> str:
    """The client's address (see TRUSTED_PROXIES behind a proxy). An IPv6 client counts by
    its /64: one machine usually has a whole /64 to itself and could otherwise make up a
    fresh address for every guess."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def account_key() -> str:
    """The account a login names (its email as login normalises it), keyed by an HMAC so the
    limiter's storage holds no email addresses. Unknown emails are counted exactly like
    known ones: a lock must not tell which accounts exist."""
    email = (request.form.get("email") or "").strip().lower()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), email.encode(),
                      hashlib.sha256).hexdigest()
    return f"account-{digest[:32]}"


def _join_code(minutes: int) -> str:
    return ngettext("Too many unknown join codes from your network. Please wait %(num)d minute, "
                    "then check the code on the screen and try again.",
                    "Too many unknown join codes from your network. Please wait %(num)d "
                    "minutes, then check the code on the screen and try again.", minutes)


def _account(minutes: int) -> str:
    return ngettext("Too many failed attempts for this account; try again in %(num)d minute.",
                    "Too many failed attempts for this account; try again in %(num)d minutes.",
                    minutes)


def _login_network(minutes: int) -> str:
    return ngettext("Too many failed logins from your network; try again in %(num)d minute.",
                    "Too many failed logins from your network; try again in %(num)d minutes.",
                    minutes)


def _attempts(minutes: int) -> str:
    return ngettext("Too many attempts from your network; please wait %(num)d minute and "
                    "try again.",
                    "Too many attempts from your network; please wait %(num)d minutes and "
                    "try again.", minutes)


@dataclasses.dataclass(frozen=True)
class Rule:
    setting: str                        # config key with the limit, e.g. "30/minute;300/hour"
    counts: tuple[int, ...] | None      # answer statuses that count; None: every request
    message: Callable[[int], str] = _attempts   # the 429 text, given the minutes to wait
    key: Callable[[], str] = client_network      # whose count: the client's address by default
    methods: tuple[str, ...] | None = None       # None: every method

    def deduct_when(self):
        if self.counts is None:
            return None
        counts = self.counts
        return lambda response: response.status_code in counts


RULES = {
    "join-code": Rule("LIMIT_JOIN_CODES", counts=(404,), message=_join_code),
    "login-ip": Rule("LIMIT_LOGIN_IP", counts=(401,), message=_login_network,
                     methods=("POST",)),
    "login-account": Rule("LIMIT_LOGIN_ACCOUNT", counts=(401,), message=_account,
                          key=account_key, methods=("POST",)),
    "setup": Rule("LIMIT_SETUP", counts=None, methods=("POST",)),
    "facilitator-link": Rule("LIMIT_FACILITATOR_LINKS", counts=(404,)),
    "published-results": Rule("LIMIT_PUBLISHED_RESULTS", counts=(404,)),
    "api-refusals": Rule("LIMIT_API_REFUSALS", counts=(403, 404)),
}


def storage_uri(message_queue_url: str | None) -> str:
    """Redis when the workers already share one (counts then hold across workers)."""
    if message_queue_url and message_queue_url.startswith(("redis://", "rediss://")):
        return message_queue_url
    return "memory://"


def init_app(app: Flask) -> None:
    """Bind a limiter to `app` and put the rules on its views (after register_blueprints)."""
    config = app.config
    if config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config["TRUSTED_PROXIES"])
    if not config["RATELIMIT_ENABLED"]:
        return
    if not config.get("RATELIMIT_STORAGE_URI"):
        config["RATELIMIT_STORAGE_URI"] = storage_uri(config["MESSAGE_QUEUE_URL"])
    if not config.get("RATELIMIT_KEY_PREFIX"):
        config["RATELIMIT_KEY_PREFIX"] = config["MESSAGE_QUEUE_CHANNEL"]
    limiter = new_limiter()
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter

    for pattern, names in ENDPOINTS.items():
        endpoints = _matching(app, pattern)
        for endpoint in endpoints:
            view = app.view_functions[endpoint]
            limited = view
            for name in names:
                rule = RULES[name]
                value = config[rule.setting]
                if not value:
                    continue
                parse_many(value)  # a malformed setting fails at start-up, not per request
                # Every limit registers under the view's qualified name; the one wrapper
                # checks them all. The rule's name is its scope, shared by its endpoints.
                limited = limiter.shared_limit(
                    value, scope=name, key_func=rule.key, methods=rule.methods,
                    deduct_when=rule.deduct_when())(view)
            app.view_functions[endpoint] = limited

    app.register_error_handler(RateLimitExceeded, too_many_attempts)


def _matching(app: Flask, pattern: str) -> list[str]:
    if pattern.endswith(".*"):
        prefix = pattern[:-1]
        endpoints = [e for e in app.view_functions if e.startswith(prefix)]
    else:
        endpoints = [pattern] if pattern in app.view_functions else []
    if not endpoints:  # a renamed view must not silently lose its limit
        raise RuntimeError(f"app/limits.py: no view matches {pattern!r}")
    return endpoints


def too_many_attempts(error: RateLimitExceeded):
    """429, as a page or as JSON, with the wait in words and in Retry-After."""
    try:
        reset_at = current_app.extensions[LIMITER_KEY].current_limit.reset_at
    except Exception:  # the storage went away in between: a minute is a fair guess
        reset_at = time.time() + 60
    seconds = max(1, math.ceil(reset_at - time.time()))
    rule = RULES.get(error.limit.scope)
    minutes = max(1, math.ceil((seconds - 1) / 60))  # reset_at rounds up a second
    message = (rule.message if rule else _attempts)(minutes)
    if wants_json():
        response = jsonify(ok=False, error=message)
    else:
        response = current_app.make_response(render_template(
            "error.html", title=_("Too many attempts"), message=message,
            show_join=error.limit.scope == "join-code"))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response
