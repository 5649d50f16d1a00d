"""Where things sit on the board: the themes in order, the ideas of each group (a theme, or
None for the ideas not placed yet) in order, and placements `[idea_id, theme_id or None,
position]`: read before and after a board action, and put back when it is undone."""
from sqlalchemy import select

from ..extensions import db
from ..models import Idea, Theme


def themes_of(workshop_id: int) -> list[Theme]:
    return db.session.scalars(select(Theme).where(
        Theme.workshop_id == workshop_id, Theme.deleted.is_(False))
        .order_by(Theme.position, Theme.id)).all()


def ideas_in(workshop_id: int, theme_id) -> list[Idea]:
    """The ideas on the board in one theme (or not placed yet, theme_id None), in order."""
    return list(db.session.scalars(select(Idea).where(
        Idea.workshop_id == workshop_id, Idea.theme_id.is_(theme_id) if theme_id is None
        else Idea.theme_id == theme_id, Idea.merged_into_id.is_(None), Idea.deleted.is_(False))
        .order_by(Idea.position, Idea.id)))


def renumber(ideas: list[Idea]) -> None:
    for position, idea in enumerate(ideas):
        idea.position = position


def placements(workshop_id: int, groups) -> list[list]:
    return [[i.id, i.theme_id, i.position] for g in groups for i in ideas_in(workshop_id, g)]


def restore(saved: list[list]) -> None:
    for idea_id, theme_id, position in saved:
        idea = db.session.get(Idea, idea_id)
        idea.theme_id, idea.position = theme_id, position


def apply_order(themes: list[Theme], order: list[int]) -> None:
    by_id = {t.id: t for t in themes}
    for position, theme_id in enumerate(order):
        if theme_id in by_id:
            by_id[theme_id].position = position
    db.session.flush()
