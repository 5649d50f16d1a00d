"""What a workshop concluded: a one-paragraph conclusion per theme (or top idea) and any
number of action items (what, who owns it, by when). Written by the facilitator, mostly in
`results`; every change is versioned and broadcast, so phones and the projector follow."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import ActionItem, Change, Conclusion, Workshop, utcnow
from . import changes, fields, workshops
from .board import find_idea, find_theme
from .errors import InvalidInput, NotFound

def target_of(workshop: Workshop, theme_id=None, idea_id=None) -> tuple[int | None, int | None]:
    """(theme_id, idea_id) of what a conclusion or action is about: exactly one of them,
    and it must belong to this workshop."""
    if (theme_id is None) == (idea_id is None):
        raise InvalidInput(_("Say what this is about: a theme (theme_id) or an idea "
                             "(idea_id), not both."))
    if theme_id is not None:
        return find_theme(workshop, theme_id).id, None
    idea = find_idea(workshop, idea_id)
    if idea.hidden:
        raise InvalidInput(_("This idea is hidden from the room: show it first."))
    return None, idea.id


def set_conclusion(workshop: Workshop, text, theme_id=None, idea_id=None) -> Change | None:
    """Write (or clear, with an empty text) the conclusion on a theme or an idea."""
    workshops.require_open(workshop, "conclusions")
    theme, idea = target_of(workshop, theme_id, idea_id)
    text = fields.CONCLUSION.clean(text)
    conclusion = db.session.scalar(select(Conclusion).where(
        Conclusion.theme_id == theme if theme else Conclusion.idea_id == idea))
    if conclusion is None:
        if not text:
            return None
        conclusion = Conclusion(workshop_id=workshop.id, theme_id=theme, idea_id=idea)
        db.session.add(conclusion)
    elif conclusion.text == text:
        return None
    conclusion.text, conclusion.updated_at = text, utcnow()
    db.session.flush()
    return changes.record(workshop.id, "conclusion.changed", {"conclusion": conclusion.as_dict()})


def add_action(workshop: Workshop, what, owner="", horizon=None, theme_id=None,
               idea_id=None) -> tuple[ActionItem, Change]:
    workshops.require_open(workshop, "conclusions")
    theme, idea = target_of(workshop, theme_id, idea_id)
    action = ActionItem(workshop_id=workshop.id, theme_id=theme, idea_id=idea,
                        what=fields.ACTION_WHAT.clean(what), owner=fields.ACTION_OWNER.clean(owner),
                        horizon=fields.horizon(horizon))
    db.session.add(action)
    db.session.flush()
    return action, changes.record(workshop.id, "action.added", {"action": action.as_dict()})


def update_action(workshop: Workshop, action_id, what=None, owner=None,
                  horizon=None) -> Change | None:
    workshops.require_open(workshop, "conclusions")
    action = find_action(workshop, action_id)
    before = action.as_dict()
    if what is not None:
        action.what = fields.ACTION_WHAT.clean(what)
    if owner is not None:
        action.owner = fields.ACTION_OWNER.clean(owner)
    if horizon is not None:
        action.horizon = fields.horizon(horizon)
    if action.as_dict() == before:
        return None
    db.session.flush()
    return changes.record(workshop.id, "action.updated", {"action": action.as_dict()})


def delete_action(workshop: Workshop, action_id) -> Change:
    workshops.require_open(workshop, "conclusions")
    action = find_action(workshop, action_id)
    db.session.delete(action)
    db.session.flush()
    return changes.record(workshop.id, "action.deleted", {"id": action_id})


def find_action(workshop: Workshop, action_id) -> ActionItem:
    action = db.session.get(ActionItem, action_id) if isinstance(action_id, int) and \
        not isinstance(action_id, bool) else None
    if action is None or action.workshop_id != workshop.id:
        raise NotFound(_("This action item does not exist in this workshop."))
    return action


def of_workshop(workshop_id: int) -> dict:
    """Every conclusion and action item of a workshop (for snapshots and exports)."""
    conclusions = db.session.scalars(select(Conclusion).where(
        Conclusion.workshop_id == workshop_id).order_by(Conclusion.id)).all()
    actions = db.session.scalars(select(ActionItem).where(
        ActionItem.workshop_id == workshop_id).order_by(ActionItem.id)).all()
    return {"conclusions": [c.as_dict() for c in conclusions if c.text],
            "actions": [a.as_dict() for a in actions]}
