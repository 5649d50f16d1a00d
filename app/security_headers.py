"""Security headers on every response Flask makes: pages, errors, JSON, downloads, static
files. The Content-Security-Policy and the HSTS lifetime come from app.config
(CONTENT_SECURITY_POLICY, HSTS_SECONDS in config.py) so a deployment can change them; the
other headers are fixed here. docs/PRIVACY.md says why each one is there.

Socket.IO's own HTTP answers (the /socket.io/ long-polling and websocket handshake) are
served by the Engine.IO middleware before Flask and so get none of these: they are not
pages and cannot be framed or run as scripts, so nothing is lost."""
from flask import Flask, Response, current_app

HEADERS = {
    # Never inside a frame (older browsers; CSP's frame-ancestors 'none' says it again).
    "X-Frame-Options": "DENY",
    # Served types are final: no guessing a download or an idea's text into a script.
    "X-Content-Type-Options": "nosniff",
    # The facilitator link (/f/<token>) and published results (/r/<token>) carry secrets in
    # their URLs: no URL at all goes to another site. Not no-referrer: over HTTPS
    # Flask-WTF's CSRF check wants a same-origin Referer on every form post.
    "Referrer-Policy": "same-origin",
    # Plenary needs no camera, microphone or location; no script may ask for them.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    # A page opened from elsewhere gets no handle on ours (window.opener), and vice versa.
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    """setdefault: a view that sets one of these headers itself keeps its own value."""
    config = current_app.config
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if config["CONTENT_SECURITY_POLICY"]:
        response.headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    if config["HSTS_SECONDS"]:
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={config['HSTS_SECONDS']}; includeSubDomains")
    return response
