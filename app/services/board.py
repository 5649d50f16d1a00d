"""The facilitator's board: themes, placing ideas in them, merging duplicates, undo.

Every action is stored as a BoardAction (who, when, what before, what after) so it can be
undone and so exports can show how each theme was formed (how each kind is undone and told:
board_actions.py), and returns the versioned Changes that clients apply. Placements travel
as `[idea_id, theme_id or None, position]` (placements.py).
"""
from flask_babel import gettext as _
from ..extensions import db
from ..models import THEME_COLOURS, Change, Idea, Theme, Workshop, utcnow
from . import board_actions, changes, fields, merges, workshops
from .board_actions import record_board_action
from .errors import InvalidInput, NotFound
from .placements import apply_order, ideas_in, placements, renumber, themes_of



def create_theme(workshop: Workshop, name, colour=None, *, actor: str) -> list[Change]:
    require_editable(workshop)
    existing = themes_of(workshop.id)
    theme = Theme(workshop_id=workshop.id, name=fields.THEME_NAME.clean(name),
                  colour=fields.colour(colour) if colour else THEME_COLOURS[len(existing) % len(
                      THEME_COLOURS)],
                  position=max((t.position for t in existing), default=-1) + 1)
    db.session.add(theme)
    db.session.flush()
    record_board_action(workshop, actor, "theme.created", {}, {"theme": theme.as_dict()})
    return [changes.record(workshop.id, "theme.created", {"theme": theme.as_dict()})]


def rename_theme(workshop: Workshop, theme_id, name, *, actor: str) -> list[Change]:
    return _update_theme(workshop, theme_id, actor, name=fields.THEME_NAME.clean(name))


def recolour_theme(workshop: Workshop, theme_id, colour, *, actor: str) -> list[Change]:
    return _update_theme(workshop, theme_id, actor, colour=fields.colour(colour))


def reorder_themes(workshop: Workshop, order, *, actor: str) -> list[Change]:
    require_editable(workshop)
    themes = themes_of(workshop.id)
    if not isinstance(order, list) or sorted(order) != sorted(t.id for t in themes) \
            or any(isinstance(i, bool) for i in order):
        raise InvalidInput(_("The new order must list every theme of this workshop once."))
    before = [t.id for t in themes]
    apply_order(themes, order)
    record_board_action(workshop, actor, "themes.reordered", {"order": before},
                        {"order": order})
    return [changes.record(workshop.id, "themes.reordered", {"order": order})]


def delete_theme(workshop: Workshop, theme_id, *, actor: str) -> list[Change]:
    require_editable(workshop)
    theme = find_theme(workshop, theme_id)
    if changes.theme_tallies(workshop.id, [theme.id])[theme.id]:
        raise InvalidInput(_("People have voted for this theme: it cannot be deleted."))
    before = placements(workshop.id, [theme.id, None])
    members = [p for p in before if p[1] == theme.id]
    unplaced = ideas_in(workshop.id, None)
    for offset, (idea_id, _theme_id, _position) in enumerate(members):
        idea = db.session.get(Idea, idea_id)
        idea.theme_id, idea.position = None, len(unplaced) + offset
    theme.deleted = True
    db.session.flush()
    after = placements(workshop.id, [None])
    record_board_action(workshop, actor, "theme.deleted",
                        {"theme": theme.as_dict(), "placements": before}, {"placements": after})
    return [changes.record(workshop.id, "theme.deleted", {"id": theme.id}),
            changes.record(workshop.id, "ideas.placed", {"placements": after})]


def move_idea(workshop: Workshop, idea_id, theme_id, position, *, actor: str) -> list[Change]:
    """Put an idea into a theme (or back among the unplaced, theme_id None) at a position."""
    require_editable(workshop)
    idea = find_idea(workshop, idea_id)
    target = None if theme_id is None else find_theme(workshop, theme_id).id
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise InvalidInput(_("The position must be a whole number from 0."))
    groups = sorted({idea.theme_id, target}, key=lambda g: (g is not None, g or 0))
    before = placements(workshop.id, groups)
    source = [i for i in ideas_in(workshop.id, idea.theme_id) if i.id != idea.id]
    renumber(source)
    destination = source if target == idea.theme_id else ideas_in(workshop.id, target)
    destination.insert(min(position, len(destination)), idea)
    idea.theme_id = target
    renumber(destination)
    db.session.flush()
    after = placements(workshop.id, groups)
    if after == before:
        return []
    record_board_action(workshop, actor, "idea.moved", {"placements": before},
                        {"placements": after, "idea": idea.id})
    return [changes.record(workshop.id, "ideas.placed", {"placements": after})]


