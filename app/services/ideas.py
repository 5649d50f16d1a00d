"""Posting ideas."""
from ..extensions import db
from ..models import Change, Idea, Participant, Workshop
from . import changes
from .errors import InvalidInput

MAX_IDEA_LENGTH = 500


def clean_text(text) -> str:
    if not isinstance(text, str):
        raise InvalidInput("The idea must be text.")
    text = text.strip()
    if not text:
        raise InvalidInput("The idea is empty: write something first.")
    if len(text) > MAX_IDEA_LENGTH:
        raise InvalidInput(
            f"The idea is too long ({len(text)} characters; at most {MAX_IDEA_LENGTH}).")
    return text


def post_idea(workshop: Workshop, participant: Participant, text) -> tuple[Idea, Change]:
    text = clean_text(text)
    if workshop.phase != "collecting":
        raise InvalidInput(_closed_for_posting(workshop.phase))
    idea = Idea(workshop_id=workshop.id, participant_id=participant.id, text=text)
    db.session.add(idea)
    db.session.flush()
    change = changes.record(workshop.id, "idea.posted", {"idea": changes.idea_dict(idea)})
    return idea, change


def _closed_for_posting(phase: str) -> str:
    return {
        "draft": "The workshop has not started yet: posting opens when the facilitator starts it.",
        "voting": "Posting is closed: the workshop is voting now.",
        "results": "Posting is closed: the results are being shown.",
        "closed": "This workshop is closed.",
    }.get(phase, "Posting is closed.")
