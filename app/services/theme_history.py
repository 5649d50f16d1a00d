"""How each theme was formed, in words, from the board history (BoardAction): created,
renamed, ideas moved in and out, duplicates merged, texts edited. Undone actions stay in
the story, marked as undone, because the roadmap's reader may ask about them."""
from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..models import BoardAction, Idea, Theme, isoformat


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


def by_theme(workshop_id: int) -> dict[int, list[dict]]:
    """theme_id -> [{"at": "…Z", "text": "…"}], oldest first."""
    actions = db.session.scalars(select(BoardAction).where(
        BoardAction.workshop_id == workshop_id).order_by(BoardAction.id)).all()
    if not actions:
        return {}
    texts = dict(db.session.execute(select(Idea.id, Idea.text).where(
        Idea.workshop_id == workshop_id)).all())
    theme_of = dict(db.session.execute(select(Idea.id, Idea.theme_id).where(
        Idea.workshop_id == workshop_id)).all())
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(
        Theme.workshop_id == workshop_id)).all())
    undone = {a.after.get("action"): a for a in actions if a.kind == "board.undone"}
    story = defaultdict(list)

    def tell(theme_id, action, text):
        if theme_id is None:
            return
        if action.id in undone:
            text += f" (undone at {isoformat(undone[action.id].created_at)[11:16]})"
        story[theme_id].append({"at": isoformat(action.created_at), "text": text})

    for action in actions:
        before, after = action.before or {}, action.after or {}
        if action.kind == "theme.created":
            theme = after["theme"]
            tell(theme["id"], action, f"Theme {_quote(theme['name'])} created")
        elif action.kind == "theme.updated":
            old, new = before["theme"], after["theme"]
            if old["name"] != new["name"]:
                tell(new["id"], action, f"Renamed from {_quote(old['name'])} to "
                                        f"{_quote(new['name'])}")
        elif action.kind == "theme.deleted":
            tell(before["theme"]["id"], action, "Theme deleted; its ideas went back to "
                                                "the unplaced ideas")
        elif action.kind == "idea.moved":
            was = {p[0]: p[1] for p in before.get("placements", [])}
            now = {p[0]: p[1] for p in after.get("placements", [])}
            for idea_id, theme_id in now.items():
                old = was.get(idea_id)
                if old == theme_id:
                    continue
                idea = _quote(texts.get(idea_id, "?"))
                if theme_id is not None:
                    source = f" from {_quote(names.get(old, '?'))}" if old else ""
                    tell(theme_id, action, f"{idea} moved in{source}")
                if old is not None:
                    target = _quote(names.get(theme_id, "?")) if theme_id else "the unplaced ideas"
                    tell(old, action, f"{idea} moved out to {target}")
        elif action.kind == "idea.merged":
            merged, into = before["idea"], before["into"]
            tell(theme_of.get(into), action, f"{_quote(texts.get(merged, '?'))} merged into "
                                             f"{_quote(texts.get(into, '?'))} as a duplicate")
        elif action.kind == "idea.updated" and "text" in before.get("fields", {}):
            idea_id = before["id"]
            tell(theme_of.get(idea_id), action,
                 f"{_quote(before['fields']['text'])} edited to "
                 f"{_quote(after['fields']['text'])}")
    return dict(story)
