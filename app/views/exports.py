"""Workshop exports, for the organiser and the workshop's facilitator only."""
from flask import Blueprint, Response, jsonify
from flask_babel import gettext as _

from .. import identity
from ..export import json_summary, markdown
from ..services import summary, workshops
from ..services.errors import NotAllowed

bp = Blueprint("exports", __name__)


def _summary(workshop_id: int) -> dict:
    workshop = workshops.get_workshop(workshop_id)
    if not identity.can_facilitate(workshop):
        raise NotAllowed(_("Exports are for the organiser and the workshop's facilitator."))
    return summary.workshop_summary(workshop)


def _filename(data: dict, extension: str) -> str:
    return f"plenary-{data['code']}-summary.{extension}"


@bp.get("/workshops/<int:workshop_id>/export.md")
def markdown_export(workshop_id):
    data = _summary(workshop_id)
    return Response(markdown.build(data), mimetype="text/markdown; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_filename(data, "md")}"'})


@bp.get("/workshops/<int:workshop_id>/export.json")
def json_summary_export(workshop_id):
    data = _summary(workshop_id)
    response = jsonify(json_summary.build(data))
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(data, "json")}"'
    return response
