"""From rooms to a roadmap, in a real browser: the facilitator writes conclusions and action
items in `results`, phones and the projector follow live; the projector says who backs each
theme; attendees who opted in are introduced to people from other regions."""
import re
from urllib.parse import urljoin

from playwright.sync_api import expect

from browser_support import axe_violations, saved, screenshot
from test_screens import IDEAS

CONCLUSION = "Shared testbeds are the fastest way for SMEs to adopt Industry 4.0 across regions."


def themed_workshop(db_url, phase="voting"):
    """A workshop with two themes of ideas (made in-process, like a facilitator would)."""
    from app import create_app
    from app.extensions import db
    from app.models import Idea
    from app.services import board, workshops
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026")
        workshop = workshops.create_workshop(
            event, "Interregional value chains",
            "How can clusters multiply the connections between regional value chains?")
        ideas = [Idea(workshop_id=workshop.id, text=text) for text in IDEAS[:4]]
        db.session.add_all(ideas)
        db.session.flush()
        for name, placed in (("Testbeds and pilots", ideas[:2]), ("Skills", ideas[2:3])):
            theme_id = board.create_theme(workshop, name, actor="test")[0].data["theme"]["id"]
            for position, idea in enumerate(placed):
                board.move_idea(workshop, idea.id, theme_id, position, actor="test")
        workshop.phase = phase
        return saved(workshop)


def fill_profile(phone, name, organisation, kind, region, contact):
    phone.click("#profile summary")
    phone.fill("#p-name", name)
    phone.fill("#p-org", organisation)
    phone.select_option("#p-kind", kind)
    phone.fill("#p-region", region)
    phone.check("#p-match")
    phone.fill("#p-contact", contact)
    phone.click("#profile-form button[type=submit]")


def vote_for(phone, text):
    phone.locator("#ideas .idea", has_text=text).locator(".btn-primary").click()
    expect(phone.locator(".dot.used")).to_have_count(1)


