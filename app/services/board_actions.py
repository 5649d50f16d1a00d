"""Every kind of board action in one table, `KINDS`: how it is undone, how it reads in the
facilitator's History panel (a sentence in the reader's language) and how it reads in a
theme's story in the roadmap exports (English, like the rest of those documents).

A BoardAction row keeps the kind, who, when, and what was before and after; board.py and
moderation.py record them with `record_board_action`, `board.undo` undoes the latest one
that can be undone. A new kind of board action is one new row here."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import BoardAction, Change, Idea, Participant, Theme, Vote, Workshop
from . import changes
from .board_names import BoardNames, quote, short
from .placements import apply_order, restore, themes_of

Undone = tuple[list[Change], list[int]]  # the changes, the ideas whose vote totals changed
StoryLines = list[tuple[int | None, str]]  # (theme id, English line) for each theme concerned


@dataclass(frozen=True)
class BoardActionKind:
    undo: Callable[[Workshop, BoardAction], Undone] | None  # None: cannot be undone
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


def kind_of(action: BoardAction) -> BoardActionKind:
    return KINDS.get(action.kind, UNKNOWN)


def describe(action: BoardAction, names: BoardNames) -> str:
    return kind_of(action).describe(action, names)


# theme.created: before {}, after {"theme"}

def _undo_theme_created(workshop, action) -> Undone:
    theme = db.session.get(Theme, action.after["theme"]["id"])
    theme.deleted = True
    return [changes.record(workshop.id, "theme.deleted", {"id": theme.id})], []


def _describe_theme_created(action, names) -> str:
    return _("Created the theme %(name)s", name=action.after["theme"]["name"])


def _story_theme_created(action, names) -> StoryLines:
    theme = action.after["theme"]
    return [(theme["id"], f"Theme {quote(theme['name'])} created")]


# theme.updated (renamed or recoloured): before {"theme"}, after {"theme"}

def _undo_theme_updated(workshop, action) -> Undone:
    was = action.before["theme"]
    theme = db.session.get(Theme, was["id"])
    theme.name, theme.colour = was["name"], was["colour"]
    return [changes.record(workshop.id, "theme.updated", {"theme": theme.as_dict()})], []


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

def _undo_themes_reordered(workshop, action) -> Undone:
    order = action.before["order"]
    apply_order(themes_of(workshop.id), order)
    return [changes.record(workshop.id, "themes.reordered", {"order": order})], []


# theme.deleted: before {"theme", "placements"}, after {"placements"}

def _undo_theme_deleted(workshop, action) -> Undone:
    theme = db.session.get(Theme, action.before["theme"]["id"])
    theme.deleted = False
    placed = action.before["placements"]
    restore(placed)
    return [changes.record(workshop.id, "theme.created", {"theme": theme.as_dict()}),
            changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


def _describe_theme_deleted(action, names) -> str:
    return _("Deleted the theme %(name)s; its ideas are back among those not placed yet",
             name=action.before["theme"]["name"])


def _story_theme_deleted(action, names) -> StoryLines:
    return [(action.before["theme"]["id"],
             "Theme deleted; its ideas went back to the unplaced ideas")]


# idea.updated (moderation): before {"id", "fields"}, after {"id", "fields"}; one field of
# text, hidden, pinned, deleted, approved

def _undo_idea_updated(workshop, action) -> Undone:
    idea = db.session.get(Idea, action.before["id"])
    fields = action.before["fields"]
    for field, value in fields.items():
        setattr(idea, field, value)
    return [changes.record(workshop.id, "idea.updated", changes.idea_update(idea, fields))], []


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

def _undo_idea_moved(workshop, action) -> Undone:
    placed = action.before["placements"]
    restore(placed)
    return [changes.record(workshop.id, "ideas.placed", {"placements": placed})], []


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

def _undo_idea_merged(workshop, action) -> Undone:
    before = action.before
    merged = db.session.get(Idea, before["idea"])
    merged.merged_into_id = None
    for participant_id, dots, moved, refund in before["votes"]:
        target = db.session.scalar(select(Vote).where(
            Vote.idea_id == before["into"], Vote.participant_id == participant_id))
        if target is not None:
            target.dots = max(0, target.dots - moved)
            if target.dots == 0:
                db.session.delete(target)
        db.session.add(Vote(workshop_id=workshop.id, participant_id=participant_id,
                            idea_id=merged.id, dots=dots))
        db.session.get(Participant, participant_id).votes_used += refund
    return ([changes.record(workshop.id, "idea.unmerged", {"id": merged.id,
                                                          "into": before["into"]})],
            [before["idea"], before["into"]])


def _describe_idea_merged(action, names) -> str:
    return _("Merged “%(idea)s” into “%(into)s” as a duplicate",
             idea=names.idea(action.before["idea"]), into=names.idea(action.before["into"]))


def _story_idea_merged(action, names) -> StoryLines:
    merged, into = action.before["idea"], action.before["into"]
    return [(names.theme_now.get(into), f"{quote(names.texts.get(merged, '?'))} merged into "
                                        f"{quote(names.texts.get(into, '?'))} as a duplicate")]


# board.undone: before {"action": id}, after {"kind"}; not undoable itself

def _describe_board_undone(action, names) -> str:
    undone = names.actions.get(action.before.get("action"))
    if undone is None or undone.kind == "board.undone":
        return _("Undid a change")
    what = describe(undone, names)
    return _("Undid: %(action)s", action=what[:1].lower() + what[1:])


def _no_story(action, names) -> StoryLines:
    return []


KINDS: dict[str, BoardActionKind] = {
    "theme.created": BoardActionKind(_undo_theme_created, _describe_theme_created,
                                     _story_theme_created),
    "theme.updated": BoardActionKind(_undo_theme_updated, _describe_theme_updated,
                                     _story_theme_updated),
    "themes.reordered": BoardActionKind(_undo_themes_reordered,
                                        lambda action, names: _("Reordered the themes"),
                                        _no_story),
    "theme.deleted": BoardActionKind(_undo_theme_deleted, _describe_theme_deleted,
                                     _story_theme_deleted),
    "idea.updated": BoardActionKind(_undo_idea_updated, _describe_idea_updated,
                                    _story_idea_updated),
    "idea.moved": BoardActionKind(_undo_idea_moved, _describe_idea_moved, _story_idea_moved),
    "idea.merged": BoardActionKind(_undo_idea_merged, _describe_idea_merged,
                                   _story_idea_merged),
    "board.undone": BoardActionKind(None, _describe_board_undone, _no_story),
}
UNDOABLE = [kind for kind, row in KINDS.items() if row.undo is not None]
# A kind this code does not know (a newer version's, in a shared database): shown as is.
UNKNOWN = BoardActionKind(None, lambda action, names: action.kind, _no_story)
