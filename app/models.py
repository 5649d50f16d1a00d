"""Database models (SQLAlchemy 2.0 typed mappings).

Workshop state that clients see is versioned: every change bumps Workshop.version and is
written to the Change log, from which reconnecting clients are brought up to date.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .vocabulary import PHASE_ORDER as PHASES  # noqa: F401  (re-exported)
from .vocabulary import STAKEHOLDER_KINDS  # noqa: F401  (re-exported)
THEME_COLOURS = ("#1f4fd1", "#b3261e", "#146c2e", "#8a5300", "#6a1b9a", "#00695c", "#ad1457",
                 "#37474f")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def isoformat(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


class Organiser(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The site administrator (the first account): lists every event, manages events that
    # have no organiser (made from the shell). Sees other organisers' events only listed.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped at logout: every copy of an older login cookie stops working.
    login_version: Mapped[int] = mapped_column(default=0, server_default=text("0"))


class EventOrganiser(db.Model):
    """Who runs an event: its owner and the co-organisers the owner invited. Only they see
    or act on the event; every other organiser gets 404."""
    __table_args__ = (UniqueConstraint("event_id", "organiser_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organiser.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # "owner" or "co-organiser"
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    organiser: Mapped[Organiser] = relationship()


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("organiser.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The read-only results page /r/<token>, when the organiser published it.
    published_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Deleted events are kept (soft) but refuse everything with 410 Gone.
    deleted_at: Mapped[datetime | None]
    # When the organiser erased the attendees' profiles and contacts (privacy).
    personal_data_erased_at: Mapped[datetime | None]
    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="event", order_by="Workshop.id"
    )


class Workshop(db.Model):
    __table_args__ = (
        # A join code is unique among workshops that are not closed.
        Index("uq_workshop_open_code", "code", unique=True,
              sqlite_where=text("phase != 'closed'"),
              postgresql_where=text("phase != 'closed'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    code: Mapped[str] = mapped_column(String(6), index=True)
    facilitator_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The projector link /p/<token> for a venue PC (revocable like the facilitator link).
    screen_token: Mapped[str] = mapped_column(String(64), unique=True)
    phase: Mapped[str] = mapped_column(String(16), default="draft")
    vote_budget: Mapped[int] = mapped_column(default=5)
    vote_cap: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The countdown: running until clock_ends_at, or paused with clock_remaining_ms left;
    # clock_advance: move to the next phase when it reaches zero.
    clock_ends_at: Mapped[datetime | None]
    clock_remaining_ms: Mapped[int | None]
    clock_advance: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Pre-moderation: new ideas wait in the facilitator's queue until approved.
    premoderation: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Hidden until reveal: attendees see only their own ideas until the facilitator reveals.
    hide_until_reveal: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What the dots go on: "ideas" or "themes".
    vote_on: Mapped[str] = mapped_column(String(8), default="ideas", server_default="ideas")
    # Support by stakeholder kind and region, frozen when personal data was erased.
    segments_frozen: Mapped[dict | None] = mapped_column(JSON)
    # What the projectors show (services/projector.py): the facilitator's page (each
    # projector wraps it to the pages it has), one idea in the spotlight, vote counts hidden
    # until results, seconds between automatic pages (0: off), the join panel in a corner.
    projector_page: Mapped[int] = mapped_column(default=0, server_default="0")
    projector_spotlight_id: Mapped[int | None]
    projector_hide_tallies: Mapped[bool] = mapped_column(default=False, server_default=false())
    projector_auto_advance: Mapped[int] = mapped_column(default=0, server_default="0")
    projector_small_join: Mapped[bool] = mapped_column(default=False, server_default=false())
    # When it runs (venue time, naive): its attendees get no bilateral meeting then.
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    event: Mapped[Event] = relationship(back_populates="workshops")

    def settings(self) -> dict:
        return {"vote_budget": self.vote_budget, "vote_cap": self.vote_cap,
                "premoderation": self.premoderation,
                "hide_until_reveal": self.hide_until_reveal, "vote_on": self.vote_on}


class Participant(db.Model):
    """An attendee in one workshop, known by the token in their signed cookie."""
    __table_args__ = (UniqueConstraint("workshop_id", "token"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    token: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    organisation: Mapped[str] = mapped_column(String(80), default="")
    kind: Mapped[str] = mapped_column(String(32), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    # Collaboration matches: opted in to be introduced, with a contact (email or web page).
    contact: Mapped[str] = mapped_column(String(200), default="", server_default="")
    match_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    votes_used: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def profile(self) -> dict:
        return {"display_name": self.display_name, "organisation": self.organisation,
                "kind": self.kind, "region": self.region, "contact": self.contact,
                "match_opt_in": self.match_opt_in}


class Theme(db.Model):
    """A group of ideas the facilitator forms on the board (never called a cluster)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    colour: Mapped[str] = mapped_column(String(7))
    position: Mapped[int] = mapped_column(default=0)
    deleted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The same topic in other workshops of the event, as confirmed by the organiser.
    recurring_theme_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_theme.id"),
                                                           index=True)

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "colour": self.colour,
                "position": self.position}


