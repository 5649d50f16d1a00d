"""Personal data: the attendees' optional profiles (name, organisation, kind, region) and
match contacts. The organiser can erase them for a whole event while keeping the anonymous
ideas, votes and conclusions; the support breakdown by kind and region is kept as frozen
anonymous counts. Deleting an event closes its workshops and erases the same data.

Erased means erased:
- once erased, an event takes no new personal data: profile updates (names, organisations,
  kinds, regions, contacts, match opt-ins) are refused, whatever phase a workshop is moved
  back to (`refuse_new_profiles`);
- should some be stored all the same (written before this rule, or a write that raced the
  erase), the event is not "erased" any more: exports say `personal_data_erased: false`,
  the event page offers to erase again and `flask erase-expired` erases it
  (`personal_data_erased`, `holders`, `expired_events`);
- after the erase is committed, the database files are made to forget the old bytes
  (`scrub_storage`: SQLite checkpoints its WAL; PostgreSQL vacuums the tables).
"""
import logging
import sqlite3
import time
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import Change, Event, MeetingPerson, MeetingRequest, Participant, \
    ProcessedWrite, Workshop, utcnow
from ..vocabulary import CLOSED
from . import meeting_reports, meetings, support, workshops
from .errors import Conflict, InvalidInput

log = logging.getLogger(__name__)

PROFILE_RESET = {"display_name": "", "organisation": "", "kind": "", "region": "",
                 "contact": "", "match_opt_in": False}
# How a checkpoint that other connections keep busy is retried (SQLite).
CHECKPOINT_ATTEMPTS = 5
CHECKPOINT_WAIT_MS = 200   # the busy timeout of each attempt
CHECKPOINT_PAUSE = 0.1     # seconds between attempts


def _personal():
    """A participant row that holds personal data."""
    return or_(Participant.display_name != "", Participant.organisation != "",
               Participant.kind != "", Participant.region != "", Participant.contact != "",
               Participant.match_opt_in.is_(True))


def _of_event(event_id):
    """Participants of an event (`event_id`: a number, or Event.id to correlate)."""
    return (Participant.workshop_id == Workshop.id) & (Workshop.event_id == event_id)


def holders(event: Event) -> int:
    """How many attendees of the event have personal data stored."""
    return db.session.scalar(select(func.count(Participant.id)).where(
        _of_event(event.id), _personal()))


def personal_data_erased(event: Event) -> bool:
    """What exports say as `personal_data_erased`: the organiser erased the event's personal
    data and none is stored now. Never true while some remains."""
    if event.personal_data_erased_at is None:
        return False
    return not db.session.scalar(select(exists().where(_of_event(event.id), _personal())))


def profiles_closed(event: Event) -> bool:
    """Once its personal data was erased, an event takes no new profiles or contacts."""
    return event.personal_data_erased_at is not None


def profiles_closed_message() -> str:
    return _("The organiser has erased this event's personal data; profiles are closed.")


def refuse_new_profiles(workshop: Workshop) -> None:
    """Before a profile is written: refuse if the event's personal data was erased. On
    PostgreSQL the event row is share-locked until the write commits, and an erase locks it
    exclusively first: a profile write either commits before the erase starts (and is
    erased with the rest) or sees the erase and is refused, never slips in between.
    (SQLite runs one writer at a time: BEGIN IMMEDIATE, app/database.py.)"""
    erased_at = db.session.scalar(select(Event.personal_data_erased_at).where(
        Event.id == workshop.event_id).with_for_update(read=True))
    if erased_at is not None:
        raise Conflict(profiles_closed_message())


def erase_personal_data(event: Event) -> int:
    """Erase every profile and contact of the event. Returns how many attendees had some."""
    open_ = [w.title for w in event.workshops if w.phase != CLOSED]
    if open_:
        raise InvalidInput(_("Close every workshop first (still open: %(titles)s): "
                             "people may still be filling in their profiles.",
                             titles=", ".join(open_)))
    return _erase(event)


def _erase(event: Event) -> int:
    # Profile writes in flight finish first; later ones wait, then see the erase.
    db.session.execute(select(Event.id).where(Event.id == event.id).with_for_update())
    ids = [w.id for w in event.workshops]
    for workshop in event.workshops:
        support.freeze(workshop)
    db.session.flush()
    participant_ids = db.session.scalars(select(Participant.id).where(
        Participant.workshop_id.in_(ids))).all() if ids else []
    had_data = 0
    if ids:
        had_data = db.session.query(Participant).filter(
            Participant.workshop_id.in_(ids), _personal()).count()
        db.session.execute(update(Participant).where(Participant.workshop_id.in_(ids))
                           .values(**PROFILE_RESET).execution_options(synchronize_session=False))
    # The stored answers to attendees' writes (kept so a resent write is applied once)
    # repeat their profiles: they go too.
    keys = [f"attendee:{pid}" for pid in participant_ids]
    for start in range(0, len(keys), 500):
        db.session.execute(delete(ProcessedWrite).where(
            ProcessedWrite.actor.in_(keys[start:start + 500])))
    # Bilateral meetings are personal data: their anonymous counts stay, the rest goes.
    meeting_reports.freeze(event)
    meetings.erase(event.id)
    event.personal_data_erased_at = utcnow()
    db.session.flush()
    return had_data


