"""Roadmap as an A4 PDF (fpdf2 + DejaVu Sans), per workshop and per event: title block,
participation figures, themes ranked by support with their conclusion, support and ideas,
action items by horizon, for events the timeline, recurring themes and where people came
from, and an appendix with how each theme was formed. Pure: roadmap dict in, bytes out."""
from . import text as t
from .pdf_document import AMBER, SOFT, TINT, Document


EVENT_IDEAS_SHOWN = 10  # per theme and for the ideas in no theme, in the event PDF
_SHORT = {"People taking part": "People", "People who posted ideas": "Posted ideas",
          "People who voted": "Voted"}


def build_workshop(d: dict) -> bytes:
    w = d["workshop"]
    doc = _document(d, w["title"], f"{d['event']['title']} · {w['title']} · Roadmap")
    _title_block(doc, d, "Workshop roadmap", w["title"], [
        f"{d['event']['title']} · {t.format_date(w.get('date') or d['event'].get('date'))}"],
        w.get("question"))
    doc.heading("Participation", 1)
    _participation(doc, d, w)
    _workshop_body(doc, d, level=1)
    doc.heading("Action items by horizon", 1)
    _horizons(doc, d.get("actions") or {}, with_workshop=False)
    _appendix(doc, [(None, d)])
    return bytes(doc.output())


def build_event(d: dict) -> bytes:
    e, workshops = d["event"], d.get("workshops") or []
    doc = _document(d, e["title"], f"{e['title']} · Roadmap")
    _title_block(doc, d, "Event roadmap", e["title"], [
        f"{t.format_date(e.get('date'))} · {t.plural(len(workshops), 'workshop', 'workshops')}"],
        None)
    doc.heading("Participation", 1)
    _participation(doc, d, None)
    _where(doc, d.get("where") or [])
    doc.heading("Timeline of action items", 1)
    _horizons(doc, d.get("timeline") or {}, with_workshop=True)
    _recurring(doc, d.get("recurring_themes") or [])
    _collaborations(doc, d.get("collaborations"))
    for n, workshop in enumerate(workshops, start=1):
        info = workshop["workshop"]
        doc.add_page()
        doc.heading(f"Workshop {n}: {info['title']}", 1)
        if workshop.get("draft"):
            doc.para("Still open: this workshop's figures may change.", 9, True, AMBER)
        if info.get("question"):
            doc.para(info["question"], 10.5, fill=TINT, padding=2.5, after=3)
        _participation(doc, {**workshop, "scope": "workshop", "public": d.get("public")},
                       info, tiles=False)
        _workshop_body(doc, workshop, level=2, limit=EVENT_IDEAS_SHOWN)
    _appendix(doc, [(w["workshop"]["title"], w) for w in workshops])
    return bytes(doc.output())


def _document(d: dict, title: str, running: str) -> Document:
    doc = Document(f"Roadmap: {title}", running, bool(d.get("draft")),
                   t.format_time(d.get("generated_at")))
    doc.add_page()
    return doc


def _title_block(doc: Document, d: dict, kind: str, title: str, lines: list[str], question):
    doc.para(kind.upper(), 9, True, SOFT, after=1)
    doc.heading(title, 0)
    for line in lines:
        doc.para(line, 10.5, colour=SOFT, after=1)
    doc.ln(2)
    if question:
        doc.para("Question", 8.5, True, SOFT, after=0.5)
        doc.para(question, 11, fill=TINT, padding=3, after=3)
    if d.get("draft"):
        doc.para(t.draft_note(d), 9.5, True, AMBER, after=3)
    if t.erased_note(d):
        doc.para(t.erased_note(d), 9, colour=SOFT, after=3)


def _participation(doc: Document, d: dict, workshop, tiles: bool = True):
    facts = t.participation_facts(d)
    figures = [(_SHORT.get(label, label), value) for label, value in facts if value.isdigit()]
    if tiles:
        doc.tiles(figures)
    else:
        doc.para(" · ".join(f"{label}: {value}" for label, value in figures), 9, colour=SOFT)
    for label, value in facts:
        if not value.isdigit():
            doc.label_value(label, value)
    if workshop and t.vote_rules(workshop):
        doc.label_value("Voting", t.vote_rules(workshop))
    doc.ln(2)


