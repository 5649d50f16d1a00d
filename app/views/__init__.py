"""Blueprints: pages for people, the JSON API, exports; errors as HTML or JSON."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter

from ..services.errors import DomainError, InvalidInput
from ..services.validation import MAX_ID, check_json


class IdConverter(IntegerConverter):
    """`<int:…>` in every URL: at most MAX_ID, so a number no database integer holds
    (/api/workshops/10000000000000000000000000000000/state) is a 404 like any unknown id,
    not an OverflowError when it is bound to a query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json or \
        request.accept_mimetypes.best == "application/json"


def json_body():
    """The request's JSON body, checked like a socket payload (validation.check_json:
    valid Unicode, finite numbers, not nested too deeply); None when the request does not
    say it is JSON (a form post)."""
    if not request.is_json:
        return None
    try:
        payload = request.get_json()
    except BadRequest:
        raise InvalidInput("The body is not valid JSON.") from None
    except RecursionError:  # json gives up on a few thousand nested brackets
        raise InvalidInput("The body is nested too deeply.") from None
    check_json(payload)
    return payload


def register_blueprints(app) -> None:
    from . import api, event_admin, exports, health, meetings, organiser, pages

    app.url_map.converters["int"] = IdConverter  # before any rule is added
    app.register_blueprint(pages.bp)
    app.register_blueprint(organiser.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(event_admin.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(meetings.bp)

    @app.errorhandler(DomainError)
    def domain_error(error):
        if wants_json():
            return jsonify(ok=False, error=error.message), error.status
        return render_template("error.html", title=_("Sorry"), message=error.message), \
            error.status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("The form expired. Please go back, reload the page and try again.")
        if wants_json():
            return jsonify(ok=False, error=message), 400
        return render_template("error.html", title=_("Form expired"), message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        messages = {
            404: _("This page does not exist."),
            405: _("This method is not allowed here."),
            413: _("The request is too large (at most %(kb)d KB).",
                   kb=app.config["MAX_CONTENT_LENGTH"] // 1024),
        }
        message = messages.get(error.code, error.description)
        if wants_json():
            return jsonify(ok=False, error=message), error.code
        return render_template("error.html", title=error.name, message=message), error.code

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unhandled error")
        from ..extensions import db
        db.session.rollback()
        message = _("Something went wrong on the server; nothing was changed.")
        if wants_json():
            return jsonify(ok=False, error=message), 500
        return render_template("error.html", title=_("Server error"), message=message), 500
