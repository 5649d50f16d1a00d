"""How each theme was formed, in words, from the board history (BoardAction): created,
renamed, ideas moved in and out, duplicates merged, texts edited; each kind's lines come
from its row in board_actions.KINDS. Undone actions stay in the story, marked as undone,
because the roadmap's reader may ask about them."""
from collections import defaultdict

from ..models import isoformat
from . import board_actions
from .board_names import BoardNames


def by_theme(workshop_id: int) -> dict[int, list[dict]]:
    """theme_id -> [{"at": "…Z", "text": "…"}], oldest first."""
    actions = board_actions.actions_of(workshop_id)
    if not actions:
        return {}
    names = BoardNames(workshop_id, actions)
    story = defaultdict(list)
    for action in actions:
        for theme_id, text in board_actions.kind_of(action).story(action, names):
            if theme_id is None:
                continue
            if action.undone_at is not None:
                text += f" (undone at {isoformat(action.undone_at)[11:16]})"
            story[theme_id].append({"at": isoformat(action.created_at), "text": text})
    return dict(story)