class RecurringTheme(db.Model):
    """Themes of different workshops of one event that the organiser confirmed are the
    same topic; the event roadmap lists them together."""
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conclusion(db.Model):
    """The facilitator's one-paragraph conclusion on a theme or on a (top) idea."""
    __table_args__ = (UniqueConstraint("theme_id"), UniqueConstraint("idea_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict:
        return {"theme_id": self.theme_id, "idea_id": self.idea_id, "text": self.text}


class ActionItem(db.Model):
    """A roadmap action item (not a BoardAction): what should happen next about a theme or
    idea, who owns it, and when."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    what: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(120), default="")
    horizon: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def as_dict(self) -> dict:
        return {"id": self.id, "theme_id": self.theme_id, "idea_id": self.idea_id,
                "what": self.what, "owner": self.owner, "horizon": self.horizon}


class Idea(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The board: which theme (None = not placed yet), where in it, merged into which idea.
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"))
    # Moderation: hidden from attendees and the projector; pinned first; deleted (soft).
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    deleted: Mapped[bool] = mapped_column(default=False, server_default=false())
    approved: Mapped[bool] = mapped_column(default=True, server_default=true())
    revealed: Mapped[bool] = mapped_column(default=True, server_default=true())


class BoardAction(db.Model):
    """One facilitator action on the board, with what it changed, so it can be undone and
    so exports can show how each theme was formed (each kind: services/board_actions.py)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]

    def as_dict(self) -> dict:
        return {"id": self.id, "actor": self.actor, "kind": self.kind, "before": self.before,
                "after": self.after, "at": isoformat(self.created_at),
                "undone": self.undone_at is not None}


class Vote(db.Model):
    """The dots one participant has put on one idea, or on one theme when the workshop
    votes on themes (1..vote_cap)."""
    __table_args__ = (UniqueConstraint("participant_id", "idea_id"),
                      UniqueConstraint("participant_id", "theme_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    dots: Mapped[int] = mapped_column(default=0)


class PendingTally(db.Model):
    """A vote change that no `votes.tallied` version covers yet. Written in the vote's own
    transaction and deleted by the tally change that covers it, so a crash between the two
    cannot leave a vote out of every version (app/services/tallies.py)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"), index=True)
    idea_id: Mapped[int | None]
    theme_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Change(db.Model):
    """One versioned state change of a workshop, as broadcast to its room."""
    __table_args__ = (UniqueConstraint("workshop_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    version: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def envelope(self) -> dict:
        return {"version": self.version, "type": self.type, "data": self.data}


class ProcessedWrite(db.Model):
    """The answer given to a client write, so a resend with the same id is applied once."""
    __table_args__ = (UniqueConstraint("actor", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(80))
    client_id: Mapped[str] = mapped_column(String(64))
    response: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- bilateral meetings (app/services/meetings.py, meeting_slots.py) ---------------------

class MeetingPlan(db.Model):
    """When and where an event's bilateral meetings happen: days, a daily window cut into
    slots of `slot_minutes`, breaks, and the tables (or rooms), in the venue's time zone."""
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), unique=True)
    days: Mapped[list] = mapped_column(JSON)            # ["2026-05-12", ...]
    day_start: Mapped[str] = mapped_column(String(5))   # "09:00"
    day_end: Mapped[str] = mapped_column(String(5))     # "18:00"
    slot_minutes: Mapped[int] = mapped_column(default=20)
    breaks: Mapped[list] = mapped_column(JSON)          # [["12:30", "13:30"], ...]
    tables: Mapped[list] = mapped_column(JSON)          # ["Table 1", ...]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    max_meetings: Mapped[int] = mapped_column(default=12)  # per person
    # Counts of "Collaborations started", kept when the meetings themselves are erased.
    frozen_summary: Mapped[dict | None] = mapped_column(JSON)


class MeetingPerson(db.Model):
    """One attendee of an event for meetings: their browser token (a secret, never sent)
    across the event's workshops. `version` counts changes of their agenda."""
    __table_args__ = (UniqueConstraint("event_id", "token"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    token: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingRequest(db.Model):
    """A request from one person to another, then (accepted) a meeting at a slot and table.
    `open_pair` is the pair's key while the request is pending or accepted, else NULL: one
    open request per pair, whoever asked. A table is used once per slot."""
    __table_args__ = (UniqueConstraint("event_id", "open_pair"),
                      UniqueConstraint("event_id", "slot_start", "table_name"))
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("meeting_person.id"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("meeting_person.id"), index=True)
    open_pair: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    slot_start: Mapped[datetime | None]
    table_name: Mapped[str | None] = mapped_column(String(80))
    shared: Mapped[list | None] = mapped_column(JSON)   # theme names both backed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    # each side's "list our meeting in the public roadmap" (listed only when both agreed)
    requester_listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    invitee_listed: Mapped[bool] = mapped_column(default=False, server_default=false())


class MeetingSeat(db.Model):
    """A person taken at a slot by a meeting: nobody is in two meetings at once."""
    __table_args__ = (UniqueConstraint("person_id", "slot_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("meeting_person.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting_request.id"), index=True)
    slot_start: Mapped[datetime]


class MeetingBlock(db.Model):
    """A person who takes no more requests from another; `reported`: shown to the
    organiser as abuse."""
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("meeting_person.id"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("meeting_person.id"), index=True)
    reported: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
