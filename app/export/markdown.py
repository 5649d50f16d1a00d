"""Roadmap as Markdown, per workshop and per event. The headings come in the fixed order
documented in docs/EXPORTS.md; attendees' text is escaped so it shows literally."""
from . import text as t

_SPECIAL = set("\\`*_{}[]()#+!|<>~&")


def _escape(value) -> str:
    """Attendees' text shown literally, on one line: no Markdown or HTML from an idea takes
    effect and a `|` cannot break a table."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in t.clean(value))


def build_workshop(d: dict) -> str:
    w = d["workshop"]
    lines = [f"# Roadmap: {_escape(w['title'])}", ""]
    lines += _draft(d)
    lines += [f"**Event:** {_escape(d['event']['title'])}  ",
              f"**Date:** {t.format_date(w.get('date') or d['event'].get('date'))}  ",
              f"**Question:** {_escape(w.get('question')) or '—'}  ",
              f"**Generated:** {t.format_time(d.get('generated_at'))}"
              + (f" · **Join code:** {_escape(w['code'])}" if w.get("code") else ""), ""]
    lines += _participation(d, "##")
    if t.vote_rules(w):
        lines[-1:-1] = [f"- Voting: {t.vote_rules(w)}"]
    lines += _workshop_body(d, d, "##")
    lines += ["## Action items", ""]
    lines += _by_horizon(d.get("actions") or {}, "###", with_workshop=False)
    lines += ["## Appendix: how the themes were formed", ""]
    lines += _history([(None, d)], "###")
    return _finish(lines)


def build_event(d: dict) -> str:
    e = d["event"]
    lines = [f"# Roadmap: {_escape(e['title'])}", ""]
    lines += _draft(d)
    lines += [f"**Date:** {t.format_date(e.get('date'))}  ",
              f"**Generated:** {t.format_time(d.get('generated_at'))}", ""]
    lines += _participation(d, "##")
    lines += ["## Who took part where", ""]
    if d.get("where"):
        lines += ["| Workshop | People | Kinds of organisation | Regions |",
                  "| --- | ---: | --- | --- |"]
        lines += [f"| {_escape(r['workshop'])} | {r.get('people', 0)} | "
                  f"{_escape(t.kinds_breakdown(r.get('kinds') or {})) or '—'} | "
                  f"{_escape(t.counts_phrase(r.get('regions') or {})) or '—'} |"
                  for r in d["where"]]
    else:
        lines.append("_No workshops yet._")
    lines += ["", "## Timeline of action items", ""]
    lines += _by_horizon(d.get("timeline") or {}, "###", with_workshop=True)
    lines += ["## Recurring themes", ""]
    lines += _recurring(d.get("recurring_themes") or [])
    lines += _collaborations(d.get("collaborations"))
    for n, w in enumerate(d.get("workshops") or [], start=1):
        info = w["workshop"]
        lines += [f"## Workshop {n}: {_escape(info['title'])}", "",
                  f"**Question:** {_escape(info.get('question')) or '—'}  ",
                  f"**Date:** {t.format_date(info.get('date'))}"
                  + (" · **Still open (draft)**" if w.get("draft") else ""), ""]
        facts = t.participation_facts({**w, "scope": "workshop", "public": d.get("public")})
        lines += [f"- {label}: {_escape(value)}" for label, value in facts] + [""]
        lines += _workshop_body(w, d, "###")
    lines += ["## Appendix: how the themes were formed", ""]
    lines += _history([(w["workshop"]["title"], w) for w in d.get("workshops") or []], "###")
    return _finish(lines)


def _finish(lines: list[str]) -> str:
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _draft(d: dict) -> list[str]:
    lines = [f"> **{t.draft_note(d)}**", ""] if d.get("draft") else []
    return lines + ([f"_{t.erased_note(d)}_", ""] if t.erased_note(d) else [])


def _participation(d: dict, h: str) -> list[str]:
    rows = [f"- {label}: {_escape(value)}" for label, value in t.participation_facts(d)]
    return [f"{h} Participation", "", *rows, ""]


def _workshop_body(w: dict, d: dict, h: str) -> list[str]:
    """Themes ranked by support, then every idea ranked by votes."""
    lines = [f"{h} Themes ranked by support", ""]
    if not w.get("themes"):
        lines += ["_No themes were formed._", ""]
    for theme in w.get("themes") or []:
        lines += [f"{h}# {theme['rank']}. {_escape(theme['name'])}", "",
                  f"**{t.votes_phrase(theme.get('votes', 0))}** · "
                  f"{t.support_sentence(theme.get('segments'))}", ""]
        if theme.get("conclusion"):
            lines += [f"**Conclusion:** {_escape(theme['conclusion'])}", ""]
        lines += _segments(theme.get("segments"))
        ideas = t.ideas_of(theme, w)
        lines += [f"- {t.votes_phrase(i['votes'])}: {_escape(i['text'])}" for i in ideas]
        lines += [""] if ideas else ["_No ideas in this theme._", ""]
    lines += [f"{h} Ideas ranked by votes", ""]
    if not w.get("ideas"):
        return lines + ["_No ideas were posted._", ""]
    lines += ["| Rank | Votes | Idea | Theme | Support |", "| ---: | ---: | --- | --- | --- |"]
    for i in w["ideas"]:
        said = "".join(f" (also said as “{_escape(a)}”)" for a in i.get("also_said") or [])
        support = t.support_sentence(i.get("segments"))
        if i.get("conclusion"):
            support += f". **Conclusion:** {_escape(i['conclusion'])}"
        lines.append(f"| {i['rank']} | {i['votes']} | {_escape(i['text'])}{said} | "
                     f"{_escape(i.get('theme')) or '—'} | {support} |")
    return lines + [""]


def _segments(segments: dict | None) -> list[str]:
    """The breakdown behind the support sentence, as one line."""
    segments = segments or {}
    parts = []
    if segments.get("kinds"):
        parts.append(f"Kinds of organisation: {_escape(t.kinds_breakdown(segments['kinds']))}")
    if segments.get("regions"):
        parts.append(f"Regions: {_escape(t.counts_phrase(segments['regions']))}")
    return [" · ".join(parts), ""] if parts else []


def _action(a: dict, with_workshop: bool) -> str:
    parts = [f"**{_escape(a['what'])}**"]
    if with_workshop and a.get("workshop"):
        parts.append(f"workshop: {_escape(a['workshop'])}")
    if a.get("owner"):
        parts.append(f"owner: {_escape(a['owner'])}")
    if t.about_text(a):
        parts.append(_escape(t.about_text(a)))
    return "- " + " · ".join(parts)


def _by_horizon(groups: dict, h: str, with_workshop: bool) -> list[str]:
    lines = []
    for code in t.HORIZON_ORDER:
        items = groups.get(code) or []
        lines += [f"{h} {t.horizon_label(code)}", ""]
        lines += [_action(a, with_workshop) for a in items] or ["_None._"]
        lines.append("")
    return lines


def _collaborations(c: dict | None) -> list[str]:
    """Bilateral meetings booked (counts only)."""
    parts = t.collaborations_parts(c)
    if parts is None:
        return []
    sentence, tables = parts
    lines = ["## Collaborations started", "", sentence, ""]
    for title, counts in tables:
        lines += [f"**{title}:** " + "; ".join(f"{_escape(k)}: {v}"
                                                for k, v in counts.items()), ""]
    return lines


def _recurring(groups: list[dict]) -> list[str]:
    if not groups:
        return ["_No themes were marked as recurring across workshops._", ""]
    lines = []
    for group in groups:
        lines += [f"### {_escape(group['name'])}", "",
                  f"**{t.votes_phrase(group.get('votes', 0))}** from "
                  f"{t.plural(group.get('backers', 0), 'person', 'people')} in "
                  f"{t.plural(len(group.get('themes', [])), 'workshop', 'workshops')}", "",
                  "| Workshop | Theme | Votes | Backers | Conclusion |",
                  "| --- | --- | ---: | ---: | --- |"]
        lines += [f"| {_escape(m['workshop'])} | {_escape(m['name'])} | {m.get('votes', 0)} | "
                  f"{m.get('backers', 0)} | {_escape(m.get('conclusion')) or '—'} |"
                  for m in group.get("themes", [])]
        lines.append("")
    return lines


def _history(workshops: list[tuple[str | None, dict]], h: str) -> list[str]:
    """Each theme's story; workshops: (the workshop's title in an event roadmap or None, its
    roadmap)."""
    lines = []
    for workshop_title, w in workshops:
        for theme, entries in t.theme_history(w):
            title = f"{_escape(workshop_title)}: {_escape(theme['name'])}" if workshop_title \
                else _escape(theme["name"])
            lines += [f"{h} {title}", ""]
            lines += [f"- {t.format_time(e.get('at'))}: {_escape(e.get('text'))}"
                      for e in entries] + [""]
    return lines or [f"_{t.no_history_note([w for _, w in workshops])}_", ""]