def test_conclusions_actions_support_and_matches_reach_every_screen(pages, browser_db):
    workshop = themed_workshop(browser_db)
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    ana = pages("phone", f"/j/{workshop['code']}")
    ben = pages("phone", f"/j/{workshop['code']}")
    cara = pages("phone", f"/j/{workshop['code']}")   # backs the same theme, never opts in

    # Ana opts in with a contact that is neither an email nor a web page: told next to it
    fill_profile(ana, "Ana Ferrer", "Energy Cluster of the Valencia Region", "cluster",
                 "Comunitat Valenciana", "call me maybe")
    expect(ana.locator("#p-contact-error")).to_contain_text("email address or a web page")
    expect(ana.locator("#p-contact")).to_have_attribute("aria-invalid", "true")
    ana.fill("#p-contact", "ana@energycluster.example")
    ana.click("#profile-form button[type=submit]")
    expect(ana.locator("#profile-status")).to_have_text("Saved.")
    expect(ana.locator("#p-contact-error")).to_be_hidden()
    fill_profile(ben, "Ben Huber", "Huber Robotics GmbH", "company", "Upper Austria",
                 "https://huber-robotics.example.at")
    expect(ben.locator("#profile-status")).to_have_text("Saved.")
    ben.locator("#profile").scroll_into_view_if_needed()
    screenshot(ben, "phone-profile-opt-in")
    cara.click("#profile summary")
    cara.fill("#p-name", "Cara Rossi")
    cara.fill("#p-region", "Lombardia")
    cara.click("#profile-form button[type=submit]")
    expect(cara.locator("#profile-status")).to_have_text("Saved.")
    for phone in (ana, ben, cara):
        vote_for(phone, IDEAS[0])

    console.click('[data-phase="results"]')
    card = console.locator(".outcome", has_text="Testbeds and pilots")
    expect(card.locator(".support")).to_have_text(
        "Supported by 1 company, 1 cluster organisation and 1 other person from 3 regions")
    card.get_by_label("Conclusion", exact=True).fill(CONCLUSION)
    card.get_by_role("button", name="Save conclusion").click()
    expect(card.locator(".status")).to_have_text("Saved.")
    for what, owner, horizon in (
            ("Open the three regional testbeds to SMEs from partner regions",
             "Comunitat Valenciana", "short"),
            ("A joint voucher scheme for testbed use", "Upper Austria business agency", "medium")):
        card.get_by_label("What").fill(what)
        card.get_by_label("Who owns it").fill(owner)
        card.get_by_label("Horizon").select_option(horizon)
        card.get_by_role("button", name="Add action").click()
        expect(card.locator(".action-item", has_text=what)).to_be_visible()

    # live, without a reload: phones and projector
    for phone in (ana, ben):
        outcome = phone.locator(".outcome-phone", has_text="Testbeds and pilots")
        expect(outcome.locator(".conclusion")).to_have_text(CONCLUSION)
        expect(outcome.locator(".horizon-actions li")).to_have_count(2)
    screen_card = projector.locator(".outcome-card").first
    expect(screen_card.locator(".theme-title")).to_have_text("1. Testbeds and pilots — 3 votes")
    expect(screen_card.locator(".support")).to_have_text(
        "Supported by 1 company, 1 cluster organisation and 1 other person from 3 regions")
    expect(screen_card.locator(".conclusion")).to_have_text(CONCLUSION)
    expect(screen_card.locator(".horizon")).to_have_text(
        ["Short term (within a year)", "Medium term (1–3 years)"])
    expect(screen_card).to_contain_text("A joint voucher scheme for testbed use")

    # people to meet: each sees the other, with a contact they can use
    match = ana.locator("#match-list .match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("Ben Huber")
    expect(match).to_contain_text("Upper Austria")
    expect(match).to_contain_text("Testbeds and pilots")
    expect(match.get_by_role("link")).to_have_attribute("href", "https://huber-robotics.example.at")
    expect(ben.locator("#match-list .match").get_by_role("link")).to_have_attribute(
        "href", "mailto:ana@energycluster.example")
    expect(ana.locator("#match-list")).not_to_contain_text("Cara")   # she did not opt in
    expect(cara.locator("#matches-note")).to_contain_text("Opt in under “About you”")
    expect(cara.locator("#match-list .match")).to_have_count(0)
    cara.get_by_role("button", name="Open “About you”").click()
    expect(cara.locator("#p-match")).to_be_focused()

    # the projector never shows a contact or a name
    text = projector.locator("body").inner_text()
    for private in ("ana@energycluster.example", "huber-robotics", "Ana Ferrer", "Ben Huber"):
        assert private not in text and private not in projector.content()

    # an edit on the console follows everywhere
    item = card.locator(".action-item", has_text="A joint voucher scheme")
    item.get_by_role("button", name=re.compile("^Edit the action")).click()
    editor = card.locator(".is-editing")
    editor.get_by_label("What").fill("A joint voucher scheme for testbed use, open to clusters")
    editor.get_by_label("Horizon").select_option("long")
    editor.get_by_role("button", name="Save").click()
    expect(screen_card.locator(".horizon")).to_have_text(
        ["Short term (within a year)", "Long term (over 3 years)"])
    expect(ana.locator(".outcome-phone")).to_contain_text("open to clusters")

    # Ben changes his mind: his contact is gone and Ana no longer sees him
    ben.uncheck("#p-match")
    ben.click("#profile-form button[type=submit]")
    expect(ben.locator("#matches-note")).to_contain_text("Opt in under “About you”")
    ana.click("#matches-refresh")
    expect(ana.locator("#match-list .match")).to_have_count(0)
    expect(ana.locator("#matches-note")).to_contain_text("No one to introduce yet")
    ben.check("#p-match")
    expect(ben.locator("#p-contact")).to_have_value("")
    ben.fill("#p-contact", "https://huber-robotics.example.at")
    ben.click("#profile-form button[type=submit]")
    expect(ben.locator("#match-list .match")).to_have_count(1)
    ana.click("#matches-refresh")
    expect(ana.locator("#match-list .match")).to_have_count(1)

    for page, name in ((console, "console-outcomes"), (projector, "projector-results"),
                       (ana, "phone-matches")):
        assert axe_violations(page) == [], name
    console.locator("#outcomes").scroll_into_view_if_needed()
    screenshot(console, "console-outcomes")
    screenshot(projector, "projector-results")
    ana.locator("#matches").scroll_into_view_if_needed()
    screenshot(ana, "phone-matches")
    ana.locator("#outcomes").scroll_into_view_if_needed()
    screenshot(ana, "phone-outcomes")


def test_two_facilitators_write_outcomes_without_overwriting_each_other(pages, browser_db):
    workshop = themed_workshop(browser_db, phase="results")
    first = pages("console", f"/f/{workshop['token']}")
    second = pages("console", f"/f/{workshop['token']}")
    mine = first.locator(".outcome", has_text="Skills").get_by_label("Conclusion", exact=True)
    theirs = second.locator(".outcome", has_text="Skills")
    mine.fill("Half-written by the first facilitator")          # still typing, not saved
    theirs.get_by_label("What").fill("Skills academy pilot")
    theirs.get_by_role("button", name="Add action").click()
    expect(first.locator(".outcome", has_text="Skills").locator(".action-item")).to_have_count(1)
    expect(mine).to_have_value("Half-written by the first facilitator")   # not clobbered
    theirs.get_by_label("Conclusion", exact=True).fill("Saved by the second facilitator")
    theirs.get_by_role("button", name="Save conclusion").click()
    expect(theirs.locator(".status")).to_have_text("Saved.")
    expect(mine).to_have_value("Half-written by the first facilitator")
    expect(first.locator(".outcome", has_text="Skills").locator(".status")).to_contain_text(
        "Another facilitator changed this conclusion")
    # an empty action is refused in the page, the delete reaches the other console
    theirs.get_by_role("button", name="Add action").click()
    expect(theirs.locator(".action-form + .error")).to_have_text("Write what should be done first.")
    first.locator(".outcome", has_text="Skills").get_by_role(
        "button", name="Delete the action: Skills academy pilot").click()
    expect(theirs.locator(".action-item")).to_have_count(0)
    expect(first.locator(".outcome", has_text="Skills").get_by_label("What")).to_be_focused()
    expect(mine).to_have_value("Half-written by the first facilitator")   # left unsaved
    expect(theirs.get_by_label("Conclusion", exact=True)).to_have_value(
        "Saved by the second facilitator")


ROADMAP = [  # theme, its ideas, conclusion, action items (what, owner, horizon)
    ("Testbeds and pilots", IDEAS[0:2], CONCLUSION,
     [("Open the regional testbeds to SMEs from partner regions", "Comunitat Valenciana", "short"),
      ("A joint voucher scheme for testbed use", "Upper Austria business agency", "medium"),
      ("Publish a map of every testbed in the partnership", "Cluster network", "short"),
      ("Shared booking calendar for the testbeds", "Testbed operators", "short"),
      ("Interregional testbed certification", "Regional governments", "long"),
      ("Yearly testbed open day", "Clusters", "short")]),
    ("Value chain mapping", IDEAS[2:3],
     "Map who is missing in each S3 value chain, then invite them.",
     [("Map the five S3 value chains", "Smart specialisation unit", "short")]),
    ("Energy cooperation", IDEAS[3:4], "",
     [("Joint call of the energy clusters", "Energy clusters", "medium")]),
    ("Matchmaking", IDEAS[4:5],
     "Twice a year, with bilateral meetings booked before the event.", []),
    ("Skills for the green transition", IDEAS[6:7], "", []),
]
PEOPLE = [("company", "Comunitat Valenciana"), ("company", "Upper Austria"),
          ("cluster", "Comunitat Valenciana"), ("public_authority", "Lombardia"),
          ("company", "Pomorskie"), ("research_education", "Upper Austria"), ("cluster", "Norte"),
          ("company", "Lombardia"), ("", "")]


def roadmap_workshop(db_url):
    """Five themes, 27 voters with (mostly) filled profiles, conclusions and actions."""
    from app import create_app
    from app.extensions import db
    from app.models import Idea, Participant
    from app.services import board, outcomes, voting, workshops
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026")
        workshop = workshops.create_workshop(
            event, "Interregional value chains",
            "How can clusters multiply the connections between regional value chains?",
            vote_budget=3)
        workshop.phase = "voting"
        themes = []
        for name, texts, _conclusion, _actions in ROADMAP:
            theme_id = board.create_theme(workshop, name, actor="test")[0].data["theme"]["id"]
            themes.append(theme_id)
            for text in texts:
                idea = Idea(workshop_id=workshop.id, text=text)
                db.session.add(idea)
                db.session.flush()
                board.move_idea(workshop, idea.id, theme_id, 0, actor="test")
        ideas = {i.theme_id: i for i in db.session.query(Idea).filter_by(workshop_id=workshop.id)}
        for n in range(27):
            kind, region = PEOPLE[n % len(PEOPLE)]
            person = Participant(workshop_id=workshop.id, token=f"voter-{workshop.id}-{n}",
                                 kind=kind, region=region)
            db.session.add(person)
            db.session.flush()
            for theme_id in themes[: 1 + n % 5][:3]:
                voting.cast_vote(workshop.id, person.id, idea_id=ideas[theme_id].id)
        for theme_id, (_name, _texts, conclusion, actions) in zip(themes, ROADMAP, strict=True):
            outcomes.set_conclusion(workshop, conclusion, theme_id=theme_id)
            for what, owner, horizon in actions:
                outcomes.add_action(workshop, what, owner, horizon, theme_id=theme_id)
        workshop.phase = "results"
        return saved(workshop)


def test_the_projector_fits_five_themes_and_their_roadmap_on_one_screen(pages, browser_db):
    workshop = roadmap_workshop(browser_db)
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    cards = projector.locator(".outcome-card")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".support")).to_have_text(re.compile(
        r"^Supported by \d+ compan(y|ies), .* from 5 regions$"))
    # every action and the whole conclusion: what does not fit goes on the next page
    expect(cards.first.locator(".conclusion")).to_have_text(CONCLUSION)
    expect(projector.locator("#more")).to_have_text(re.compile(r"^Page 1 of \d+$"))
    fits = projector.evaluate("""() => [...document.querySelectorAll('.outcome-card')].every(c => {
        const r = c.getBoundingClientRect();
        return r.bottom <= innerHeight && r.right <= innerWidth;
    })""")
    assert fits, "every card fits the 1920×1080 screen without clipped text"
    assert projector.evaluate("parseFloat(getComputedStyle("
                              "document.querySelector('.outcome-action')).fontSize)") >= 28
    screenshot(projector, "projector-results-five-themes")
    console = pages("console", f"/f/{workshop['token']}")
    expect(console.locator(".outcome")).to_have_count(5)
    expect(console.locator(".outcome").first.locator(".support")).to_contain_text("from 5 regions")
    expect(console.locator(".outcome").first.locator("textarea")).to_have_value(CONCLUSION)
    expect(console.locator(".outcome").first.locator(".action-item")).to_have_count(6)
    screenshot(console, "console-outcomes-five-themes")


