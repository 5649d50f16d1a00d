"""Bilateral meetings on the web: an attendee's agenda (printable page and .ics), and the
organiser's meeting page (plan, workshop times, the grid of tables × slots, counts,
reports, removing a request) with its CSV export."""
import functools
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import identity, vocabulary
from ..extensions import db
from ..realtime import broadcast
from ..realtime.meeting_handlers import person_room
from ..services import access, meeting_people, meeting_reports, meeting_slots, meetings, \
    participants, workshops
from ..services.errors import DomainError, Gone, InvalidInput, NotAllowed
from .exports import _slug, builder

bp = Blueprint("meetings", __name__)


def _attendee(workshop_id: int):
    """(event, person) for the attendee of this workshop whose browser this is."""
    workshop = workshops.get_workshop(workshop_id)
    if workshop.event.deleted_at is not None:
        raise Gone(_("This event was deleted."))
    token = identity.participant_token()
    if not identity.opened_join_code(workshop) or participants.find(workshop.id, token) is None:
        raise NotAllowed(_("Open the workshop's join link first to take part."))
    me = meeting_people.person(workshop.event_id, token)
    db.session.commit()
    return workshop, me


@bp.get("/w/<int:workshop_id>/agenda")
def agenda(workshop_id):
    workshop, me = _attendee(workshop_id)
    mine = meetings.agenda(workshop.event, me)
    items = [{"kind": "workshop", **w} for w in mine["workshops"]] + \
        [{"kind": "meeting", **m} for m in mine["meetings"] if m["status"] == "accepted"]
    items.sort(key=lambda i: i["start"])
    return render_template("agenda.html", workshop=workshop, agenda=mine, items=items,
                           kinds=vocabulary.STAKEHOLDER_KINDS)


@bp.get("/w/<int:workshop_id>/agenda.ics")
def agenda_ics(workshop_id):
    workshop, me = _attendee(workshop_id)
    plan = meeting_slots.plan_of(workshop.event_id)
    body = builder("ics").build(meetings.agenda(workshop.event, me), workshop.event.title,
                                plan.timezone if plan else "UTC")
    return Response(body, mimetype="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="plenary-{_slug(workshop.event.title)}'
                               f'-agenda.ics"', "Cache-Control": "no-store"})


# --- the organiser ------------------------------------------------------------------------

def _event(event_id: int):
    organiser = identity.current_organiser()
    if organiser is None:
        raise NotAllowed(_("Only the organiser can do this: log in first."))
    return access.event_for(organiser, event_id)  # 404 for another organiser's event


def organiser_action(view):
    """A form post of the meeting page: one transaction; a refusal changes nothing and is
    shown on the page; `after` (messages to phones) runs once committed."""
    @functools.wraps(view)
    def wrapped(event_id, **kwargs):
        event = _event(event_id)
        try:
            message, after = view(event, **kwargs)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("meetings.admin", event_id=event_id))
        for person_id, envelope in after or []:
            broadcast.current().send(person_room(person_id), envelope["type"], envelope)
        flash(message, "success")
        return redirect(url_for("meetings.admin", event_id=event_id))
    return wrapped


@bp.get("/organiser/events/<int:event_id>/meetings")
def admin(event_id):
    event = _event(event_id)
    return render_template("meetings_admin.html", event=event,
                           plan=meeting_slots.plan_of(event.id),
                           grid=meeting_reports.grid(event),
                           counts=meeting_reports.summary(event),
                           reports=meeting_reports.reports(event),
                           kinds=vocabulary.STAKEHOLDER_KINDS)


@bp.post("/organiser/events/<int:event_id>/meetings/plan")
@organiser_action
def save_plan(event):
    form = request.form
    try:
        slot_minutes = int(form.get("slot_minutes", ""))
        max_meetings = int(form.get("max_meetings", ""))
    except ValueError:
        raise InvalidInput(_("Slot length and meetings per person are whole numbers.")) from None
    meeting_slots.set_plan(
        event, days=meeting_slots.parse_days(form.get("days", "")),
        day_start=form.get("day_start", ""), day_end=form.get("day_end", ""),
        slot_minutes=slot_minutes, breaks=meeting_slots.parse_breaks(form.get("breaks", "")),
        tables=meeting_slots.parse_tables(form.get("tables", "")),
        timezone=form.get("timezone", "").strip(), max_meetings=max_meetings)
    return _("The meeting plan is saved."), None


def _moment(value: str):
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(_("Write times like 2026-05-12T09:00.")) from None


@bp.post("/organiser/events/<int:event_id>/meetings/workshop-times")
@organiser_action
def save_workshop_times(event):
    for workshop in event.workshops:
        meeting_slots.set_workshop_times(
            event, workshop.id, _moment(request.form.get(f"starts_{workshop.id}", "")),
            _moment(request.form.get(f"ends_{workshop.id}", "")))
    return _("Workshop times saved: their attendees get no meetings then."), None


@bp.post("/organiser/events/<int:event_id>/meetings/<int:request_id>/remove")
@organiser_action
def remove(event, request_id):
    _meeting, envelopes = meetings.remove(event, request_id)
    return _("The request was removed; both people were told and its slot is free."), envelopes


@bp.get("/organiser/events/<int:event_id>/meetings.csv")
def export_csv(event_id):
    event = _event(event_id)
    body = builder("meetings_csv").build(meeting_reports.rows_for_export(event))
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="plenary-{_slug(event.title)}'
                               f'-meetings.csv"', "Cache-Control": "no-store"})
