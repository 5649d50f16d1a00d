"""The read both doors answer (a socket's `workshop.join`/`workshop.sync` and the JSON
API's GET state): where a client stands and how to catch up, for the actor asking.

Deltas since the client's version, or a snapshot (built once per workshop version and role,
changes.VersionCache), and for an attendee their own state (votes left, profile).
"""
from flask import current_app

from .actors import Actor
from .services import participants, snapshots


def state(actor: Actor, since, participant=None, event=None) -> dict:
    """`participant` and `event`: the attendee's row and its event, when the caller read
    them already (a join)."""
    version, sync = snapshots.sync(actor.workshop_id, since, current_app.config["MAX_DELTAS"],
                                 moderator=actor.role == "facilitator",
                                 participant_id=actor.participant_id,
                                 cache=current_app.extensions["plenary_snapshots"])
    return _answer(actor, version, sync, participant, event)


def cached_state(actor: Actor, participant, event, connection) -> dict | None:
    """state() for an attendee with nothing to catch up on (no `since`), read on
    `connection` (a join's database.DriverTransaction) alone: the version, and the snapshot
    the cache holds at it. None when that is not all it takes (not cached yet, a snapshot
    of their own, their votes to read): state() then reads it."""
    if participant.votes_used != 0:
        return None
    found = snapshots.cached(actor.workshop_id, current_app.extensions["plenary_snapshots"],
                             connection)
    if found is None:
        return None
    return _answer(actor, *found, participant, event)


def _answer(actor: Actor, version: int, sync: dict, participant, event) -> dict:
    answer = {"version": version, "sync": sync}
    if actor.role == "attendee":
        answer["me"] = participants.own_state(actor.participant_id, participant, event) \
            if actor.participant_id else None
    return answer
