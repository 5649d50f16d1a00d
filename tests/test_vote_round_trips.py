"""How many statements a vote sends to the database, over a real Socket.IO client: a
burst of votes is bound by the work per vote (docs/PERFORMANCE.md, "Votes"), so more
round trips per vote is a regression. Counted: every statement of the event's handler on
its own thread (the tally flush runs in a background task), BEGIN left out. The vote's
statements run on the driver (database.Prepared); SQLAlchemy's listeners still see them."""
import threading

from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Participant, PendingTally, ProcessedWrite, Vote
from helpers import Client, make_workshop, new_client_id

# grant check, stored answer?, phase+settings+idea, budget UPDATE, vote upsert or
# last-dot DELETE, ProcessedWrite INSERT, PendingTally INSERT (15 and 12 before)
CAST_STATEMENTS = RETRACT_STATEMENTS = 7


def statements_during(app, action, compiled=None):
    """(result, the SQL statements `action` sent from this thread, BEGIN left out); with
    a `compiled` list, also whether each was compiled before: taken from SQLAlchemy's
    compiled cache, or run by database.Prepared (compiled once; no execution context)."""
    me, seen = threading.get_ident(), []

    def record(_conn, _cursor, statement, _parameters, context, _many):
        if threading.get_ident() == me and not statement.lstrip().upper().startswith("BEGIN"):
            seen.append(" ".join(statement.split())[:80])
            if compiled is not None:
                compiled.append((seen[-1], context is None
                                 or context.cache_hit == context.dialect.CACHE_HIT))
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        return action(), seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _voting_room(app, **settings):
    workshop = make_workshop(app, **settings)
    facilitator, phone = Client(app, workshop, "facilitator"), Client(app, workshop, "attendee")
    facilitator.join()
    phone.join()
    ideas = [phone.write("idea.post", text=f"Idea {n}")["idea"]["id"] for n in range(2)]
    assert facilitator.write("phase.set", phase="voting")["ok"]
    return workshop, phone, ideas


def _rows(app):
    with app.app_context():
        counts = (db.session.scalar(select(func.sum(Participant.votes_used))),
                  db.session.scalar(select(func.coalesce(func.sum(Vote.dots), 0))),
                  db.session.scalar(select(func.count(ProcessedWrite.id))),
                  db.session.scalar(select(func.count(PendingTally.id))))
        db.session.remove()
        return counts


def test_a_vote_and_its_retraction_take_seven_statements_each(app):
    workshop, phone, (idea, _other) = _voting_room(app)
    cast, sent = statements_during(app, lambda: phone.write("vote.cast", idea_id=idea))
    assert cast == {"ok": True, "idea_id": idea, "my_dots": 1, "votes_used": 1,
                    "votes_left": 4}
    assert len(sent) == CAST_STATEMENTS, sent
    assert sent[-2].startswith("INSERT INTO processed_write")
    assert sent[-1].startswith("INSERT INTO pending_tally")  # crash-safe: same transaction
    retract, sent = statements_during(app, lambda: phone.write("vote.retract", idea_id=idea))
    assert retract == {"ok": True, "idea_id": idea, "my_dots": 0, "votes_used": 0,
                       "votes_left": 5}
    assert len(sent) == RETRACT_STATEMENTS, sent


def test_a_vote_builds_and_compiles_nothing_the_second_time(app):
    """A burst is bound by the Python work per vote: every statement of a later vote comes
    from SQLAlchemy's compiled cache (its own upserts are never cached: voting.py)."""
    workshop, phone, (idea, other) = _voting_room(app, vote_budget=5, vote_cap=2)
    for name in ("vote.cast", "vote.cast", "vote.retract", "vote.retract"):
        assert phone.write(name, idea_id=other)["ok"]  # the first votes fill the cache
    compiled = []
    statements_during(app, lambda: phone.write("vote.cast", idea_id=idea), compiled)
    statements_during(app, lambda: phone.write("vote.cast", idea_id=idea), compiled)
    statements_during(app, lambda: phone.write("vote.retract", idea_id=idea), compiled)
    statements_during(app, lambda: phone.write("vote.retract", idea_id=idea), compiled)
    assert len(compiled) == 2 * CAST_STATEMENTS + 2 * RETRACT_STATEMENTS + 1
    assert [statement for statement, hit in compiled if not hit] == []


def test_a_resent_vote_is_answered_from_its_stored_answer_in_two_statements(app):
    workshop, phone, (idea, _other) = _voting_room(app)
    client_id = new_client_id()
    first = phone.write("vote.cast", client_id=client_id, idea_id=idea)
    before = _rows(app)
    again, sent = statements_during(
        app, lambda: phone.write("vote.cast", client_id=client_id, idea_id=idea))
    assert again == first and len(sent) == 2, sent  # the grant, the stored answer
    # applied once: one dot, one stored answer; the pending tally may be flushed already
    assert _rows(app)[:3] == before[:3] and before[:2] == (1, 1)


def test_a_refused_vote_changes_nothing_and_stays_within_the_same_statements(app):
    workshop, phone, (idea, other) = _voting_room(app, vote_budget=1)
    assert phone.write("vote.cast", idea_id=idea)["ok"]
    before = _rows(app)
    over, sent = statements_during(app, lambda: phone.write("vote.cast", idea_id=other))
    assert over["error"] == ("You have used all 1 of your votes. "
                             "Take one back to vote for another idea.")
    assert len(sent) <= CAST_STATEMENTS - 2, sent  # refused before anything is recorded
    capped, sent = statements_during(app, lambda: phone.write("vote.cast", idea_id=idea))
    assert capped["error"].startswith("You have used all 1")  # the budget is checked first
    assert _rows(app)[:3] == before[:3]


def test_the_cap_refuses_in_the_upsert_and_gives_the_budgets_dot_back(app):
    workshop, phone, (idea, _other) = _voting_room(app, vote_budget=5, vote_cap=2)
    assert [phone.write("vote.cast", idea_id=idea)["my_dots"] for _ in range(2)] == [1, 2]
    capped, sent = statements_during(app, lambda: phone.write("vote.cast", idea_id=idea))
    assert capped["error"] == ("You have already put 2 votes on this idea, "
                               "the most allowed per idea.")
    assert len(sent) == CAST_STATEMENTS - 2, sent
    assert _rows(app)[:2] == (2, 2)  # the rolled-back UPDATE did not keep a dot
    # taking one of two dots back keeps the row: one more statement than the last dot
    retract, sent = statements_during(app, lambda: phone.write("vote.retract", idea_id=idea))
    assert retract["my_dots"] == 1 and retract["votes_used"] == 1
    assert len(sent) == RETRACT_STATEMENTS + 1, sent
