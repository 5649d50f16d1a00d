"""Organiser pages: first-run setup, login, dashboard, events and workshops."""
import functools
import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from .. import identity
from ..export.qr import qr_svg
from ..extensions import db
from ..models import Workshop
from ..realtime import broadcast
from ..services import access, accounts, board, workshops
from ..services.errors import DomainError, NotFound

bp = Blueprint("organiser", __name__)


def organiser_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if identity.current_organiser() is None:
            if not accounts.has_organiser():
                return redirect(url_for("organiser.setup"))
            return redirect(url_for("organiser.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def _int_field(name: str, default: int):
    raw = request.form.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise DomainError(_("Please enter whole numbers for the votes.")) from None


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if accounts.has_organiser():
        flash(_("Plenary is already set up. Log in as organiser."), "success")
        return redirect(url_for("organiser.login"))
    if request.method == "POST":
        try:
            organiser = accounts.create_organiser(request.form.get("email", ""),
                                                  request.form.get("password", ""))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            return render_template("setup.html", error=error.message, form=request.form), 400
        identity.log_in(organiser)
        flash(_("Welcome! Create your first event."), "success")
        return redirect(url_for("organiser.dashboard"))
    return render_template("setup.html", form={})


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not accounts.has_organiser():
        return redirect(url_for("organiser.setup"))
    if request.method == "POST":
        organiser = accounts.authenticate(request.form.get("email", ""),
                                          request.form.get("password", ""))
        if organiser is None:
            return render_template("login.html", error=_("Wrong email or password."),
                                   form=request.form), 401
        identity.log_in(organiser)
        return redirect(safe_next(request.args.get("next"))
                        or url_for("organiser.dashboard"))
    return render_template("login.html", form={})


@bp.post("/logout")
def logout():
    identity.log_out()
    return redirect(url_for("pages.home"))


def safe_next(target) -> str | None:
    """A same-site path to go to after login, or None. Browsers drop tabs and newlines and
    read a backslash as a slash, so "/\t/evil.example" would leave the site."""
    if not isinstance(target, str) or not _SAME_SITE_PATH.fullmatch(target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


_SAME_SITE_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*")


@bp.get("/organiser")
@organiser_required
def dashboard():
    organiser = identity.current_organiser()
    everything = access.all_events() if organiser.is_admin else None
    return render_template("dashboard.html", events=access.events_of(organiser),
                           all_events=everything)


@bp.post("/organiser/events")
@organiser_required
def create_event():
    try:
        event = workshops.create_event(request.form.get("title", ""),
                                       identity.current_organiser().id)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("organiser.dashboard"))
    return redirect(url_for("organiser.event", event_id=event.id))


@bp.get("/organiser/events/<int:event_id>")
@organiser_required
def event(event_id):
    organiser = identity.current_organiser()
    event_ = access.event_for(organiser, event_id)
    from ..services import recurring
    themes = {t.id: t for w in event_.workshops for t in board.themes_of(w.id)}
    titles = {w.id: w.title for w in event_.workshops}
    proposals = [{**p, "themes": [(themes[i], titles[themes[i].workshop_id])
                                  for i in p["theme_ids"]]} for p in recurring.suggest(event_)]
    from ..services import privacy
    from .pages import join_url
    joins = {w.id: join_url(w) for w in event_.workshops}
    return render_template("event.html", event=event_, linked=recurring.of_event(event_),
                           join_urls=joins, qr_svgs={i: Markup(qr_svg(url))
                                                     for i, url in joins.items()},
                           proposals=proposals, team=access.team_of(event_),
                           stored_again=privacy.holders(event_)
                           if event_.personal_data_erased_at else 0,
                           my_role=access.role_in_event(event_.id, organiser),
                           current_organiser_id=organiser.id)


@bp.post("/organiser/events/<int:event_id>/workshops")
@organiser_required
def create_workshop(event_id):
    event_ = access.event_for(identity.current_organiser(), event_id)
    try:
        workshop = workshops.create_workshop(
            event_, request.form.get("title", ""), request.form.get("question", ""),
            vote_budget=_int_field("vote_budget", 5), vote_cap=_int_field("vote_cap", 1))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("organiser.event", event_id=event_id))
    flash(_("Workshop “%(title)s” created. Join code: %(code)s", title=workshop.title,
            code=workshop.code), "success")
    return redirect(url_for("organiser.event", event_id=event_id))


@bp.post("/organiser/workshops/<int:workshop_id>/rotate-link")
@organiser_required
def rotate_link(workshop_id):
    return _replace_link(workshop_id, workshops.rotate_facilitator_token,
                         broadcast.facilitator_link_replaced,
                         _("New facilitator link for “%(title)s”: the old one no longer works."))


@bp.post("/organiser/workshops/<int:workshop_id>/rotate-projector-link")
@organiser_required
def rotate_projector_link(workshop_id):
    return _replace_link(workshop_id, workshops.rotate_screen_token,
                         broadcast.projector_link_replaced,
                         _("New projector link for “%(title)s”: the old one no longer works."))


def _replace_link(workshop_id: int, rotate, announce, done: str):
    """A new secret link; the old one stops working at once, on open sockets too."""
    workshop = _organised_workshop(workshop_id)
    rotate(workshop)
    db.session.commit()
    announce(workshop.id)
    flash(done % {"title": workshop.title}, "success")
    return redirect(url_for("organiser.event", event_id=workshop.event_id))


def _organised_workshop(workshop_id: int):
    """A workshop of an event this organiser runs; 404 for anyone else's."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound(_("This workshop does not exist."))
    access.event_for(identity.current_organiser(), workshop.event_id)
    return workshop


# Printed ways in: a join poster, table cards, all the event's posters (PDF) ----------------
# The PDF library (fpdf2, ~25 MB) loads with the first printout, not in every serving process.
def _join_sheet(workshop):
    from ..export.join_poster import JoinSheet
    from .pages import join_url
    return JoinSheet(workshop.title, workshop.question or "", join_url(workshop),
                                 workshop.code, workshop.event.title)


def _printouts():
    from ..export import join_poster
    return join_poster


def _join_labels() -> dict:
    return {"scan": _("Scan to join"), "or_go": _("or open {url}"), "code": _("Code: {code}")}


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/organiser/workshops/<int:workshop_id>/join-poster.pdf")
@organiser_required
def join_poster_pdf(workshop_id):
    workshop = _organised_workshop(workshop_id)
    return _pdf(_printouts().poster_pdf([_join_sheet(workshop)], _join_labels()),
                f"plenary-join-poster-{workshop.code}.pdf")


@bp.get("/organiser/workshops/<int:workshop_id>/table-cards.pdf")
@organiser_required
def table_cards_pdf(workshop_id):
    workshop = _organised_workshop(workshop_id)
    return _pdf(_printouts().table_cards_pdf(_join_sheet(workshop), _join_labels()),
                f"plenary-table-cards-{workshop.code}.pdf")


@bp.get("/organiser/events/<int:event_id>/join-posters.pdf")
@organiser_required
def event_posters_pdf(event_id):
    event_ = access.event_for(identity.current_organiser(), event_id)
    if not event_.workshops:
        raise NotFound(_("This event has no workshops yet."))
    return _pdf(_printouts().poster_pdf([_join_sheet(w) for w in event_.workshops],
                                       _join_labels()), f"plenary-join-posters-{event_.id}.pdf")