def delete_event(event: Event) -> list[tuple[int, Change]]:
    """Soft-delete: every workshop closes (the changes to broadcast are returned), the
    published page goes, personal data is erased; anything asked of it later is 410 Gone."""
    closed = []
    for workshop in event.workshops:
        change = workshops.set_phase(workshop, CLOSED)
        if change:
            closed.append((workshop.id, change))
    _erase(event)
    event.published_token = None
    event.deleted_at = utcnow()
    db.session.flush()
    return closed


def expired_events(days: int) -> list[Event]:
    """Events whose personal data the retention period says to erase: workshops all
    closed and quiet for `days` days, personal data never erased; or workshops all closed
    and personal data stored again after an erase (deleted events included), which goes at
    once: the organiser already asked for it to go."""
    cutoff = utcnow() - timedelta(days=days)
    stored_again = exists().where(_of_event(Event.id), _personal())
    events = db.session.scalars(select(Event).where(or_(
        Event.deleted_at.is_(None) & Event.personal_data_erased_at.is_(None),
        Event.personal_data_erased_at.is_not(None) & stored_again)).order_by(Event.id)).all()
    expired = []
    for event in events:
        ids = [w.id for w in event.workshops]
        if not ids or any(w.phase != CLOSED for w in event.workshops):
            continue
        if event.personal_data_erased_at is not None:
            expired.append(event)
            continue
        last = db.session.scalar(select(func.max(Change.created_at)).where(
            Change.workshop_id.in_(ids)))
        newest = max([last or event.created_at] + [w.created_at for w in event.workshops])
        if newest < cutoff:
            expired.append(event)
    return expired


def scrub_storage() -> bool:
    """Once an erase is committed, make the database files forget the erased bytes.

    SQLite (secure_delete is on, app/database.py, so the pages the erase rewrote hold
    zeros where the profiles were): checkpoint the write-ahead log into the database file
    and truncate it, since older copies of those pages, with the profiles, are still in
    the -wal file. Other connections may keep the checkpoint from completing
    (SQLITE_BUSY): it is retried briefly, then logged; the next checkpoint does it.

    PostgreSQL: the erase left the old row versions as dead tuples; VACUUM removes them
    from the tables and their indexes (it cannot run in a transaction: autocommit).

    Returns whether it completed; never raises (the erase itself is done)."""
    engine = db.engine
    started = time.perf_counter()
    if engine.dialect.name == "sqlite":
        done = _checkpoint(engine)
    elif engine.dialect.name == "postgresql":
        done = _vacuum(engine)
    else:
        return True
    if done:
        log.info("Personal data erased: %s storage scrubbed in %.0f ms.",
                 engine.dialect.name, (time.perf_counter() - started) * 1000)
    return done


def _checkpoint(engine) -> bool:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            for attempt in range(CHECKPOINT_ATTEMPTS):
                if attempt:
                    time.sleep(CHECKPOINT_PAUSE)
                try:
                    busy, _frames, _copied = cursor.execute(
                        "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                except sqlite3.OperationalError:  # locked: as busy
                    busy = 1
                if not busy:
                    return True
        finally:
            cursor.execute(
                f"PRAGMA busy_timeout={int(current_app.config['SQLITE_BUSY_TIMEOUT_MS'])}")
            cursor.close()
    finally:
        raw.close()
    log.warning("Personal data erased, but the SQLite write-ahead log could not be "
                "checkpointed (other connections busy after %d attempts): erased values stay "
                "in the -wal file until the next checkpoint.", CHECKPOINT_ATTEMPTS)
    return False


def _vacuum(engine) -> bool:
    quote = engine.dialect.identifier_preparer.format_table
    tables = ", ".join(quote(model.__table__) for model in (Participant, ProcessedWrite,
                                                             MeetingRequest, MeetingPerson))
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM {tables}")
    except SQLAlchemyError as error:
        log.warning("Personal data erased, but VACUUM %s failed (autovacuum will reclaim the "
                    "old row versions later): %s", tables, error)
        return False
    return True
