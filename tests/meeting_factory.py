"""Events with opted-in attendees who backed themes, for the meeting tests (made in the
database directly: the socket path to the same state is tested in test_matches_privacy)."""
import secrets
from datetime import datetime

from app.extensions import db
from app.models import Participant, Theme, Vote
from app.services import meeting_slots, workshops

DAY = "2030-05-12"
BEFORE = datetime(2030, 5, 12, 8, 0)   # "now" in the tests: before the first slot


def make_event(people=4, tables=2, days=(DAY,), slot_minutes=20, day_start="09:00",
               day_end="11:00", breaks=(), max_meetings=12, regions=None, opt_in=True,
               kinds=None):
    """An event, one workshop, `people` opted-in attendees from alternating regions who all
    backed the theme "Hydrogen valleys"; a meeting plan. Returns (event, workshop, tokens)."""
    event = workshops.create_event("Grow your Region 2030")
    workshop = workshops.create_workshop(event, "Hydrogen", "Where next?")
    workshop.vote_on = "themes"
    theme = Theme(workshop_id=workshop.id, name="Hydrogen valleys", colour="#1f4fd1")
    db.session.add(theme)
    db.session.flush()
    regions = regions or ["Valencia", "Navarra"]
    kinds = kinds or ["company", "cluster"]
    tokens = []
    for i in range(people):
        token = secrets.token_urlsafe(18)
        p = Participant(workshop_id=workshop.id, token=token, display_name=f"Person {i}",
                        organisation=f"Org {i}", kind=kinds[i % len(kinds)],
                        region=regions[i % len(regions)],
                        contact=f"p{i}@example.org" if opt_in else "", match_opt_in=opt_in)
        db.session.add(p)
        db.session.flush()
        db.session.add(Vote(workshop_id=workshop.id, participant_id=p.id, theme_id=theme.id,
                            dots=1))
        tokens.append(token)
    meeting_slots.set_plan(event, days=list(days), day_start=day_start, day_end=day_end,
                           slot_minutes=slot_minutes, breaks=list(breaks),
                           tables=[f"T{i}" for i in range(1, tables + 1)],
                           timezone="Europe/Madrid", max_meetings=max_meetings)
    db.session.commit()
    return event, workshop, tokens