def merge_ideas(workshop: Workshop, idea_id, into_id, *, actor: str) -> list[Change]:
    """Merge idea B into idea A: B leaves the boards (its text stays, under A) and its votes
    move to A; a voter who would pass the per-idea cap on A gets the surplus back."""
    require_editable(workshop)
    if idea_id == into_id:
        raise InvalidInput(_("An idea cannot be merged into itself."))
    merged, into = find_idea(workshop, idea_id), find_idea(workshop, into_id)
    moved_votes = merges.move_votes(workshop, merged, into)
    record_board_action(workshop, actor, "idea.merged",
                        {"idea": merged.id, "into": into.id, "votes": moved_votes},
                        {"idea": merged.id, "into": into.id})
    return [changes.record(workshop.id, "idea.merged", {"id": merged.id, "into": into.id})]


def undo(workshop: Workshop, *, actor: str) -> tuple[list[Change], list[int]]:
    """Undo the latest board action not yet undone (an undo itself is not undone: undoing
    again goes one action further back). Returns the changes and the ideas whose vote
    totals changed (a merge undone gives votes back). Redo puts it back (`redo`)."""
    require_editable(workshop)
    action = board_actions.latest_undoable(workshop.id)
    if action is None:
        raise InvalidInput(_("There is nothing to undo."))
    action.undone_at = utcnow()
    out, voted = board_actions.kind_of(action).undo(workshop, action)
    db.session.flush()
    record_board_action(workshop, actor, "board.undone", {"action": action.id},
                        {"kind": action.kind})
    return out, voted


def redo(workshop: Workshop, *, actor: str) -> tuple[list[Change], list[int]]:
    """Do again the action undone most recently, as long as no new board action came since
    that undo (a new action clears what could be redone, as in every editor); redoing again
    walks forward. The action redone can be undone again. Returns what `undo` returns."""
    require_editable(workshop)
    action = board_actions.latest_redoable(workshop.id)
    if action is None:
        raise InvalidInput(_("There is nothing to redo."))
    out, voted = board_actions.kind_of(action).redo(workshop, action)
    action.undone_at = None
    db.session.flush()
    record_board_action(workshop, actor, "board.redone", {"action": action.id},
                        {"kind": action.kind})
    return out, voted


def _update_theme(workshop, theme_id, actor, **fields) -> list[Change]:
    require_editable(workshop)
    theme = find_theme(workshop, theme_id)
    before = theme.as_dict()
    for name, value in fields.items():
        setattr(theme, name, value)
    if theme.as_dict() == before:
        return []
    db.session.flush()
    record_board_action(workshop, actor, "theme.updated", {"theme": before},
                        {"theme": theme.as_dict()})
    return [changes.record(workshop.id, "theme.updated", {"theme": theme.as_dict()})]


def require_editable(workshop: Workshop) -> None:
    workshops.require_open(workshop, "board")


def find_theme(workshop: Workshop, theme_id) -> Theme:
    theme = db.session.get(Theme, theme_id) if isinstance(theme_id, int) and not isinstance(
        theme_id, bool) else None
    if theme is None or theme.workshop_id != workshop.id or theme.deleted:
        raise NotFound(_("This theme does not exist in this workshop."))
    return theme


def find_idea(workshop: Workshop, idea_id, allow_queued: bool = False) -> Idea:
    idea = db.session.get(Idea, idea_id) if isinstance(idea_id, int) and not isinstance(
        idea_id, bool) else None
    if idea is None or idea.workshop_id != workshop.id:
        raise NotFound(_("This idea does not exist in this workshop."))
    if idea.merged_into_id is not None:
        raise InvalidInput(_("This idea was merged into another one."))
    if idea.deleted:
        raise NotFound(_("This idea was deleted."))
    if not idea.approved and not allow_queued:
        raise InvalidInput(_("Approve this idea first."))
    return idea
