"""Domain rules, called directly: join codes, phases, ideas, and atomic dot voting under
real concurrency (threads with their own database connections)."""
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Change, Idea, Participant, Vote, Workshop
from app.services import ideas, participants, voting, workshops
from app.services.errors import DomainError, InvalidInput, NotFound
from helpers import make_workshop


def test_join_codes_are_unambiguous_and_unique_among_open_workshops(app, ctx):
    event = workshops.create_event("Event")
    codes = [workshops.create_workshop(event, f"W{n}").code for n in range(200)]
    db.session.commit()
    assert len(set(codes)) == 200
    assert all(len(c) == 6 and not set(c) & set("0O1IL") for c in codes)
    assert workshops.normalise_code(f" {codes[0][:3].lower()}-{codes[0][3:]} ") == codes[0]


def test_a_closed_code_may_be_reused_and_reopening_then_gets_a_new_code(app, ctx):
    event = workshops.create_event("Event")
    old = workshops.create_workshop(event, "Old")
    workshops.set_phase(old, "closed")
    new = workshops.create_workshop(event, "New")
    new.code = old.code  # the generator may hand a closed workshop's code out again
    db.session.commit()
    assert workshops.find_by_code(old.code) == new
    workshops.set_phase(old, "results")
    db.session.commit()
    assert old.code != new.code and workshops.find_by_code(old.code) == old


def test_phases_move_both_ways_and_each_change_is_one_version(app, ctx):
    event = workshops.create_event("Event")
    workshop = workshops.create_workshop(event, "W")
    db.session.commit()
    for phase in ("collecting", "voting", "collecting", "results", "closed", "draft"):
        change = workshops.set_phase(workshop, phase)
        db.session.commit()
        assert change.envelope()["data"]["phase"] == phase
    assert workshops.set_phase(workshop, "draft") is None  # already there: nothing recorded
    with pytest.raises(InvalidInput, match="Unknown phase"):
        workshops.set_phase(workshop, "brainstorm")
    db.session.rollback()
    versions = db.session.scalars(select(Change.version).order_by(Change.version)).all()
    assert versions == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("   \n ", "empty"), ("x" * 501, "too long"), (None, "must be text"),
    (12, "must be text"),
])
def test_bad_idea_text_is_refused(app, ctx, text, message):
    with pytest.raises(InvalidInput, match=message):
        ideas.clean_text(text)


def test_idea_text_is_trimmed_and_500_characters_fit(app, ctx):
    assert ideas.clean_text("  hello \n") == "hello"
    assert len(ideas.clean_text("é" * 500)) == 500


@pytest.mark.parametrize("phase", ["draft", "voting", "results", "closed"])
def test_posting_only_while_collecting(app, phase):
    info = make_workshop(app, phase=phase)
    with app.app_context():
        workshop = db.session.get(Workshop, info["id"])
        person = participants.get_or_create(workshop, "token")
        with pytest.raises(InvalidInput):
            ideas.post_idea(workshop, person, "An idea")


def _voting_setup(app, n_ideas=20, budget=5, cap=1, people=1):
    info = make_workshop(app, phase="voting", vote_budget=budget, vote_cap=cap)
    with app.app_context():
        workshop = db.session.get(Workshop, info["id"])
        idea_ids = []
        for n in range(n_ideas):
            idea = Idea(workshop_id=workshop.id, text=f"idea {n}")
            db.session.add(idea)
            db.session.flush()
            idea_ids.append(idea.id)
        people_ids = [participants.get_or_create(workshop, f"t{n}").id for n in range(people)]
        db.session.commit()
        db.session.remove()
    return info["id"], idea_ids, people_ids


def _vote_concurrently(app, jobs):
    """Each job (participant_id, idea_id) runs in its own thread and connection, together."""
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(workshop_id, participant_id, idea_id):
        with app.app_context():
            workshop = db.session.get(Workshop, workshop_id)
            person = db.session.get(Participant, participant_id)
            db.session.commit()  # end the read transaction before the race starts
            barrier.wait(timeout=30)
            try:
                voting.cast_vote(workshop.id, person.id, idea_id)
                db.session.commit()
                outcomes.append("ok")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stuck = sum(t.is_alive() for t in threads)
    assert not stuck, f"{stuck} of {len(threads)} concurrent votes still running after 60 s"
    return outcomes


def _totals(app, workshop_id):
    with app.app_context():
        dots = db.session.scalar(select(func.coalesce(func.sum(Vote.dots), 0))
                                 .where(Vote.workshop_id == workshop_id))
        used = db.session.scalar(select(func.coalesce(func.sum(Participant.votes_used), 0))
                                 .where(Participant.workshop_id == workshop_id))
        db.session.remove()
        return dots, used


def test_one_phone_firing_20_votes_at_once_stays_within_its_budget(app):
    workshop_id, idea_ids, (person,) = _voting_setup(app, budget=5)
    outcomes = _vote_concurrently(app, [(workshop_id, person, i) for i in idea_ids])
    assert outcomes.count("ok") == 5 and outcomes.count("refused") == 15
    assert _totals(app, workshop_id) == (5, 5)


def test_concurrent_votes_on_one_idea_respect_the_cap(app):
    workshop_id, idea_ids, (person,) = _voting_setup(app, budget=10, cap=3)
    outcomes = _vote_concurrently(app, [(workshop_id, person, idea_ids[0])] * 20)
    assert outcomes.count("ok") == 3
    assert _totals(app, workshop_id) == (3, 3)


def test_thirty_people_voting_at_once_are_all_counted(app):
    workshop_id, idea_ids, people = _voting_setup(app, people=30)
    outcomes = _vote_concurrently(app, [(workshop_id, p, idea_ids[0]) for p in people])
    assert outcomes.count("ok") == 30
    assert _totals(app, workshop_id) == (30, 30)


def test_stacking_retracting_and_refusals(app):
    workshop_id, idea_ids, (person_id,) = _voting_setup(app, n_ideas=2, budget=3, cap=2)
    other = make_workshop(app, phase="voting")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        person = db.session.get(Participant, person_id)
        foreign = Idea(workshop_id=other["id"], text="elsewhere")
        db.session.add(foreign)
        db.session.commit()
        a, b = idea_ids
        assert voting.cast_vote(workshop.id, person.id, a)["my_dots"] == 1
        assert voting.cast_vote(workshop.id, person.id, a)["my_dots"] == 2
        db.session.commit()
        with pytest.raises(InvalidInput, match="2 votes on this idea"):
            voting.cast_vote(workshop.id, person.id, a)
        db.session.rollback()
        assert voting.cast_vote(workshop.id, person.id, b)["votes_left"] == 0
        db.session.commit()
        with pytest.raises(InvalidInput, match="used all 3"):
            voting.cast_vote(workshop.id, person.id, b)
        db.session.rollback()
        assert voting.retract_vote(workshop.id, person.id, a) == {
            "idea_id": a, "my_dots": 1, "votes_used": 2, "votes_left": 1}
        db.session.commit()
        with pytest.raises(NotFound):
            voting.cast_vote(workshop.id, person.id, foreign.id)
        db.session.rollback()
        workshops.set_phase(workshop, "results")
        db.session.commit()
        with pytest.raises(InvalidInput, match="not open"):
            voting.retract_vote(workshop.id, person.id, a)
        db.session.rollback()
        assert voting.my_votes(person.id) == {a: 1, b: 1}
