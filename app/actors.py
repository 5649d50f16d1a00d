"""Actor: who is calling, for one workshop, and by which grant (app/services/access.py)."""
from dataclasses import dataclass

ROLES = ("attendee", "screen", "facilitator")


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
