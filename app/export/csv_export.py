"""Roadmap as CSV for spreadsheets: one row per idea and one per action item, per workshop
or for a whole event; and the organiser's collaboration matches. UTF-8 with a byte order
mark so Excel shows accents; cells that a spreadsheet would run as a formula are defused."""
import csv
import io

from . import text as t
from ..vocabulary import STAKEHOLDER_KINDS

BOM = "\ufeff"
KIND_COLUMNS = [f"backers_{code}" for code in STAKEHOLDER_KINDS]
COLUMNS = ["record", "workshop", "theme", "rank", "votes", "backers", *KIND_COLUMNS,
           "regions", "region_list", "text", "owner", "horizon", "about", "meetings"]
MATCH_COLUMNS = ["score", "shared_themes"] + [
    f"{side}_{field}" for side in "ab"
    for field in ("name", "organisation", "kind", "region", "contact")]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell as text a spreadsheet shows literally: control characters removed, and a
    leading = + - @ (tab, CR) prefixed with an apostrophe so it never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raw = str(value)
    cleaned = t.clean(raw, keep_newlines=True)
    return "'" + cleaned if raw.startswith(_FORMULA_START) or cleaned.startswith(
        _FORMULA_START) else cleaned


def build_workshop(d: dict) -> str:
    return _write(COLUMNS, _rows(d, d["workshop"]["title"]))


def build_event(d: dict) -> str:
    rows = []
    for workshop in d.get("workshops") or []:
        rows += _rows(workshop, workshop["workshop"]["title"])
    return _write(COLUMNS, rows + _collaborations(d.get("collaborations")))


def _collaborations(c: dict | None) -> list[dict]:
    """"Collaborations started" (counts only): rows `collaboration`, `about` says what is
    counted (requested, booked, held; then kinds, regions, themes with the pair or theme in
    `text`), `meetings` how many."""
    if not c or not c.get("requested"):
        return []
    rows = [{"record": "collaboration", "about": key, "meetings": c.get(field, 0)}
            for key, field in (("requested", "requested"), ("booked", "accepted"),
                               ("held", "held"))]
    for key in ("kinds", "regions", "themes"):
        rows += [{"record": "collaboration", "about": key, "text": name, "meetings": n,
                  "theme": name if key == "themes" else ""}
                 for name, n in (c.get(key) or {}).items()]
    rows += [{"record": "collaboration", "about": "listed", "meetings": 1,
              "text": f"{m.get('a')} + {m.get('b')}", "theme": "; ".join(m.get("themes") or [])}
             for m in c.get("listed") or []]
    return rows


def build_matches(matches: list[dict]) -> str:
    """The collaboration matches (organiser only): one row per pair of people."""
    rows = []
    for m in matches:
        row = {"score": m.get("score", 0), "shared_themes": "; ".join(m.get("shared") or [])}
        for side in "ab":
            person = m.get(side) or {}
            row.update({f"{side}_name": person.get("name"),
                        f"{side}_organisation": person.get("organisation"),
                        f"{side}_kind": t.kind_label(person["kind"]) if person.get("kind") else "",
                        f"{side}_region": person.get("region"),
                        f"{side}_contact": person.get("contact")})
        rows.append(row)
    return _write(MATCH_COLUMNS, rows)


def _rows(w: dict, workshop: str) -> list[dict]:
    themes = {theme["id"]: theme for theme in w.get("themes") or []}
    ideas = {idea["id"]: idea for idea in w.get("ideas") or []}
    rows = [{"record": "idea", "workshop": workshop, "theme": idea.get("theme") or "",
             "rank": idea.get("rank"), "votes": idea.get("votes", 0),
             **_segments(idea.get("segments")), "text": idea.get("text")}
            for idea in w.get("ideas") or []]
    for code in t.HORIZON_ORDER:
        for action in (w.get("actions") or {}).get(code) or []:
            about = action.get("about") or {}
            if about.get("kind") == "theme":
                theme = themes.get(about.get("id"), {}).get("name", about.get("name"))
            else:
                theme = ideas.get(about.get("id"), {}).get("theme") or ""
            rows.append({"record": "action", "workshop": workshop, "theme": theme,
                         "text": action.get("what"), "owner": action.get("owner"),
                         "horizon": t.horizon_label(code), "about": t.about_text(action)})
    return rows


def _segments(segments: dict | None) -> dict:
    segments = segments or {}
    kinds, regions = segments.get("kinds") or {}, segments.get("regions") or {}
    row = {"backers": segments.get("backers", 0), "regions": len(regions),
           "region_list": "; ".join(f"{name} ({n})" for name, n in regions.items())}
    row.update({f"backers_{code}": kinds.get(code, 0) for code in STAKEHOLDER_KINDS})
    return row


def _write(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", restval="",
                            lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return BOM + out.getvalue()
