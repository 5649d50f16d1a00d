"""What the projectors show, chosen by the facilitator: the page, one idea in the spotlight,
vote counts hidden until results, automatic paging, the join panel in a corner.

Stored on the Workshop row and versioned (`projector.changed`), so a reloaded or second
projector shows the same thing. The page is relative: each projector wraps it to the pages
it has at its size (static/js/screen.js), so the server never needs to know a screen's
size. Allowed in every phase, a closed workshop too: paging changes nothing it concluded.
A phase change goes back to the first page and clears the spotlight (`phase_changed`).
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Change, Idea, Workshop
from . import changes
from .errors import InvalidInput, NotFound
from .validation import bounded_int

MAX_PAGE = 999            # no room pages further; anything larger is a mistake
MAX_AUTO_ADVANCE = 120    # seconds between automatic pages (0: off)
UNCHANGED = object()      # spotlight_idea_id: None clears it, UNCHANGED leaves it


def view(workshop: Workshop) -> dict:
    """What a projector needs (in snapshots and in `projector.changed`)."""
    return {"page": workshop.projector_page, "spotlight_idea_id": workshop.projector_spotlight_id,
            "hide_tallies": workshop.projector_hide_tallies,
            "auto_advance": workshop.projector_auto_advance,
            "small_join": workshop.projector_small_join}


def set_view(workshop: Workshop, page=None, spotlight_idea_id=UNCHANGED, hide_tallies=None,
             auto_advance=None, small_join=None) -> Change | None:
    """Change what the projectors show; None (and UNCHANGED) leaves a field as it is. Every
    field is checked before any is written; nothing changed records nothing."""
    wanted = view(workshop)
    if page is not None:
        wanted["page"] = bounded_int("page", page, 0, MAX_PAGE)
    if auto_advance is not None:
        wanted["auto_advance"] = bounded_int("auto_advance", auto_advance, 0, MAX_AUTO_ADVANCE)
    for name, value in (("hide_tallies", hide_tallies), ("small_join", small_join)):
        if value is not None:
            if not isinstance(value, bool):
                raise InvalidInput(f"Field '{name}' must be true or false.")
            wanted[name] = value
    if spotlight_idea_id is not UNCHANGED:
        wanted["spotlight_idea_id"] = None if spotlight_idea_id is None else \
            _shown_idea(workshop, spotlight_idea_id).id
    if wanted == view(workshop):
        return None
    workshop.projector_page = wanted["page"]
    workshop.projector_spotlight_id = wanted["spotlight_idea_id"]
    workshop.projector_hide_tallies = wanted["hide_tallies"]
    workshop.projector_auto_advance = wanted["auto_advance"]
    workshop.projector_small_join = wanted["small_join"]
    db.session.flush()
    return changes.record(workshop.id, "projector.changed", view(workshop))


def phase_changed(workshop: Workshop) -> Change | None:
    """A new phase starts on the first page with nothing in the spotlight (called in the
    phase change's transaction: workshops.change_phase). None when it already is."""
    return set_view(workshop, page=0, spotlight_idea_id=None)


def _shown_idea(workshop: Workshop, idea_id) -> Idea:
    """An idea of this workshop that the room sees: not deleted, hidden, queued, private
    until the reveal, or merged into another."""
    bounded_int("spotlight_idea_id", idea_id, 1, 2**31 - 1)
    idea = db.session.scalar(select(Idea).where(Idea.id == idea_id,
                                                Idea.workshop_id == workshop.id))
    if idea is None or idea.deleted:
        raise NotFound(_("This idea does not exist in this workshop."))
    if idea.hidden or not idea.approved or not idea.revealed or idea.merged_into_id:
        raise InvalidInput(_("Only an idea the room can see can be in the spotlight."))
    return idea
