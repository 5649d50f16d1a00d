"""Actor: who is calling, for one workshop, and by which grant (app/services/access.py);
and the one table of what a caller in the wrong role is told."""
from dataclasses import dataclass

from flask_babel import gettext

from .services.errors import NotAllowed
from .vocabulary import N_

ROLES = ("attendee", "screen", "facilitator")
# The role an action needs -> what a caller in another role is told.
ROLE_REQUIRED = {
    "attendee": N_("Only attendees can do this (open the workshop's join link on your phone)."),
    "facilitator": N_("Only the workshop's facilitator can do this."),
}


@dataclass(frozen=True)
class Actor:
    """role is 'attendee', 'screen' (read-only projector) or 'facilitator'; grant is the
    (kind, value) the role was granted by, re-checked on every socket event."""
    role: str
    workshop_id: int
    participant_id: int | None = None
    grant: tuple | None = None

    @property
    def key(self) -> str:
        """Namespace for client write ids (idempotency)."""
        who = self.participant_id if self.role == "attendee" else self.workshop_id
        return f"{self.role}:{who}"


def require_role(actor: Actor, role: str) -> Actor:
    if actor.role != role:
        raise NotAllowed(gettext(ROLE_REQUIRED[role]))
    return actor
