"""Plenary's vocabulary, defined once: phases, stakeholder kinds, horizons, text limits and
the kinds of change a workshop records. Models, services, templates and export builders
import it; the browser gets it in each page's config (`for_clients()`, read by
static/js/realtime.js as `P.vocabulary`), so no script keeps a copy.

Plain data: importing it pulls in no database or Flask code. Labels are English msgids,
marked with N_ for extraction and translated where they are shown (`_(label)`).
"""


def N_(msgid: str) -> str:
    """Marks a label for translation (pybabel extracts N_) without translating it here."""
    return msgid


# The phases of a workshop, in order (the facilitator may jump to any of them).
PHASES = {
    "draft": N_("Draft"),
    "collecting": N_("Collect ideas"),
    "grouping": N_("Group into themes"),
    "voting": N_("Vote"),
    "results": N_("Show results"),
    "closed": N_("Close"),
}
PHASE_ORDER = tuple(PHASES)
POSTING_PHASE = "collecting"
GROUPING_PHASE = "grouping"
RANKING_PHASES = ("results", "closed")
CLOSED = "closed"

# Kinds of organisation an attendee may say they come from (optional profile).
STAKEHOLDER_KINDS = {
    "company": N_("Company"),
    "cluster": N_("Cluster organisation"),
    "public_authority": N_("Public authority"),
    "research_education": N_("Research & education"),
    "other": N_("Other"),
}

# Plural labels for sentences like "supported by 14 companies and 6 clusters".
STAKEHOLDER_KINDS_PLURAL = {
    "company": ("company", "companies"),
    "cluster": ("cluster organisation", "cluster organisations"),
    "public_authority": ("public authority", "public authorities"),
    "research_education": ("research or education body", "research and education bodies"),
    "other": ("other organisation", "other organisations"),
}

# When an action item should be done.
HORIZONS = {
    "short": N_("Short term (within a year)"),
    "medium": N_("Medium term (1–3 years)"),
    "long": N_("Long term (over 3 years)"),
}

# The longest text each field takes, in characters (app/services/fields.py enforces them).
LIMITS = {
    "idea": 500,
    "theme_name": 80,
    "conclusion": 2000,
    "action_what": 300,
    "action_owner": 120,
    "event_title": 200,
    "workshop_title": 200,
    "workshop_question": 500,
    "profile_field": 80,
    "profile_contact": 200,
    "email": 254,
    "meeting_message": 300,
}

# Bilateral meetings: what a person's agenda records (each also the Socket.IO event sent to
# the two people concerned, with their agenda version; docs/PROTOCOL.md), and the limits.
MEETING_CHANGE_TYPES = ("meeting.requested", "meeting.accepted", "meeting.listed",
                        "meeting.declined", "meeting.cancelled", "meeting.removed")
MEETING_LIMITS = {"open_requests": 20, "request_burst": 5, "request_every_s": 10}

# What a workshop's change log records; each is also the Socket.IO event that carries it
# (docs/PROTOCOL.md). Clients listen for exactly these.
CHANGE_TYPES = (
    "idea.posted", "idea.queued", "idea.private", "ideas.revealed", "idea.updated",
    "idea.merged", "idea.unmerged", "ideas.placed", "nothing.visible",
    "phase.changed", "settings.changed", "clock.changed", "votes.tallied",
    "theme.created", "theme.updated", "theme.deleted", "themes.reordered",
    "conclusion.changed", "action.added", "action.updated", "action.deleted",
    "projector.changed",
)


def for_clients() -> dict:
    """What the browser needs: keys and order (labels are rendered by the templates)."""
    return {"phases": list(PHASE_ORDER), "posting_phase": POSTING_PHASE,
            "grouping_phase": GROUPING_PHASE, "ranking_phases": list(RANKING_PHASES),
            "kinds": list(STAKEHOLDER_KINDS), "horizons": list(HORIZONS),
            "limits": dict(LIMITS), "change_types": list(CHANGE_TYPES),
            "meeting_change_types": list(MEETING_CHANGE_TYPES)}