def _workshop_body(doc: Document, w: dict, level: int, limit: int | None = None):
    """Themes with their ideas, then the other ideas; `limit` shows only the most voted
    ideas of each list (the event PDF), saying how many more the workshop's own has."""
    doc.heading("Themes ranked by support", level)
    if not w.get("themes"):
        doc.para("No themes were formed" + (": the ideas below are ranked by votes."
                                             if w.get("ideas") else "."), colour=SOFT)
    for theme in w.get("themes") or []:
        _theme(doc, theme, w, limit)
    others = t.other_ideas(w)
    if w.get("themes") and not others:
        return
    doc.heading("Ideas in no theme" if w.get("themes") else "Ideas ranked by votes", level)
    if not w.get("ideas"):
        doc.para("No ideas were posted.", colour=SOFT)
        return
    doc.para("Votes", 8, True, SOFT, after=0.5)
    _ideas(doc, others, limit)


def _theme(doc: Document, theme: dict, w: dict, limit: int | None):
    doc.rank_badge(theme["rank"], theme.get("colour"))
    doc.font(12.5, True)
    x = doc.l_margin + 11
    doc.write_lines(doc.wrap(doc.safe(theme["name"]), doc.epw - 11), x, doc.epw - 11, 6.4)
    doc.ln(1.5)
    doc.para(f"{t.votes_phrase(theme.get('votes', 0))} · "
             f"{t.support_sentence(theme.get('segments'))}", 9.5, True, SOFT, after=1)
    segments = theme.get("segments") or {}
    breakdown = [f"Kinds: {t.kinds_breakdown(segments['kinds'])}"] if segments.get("kinds") else []
    if segments.get("regions"):
        breakdown.append(f"Regions: {t.counts_phrase(segments['regions'], limit=8)}")
    if breakdown:
        doc.para(" · ".join(breakdown), 8.5, colour=SOFT, after=2)
    if theme.get("conclusion"):
        doc.para("Conclusion", 8.5, True, SOFT, after=0.5)
        doc.para(theme["conclusion"], 10, fill=TINT, padding=2.5, after=2.5,
                 keep_newlines=True)
    for action in theme.get("actions") or []:
        _action(doc, action, with_workshop=False, with_about=False, indent=0)
    ideas = t.ideas_of(theme, w)
    if ideas:
        doc.para("Ideas and votes", 8, True, SOFT, after=0.5)
    _ideas(doc, ideas, limit)
    doc.ln(3)


def _ideas(doc: Document, ideas: list[dict], limit: int | None):
    for idea in ideas[:limit]:
        _idea(doc, idea, indent=0)
    if limit is not None and len(ideas) > limit:
        more = len(ideas) - limit
        doc.para(f"… and {t.plural(more, 'more idea', 'more ideas')}, listed in the workshop's "
                 "own roadmap.", 9, colour=SOFT, indent=16)


def _idea(doc: Document, idea: dict, indent: float):
    text = idea["text"]
    for said in idea.get("also_said") or []:
        text += f" (also said as “{said}”)"
    doc.numbered(idea.get("votes", 0), text, indent=indent)
    if idea.get("conclusion"):
        doc.para(f"Conclusion: {idea['conclusion']}", 9, colour=SOFT, indent=16)
    for action in idea.get("actions") or []:
        _action(doc, action, with_workshop=False, with_about=False, indent=16)


def _action(doc: Document, a: dict, with_workshop: bool, with_about: bool, indent: float,
            with_horizon: bool = True):
    head = (f"{t.horizon_label(a.get('horizon'))}: " if with_horizon else "") + t.clean(a["what"])
    doc.para(f"→ {head}", 9.5, True, indent=indent, after=0.3)
    details = []
    if with_workshop and a.get("workshop"):
        details.append(f"Workshop: {a['workshop']}")
    if a.get("owner"):
        details.append(f"Owner: {a['owner']}")
    if with_about and t.about_text(a):
        details.append(t.about_text(a))
    if details:
        doc.para(" · ".join(details), 8.5, colour=SOFT, indent=indent + 4.5, after=1.2)
    else:
        doc.ln(1)


