"""How each kind of board action is undone (back to `before`) and redone (to `after` again),
a pair per kind, used by board_actions.KINDS. Each returns the versioned changes that tell
the clients, and the ideas whose vote totals changed. A redone action is undone by the same
`undo` again: a redo leaves `before` true (a merge redone keeps the votes it moved now)."""
from flask_babel import gettext as _

from ..extensions import db
from ..models import BoardAction, Change, Idea, Theme, Workshop
from . import changes, merges
from .errors import InvalidInput
from .placements import apply_order, restore, themes_of

Undone = tuple[list[Change], list[int]]  # the changes, the ideas whose vote totals changed


# theme.created: before {}, after {"theme"}

def undo_theme_created(workshop: Workshop, action: BoardAction) -> Undone:
    theme = db.session.get(Theme, action.after["theme"]["id"])
    theme.deleted = True
    return [changes.record(workshop.id, "theme.deleted", {"id": theme.id})], []


def redo_theme_created(workshop: Workshop, action: BoardAction) -> Undone:
    theme = db.session.get(Theme, action.after["theme"]["id"])  # the same theme, same id
    theme.deleted = False
    return [changes.record(workshop.id, "theme.created", {"theme": theme.as_dict()})], []


# theme.updated (renamed or recoloured): before {"theme"}, after {"theme"}

def _set_theme(workshop: Workshop, was: dict) -> Undone:
    theme = db.session.get(Theme, was["id"])
    theme.name, theme.colour = was["name"], was["colour"]
    return [changes.record(workshop.id, "theme.updated", {"theme": theme.as_dict()})], []


def undo_theme_updated(workshop: Workshop, action: BoardAction) -> Undone:
    return _set_theme(workshop, action.before["theme"])


def redo_theme_updated(workshop: Workshop, action: BoardAction) -> Undone:
    return _set_theme(workshop, action.after["theme"])


# themes.reordered: before {"order"}, after {"order"} (theme ids)

def _order(workshop: Workshop, order: list[int]) -> Undone:
    apply_order(themes_of(workshop.id), order)
    return [changes.record(workshop.id, "themes.reordered", {"order": order})], []


def undo_themes_reordered(workshop: Workshop, action: BoardAction) -> Undone:
    return _order(workshop, action.before["order"])


def redo_themes_reordered(workshop: Workshop, action: BoardAction) -> Undone:
    return _order(workshop, action.after["order"])


# theme.deleted: before {"theme", "placements"}, after {"placements"}

def undo_theme_deleted(workshop: Workshop, action: BoardAction) -> Undone:
    theme = db.session.get(Theme, action.before["theme"]["id"])
    theme.deleted = False
    placed = action.before["placements"]
    restore(placed)
    return [changes.record(workshop.id, "theme.created", {"theme": theme.as_dict()}),
            changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


def redo_theme_deleted(workshop: Workshop, action: BoardAction) -> Undone:
    theme = db.session.get(Theme, action.before["theme"]["id"])
    if changes.theme_tallies(workshop.id, [theme.id])[theme.id]:
        raise InvalidInput(_("People have voted for this theme: it cannot be deleted."))
    theme.deleted = True
    placed = action.after["placements"]
    restore(placed)
    return [changes.record(workshop.id, "theme.deleted", {"id": theme.id}),
            changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


# idea.updated (moderation): before {"id", "fields"}, after {"id", "fields"}; one field of
# text, hidden, pinned, deleted, approved

def _set_fields(workshop: Workshop, idea_id: int, fields: dict) -> Undone:
    idea = db.session.get(Idea, idea_id)
    for field, value in fields.items():
        setattr(idea, field, value)
    if fields == {"approved": True}:  # approved again: told as the approval was
        kind = "idea.posted" if idea.revealed else "idea.private"
        votes = changes.tallies(workshop.id, [idea.id])[idea.id]
        return [changes.record(workshop.id, kind, {"idea": changes.idea_dict(idea, votes)})], []
    return [changes.record(workshop.id, "idea.updated", changes.idea_update(idea, fields))], []


def undo_idea_updated(workshop: Workshop, action: BoardAction) -> Undone:
    return _set_fields(workshop, action.before["id"], action.before["fields"])


def redo_idea_updated(workshop: Workshop, action: BoardAction) -> Undone:
    return _set_fields(workshop, action.after["id"], action.after["fields"])


# idea.moved: before {"placements"}, after {"placements", "idea"}

def undo_idea_moved(workshop: Workshop, action: BoardAction) -> Undone:
    placed = action.before["placements"]
    restore(placed)
    return [changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


def redo_idea_moved(workshop: Workshop, action: BoardAction) -> Undone:
    placed = action.after["placements"]
    restore(placed)
    return [changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


# idea.merged: before {"idea", "into", "votes": [[participant, dots, moved, refund]]},
# after {"idea", "into"}

def undo_idea_merged(workshop: Workshop, action: BoardAction) -> Undone:
    before = action.before
    merges.give_back_votes(workshop, db.session.get(Idea, before["idea"]), before["into"],
                           before["votes"])
    return ([changes.record(workshop.id, "idea.unmerged", {"id": before["idea"],
                                                          "into": before["into"]})],
            [before["idea"], before["into"]])


def redo_idea_merged(workshop: Workshop, action: BoardAction) -> Undone:
    """The votes move as a merge moves them, from the votes there are now (people may have
    voted since the undo); `before` keeps what moved this time, for the next undo."""
    merged = db.session.get(Idea, action.before["idea"])
    into = db.session.get(Idea, action.before["into"])
    if any(i.merged_into_id is not None or i.deleted for i in (merged, into)):
        raise InvalidInput(_("This merge cannot be redone: one of its ideas has changed."))
    moved_votes = merges.move_votes(workshop, merged, into)
    action.before = {**action.before, "votes": moved_votes}
    return ([changes.record(workshop.id, "idea.merged", {"id": merged.id, "into": into.id})],
            [merged.id, into.id])
