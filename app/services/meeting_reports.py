"""What the organiser sees of an event's meetings: the grid (tables × slots), the counts,
the rows of the CSV export, and the event roadmap's "Collaborations started" (counts only:
meetings between which kinds and regions, around which themes; no names)."""
from collections import Counter

from sqlalchemy import select

from ..extensions import db
from ..models import Event, MeetingBlock, MeetingPerson, MeetingRequest
from ..vocabulary import STAKEHOLDER_KINDS
from . import meeting_people, meeting_slots
from .support import RegionNames

STATUSES = ("pending", "accepted", "declined", "cancelled", "removed")


def is_held(plan, meeting: MeetingRequest, now) -> bool:
    """Held: accepted (never cancelled or removed: neither is allowed once a meeting has
    started) and its slot has ended by the venue's clock. Plenary does not record who
    turned up; a meeting the two people skipped without cancelling counts as held."""
    return bool(plan and now and meeting.status == "accepted" and meeting.slot_start
                and meeting_slots.slot_end(plan, meeting.slot_start) <= now)


def _meetings(event: Event) -> list[MeetingRequest]:
    return list(db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id).order_by(MeetingRequest.id)))


def _people(event: Event) -> tuple[dict, dict]:
    """person id -> profile (None if not opted in any more)."""
    profiles = meeting_people.profiles(event.id)
    tokens = dict(db.session.execute(select(MeetingPerson.id, MeetingPerson.token).where(
        MeetingPerson.event_id == event.id)).all())
    return {pid: profiles.get(token) for pid, token in tokens.items()}, profiles


def summary(event: Event, now=None) -> dict:
    """Counts: requested (every request ever), pending, accepted (booked now), held (see
    is_held; included in accepted), declined, cancelled, removed; accepted meetings by pair
    of kinds, pair of regions and shared theme. Once the event's personal data was erased, the
    counts frozen at that moment."""
    plan = meeting_slots.plan_of(event.id)
    rows = _meetings(event)
    if not rows and plan is not None and plan.frozen_summary:
        return plan.frozen_summary
    now = now or (meeting_slots.venue_now(plan) if plan else None)
    by_status = Counter(r.status for r in rows)
    people, _profiles = _people(event)
    booked = [r for r in rows if r.status == "accepted"]
    names = RegionNames(p.region for p in people.values() if p)
    kinds, regions, themes, listed = Counter(), Counter(), Counter(), []
    for r in booked:
        a, b = people.get(r.requester_id), people.get(r.invitee_id)
        if r.requester_listed and r.invitee_listed and a and b:  # both agreed (opted in)
            listed.append({"a": _organisation(a), "b": _organisation(b),
                           "themes": list(r.shared or [])})
        pair = sorted(p.kind if p and p.kind in STAKEHOLDER_KINDS else "" for p in (a, b))
        if all(pair):
            kinds[" + ".join(pair)] += 1
        places = sorted(names(p.region) if p and p.region.strip() else "" for p in (a, b))
        if all(places):
            regions[" + ".join(places)] += 1
        themes.update(r.shared or [])
    held = sum(1 for r in booked if is_held(plan, r, now))
    return {"requested": len(rows), **{s: by_status.get(s, 0) for s in STATUSES},
            "held": held,
            "kinds": dict(kinds.most_common()), "regions": dict(regions.most_common()),
            "themes": dict(themes.most_common()), "listed": listed}


def _organisation(p) -> str:
    return (p.organisation or p.display_name or "—") if p else "—"


def freeze(event: Event) -> None:
    """Before the meetings are erased: keep their counts (anonymous) on the plan."""
    plan = meeting_slots.plan_of(event.id)
    if plan is not None and db.session.scalar(select(MeetingRequest.id).where(
            MeetingRequest.event_id == event.id).limit(1)):
        plan.frozen_summary = {**summary(event), "listed": []}  # no names once erased


def _label(p) -> str:
    if p is None:
        return "—"
    return " · ".join(x for x in (p.display_name, p.organisation) if x) or p.region


def grid(event: Event, now=None) -> dict:
    """The plan's slots as rows, its tables as columns, each cell the meeting there (and
    whether it was held)."""
    plan = meeting_slots.plan_of(event.id)
    if plan is None:
        return {"plan": None, "rows": [], "tables": [], "elsewhere": []}
    now = now or meeting_slots.venue_now(plan)
    people, _profiles = _people(event)
    at = {}
    for r in _meetings(event):
        if r.status == "accepted" and r.slot_start is not None:
            at[(r.slot_start, r.table_name)] = {
                "id": r.id, "a": _label(people.get(r.requester_id)),
                "b": _label(people.get(r.invitee_id)), "shared": r.shared or [],
                "held": is_held(plan, r, now)}
    rows = [{"start": s, "end": meeting_slots.slot_end(plan, s),
             "cells": [at.pop((s, t), None) for t in plan.tables]}
            for s in meeting_slots.slots(plan)]
    # booked before the plan changed: still shown, so nobody is lost
    elsewhere = [{"start": s, "table": t, **cell} for (s, t), cell in sorted(at.items())]
    return {"plan": plan, "rows": rows, "tables": plan.tables, "elsewhere": elsewhere}


def rows_for_export(event: Event) -> list[dict]:
    """One row per request, for the organiser's CSV (names, organisations, kinds, regions;
    no contacts, no messages)."""
    plan = meeting_slots.plan_of(event.id)
    people, _profiles = _people(event)
    found = []
    for r in _meetings(event):
        a, b = people.get(r.requester_id), people.get(r.invitee_id)
        found.append({
            "id": r.id, "status": r.status,
            "start": r.slot_start.isoformat(timespec="minutes") if r.slot_start else "",
            "end": meeting_slots.slot_end(plan, r.slot_start).isoformat(timespec="minutes")
            if r.slot_start and plan else "",
            "table": r.table_name or "",
            **{f"{side}_{k}": v for side, p in (("requester", a), ("invitee", b))
               for k, v in meeting_people.card(p).items()},
            "shared_themes": "; ".join(r.shared or [])})
    return found


def reports(event: Event) -> list[dict]:
    """Blocks that were reported as abuse, with the requests between the two people."""
    people, _profiles = _people(event)
    found = []
    for block in db.session.scalars(select(MeetingBlock).where(
            MeetingBlock.event_id == event.id, MeetingBlock.reported.is_(True))
            .order_by(MeetingBlock.id)):
        found.append({"by": _label(people.get(block.blocker_id)),
                      "about": _label(people.get(block.blocked_id)),
                      "requests": [r.id for r in db.session.scalars(select(MeetingRequest).where(
                          MeetingRequest.requester_id == block.blocked_id,
                          MeetingRequest.invitee_id == block.blocker_id))]})
    return found
