"""Pages for attendees, the projector and the facilitator."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import identity, vocabulary
from ..extensions import db
from ..i18n import js_strings
from ..realtime import broadcast
from ..export.qr import qr_svg
from ..services import workshops
from . import page_cache

bp = Blueprint("pages", __name__)


def join_url(workshop) -> str:
    from flask import current_app
    base = current_app.config["PUBLIC_URL"] or request.host_url.rstrip("/")
    return f"{base}/j/{workshop.code}"


def open_workshop_or_page(code):
    """The workshop for a code, or the friendly page explaining why there is none."""
    workshop = workshops.find_by_code(code)
    if workshop is None:
        return None, (render_template(
            "error.html", title=_("Unknown join code"),
            message=_("There is no workshop with the code “%(code)s”. "
                      "Check the code on the screen and try again.", code=code),
            show_join=True), 404)
    if workshops.is_closed(workshop):
        return None, (render_template(
            "error.html", title=_("This workshop has ended"),
            message=_("“%(title)s” is closed. Thank you for taking part!", title=workshop.title),
            show_join=True, matches=_my_matches(workshop)), 410)
    return workshop, None


def _my_matches(workshop) -> dict | None:
    """An opted-in attendee still sees the people suggested to them after the end."""
    from ..services import matches, participants
    token = identity.participant_token()
    participant = participants.find(workshop.id, token) if token else None
    if participant is None or workshop.event.deleted_at is not None:
        return None
    found = matches.for_attendee(workshop, participant)
    return found if found["opted_in"] else None


def page_config(workshop, role: str) -> dict:
    from flask import current_app
    return {"workshopId": workshop.id, "code": workshop.code, "role": role,
            "transports": current_app.config["SOCKETIO_TRANSPORTS"],
            "joinUrl": join_url(workshop),
            "screenUrl": url_for("pages.screen", code=workshop.code),
            "strings": js_strings(), "vocabulary": vocabulary.for_clients()}


@bp.get("/")
def home():
    return render_template("index.html")


@bp.get("/join")
def join_form():
    code = workshops.normalise_code(request.args.get("code", ""))
    if not code:
        flash(_("Type the join code shown on the screen."), "error")
        return redirect(url_for("pages.home"))
    return redirect(url_for("pages.phone", code=code))


@bp.get("/j/<code>")
def phone(code):
    workshop, refusal = open_workshop_or_page(code)
    if refusal:
        return refusal
    if code != workshop.code:
        return redirect(url_for("pages.phone", code=workshop.code))
    identity.grant_attendee(workshop)  # this browser may take part in this workshop only
    key = ("phone", workshop.id, workshop.code, workshop.title, workshop.question,
           workshop.event.title, workshop.event.personal_data_erased_at is not None,
           str(get_locale()), join_url(workshop))
    return page_cache.cached(key, lambda: render_template(
        "phone.html", workshop=workshop, config=page_config(workshop, "attendee")))


@bp.get("/w/<code>/screen")
def screen(code):
    workshop, refusal = open_workshop_or_page(code)
    if refusal:
        return refusal
    if not identity.can_show_screen(workshop):
        return render_template(
            "error.html", title=_("Projector screens only"),
            message=_("Open the projector from the facilitator's console, or with the "
                      "projector link the facilitator or organiser gave you.")), 403
    url = join_url(workshop)
    from markupsafe import Markup
    return render_template("screen.html", workshop=workshop, join_url=url,
                           qr_svg=Markup(qr_svg(url)), config=page_config(workshop, "screen"))


@bp.get("/w/<code>/console")
def console(code):
    workshop = workshops.find_by_code(code)
    if workshop is None:
        abort(404)
    if not identity.can_facilitate(workshop):
        return render_template(
            "error.html", title=_("Facilitators only"),
            message=_("Open the facilitator link the organiser gave you, or log in as organiser."),
        ), 403
    return render_template(
        "console.html", workshop=workshop, config=page_config(workshop, "facilitator"),
        screen_url=url_for("pages.screen", code=workshop.code), join_url=join_url(workshop),
        projector_link=url_for("pages.projector_link", token=workshop.screen_token,
                               _external=True),
        roadmap_url=url_for("exports.workshop_page", workshop_id=workshop.id),
        export_urls={fmt: url_for("exports.workshop_export", workshop_id=workshop.id, fmt=fmt)
                     for fmt in ("pdf", "md", "csv", "json")})


def _link_not_valid(message: str):
    return render_template("error.html", title=_("Link no longer valid"), message=message), 404


@bp.get("/f/<token>")
def facilitator_link(token):
    workshop = workshops.find_by_facilitator_token(token)
    if workshop is None:
        return _link_not_valid(_("This facilitator link is unknown or was replaced by a new "
                                 "one. Ask the organiser for the current link."))
    identity.grant_facilitator(workshop)
    return redirect(url_for("pages.console", code=workshop.code))


@bp.get("/p/<token>")
def projector_link(token):
    """The projector link for a venue PC: shows this workshop's screen, nothing else, until
    the facilitator or the organiser replaces it."""
    workshop = workshops.find_by_screen_token(token)
    if workshop is None or workshop.event.deleted_at is not None:
        return _link_not_valid(_("This projector link is unknown or was replaced by a new "
                                 "one. Ask the facilitator for the current link."))
    identity.grant_projector(workshop)
    return redirect(url_for("pages.screen", code=workshop.code))


@bp.post("/w/<code>/console/projector-link")
def replace_projector_link(code):
    """The facilitator replaces the projector link: screens opened with the old one stop."""
    workshop = workshops.find_by_code(code)
    if workshop is None or not identity.can_facilitate(workshop):
        abort(404)
    workshops.rotate_screen_token(workshop)
    db.session.commit()
    broadcast.projector_link_replaced(workshop.id)
    flash(_("New projector link: screens opened with the old one were disconnected."),
          "success")
    return redirect(url_for("pages.console", code=workshop.code))
