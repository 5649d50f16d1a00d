"""Every kind of board action in one table, `KINDS`: how it is undone and redone (the pair
of each kind: board_undo.py), how it reads in the facilitator's History panel (a sentence
in the reader's language) and how it reads in a theme's story in the roadmap exports
(English, like the rest of those documents).

A BoardAction row keeps the kind, who, when, and what was before and after; board.py and
moderation.py record them with `record_board_action`, `board.undo` undoes the latest one
that can be undone and `board.redo` does again the one undone most recently, until a new
action is recorded (`latest_redoable`). A new kind of board action is one new row here."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import BoardAction, Workshop
from . import board_undo as undo
from .board_names import BoardNames, quote, short
from .board_undo import Undone

StoryLines = list[tuple[int | None, str]]  # (theme id, English line) for each theme concerned
STEPS = ("board.undone", "board.redone")  # an undo or a redo: not a new action


@dataclass(frozen=True)
class BoardActionKind:
    undo: Callable[[Workshop, BoardAction], Undone] | None  # None: cannot be undone
    redo: Callable[[Workshop, BoardAction], Undone] | None  # back to `after` once undone
    describe: Callable[[BoardAction, BoardNames], str]    # the History panel's sentence
    story: Callable[[BoardAction, BoardNames], StoryLines]  # lines of themes' stories


def record_board_action(workshop: Workshop, actor: str, kind: str, before: dict,
                        after: dict) -> BoardAction:
    action = BoardAction(workshop_id=workshop.id, actor=actor, kind=kind, before=before,
                         after=after)
    db.session.add(action)
    db.session.flush()
    return action


def actions_of(workshop_id: int) -> list[BoardAction]:
    return db.session.scalars(select(BoardAction).where(
        BoardAction.workshop_id == workshop_id).order_by(BoardAction.id)).all()


def history(workshop_id: int) -> list[dict]:
    """Every board action as stored (the JSON export's `history`)."""
    return [a.as_dict() for a in actions_of(workshop_id)]


def described_history(workshop_id: int) -> list[dict]:
    """Every board action with `text`: what it did, as a sentence (the History panel)."""
    actions = actions_of(workshop_id)
    names = BoardNames(workshop_id, actions)
    names.rewind(actions)
    described = []
    for action in actions:
        described.append({**action.as_dict(), "text": describe(action, names)})
        names.follow(action)
    return described


def latest_undoable(workshop_id: int) -> BoardAction | None:
    """The latest action not undone yet, skipping those that cannot be undone (an undo)."""
    return db.session.scalar(select(BoardAction).where(
        BoardAction.workshop_id == workshop_id, BoardAction.undone_at.is_(None),
        BoardAction.kind.in_(UNDOABLE)).order_by(BoardAction.id.desc()).limit(1))


def latest_redoable(workshop_id: int) -> BoardAction | None:
    """The action undone most recently and not redone since, if that undo came after the
    latest new action (one not an undo or redo): a new action clears what could be redone.
    One query: the undos since the latest new action, latest first, whose action is still
    undone."""
    newest = select(func.coalesce(func.max(BoardAction.id), 0)).where(
        BoardAction.workshop_id == workshop_id, BoardAction.kind.not_in(STEPS)).scalar_subquery()
    step = aliased(BoardAction)
    return db.session.scalar(select(BoardAction).join(
        step, step.before["action"].as_integer() == BoardAction.id).where(
        step.workshop_id == workshop_id, step.kind == "board.undone", step.id > newest,
        BoardAction.workshop_id == workshop_id, BoardAction.undone_at.is_not(None))
        .order_by(step.id.desc()).limit(1))


def next_steps(workshop_id: int) -> dict:
    """What Undo and Redo would do now, as sentences (None: nothing), for the console's
    buttons; names as they are now."""
    undoable, redoable = latest_undoable(workshop_id), latest_redoable(workshop_id)
    names = BoardNames(workshop_id, []) if undoable or redoable else None
    return {"can_undo": undoable is not None, "can_redo": redoable is not None,
            "next_undo": describe(undoable, names) if undoable else None,
            "next_redo": describe(redoable, names) if redoable else None}


def kind_of(action: BoardAction) -> BoardActionKind:
    return KINDS.get(action.kind, UNKNOWN)


def describe(action: BoardAction, names: BoardNames) -> str:
    return kind_of(action).describe(action, names)


# theme.created: before {}, after {"theme"}

def _describe_theme_created(action, names) -> str:
    return _("Created the theme %(name)s", name=action.after["theme"]["name"])


def _story_theme_created(action, names) -> StoryLines:
    theme = action.after["theme"]
    return [(theme["id"], f"Theme {quote(theme['name'])} created")]


# theme.updated (renamed or recoloured): before {"theme"}, after {"theme"}

def _describe_theme_updated(action, names) -> str:
    old, new = action.before["theme"], action.after["theme"]
    if old["name"] != new["name"]:
        return _("Renamed the theme “%(old)s” to “%(new)s”", old=old["name"], new=new["name"])
    return _("Changed the colour of the theme %(name)s", name=new["name"])


def _story_theme_updated(action, names) -> StoryLines:
    old, new = action.before["theme"], action.after["theme"]
    if old["name"] == new["name"]:
        return []
    return [(new["id"], f"Renamed from {quote(old['name'])} to {quote(new['name'])}")]


# themes.reordered: before {"order"}, after {"order"} (theme ids)

# theme.deleted: before {"theme", "placements"}, after {"placements"}

def _describe_theme_deleted(action, names) -> str:
    return _("Deleted the theme %(name)s; its ideas are back among those not placed yet",
             name=action.before["theme"]["name"])


def _story_theme_deleted(action, names) -> StoryLines:
    return [(action.before["theme"]["id"],
             "Theme deleted; its ideas went back to the unplaced ideas")]


# idea.updated (moderation): before {"id", "fields"}, after {"id", "fields"}; one field of
# text, hidden, pinned, deleted, approved

def _describe_idea_updated(action, names) -> str:
    old, new = action.before.get("fields", {}), action.after.get("fields", {})
    idea = names.idea(action.after.get("id"))
    said = []
    for field, value in new.items():
        if field == "text":
            said.append(_("Edited “%(old)s” to “%(new)s”", old=short(old.get("text", "")),
                          new=short(value)))
        elif field == "hidden":
            said.append(_("Hid “%(idea)s” from the room", idea=idea) if value
                        else _("Showed “%(idea)s” to the room again", idea=idea))
        elif field == "pinned":
            said.append(_("Pinned “%(idea)s” to the top", idea=idea) if value
                        else _("Unpinned “%(idea)s”", idea=idea))
        elif field == "deleted":
            said.append(_("Deleted “%(idea)s”", idea=idea) if value
                        else _("Brought back “%(idea)s”", idea=idea))
        elif field == "approved":
            said.append(_("Approved “%(idea)s”", idea=idea) if value
                        else _("Sent “%(idea)s” back to the queue", idea=idea))
    return "; ".join(said) or _("Changed “%(idea)s”", idea=idea)


def _story_idea_updated(action, names) -> StoryLines:
    old, new = action.before.get("fields", {}), action.after.get("fields", {})
    if "text" not in old:
        return []
    return [(names.theme_now.get(action.before["id"]),
             f"{quote(old['text'])} edited to {quote(new['text'])}")]


# idea.moved: before {"placements"}, after {"placements", "idea"} (placements of the groups
# it touched; "idea", the one moved, is missing from actions recorded before it was kept)

def _moved(action) -> tuple[int | None, int | None, int | None]:
    """(the idea moved, its theme before, its theme after)."""
    was = {p[0]: (p[1], p[2]) for p in action.before.get("placements", [])}
    now = {p[0]: (p[1], p[2]) for p in action.after.get("placements", [])}
    idea_id = action.after.get("idea")
    if idea_id is None:  # the one that changed theme, else the one that went furthest
        changed = [i for i in now if i in was and was[i][0] != now[i][0]]
        idea_id = changed[0] if changed else max(
            now, key=lambda i: abs(now[i][1] - was.get(i, now[i])[1]), default=None)
    return idea_id, was.get(idea_id, (None,))[0], now.get(idea_id, (None,))[0]


def _describe_idea_moved(action, names) -> str:
    idea_id, old, new = _moved(action)
    idea = names.idea(idea_id)
    if old == new:
        return _("Moved “%(idea)s” within %(theme)s", idea=idea, theme=names.theme(new)) \
            if new is not None else _("Moved “%(idea)s” among the ideas not placed yet",
                                      idea=idea)
    if new is None:
        return _("Took “%(idea)s” out of %(theme)s", idea=idea, theme=names.theme(old))
    return _("Moved “%(idea)s” to %(theme)s", idea=idea, theme=names.theme(new))


def _story_idea_moved(action, names) -> StoryLines:
    was = {p[0]: p[1] for p in action.before.get("placements", [])}
    now = {p[0]: p[1] for p in action.after.get("placements", [])}
    lines = []
    for idea_id, theme_id in now.items():
        old = was.get(idea_id)
        if old == theme_id:
            continue
        idea = quote(names.texts.get(idea_id, "?"))
        if theme_id is not None:
            source = f" from {quote(names.theme(old))}" if old else ""
            lines.append((theme_id, f"{idea} moved in{source}"))
        if old is not None:
            target = quote(names.theme(theme_id)) if theme_id else "the unplaced ideas"
            lines.append((old, f"{idea} moved out to {target}"))
    return lines


# idea.merged: before {"idea", "into", "votes": [[participant, dots, moved, refund]]},
# after {"idea", "into"}

def _describe_idea_merged(action, names) -> str:
    return _("Merged “%(idea)s” into “%(into)s” as a duplicate",
             idea=names.idea(action.before["idea"]), into=names.idea(action.before["into"]))


def _story_idea_merged(action, names) -> StoryLines:
    merged, into = action.before["idea"], action.before["into"]
    return [(names.theme_now.get(into), f"{quote(names.texts.get(merged, '?'))} merged into "
                                        f"{quote(names.texts.get(into, '?'))} as a duplicate")]


# board.undone, board.redone: before {"action": id}, after {"kind"}; not undoable
# themselves (Undo after a redo undoes the action redone)

def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _describe_board_undone(action, names) -> str:
    undone = names.actions.get(action.before.get("action"))
    if undone is None or undone.kind in STEPS:
        return _("Undid a change")
    return _("Undid: %(action)s", action=_lower_first(describe(undone, names)))


def _describe_board_redone(action, names) -> str:
    redone = names.actions.get(action.before.get("action"))
    if redone is None or redone.kind in STEPS:
        return _("Redid a change")
    return _("Redid: %(action)s", action=_lower_first(describe(redone, names)))


def _no_story(action, names) -> StoryLines:
    return []


KINDS: dict[str, BoardActionKind] = {
    "theme.created": BoardActionKind(undo.undo_theme_created, undo.redo_theme_created,
                                     _describe_theme_created, _story_theme_created),
    "theme.updated": BoardActionKind(undo.undo_theme_updated, undo.redo_theme_updated,
                                     _describe_theme_updated, _story_theme_updated),
    "themes.reordered": BoardActionKind(undo.undo_themes_reordered, undo.redo_themes_reordered,
                                        lambda action, names: _("Reordered the themes"),
                                        _no_story),
    "theme.deleted": BoardActionKind(undo.undo_theme_deleted, undo.redo_theme_deleted,
                                     _describe_theme_deleted, _story_theme_deleted),
    "idea.updated": BoardActionKind(undo.undo_idea_updated, undo.redo_idea_updated,
                                    _describe_idea_updated, _story_idea_updated),
    "idea.moved": BoardActionKind(undo.undo_idea_moved, undo.redo_idea_moved,
                                  _describe_idea_moved, _story_idea_moved),
    "idea.merged": BoardActionKind(undo.undo_idea_merged, undo.redo_idea_merged,
                                   _describe_idea_merged, _story_idea_merged),
    "board.undone": BoardActionKind(None, None, _describe_board_undone, _no_story),
    "board.redone": BoardActionKind(None, None, _describe_board_redone, _no_story),
}
UNDOABLE = [kind for kind, row in KINDS.items() if row.undo is not None]
# A kind this code does not know (a newer version's, in a shared database): shown as is.
UNKNOWN = BoardActionKind(None, None, lambda action, names: action.kind, _no_story)