def _horizons(doc: Document, groups: dict, with_workshop: bool):
    for code in t.HORIZON_ORDER:
        items = groups.get(code) or []
        doc.heading(t.horizon_label(code), 2)
        if not items:
            doc.para("No action items.", colour=SOFT)
        for a in items:
            _action(doc, a, with_workshop, with_about=True, indent=0, with_horizon=False)
        doc.ln(1)


def _where(doc: Document, rows: list[dict]):
    doc.heading("Who took part where", 1)
    if not rows:
        doc.para("No workshops yet.", colour=SOFT)
        return
    doc.font(8.5)
    with doc.table(col_widths=(50, 16, 52, 52), text_align=("LEFT", "RIGHT", "LEFT", "LEFT"),
                   line_height=4.4, padding=1.5, borders_layout="HORIZONTAL_LINES",
                   headings_style=_bold(), cell_fill_color=TINT, cell_fill_mode="ROWS") as table:
        table.row(["Workshop", "People", "Kinds of organisation", "Regions"])
        for r in rows:
            table.row([doc.safe(r["workshop"]), str(r.get("people", 0)),
                       doc.safe(t.kinds_breakdown(r.get("kinds") or {})) or "—",
                       doc.safe(t.counts_phrase(r.get("regions") or {}, limit=8)) or "—"])
    doc.ln(4)


def _recurring(doc: Document, groups: list[dict]):
    doc.heading("Recurring themes", 1)
    if not groups:
        doc.para("No themes were marked as recurring across workshops.", colour=SOFT)
    for group in groups:
        members = group.get("themes") or []
        doc.heading(group["name"], 2)
        doc.para(f"{t.votes_phrase(group.get('votes', 0))} from "
                 f"{t.plural(group.get('backers', 0), 'person', 'people')} in "
                 f"{t.plural(len(members), 'workshop', 'workshops')}", 9.5, True, SOFT)
        for m in members:
            doc.numbered(m.get("votes", 0), f"{m['workshop']}: “{m['name']}”, "
                         f"{t.plural(m.get('backers', 0), 'backer', 'backers')}")
            if m.get("conclusion"):
                doc.para(m["conclusion"], 9, colour=SOFT, indent=16)
        doc.ln(2)


def _collaborations(doc: Document, c: dict | None):
    """Bilateral meetings booked (counts only)."""
    parts = t.collaborations_parts(c)
    if parts is None:
        return
    sentence, tables = parts
    doc.heading("Collaborations started", 1)
    doc.para(sentence, after=2)
    for title, counts in tables:
        doc.heading(title, 2)
        for name, n in counts.items():
            doc.numbered(n, name)
        doc.ln(1.5)


def _appendix(doc: Document, workshops: list[tuple[str | None, dict]]):
    """Each theme's story; workshops: (the workshop's title in an event roadmap or None, its
    roadmap)."""
    if any(t.theme_history(w) for _, w in workshops):
        doc.add_page()
    doc.heading("Appendix: how the themes were formed", 1)
    doc.para("Every change the facilitator made to the themes on the board, oldest first: "
             "themes created and renamed, ideas moved in and out, merges. Changes that were "
             "later undone are marked.", 9, colour=SOFT, after=3)
    found = False
    for workshop_title, w in workshops:
        for theme, entries in t.theme_history(w):
            found = True
            doc.heading(f"{workshop_title}: {theme['name']}" if workshop_title else theme["name"],
                        3)
            for entry in entries:
                doc.numbered(t.short_time(entry.get("at")), entry.get("text"),
                             size=8.5, width=22, bold_number=False)
            doc.ln(1.5)
    if not found:
        doc.para(t.no_history_note([w for _, w in workshops]), colour=SOFT)


def _bold():
    from fpdf.fonts import FontFace
    return FontFace(emphasis="BOLD", fill_color=(255, 255, 255))
