"""The organiser's event-wide actions: publish the read-only results page, link themes
that recur across workshops, erase personal data, delete the event. Forms post here and
come back to the event page with a message; JSON clients get {ok, ...} or {ok: false,
error} with the status."""
import functools

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _

from .. import identity
from ..extensions import db
from ..realtime import broadcast
from ..services import access, privacy, workshops
from ..services.errors import DomainError, InvalidInput, NotAllowed
from . import json_body, wants_json

bp = Blueprint("event_admin", __name__, url_prefix="/organiser/events/<int:event_id>")


def event_action(view=None, owner_only: bool = False):
    """Organisers of this event only (others get 404); one transaction; a refusal (bad
    input too: a JSON body, read or not, must be a valid object) changes nothing and says
    why. The view returns (message, after): `after` runs once committed."""
    if view is None:
        return functools.partial(event_action, owner_only=owner_only)

    @functools.wraps(view)
    def wrapped(event_id, **kwargs):
        organiser = identity.current_organiser()
        if organiser is None:
            raise NotAllowed(_("Only the organiser can do this: log in first."))
        event = access.event_for(organiser, event_id, owner_only=owner_only)
        try:
            _json_object()  # any JSON body is checked, read or not: junk is refused
            message, after = view(event, **kwargs)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            if wants_json():
                return jsonify(ok=False, error=error.message), error.status
            flash(error.message, "error")
            return redirect(url_for("organiser.event", event_id=event_id))
        if after:
            after()
        if wants_json():
            return jsonify(ok=True, message=message)
        flash(message, "success")
        gone = event.deleted_at or not access.role_in_event(event.id, organiser)
        target = url_for("organiser.dashboard") if gone else \
            url_for("organiser.event", event_id=event_id)
        return redirect(target)
    return wrapped


def _json_object() -> dict | None:
    """A JSON body must be an object; None for a form post."""
    payload = json_body()
    if payload is not None and not isinstance(payload, dict):
        raise InvalidInput("The body must be a JSON object.")
    return payload


def _confirmed() -> None:
    payload = _json_object() or {}
    if request.form.get("confirm") != "yes" and payload.get("confirm") is not True:
        raise InvalidInput(_("Tick the box to confirm: this cannot be undone."))


@bp.post("/publish")
@event_action
def publish(event):
    workshops.publish_results(event)
    return _("The results page is published: anyone with its link can read it."), None


@bp.post("/unpublish")
@event_action
def unpublish(event):
    workshops.unpublish_results(event)
    return _("The results page is no longer published; its old link stops working."), None


@bp.post("/recurring")
@event_action
def link_themes(event):
    payload = _json_object()
    if payload is not None:
        theme_ids, name = payload.get("theme_ids"), payload.get("name")
        name = "" if name is None else name
    else:
        try:
            theme_ids = [int(v) for v in request.form.getlist("theme_id")]
        except ValueError:
            raise InvalidInput(_("Theme ids must be whole numbers.")) from None
        name = request.form.get("name", "")
    from ..services import recurring  # numpy, loaded when first used
    group = recurring.confirm(event, theme_ids, name)
    return _("Linked as one recurring theme: “%(name)s”.", name=group.name), None


@bp.post("/recurring/<int:recurring_id>/unlink")
@event_action
def unlink_themes(event, recurring_id):
    from ..services import recurring
    recurring.unlink(event, recurring_id)
    return _("The themes are no longer linked."), None


@bp.post("/erase-personal-data")
@event_action
def erase(event):
    _confirmed()
    count = privacy.erase_personal_data(event)
    # once committed: the database files forget the old bytes too
    return _("Personal data erased (profiles and contacts of %(n)d attendees). Ideas, votes "
             "and conclusions are kept.", n=count), privacy.scrub_storage


@bp.post("/delete")
@event_action(owner_only=True)
def delete(event):
    _confirmed()
    closed = privacy.delete_event(event)
    envelopes = [(workshop_id, change.envelope()) for workshop_id, change in closed]

    def tell_rooms():
        for workshop_id, envelope in envelopes:
            broadcast.publish(workshop_id, [envelope])
        broadcast.revoke(broadcast.event_room(event.id), _("This event was deleted."))
        privacy.scrub_storage()  # its personal data was erased too
    return _("The event “%(title)s” was deleted.", title=event.title), tell_rooms


@bp.post("/organisers")
@event_action(owner_only=True)
def invite_organiser(event):
    payload = _json_object()
    email = payload.get("email") if payload is not None else request.form.get("email")
    member = access.invite(event, email)
    return _("%(email)s is now a co-organiser of this event.",
             email=member.organiser.email), None


@bp.post("/organisers/<int:organiser_id>/remove")
@event_action
def remove_organiser(event, organiser_id):
    """The owner takes a co-organiser off the event, or a co-organiser leaves it: their
    pages and open consoles stop working at once."""
    removed = access.remove(event, organiser_id, by=identity.current_organiser())

    def cut_off():
        broadcast.revoke(broadcast.organiser_room(event.id, organiser_id),
                         _("You no longer organise this event."))
    return _("%(email)s no longer organises this event.", email=removed.email), cut_off
