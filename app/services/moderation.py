"""Moderation by the facilitator: hide / unhide, pin, edit (the original stays in the
history), delete (soft). Each is a board action, so it is undoable and exported."""
from flask_babel import gettext as _

from ..extensions import db
from ..models import Change, Workshop
from . import changes
from .board import find_idea, record_action, require_editable
from .errors import InvalidInput
from .ideas import clean_text


def set_flag(workshop: Workshop, idea_id, flag: str, value, *, actor: str) -> list[Change]:
    """flag is 'hidden', 'pinned' or 'deleted'."""
    if not isinstance(value, bool):
        raise InvalidInput(_("Field '%(name)s' must be true or false.", name=flag))
    return _update(workshop, idea_id, actor, **{flag: value})


def edit_text(workshop: Workshop, idea_id, text, *, actor: str) -> list[Change]:
    return _update(workshop, idea_id, actor, text=clean_text(text))


def _update(workshop: Workshop, idea_id, actor: str, **fields) -> list[Change]:
    require_editable(workshop)
    idea = find_idea(workshop, idea_id)
    before = {name: getattr(idea, name) for name in fields}
    if before == fields:
        return []
    for name, value in fields.items():
        setattr(idea, name, value)
    db.session.flush()
    record_action(workshop, actor, "idea.updated", {"id": idea.id, "fields": before},
                  {"id": idea.id, "fields": fields})
    return [changes.record(workshop.id, "idea.updated", changes.idea_update(idea, fields))]
