"""An event's meeting requests as CSV for the organiser (services/meeting_reports.py
rows_for_export): one row per request, booked or not. Names, organisations, kinds and
regions of both people; never contacts or messages. Same cell rules as the roadmap CSV
(byte order mark, formulas defused)."""
from . import text as t
from .csv_export import _write

COLUMNS = ["id", "status", "start", "end", "table"] + [
    f"{side}_{field}" for side in ("requester", "invitee")
    for field in ("name", "organisation", "kind", "region")] + ["shared_themes"]


def build(rows: list[dict]) -> str:
    shown = []
    for row in rows:
        row = dict(row)
        for side in ("requester", "invitee"):
            kind = row.get(f"{side}_kind")
            row[f"{side}_kind"] = t.kind_label(kind) if kind else ""
        shown.append(row)
    return _write(COLUMNS, shown)