def tied_workshop(db_url):
    """Three themes voted on in `results`: Skills (made first) and Energy (placed first on
    the board) tie on 7 votes from different numbers of people; Tourism has 3."""
    from app import create_app
    from app.extensions import db
    from app.models import Idea, Participant, Vote
    from app.services import board, outcomes, workshops
    app = create_app("test", SQLALCHEMY_DATABASE_URI=db_url)
    with app.app_context():
        event = workshops.create_event("Grow your Region 2026")
        workshop = workshops.create_workshop(event, "Tie breaks", "Which theme first?",
                                             vote_budget=7, vote_cap=7)
        workshop.vote_on, workshop.phase = "themes", "grouping"
        ids = {name: board.create_theme(workshop, name, actor="test")[0].data["theme"]["id"]
               for name in ("Skills", "Energy", "Tourism")}
        board.reorder_themes(workshop, [ids["Energy"], ids["Skills"], ids["Tourism"]],
                             actor="test")
        for name, theme_id in ids.items():
            idea = Idea(workshop_id=workshop.id, text=f"An idea about {name.lower()}")
            db.session.add(idea)
            db.session.flush()
            board.move_idea(workshop, idea.id, theme_id, 0, actor="test")
        workshop.phase = "results"
        for name, theme_id in ids.items():
            outcomes.set_conclusion(workshop, f"{name} matters.", theme_id=theme_id)
        people = [Participant(workshop_id=workshop.id, token=f"tie-{n}") for n in range(7)]
        db.session.add_all(people)
        db.session.flush()
        votes = [("Skills", people[0], 7), ("Energy", people[1], 2)] + [
            ("Energy", p, 1) for p in people[2:]] + [("Tourism", people[0], 0),
                                                       ("Tourism", people[1], 3)]
        for name, person, dots in votes:
            if dots:
                db.session.add(Vote(workshop_id=workshop.id, participant_id=person.id,
                                    theme_id=ids[name], dots=dots))
        workshop.phase = "results"
        return saved(workshop)


