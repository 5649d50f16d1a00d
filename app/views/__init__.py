"""Blueprints: pages for people, the JSON API, exports; errors as HTML or JSON."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..services.errors import DomainError


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json or \
        request.accept_mimetypes.best == "application/json"


def register_blueprints(app) -> None:
    from . import api, event_admin, exports, health, organiser, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(organiser.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(event_admin.bp)
    app.register_blueprint(health.bp)

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
