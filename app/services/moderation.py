"""Moderation by the facilitator: hide / unhide, pin, edit (the original stays in the
history), delete (soft). Each is a board action, so it is undoable and exported."""
from flask_babel import gettext as _

from sqlalchemy import select

from ..extensions import db
from ..models import Change, Idea, Workshop
from . import changes
from .board import find_idea, require_editable
from .board_actions import record_board_action
from .errors import InvalidInput, NotFound
from .ideas import clean_text


def set_flag(workshop: Workshop, idea_id, flag: str, value, *, actor: str) -> list[Change]:
    """flag is 'hidden', 'pinned' or 'deleted'."""
    if not isinstance(value, bool):
        raise InvalidInput(_("Field '%(name)s' must be true or false.", name=flag))
    return _update(workshop, idea_id, actor, **{flag: value})


def approve(workshop: Workshop, idea_id, *, actor: str) -> list[Change]:
    """A queued idea goes on the board for everyone (pre-moderation)."""
    require_editable(workshop)
    idea = db.session.get(Idea, idea_id) if isinstance(idea_id, int) else None
    if idea is None or idea.workshop_id != workshop.id or idea.deleted:
        raise NotFound(_("This idea does not exist in this workshop."))
    if idea.approved:
        raise InvalidInput(_("This idea is already on the board."))
    idea.approved = True
    db.session.flush()
    record_board_action(workshop, actor, "idea.updated",
                        {"id": idea.id, "fields": {"approved": False}},
                        {"id": idea.id, "fields": {"approved": True}})
    kind = "idea.posted" if idea.revealed else "idea.private"
    return [changes.record(workshop.id, kind, {"idea": changes.idea_dict(idea)})]


def reveal_all(workshop: Workshop) -> list[Change]:
    """Hidden until reveal: everyone's ideas appear at once, and new ones from now on."""
    require_editable(workshop)
    hidden = db.session.scalars(select(Idea).where(
        Idea.workshop_id == workshop.id, Idea.revealed.is_(False))).all()
    if not hidden and not workshop.hide_until_reveal:
        raise InvalidInput(_("There is nothing to reveal."))
    counts = changes.tallies(workshop.id)
    for idea in hidden:
        idea.revealed = True
    workshop.hide_until_reveal = False
    db.session.flush()
    shown = [changes.idea_dict(i, counts.get(i.id, 0)) for i in hidden
             if i.approved and not i.deleted]
    return [changes.record(workshop.id, "ideas.revealed", {"ideas": shown}),
            changes.record(workshop.id, "settings.changed", workshop.settings())]


def edit_text(workshop: Workshop, idea_id, text, *, actor: str) -> list[Change]:
    return _update(workshop, idea_id, actor, text=clean_text(text))


def _update(workshop: Workshop, idea_id, actor: str, **fields) -> list[Change]:
    require_editable(workshop)
    idea = find_idea(workshop, idea_id, allow_queued=True)
    before = {name: getattr(idea, name) for name in fields}
    if before == fields:
        return []
    for name, value in fields.items():
        setattr(idea, name, value)
    db.session.flush()
    record_board_action(workshop, actor, "idea.updated", {"id": idea.id, "fields": before},
                        {"id": idea.id, "fields": fields})
    return [changes.record(workshop.id, "idea.updated", changes.idea_update(idea, fields))]
