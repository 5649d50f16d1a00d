"""The read both doors answer (a socket's `workshop.join`/`workshop.sync` and the JSON
API's GET state): where a client stands and how to catch up, for the actor asking.

Deltas since the client's version, or a snapshot (built once per workshop version and role,
changes.VersionCache), and for an attendee their own state (votes left, profile).
"""
from flask import current_app

from .actors import Actor
from .services import participants, snapshots


def state(actor: Actor, since, participant=None) -> dict:
    """`participant`: the attendee's row, when the caller read it already (a join)."""
    version, sync = snapshots.sync(actor.workshop_id, since, current_app.config["MAX_DELTAS"],
                                 moderator=actor.role == "facilitator",
                                 participant_id=actor.participant_id,
                                 cache=current_app.extensions["plenary_snapshots"])
    answer = {"version": version, "sync": sync}
    if actor.role == "attendee":
        answer["me"] = participants.own_state(actor.participant_id, participant) \
            if actor.participant_id else None
    return answer
