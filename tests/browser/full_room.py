"""A workshop at the size of a real room, for the layout tests and README screenshots:
50 phones, 150 ideas (mixed English, Spanish and Catalan/Valencian; some 500 characters
long, some right-to-left, some with emoji and long words), 12 themes with long names (one
right-to-left), most ideas placed, and dots spent. Made in-process, like new_workshop.

    room = full_room(browser_db, phase="grouping")   # {"id", "code", "token", ...}
"""
import random

from browser_support import saved

THEMES = [
    "Hydrogen valleys & renewable energy communities",
    "Skills, talent attraction and lifelong learning",
    "Interregional matchmaking between clusters",
    "Turismo sostenible y desestacionalización",
    "Agroalimentació i cadenes de valor curtes",
    "ممر الهيدروجين الأخضر",
    "Digital twins 🏭 and shared testbeds",
    "Public procurement of innovation",
    "Access to finance for SMEs and start-ups",
    "Movilidad sostenible y logística portuaria",
    "Circular economy in the ceramic cluster",
    "Dades obertes i espais de dades regionals",
]
OPENINGS = [
    "Create a joint {x} programme between regional clusters",
    "Crear una red de {x} para las pymes de la Comunitat Valenciana",
    "Impulsar un observatori de {x} compartit entre regions",
    "Pilot a cross-border {x} voucher scheme for SMEs",
    "Fund a {x} testbed open to companies from other regions",
    "Connect universities and companies through {x} internships",
    "Mapear las cadenas de valor de {x} en el arco mediterráneo",
    "Organitzar jornades de {x} amb clústers europeus",
]
TOPICS = ["hydrogen", "talent", "matchmaking", "turismo", "agroalimentació", "energía",
          "digital twin", "procurement", "financiación", "mobility", "circularity", "dades",
          "Interregionalzusammenarbeitsförderungsprogramm"]
RTL = ["إنشاء ممر للهيدروجين الأخضر بين الموانئ الإقليمية",
       "שיתוף פעולה בין אשכולות אזוריים בתחום האנרגיה"]
LONG = ("Build a shared, interregional skills observatory that maps the competences the "
        "hydrogen, ceramics, agrifood and tourism value chains will need over the next ten "
        "years, run jointly by the clusters, the universities and the public employment "
        "services of at least three regions, with open data, yearly foresight workshops, "
        "a voucher scheme for SMEs to train their staff, and a matchmaking day so that "
        "companies can meet the training centres that can deliver exactly those skills 🚀 ")


def idea_texts(count, seed=7):
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        if n % 25 == 3:
            text = LONG[:500]
        elif n % 30 == 7:
            text = RTL[(n // 30) % len(RTL)]
        else:
            text = rng.choice(OPENINGS).format(x=rng.choice(TOPICS))
            if n % 9 == 0:
                text += " 🌍⚡"
            if n % 4 == 1:
                text += ", starting with a pilot in two regions and a shared budget"
        texts.append(f"{text} ({n + 1})" if n % 25 != 3 else text)
    return texts


def full_room(db_url, phase="grouping", ideas=150, themes=12, people=50, placed=0.85,
              votes=True, vote_on="ideas", seed=7, **settings):
    """A workshop with `ideas` ideas, `themes` themes and `people` participants who spent
    their dots (when `votes`); returns saved()'s dict plus `idea_ids` and `theme_ids`."""
    from app import create_app
    from app.extensions import db
    from app.models import Idea, Participant, Theme, Vote
    from app.services import workshops
    rng = random.Random(seed)
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026 — València")
        workshop = workshops.create_workshop(
            event, "Interregional value chains",
            "How can clusters multiply the connections between regional value chains?",
            **settings)
        workshop.phase, workshop.vote_on = phase, vote_on
        db.session.flush()
        theme_rows = [Theme(workshop_id=workshop.id, name=THEMES[t % len(THEMES)],
                            colour=["#146c2e", "#1d4ed8", "#9a3412", "#6d28d9"][t % 4],
                            position=t) for t in range(themes)]
        db.session.add_all(theme_rows)
        members = [Participant(workshop_id=workshop.id, token=f"full-room-{seed}-{p}",
                               display_name=f"Person {p + 1}")
                   for p in range(people)]
        db.session.add_all(members)
        db.session.flush()
        idea_rows = []
        for n, text in enumerate(idea_texts(ideas, seed)):
            theme = theme_rows[n % len(theme_rows)] if theme_rows and rng.random() < placed \
                else None
            idea_rows.append(Idea(workshop_id=workshop.id, text=text,
                                  participant_id=members[n % people].id if people else None,
                                  theme_id=theme.id if theme else None, position=n))
        db.session.add_all(idea_rows)
        db.session.flush()
        if votes and people:
            targets = idea_rows if vote_on == "ideas" else theme_rows
            weights = [1 / (1 + i) ** 0.7 for i in range(len(targets))]
            for member in members:
                chosen = set()
                while len(chosen) < min(workshop.vote_budget, len(targets)):
                    chosen.add(rng.choices(range(len(targets)), weights)[0])
                for i in chosen:
                    key = {"idea_id": targets[i].id} if vote_on == "ideas" else {
                        "theme_id": targets[i].id}
                    db.session.add(Vote(workshop_id=workshop.id, participant_id=member.id,
                                        dots=1, **key))
                member.votes_used = len(chosen)
        info = saved_with_ids(workshop, idea_rows, theme_rows)
    return info


def saved_with_ids(workshop, idea_rows, theme_rows):
    idea_ids = [i.id for i in idea_rows]
    theme_ids = [t.id for t in theme_rows]
    info = saved(workshop)
    info.update(idea_ids=idea_ids, theme_ids=theme_ids)
    return info
