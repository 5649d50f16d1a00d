"""Posting ideas."""
from flask_babel import gettext as _

from ..extensions import db
from ..models import Change, Idea, Participant, Workshop
from ..vocabulary import POSTING_PHASE
from . import changes, fields
from .errors import InvalidInput

def clean_text(text) -> str:
    return fields.IDEA.clean(text)


def post_idea(workshop: Workshop, participant: Participant, text) -> tuple[Idea, Change]:
    text = clean_text(text)
    if workshop.phase != POSTING_PHASE:
        raise InvalidInput(_closed_for_posting(workshop.phase))
    idea = Idea(workshop_id=workshop.id, participant_id=participant.id, text=text,
                approved=not workshop.premoderation, revealed=not workshop.hide_until_reveal)
    db.session.add(idea)
    db.session.flush()
    # queued (pre-moderation) or private (until the reveal): facilitators only
    kind = "idea.queued" if not idea.approved else "idea.posted" if idea.revealed \
        else "idea.private"
    change = changes.record(workshop.id, kind, {"idea": changes.idea_dict(idea)})
    return idea, change


def _closed_for_posting(phase: str) -> str:
    return {
        "draft": _("The workshop has not started yet: posting opens when the facilitator "
                   "starts it."),
        "grouping": _("Posting is closed: the ideas are being grouped into themes."),
        "voting": _("Posting is closed: the workshop is voting now."),
        "results": _("Posting is closed: the results are being shown."),
        "closed": _("This workshop is closed."),
    }.get(phase, _("Posting is closed."))
