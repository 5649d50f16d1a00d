"""An attendee's agenda as an iCalendar file (RFC 5545, built with `icalendar`): one event
per booked meeting (table as the location, the other side's organisation and the themes
both backed in the description) and one per workshop they take part in that has a time.
Times are the venue's, with its time zone."""
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Plenary//Meetings//EN"


def _at(moment: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=zone)


def build(agenda: dict, event_title: str, timezone: str) -> bytes:
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event_title)
    for meeting in agenda["meetings"]:
        if meeting["status"] != "accepted" or not meeting["start"]:
            continue
        other = meeting["other"]
        who = " · ".join(x for x in (other.get("name"), other.get("organisation")) if x) or "—"
        entry = Event()
        entry.add("uid", f"meeting-{meeting['id']}-{agenda['person_id']}@plenary")
        entry.add("summary", f"Meeting: {who}")
        entry.add("dtstart", _at(meeting["start"], zone))
        entry.add("dtend", _at(meeting["end"], zone))
        entry.add("location", f"{event_title} · {meeting['table']}")
        lines = [who, other.get("region", "")]
        if meeting["shared"]:
            lines.append("Themes: " + ", ".join(meeting["shared"]))
        if other.get("contact"):
            lines.append(other["contact"])
        entry.add("description", "\n".join(x for x in lines if x))
        entry.add("dtstamp", _at(meeting["start"], zone))
        calendar.add_component(entry)
    for index, workshop in enumerate(agenda["workshops"]):
        entry = Event()
        entry.add("uid", f"workshop-{index}-{workshop['start']}-{agenda['person_id']}@plenary")
        entry.add("summary", workshop["title"])
        entry.add("dtstart", _at(workshop["start"], zone))
        entry.add("dtend", _at(workshop["end"], zone))
        entry.add("location", event_title)
        entry.add("dtstamp", _at(workshop["start"], zone))
        calendar.add_component(entry)
    return calendar.to_ical()
