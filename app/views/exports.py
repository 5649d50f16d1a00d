"""Roadmap exports: per workshop (organiser and the workshop's facilitator), per event
(organiser), and the read-only results page an organiser may publish (/r/<token>).

Every format is built from the same roadmap dict (app/services/roadmap.py) by a pure
builder in app/export/; docs/EXPORTS.md describes them."""
import importlib
import re
import unicodedata

from flask import Blueprint, Response
from flask_babel import gettext as _

from .. import identity
from ..services import access, event_roadmap, matches, roadmap, workshops
from ..services.errors import Gone, NotAllowed, NotFound

bp = Blueprint("exports", __name__)


# format -> (mimetype, builder module in app/export/, imported on first use)
FORMATS = {
    "md": ("text/markdown; charset=utf-8", "markdown"),
    "pdf": ("application/pdf", "pdf"),
    "csv": ("text/csv; charset=utf-8", "csv_export"),
    "json": ("application/json", "json_roadmap"),
}


def builder(name: str):
    return importlib.import_module(f"app.export.{name}")


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_).strip("-").lower()[:60] or "event"


def render(data: dict, fmt: str, name: str) -> Response:
    """One roadmap dict in the asked format, as a download."""
    if fmt not in FORMATS:
        raise NotFound(_("Unknown export format '%(fmt)s'. Use md, pdf, csv or json.",
                         fmt=fmt))
    mimetype, module = FORMATS[fmt]
    scope = data["scope"]
    build = builder(module)
    body = (build.build_workshop if scope == "workshop" else build.build_event)(data)
    filename = f"plenary-{name}-roadmap{'-draft' if data['draft'] else ''}.{fmt}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


def _page(data: dict, downloads: str) -> Response:
    """The printable roadmap page, linking to the downloads of the same roadmap."""
    return Response(builder("html").build(data, downloads=downloads),
                    mimetype="text/html", headers={"Cache-Control": "no-store"})


def _workshop_for_export(workshop_id: int):
    workshop = workshops.get_workshop(workshop_id)
    if not identity.can_facilitate(workshop):  # its event's organisers, its facilitator link
        raise NotAllowed(_("Exports are for the organiser and the workshop's facilitator."))
    if workshop.event.deleted_at is not None:
        raise Gone(_("This event was deleted."))
    return workshop


def _event_for_organiser(event_id: int):
    organiser = identity.current_organiser()
    if organiser is None:
        raise NotAllowed(_("The event roadmap is for the organiser: log in first."))
    return access.event_for(organiser, event_id)  # 404 for another organiser's event


def _published(token: str):
    event = workshops.find_published(token)
    if event is None:
        raise NotFound(_("These results are not published (or no longer)."))
    return event


@bp.get("/workshops/<int:workshop_id>/export.<fmt>")
def workshop_export(workshop_id, fmt):
    workshop = _workshop_for_export(workshop_id)
    return render(roadmap.workshop_roadmap(workshop), fmt, workshop.code)


@bp.get("/workshops/<int:workshop_id>/roadmap")
def workshop_page(workshop_id):
    workshop = _workshop_for_export(workshop_id)
    return _page(roadmap.workshop_roadmap(workshop),
                 f"/workshops/{workshop.id}/export")


@bp.get("/organiser/events/<int:event_id>/export.<fmt>")
def event_export(event_id, fmt):
    event = _event_for_organiser(event_id)
    return render(event_roadmap.event_roadmap(event), fmt, _slug(event.title))


@bp.get("/organiser/events/<int:event_id>/roadmap")
def event_page(event_id):
    event = _event_for_organiser(event_id)
    return _page(event_roadmap.event_roadmap(event),
                 f"/organiser/events/{event.id}/export")


@bp.get("/organiser/events/<int:event_id>/matches.csv")
def matches_export(event_id):
    event = _event_for_organiser(event_id)
    body = builder("csv_export").build_matches(matches.public(matches.event_matches(event)))
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="plenary-{_slug(event.title)}-matches.csv"',
        "Cache-Control": "no-store"})


@bp.get("/r/<token>")
def published_page(token):
    event = _published(token)
    return _page(event_roadmap.event_roadmap(event, public=True),
                 f"/r/{token}/export")


@bp.get("/r/<token>/export.<fmt>")
def published_export(token, fmt):
    event = _published(token)
    return render(event_roadmap.event_roadmap(event, public=True), fmt, _slug(event.title))
