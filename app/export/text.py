"""Wording shared by every roadmap format (Markdown, PDF, CSV, HTML) so a figure reads the
same everywhere: support sentences, horizon and kind labels, dates, the draft note, and the
clean-up of attendees' text. Plain functions on the roadmap dict (docs/EXPORTS.md)."""
import re
from datetime import date, datetime

from ..vocabulary import HORIZONS, STAKEHOLDER_KINDS, STAKEHOLDER_KINDS_PLURAL

HORIZON_ORDER = tuple(HORIZONS)  # short, medium, long

# C0 and C1 control characters except the line feed (a tab becomes a space first), and
# lone surrogates, which no UTF-8 file can hold.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # and lone surrogates
_SPACES = re.compile(r"[ ]{2,}")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def clean(text, keep_newlines: bool = False) -> str:
    """Attendee text fit for a document: no control characters (NUL, bell, escape…), tabs as
    spaces, line breaks kept only when asked. None becomes ""."""
    if text is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(text)).replace("\t", " ")
    text = _CONTROL.sub("", text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    return _SPACES.sub(" ", text).strip()


def collaborations_parts(c: dict | None) -> tuple[str, list[tuple[str, dict]]] | None:
    """"Collaborations started" in words, the same in every format: the summary sentence
    and the (title, counts) tables; None when no meeting was ever requested."""
    if not c or not c.get("requested"):
        return None
    sentence = (f"{plural(c.get('accepted', 0), 'bilateral meeting', 'bilateral meetings')} "
                f"booked ({c.get('held', 0)} held) out of "
                f"{plural(c.get('requested', 0), 'request', 'requests')}.")
    listed = {f"{m.get('a')} + {m.get('b')}" + (f" ({', '.join(m['themes'])})"
                                                  if m.get("themes") else ""): 1
              for m in c.get("listed") or []}
    return sentence, [(title, counts) for title, counts in (
        ("Between kinds of organisation", c.get("kinds")), ("Between regions", c.get("regions")),
        ("Around themes", c.get("themes")),
        ("Listed with both sides' agreement", listed)) if counts]


def plural(n: int, singular: str, many: str) -> str:
    return f"{n} {singular if n == 1 else many}"


def join_and(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def kind_label(code: str) -> str:
    return STAKEHOLDER_KINDS.get(code, clean(code).replace("_", " ").capitalize())


def kinds_phrase(kinds: dict) -> str:
    """{"company": 14, "cluster": 1} -> "14 companies and 1 cluster organisation"."""
    parts = []
    for code, n in kinds.items():
        singular, many = STAKEHOLDER_KINDS_PLURAL.get(code, (kind_label(code).lower(),) * 2)
        parts.append(plural(n, singular, many))
    return join_and(parts)


def support_sentence(segments: dict | None) -> str:
    """"Supported by 14 companies, 6 cluster organisations and 3 public authorities from
    7 regions". When some backers gave no kind, the total comes first so nothing is
    understated: "Supported by 23 people, including 14 companies, from 7 regions"."""
    segments = segments or {}
    backers = segments.get("backers", 0) or 0
    kinds = segments.get("kinds") or {}
    regions = segments.get("regions") or {}
    if not backers and not kinds:
        return "No support yet"
    people = plural(backers, "person", "people")
    if kinds:
        who = kinds_phrase(kinds)
        if sum(kinds.values()) < backers:
            who = f"{people}, including {who},"
    else:
        who = people
    sentence = f"Supported by {who}"
    if regions:
        sentence += " from " + plural(len(regions), "region", "regions")
    return sentence.rstrip(",")


def counts_phrase(counts: dict, label=lambda key: key, limit: int | None = None) -> str:
    """{"Comunitat Valenciana": 5, "Basque Country": 2} -> "Comunitat Valenciana 5,
    Basque Country 2"; past `limit`, "and 3 more"."""
    items = list(counts.items())
    shown = items if limit is None else items[:limit]
    text = ", ".join(f"{clean(label(k))} {n}" for k, n in shown)
    if len(items) > len(shown):
        text += f" and {len(items) - len(shown)} more"
    return text


def kinds_breakdown(kinds: dict) -> str:
    return counts_phrase(kinds or {}, kind_label)


def horizon_label(code: str) -> str:
    return HORIZONS.get(code, clean(code).capitalize())


def format_date(value: str | None) -> str:
    """"2026-11-24" (or a full ISO time) -> "24 November 2026"; unparseable input as is."""
    if not value:
        return ""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return clean(value)
    return f"{day.day} {day.strftime('%B')} {day.year}"


def format_time(value: str | None) -> str:
    """"2026-11-24T17:05:00Z" -> "24 November 2026, 17:05 UTC"."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return clean(value)
    return f"{format_date(moment.date().isoformat())}, {moment:%H:%M} UTC"


def draft_note(d: dict) -> str:
    if not d.get("draft"):
        return ""
    if d.get("scope") == "event":
        return ("DRAFT: some workshops are still open, so ideas, votes and conclusions may "
                "still change.")
    return "DRAFT: this workshop is still open, so ideas, votes and conclusions may still change."


def erased_note(d: dict) -> str:
    if not d.get("personal_data_erased"):
        return ""
    return ("Personal data of this event was erased: support figures come from the totals "
            "kept at the time, and no organisations are listed.")


def about_text(action: dict) -> str:
    """What an action item is about: "Theme: Skills" or "Idea: Shared testbeds"."""
    about = action.get("about") or {}
    name = clean(about.get("name"))
    if not name:
        return ""
    return ("Theme: " if about.get("kind") == "theme" else "Idea: ") + name


def participation_facts(d: dict) -> list[tuple[str, str]]:
    """The participation figures as (label, value) rows, in the order every format shows."""
    p = d.get("participation") or {}
    rows = []
    if d.get("scope") == "event":
        rows.append(("Workshops", str(p.get("workshops", len(d.get("workshops", []))))))
    rows += [
        ("People taking part", str(p.get("people", 0))),
        ("People who posted ideas", str(p.get("contributors", 0))),
        ("People who voted", str(p.get("voters", 0))),
        ("Ideas", str(p.get("ideas", 0))),
        ("Votes", str(p.get("votes", 0))),
    ]
    if p.get("kinds"):
        rows.append(("Kinds of organisation", kinds_breakdown(p["kinds"])))
    if p.get("regions"):
        rows.append(("Regions", counts_phrase(p["regions"])))
    if p.get("organisations") and not d.get("public"):
        rows.append(("Organisations", ", ".join(clean(o) for o in p["organisations"])))
    return rows


def vote_rules(workshop: dict) -> str:
    """"Each person had 5 votes, at most 1 per idea"."""
    target = "theme" if workshop.get("vote_on") == "themes" else "idea"
    budget, cap = workshop.get("vote_budget"), workshop.get("vote_cap")
    if not budget:
        return ""
    text = f"Each person had {plural(budget, 'vote', 'votes')}"
    if cap:
        text += f", at most {cap} per {target}"
    return text


def other_ideas(workshop: dict) -> list[dict]:
    """Ideas in no theme, in rank order."""
    return [i for i in workshop.get("ideas", []) if i.get("theme_id") is None]


def ideas_of(theme: dict, workshop: dict) -> list[dict]:
    by_id = {i["id"]: i for i in workshop.get("ideas", [])}
    return [by_id[i] for i in theme.get("idea_ids", []) if i in by_id]


def no_history_note(workshops: list[dict]) -> str:
    """What the appendix says when no theme has a history."""
    if any(w.get("themes") for w in workshops):
        return "No changes to the themes were recorded."
    return "No themes were formed."


def theme_history(workshop: dict) -> list[tuple[dict, list[dict]]]:
    """(theme, its history entries) for every theme that has any."""
    return [(t, t["history"]) for t in workshop.get("themes", []) if t.get("history")]


def votes_phrase(n: int) -> str:
    return plural(n or 0, "vote", "votes")


def short_time(value: str | None) -> str:
    """"2026-11-24T10:05:00Z" -> "24 Nov 10:05" (UTC), for history lines."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return clean(value)
    return f"{moment.day} {moment:%b %H:%M}"
