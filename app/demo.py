"""A demo conference run to the end: three workshops with attendees from several regions
and kinds of organisation, ideas grouped into themes, votes, conclusions and actions, and
themes that recur across rooms. `flask demo --full` builds it, so an organiser can open the
event roadmap and download every format at once. Built through the ordinary services."""
import random

from .extensions import db
from .services.errors import DomainError
from .services import board, outcomes, participants, recurring, voting, workshops
from .services.ideas import post_idea

REGIONS = ["Comunitat Valenciana", "Basque Country", "Navarra", "Bavaria", "Flanders",
           "Lower Silesia", "Emilia-Romagna", "Norte (Portugal)"]
KINDS = ["company", "company", "company", "cluster", "cluster", "public_authority",
         "research_education", "other"]

ROOMS = [
    ("Interregional value chains",
     "How can clusters multiply the connections between regional value chains?", {
         "Shared testbeds": ["Shared testbeds open to SMEs from partner regions",
                             "A catalogue of pilot lines and testbeds across regions",
                             "Vouchers so SMEs can test in another region’s facilities"],
         "Skills and talent": ["Joint vocational training for green skills",
                               "Exchange programme for technicians between clusters",
                               "Talent attraction campaign for industrial regions"],
         "Hydrogen valleys": ["Connect the hydrogen valleys along the Mediterranean corridor",
                              "Common standards for hydrogen refuelling at ports"],
     }),
    ("Smart specialisation in practice",
     "What would help your region deploy its smart specialisation strategy?", {
         "Skills for the transition": ["Training in digital and green skills for SME workers",
                                       "Upskilling cluster managers — €5 000 micro-grants"],
         "Public procurement": ["Innovation procurement by regional authorities",
                                "Pre-commercial procurement pilots shared by two regions"],
         "Data and monitoring": ["Open dashboard of S3 indicators per region",
                                 "Shared methodology to monitor interregional projects"],
     }),
    ("Financing partnerships",
     "Which instruments should finance interregional partnerships after 2027?", {
         "Blending funds": ["Combine Interreg and ERDF in one call for partnerships",
                            "Simplified cost options for small cluster projects"],
         "Hydrogen and energy": ["A joint fund for hydrogen valley pilot projects",
                                 "Energy communities in industrial parks"],
     }),
]

CONCLUSIONS = {
    "Shared testbeds": ("Regions should open their testbeds to each other's SMEs through "
                        "one catalogue and a voucher that crosses borders.",
                        [("Publish a catalogue of open testbeds", "Vanguard Initiative", "short"),
                         ("Pilot cross-border test vouchers", "Partner regions’ agencies",
                          "medium")]),
    "Skills and talent": ("Skills shortages are shared: train technicians together and let "
                          "them move between clusters.",
                          [("Design a joint curriculum for green skills", "Cluster managers",
                            "medium")]),
    "Hydrogen valleys": ("Connect the valleys rather than build new ones.",
                         [("Agree common refuelling standards for ports", "Port authorities",
                           "long")]),
    "Public procurement": ("Authorities can buy innovation together.",
                           [("Launch two shared pre-commercial procurement pilots",
                             "Regional governments", "medium")]),
    "Blending funds": ("One call that blends Interreg and ERDF would halve the paperwork.",
                       [("Propose a blended call to the managing authorities", "DG REGIO liaison",
                         "short")]),
}


def build(title: str = "Grow your Region 2026", seed: int = 7, people: int = 24) -> tuple:
    """Create the demo event; returns (event, workshops)."""
    rng = random.Random(seed)
    event = workshops.create_event(title)
    rooms = []
    for room, (room_title, question, themes) in enumerate(ROOMS):
        workshop = workshops.create_workshop(event, room_title, question, vote_budget=5,
                                             vote_cap=2)
        rooms.append(workshop)
        workshops.set_phase(workshop, "collecting")
        crowd = []
        for n in range(people):
            person = participants.get_or_create(workshop, f"demo-{seed}-{room}-{n}")
            region = REGIONS[n % len(REGIONS)]
            fields = {"display_name": f"Attendee {n + 1}", "organisation": f"Org {n % 9 + 1}",
                      "kind": KINDS[n % len(KINDS)], "region": region}
            if n % 3 == 0:
                fields.update(contact=f"attendee{n + 1}@example.eu", match_opt_in=True)
            participants.update_profile(person, **fields)
            crowd.append(person)
        placed = {}
        for name, texts in themes.items():
            theme_changes = board.create_theme(workshop, name, actor="facilitator:demo")
            theme_id = theme_changes[0].data["theme"]["id"]
            for text in texts:
                idea, _change = post_idea(workshop, rng.choice(crowd), text)
                board.move_idea(workshop, idea.id, theme_id, 0, actor="facilitator:demo")
                placed[idea.id] = name
        workshops.set_phase(workshop, "voting")
        weights = {i: rng.random() for i in placed}
        for person in crowd:
            for idea_id in rng.choices(list(weights), weights=list(weights.values()), k=4):
                try:
                    with db.session.begin_nested():
                        voting.cast_vote(workshop.id, person.id, idea_id=idea_id)
                except DomainError:  # over the cap on that idea: a real attendee moves on
                    pass
        workshops.set_phase(workshop, "results")
        theme_ids = {t.name: t.id for t in board.themes_of(workshop.id)}
        for name, (text, actions) in CONCLUSIONS.items():
            if name in theme_ids:
                outcomes.set_conclusion(workshop, text, theme_id=theme_ids[name])
                for what, owner, horizon in actions:
                    outcomes.add_action(workshop, what, owner, horizon, theme_id=theme_ids[name])
        workshops.set_phase(workshop, "closed")
    db.session.flush()
    names = {(t.workshop_id, t.name): t.id for w in rooms for t in board.themes_of(w.id)}
    recurring.confirm(event, [names[(rooms[0].id, "Skills and talent")],
                              names[(rooms[1].id, "Skills for the transition")]], "Skills")
    recurring.confirm(event, [names[(rooms[0].id, "Hydrogen valleys")],
                              names[(rooms[2].id, "Hydrogen and energy")]], "Hydrogen")
    return event, rooms