def test_a_tie_ranks_the_same_on_every_screen_and_in_every_export(pages, browser_db):
    """One rule everywhere (services/ranking.py, realtime.js rankOf): most votes first, a tie
    shares its rank and keeps board order, whoever backs it. Energy (placed first, 6
    backers) and Skills (made first, 1 backer) both rank 1."""
    workshop = tied_workshop(browser_db)
    expected = ["1. Energy", "1. Skills", "3. Tourism"]
    console = pages("console", f"/f/{workshop['token']}")
    projector = pages("projector", f"/p/{workshop['screen_token']}")
    phone = pages("phone", f"/j/{workshop['code']}")

    heads = phone.locator("#ideas .group-head")
    expect(heads).to_have_count(3)
    assert [h.locator(".rank").inner_text() + " " + h.locator(".name").inner_text()
            for h in heads.all()] == expected
    expect(projector.locator(".theme-title")).to_have_count(3)
    assert [t.split(" — ")[0] for t in projector.locator(".theme-title").all_inner_texts()] \
        == expected
    titles = console.locator("#outcomes .outcome-list h3")
    expect(titles).to_have_count(3)
    assert [t.strip() for t in titles.all_inner_texts()] == expected

    link = console.locator("a", has_text="Markdown").first
    text = console.request.get(urljoin(console.url, link.get_attribute("href"))).text()
    ranked = [line[4:] for line in text.splitlines() if re.match(r"^### \d+\. ", line)]
    assert ranked[:3] == expected, text[:600]
