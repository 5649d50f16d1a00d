"""The names that board history sentences use: ideas by their (shortened) text, themes by
name, as they were when each action happened (`rewind`, then `follow` each action in order)
or as they are now."""
from sqlalchemy import select

from ..extensions import db
from ..models import BoardAction, Idea, Theme


def short(text: str, limit: int = 60) -> str:
    """An idea's text on one line, cut after a whole word if longer than `limit`."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")].rstrip(",;:")
    return cut + "…"


def quote(text: str, limit: int = 80) -> str:
    """For the English theme stories (cut at `limit` characters, as they always were)."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


class BoardNames:
    """What the sentences name, for one workshop: idea texts, the theme each idea is in now,
    theme names (deleted themes too), and the actions by id (an undo names what it undid)."""

    def __init__(self, workshop_id: int, actions: list[BoardAction]):
        rows = db.session.execute(select(Idea.id, Idea.text, Idea.theme_id).where(
            Idea.workshop_id == workshop_id)).all()
        self.texts = {r.id: r.text for r in rows}
        self.theme_now = {r.id: r.theme_id for r in rows}
        self.themes = dict(db.session.execute(select(Theme.id, Theme.name).where(
            Theme.workshop_id == workshop_id)).all())
        self.actions = {a.id: a for a in actions}

    def rewind(self, actions: list[BoardAction]) -> None:
        """Idea texts as they were before the first action; with `follow` after each action,
        a sentence names ideas and themes as they were then. Without, names are today's."""
        for action in reversed(actions):
            if action.kind == "idea.updated" and "text" in action.before.get("fields", {}):
                self.texts[action.before["id"]] = action.before["fields"]["text"]

    def follow(self, action: BoardAction) -> None:
        """The names as they are after `action` (theme renames, text edits, their undos and
        redos)."""
        undo = action.kind == "board.undone"
        if undo or action.kind == "board.redone":
            action = self.actions.get(action.before.get("action"))
            if action is None:
                return
        state = action.before if undo else action.after
        if action.kind in ("theme.created", "theme.updated") and "theme" in state:
            self.themes[state["theme"]["id"]] = state["theme"]["name"]
        elif action.kind == "idea.updated" and "text" in state.get("fields", {}):
            self.texts[state["id"]] = state["fields"]["text"]

    def idea(self, idea_id) -> str:
        return short(self.texts.get(idea_id, "?"))

    def theme(self, theme_id) -> str:
        return self.themes.get(theme_id, "?")
