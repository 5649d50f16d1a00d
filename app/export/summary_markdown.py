"""Workshop summary as Markdown (schema 1): kept until the export views move to the roadmap
builders in markdown.py, then to be deleted."""


def _escape(text: str) -> str:
    """Attendees' text shown literally: no Markdown or HTML from an idea takes effect."""
    out = []
    for ch in text.replace("\r\n", "\n").replace("\n", " "):
        out.append("\\" + ch if ch in "\\`*_{}[]()#+!|<>~" else ch)
    return "".join(out)


def build(summary: dict) -> str:
    p = summary["participation"]
    lines = [
        f"# {_escape(summary['workshop'])}",
        "",
        f"**Event:** {_escape(summary['event'])}  ",
        f"**Question:** {_escape(summary['question']) or '—'}  ",
        f"**Join code:** {summary['code']} · **Phase:** {summary['phase']} · "
        f"**Generated:** {summary['generated_at']}",
        "",
        "## Participation",
        "",
        f"- People: {p['people']} ({p['contributors']} posted ideas, {p['voters']} voted)",
        f"- Ideas: {p['ideas']}",
        f"- Votes: {p['votes']} (budget {summary['vote_budget']} per person, "
        f"at most {summary['vote_cap']} per idea)",
        f"- Organisations ({len(p['organisations'])}): "
        + (", ".join(_escape(o) for o in p["organisations"]) or "—"),
        "- Stakeholder kinds: "
        + (", ".join(f"{kind} {n}" for kind, n in p["stakeholder_kinds"].items()) or "—"),
        "",
        "## Ideas ranked by votes",
        "",
    ]
    if not summary["ideas"]:
        lines.append("_No ideas were posted._")
    else:
        lines += ["| Rank | Votes | Idea |", "| ---: | ---: | --- |"]
        lines += [f"| {i['rank']} | {i['votes']} | {_escape(i['text'])}"
                  + "".join(f" — also said as “{_escape(a)}”" for a in i["also_said"])
                  + (f" ({_escape(i['theme'])})" if i["theme"] else "") + " |"
                  for i in summary["ideas"]]
    if summary["themes"]:
        lines += ["", "## Themes", ""]
        lines += [f"- **{_escape(t['name'])}**: {len(t['idea_ids'])} ideas"
                  for t in summary["themes"]]
    if summary["history"]:
        lines += ["", "## How the board was formed", "",
                  f"{len(summary['history'])} board actions (themes created, ideas moved and "
                  "merged, edits); the JSON export lists each with before and after."]
    return "\n".join(lines) + "\n"
