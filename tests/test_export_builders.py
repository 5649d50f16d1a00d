"""The roadmap builders (app/export/): PDF checked by rendering it to text and to an image,
Markdown against the outline in docs/EXPORTS.md, JSON against docs/roadmap.schema.json,
CSV parsed back, the printable HTML page. Synthetic roadmap dicts: tests/roadmap_factory.py."""
import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

import roadmap_factory as factory
from app.export import csv_export, html, json_roadmap, markdown, pdf, text
from app.vocabulary import STAKEHOLDER_KINDS

DOCS = Path(__file__).resolve().parents[1] / "docs"
ROADMAP_CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "roadmap.css"
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="pdftotext/pdftoppm missing: apt-get install poppler-utils")


def pdf_text(data: bytes, tmp_path, *args) -> str:
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout


# Wording shared by every format -------------------------------------------------------------
def test_support_sentence_reads_like_the_contract():
    assert text.support_sentence({
        "backers": 23, "kinds": {"company": 14, "cluster": 6, "public_authority": 3},
        "regions": {f"Region {n}": 1 for n in range(7)}}) == (
        "Supported by 14 companies, 6 cluster organisations and 3 public authorities "
        "from 7 regions")
    one = {"backers": 1, "kinds": {"company": 1}, "regions": {"Norte": 1}}
    assert text.support_sentence(one) == "Supported by 1 company from 1 region"
    assert text.support_sentence({"backers": 23, "kinds": {}, "regions": {}}) == \
        "Supported by 23 people"
    assert text.support_sentence({"backers": 5, "kinds": {"company": 2},
                                  "regions": {"Norte": 2, "Attiki": 1}}) == \
        "Supported by 5 people, including 2 companies, from 2 regions"
    assert text.support_sentence({"backers": 0, "kinds": {}, "regions": {}}) == "No support yet"


def test_text_is_cleaned_of_control_characters_and_dates_read_in_english():
    assert text.clean("a\x00b\tc\r\nd\x1b") == "ab c d"
    assert text.clean("line\r\nbreak", keep_newlines=True) == "line\nbreak"
    assert text.format_date("2026-11-24") == "24 November 2026"
    assert text.format_time("2026-11-24T17:05:00Z") == "24 November 2026, 17:05 UTC"
    assert text.format_date("not a date") == "not a date"


# PDF ------------------------------------------------------------------------------------------
@needs_poppler
def test_pdf_workshop_shows_titles_euro_accents_and_themes_in_rank_order(tmp_path):
    d = factory.workshop(ideas=40, themes=4)
    out = pdf_text(pdf.build_workshop(d), tmp_path)
    flat = re.sub(r"\s+", " ", out)
    assert "Interregional value chains" in flat
    assert "Grow your Region 2026 — Nöel’s €" in flat and "Île-de-France" in flat
    assert "How can clusters multiply the connections" in flat
    positions = [flat.index(theme["name"]) for theme in d["themes"]]
    assert positions == sorted(positions), "themes must appear in rank order"
    assert text.support_sentence(d["themes"][0]["segments"]).split(" from ")[0] in flat
    assert "Short term (within a year)" in flat and "Long term (over 3 years)" in flat
    assert "Appendix: how the themes were formed" in flat
    pages = out.count("\f")
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat
    assert "DRAFT" in out


@needs_poppler
def test_pdf_draft_mark_only_while_the_workshop_is_open(tmp_path):
    closed = pdf_text(pdf.build_workshop(factory.workshop(draft=False)), tmp_path)
    assert "DRAFT" not in closed and "Interregional value chains" in closed


@needs_poppler
def test_pdf_copes_with_any_unicode_and_a_500_character_word(tmp_path):
    d = factory.workshop(ideas=5, themes=1)
    d["workshop"]["title"] = "A workshop title far longer than any line " * 8
    d["themes"][0]["name"] = "Y" * 300
    data = pdf.build_workshop(d)
    flat = re.sub(r"\s+", " ", pdf_text(data, tmp_path))
    assert "Nöel’s €5 — ‘quotes’" in flat
    assert "□" in flat, "emoji and CJK the font lacks show as a visible substitute"
    assert "\x00" not in flat
    pieces = re.findall(r"x{20,}", flat)
    assert len(pieces) > 1 and sum(map(len, pieces)) == 500, "the long word wraps, nothing lost"
    # Nothing runs off the page: every word's box ends inside the right margin (A4 = 595 pt).
    boxes = pdf_text(data, tmp_path, "-bbox")
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes)]
    assert right_edges and max(right_edges) <= 595.3 - 56.6 + 1


@needs_poppler
def test_pdf_writes_right_to_left_text_in_reading_order(tmp_path):
    d = factory.workshop(ideas=3, themes=0, awkward=False)
    d["ideas"][0]["text"] = "Hebrew: שלום עולם, then English"
    out = pdf_text(pdf.build_workshop(d), tmp_path)
    # pdftotext gives logical order back only when the glyphs were laid out right to left.
    assert "שלום עולם" in out and "םלוע" not in out


@needs_poppler
def test_pdf_of_an_empty_workshop_says_so(tmp_path):
    out = pdf_text(pdf.build_workshop(factory.empty_workshop()), tmp_path)
    assert "No ideas were posted." in out and "No themes were formed." in out


@needs_poppler
def test_pdf_page_renders_to_a_non_blank_image(tmp_path):
    from PIL import Image
    path = tmp_path / "roadmap.pdf"
    path.write_bytes(pdf.build_workshop(factory.workshop(ideas=12, themes=3)))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    assert image.size[0] < image.size[1], "portrait A4"
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50, "text, tiles and the theme badge give many shades"
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
    assert dark > 500, "there is real dark text on the page"


@needs_poppler
def test_pdf_event_rolls_up_every_workshop(tmp_path):
    d = factory.event(workshops=3, ideas=8)
    flat = re.sub(r"\s+", " ", pdf_text(pdf.build_event(d), tmp_path))
    for heading in ("Event roadmap", "Who took part where", "Timeline of action items",
                    "Recurring themes", "Skills and talent"):
        assert heading.lower() in flat.lower()
    for n, room in enumerate(d["workshops"], start=1):
        assert f"Workshop {n}: {room['workshop']['title']}" in flat


@needs_poppler
def test_pdf_event_shows_the_most_voted_ideas_and_points_to_the_rest(tmp_path):
    d = factory.event(workshops=2, ideas=60, themes=2)
    flat = re.sub(r"\s+", " ", pdf_text(pdf.build_event(d), tmp_path))
    theme = d["workshops"][0]["themes"][0]
    hidden = len(theme["idea_ids"]) - pdf.EVENT_IDEAS_SHOWN
    assert hidden > 0
    assert f"… and {hidden} more ideas, listed in the workshop's own roadmap." in flat


# Markdown -------------------------------------------------------------------------------------
def documented_outline(name: str) -> list[str]:
    """The fixed level-2 headings that docs/EXPORTS.md documents for a Markdown roadmap."""
    doc = (DOCS / "EXPORTS.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- outline:{name} -->\s*```text\n(.*?)```", doc, re.S).group(1)
    return [re.split(r"\s{2,}", line)[0] for line in block.splitlines() if line.startswith("## ")]


def h2_outline(document: str) -> list[str]:
    headings = [line for line in document.splitlines() if line.startswith("## ")]
    return [re.sub(r"^## Workshop \d+: .*", "## Workshop <n>: <title>", h) for h in headings]


def test_markdown_workshop_follows_the_documented_outline():
    md = markdown.build_workshop(factory.workshop())
    assert md.startswith("# Roadmap: Interregional value chains\n")
    assert h2_outline(md) == documented_outline("workshop")
    assert "> **DRAFT" in md
    assert "> **DRAFT" not in markdown.build_workshop(factory.workshop(draft=False))


def test_markdown_event_follows_the_documented_outline():
    md = markdown.build_event(factory.event(workshops=3))
    outline = documented_outline("event")
    expected = outline[:4] + outline[4:5] * 3 + outline[5:]
    assert h2_outline(md) == expected


def test_markdown_shows_attendee_text_literally_and_keeps_tables_whole():
    md = markdown.build_workshop(factory.workshop())
    assert r"\<b\>bold\</b\> \| pipe \*star\* \[link\]\(x\) \# =1\+1" in md
    body = re.sub(r"^> ", "", md, flags=re.M)  # the draft note is a block quote
    assert re.search(r"(?<!\\)[<>]", body) is None, "no HTML can take effect"
    assert "\x00" not in md and "\t" not in md
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert {len(re.findall(r"(?<!\\)\|", row)) for row in table} == {6}


def test_markdown_of_an_empty_workshop():
    md = markdown.build_workshop(factory.empty_workshop())
    assert "_No ideas were posted._" in md and "_No themes were formed._" in md
    assert h2_outline(md) == documented_outline("workshop")


# JSON -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def validator():
    schema = json.loads((DOCS / "roadmap.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("make", [
    factory.workshop, factory.empty_workshop, lambda: factory.workshop(public=True),
    factory.event, lambda: factory.event(workshops=0)])
def test_json_matches_the_published_schema(validator, make):
    d = make()
    document = json.loads(json_roadmap.dumps(d))
    assert document == json.loads(json.dumps(d)), "the JSON export is the roadmap dict"
    assert document["schema_version"] == json_roadmap.SCHEMA_VERSION == 2
    errors = [e.message for e in validator.iter_errors(document)]
    assert errors == []


def test_json_refuses_a_dict_of_another_shape(validator):
    d = factory.workshop()
    del d["themes"]
    with pytest.raises(json_roadmap.RoadmapShapeError, match="themes"):
        json_roadmap.build(d)
    assert not validator.is_valid(d)
    with pytest.raises(json_roadmap.RoadmapShapeError, match="version"):
        json_roadmap.build({**factory.workshop(), "schema_version": 1})
    assert not validator.is_valid({**factory.event(), "schema_version": 1})


# CSV ------------------------------------------------------------------------------------------
def parse(document: str) -> list[dict]:
    assert document.startswith("\ufeff"), "a byte order mark lets Excel read UTF-8"
    return list(csv.DictReader(io.StringIO(document[1:])))


def test_csv_has_one_row_per_idea_and_per_action():
    d = factory.workshop(ideas=30, themes=4)
    rows = parse(csv_export.build_workshop(d))
    actions = sum(len(items) for items in d["actions"].values())
    assert [r["record"] for r in rows] == ["idea"] * 30 + ["action"] * actions
    first = rows[0]
    idea = d["ideas"][0]
    assert first["theme"] == idea["theme"] and int(first["votes"]) == idea["votes"]
    assert int(first["backers"]) == idea["segments"]["backers"]
    for code in STAKEHOLDER_KINDS:
        assert int(first[f"backers_{code}"]) == idea["segments"]["kinds"].get(code, 0)
    assert int(first["regions"]) == len(idea["segments"]["regions"])
    assert first["text"].startswith("Nöel’s €5 — ‘quotes’ 🚀 中文")
    horizons = [r["horizon"] for r in rows if r["record"] == "action"]
    assert horizons == sorted(horizons, key=["Short term (within a year)",
                                             "Medium term (1–3 years)",
                                             "Long term (over 3 years)"].index)


def test_csv_event_lists_every_workshop():
    d = factory.event(workshops=3, ideas=7)
    rows = parse(csv_export.build_event(d))
    assert len([r for r in rows if r["record"] == "idea"]) == 21
    assert {r["workshop"] for r in rows} == {w["workshop"]["title"] for w in d["workshops"]}


def test_csv_cells_never_run_as_formulas():
    d = factory.workshop(ideas=3, themes=1)
    d["ideas"][0]["text"] = "=HYPERLINK(\"http://evil\",\"click\")"
    d["ideas"][1]["text"] = "\t=1+1"
    d["actions"]["short"][0]["owner"] = "@SUM(A1)"
    d["actions"]["short"][0]["what"] = "-2+3"
    rows = parse(csv_export.build_workshop(d))
    assert rows[0]["text"] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert rows[1]["text"] == "'=1+1"
    action = next(r for r in rows if r["record"] == "action")
    assert action["owner"] == "'@SUM(A1)" and action["text"] == "'-2+3"
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_csv_matches():
    person = {"name": "Ana", "organisation": "AVAESEN", "kind": "cluster",
              "region": "Comunitat Valenciana", "contact": "ana@example.org"}
    rows = parse(csv_export.build_matches([
        {"score": 3, "shared": ["Skills", "Hydrogen valleys"], "a": person,
         "b": {**person, "name": "=Bob", "kind": None}}]))
    assert rows == [{"score": "3", "shared_themes": "Skills; Hydrogen valleys", "a_name": "Ana",
                     "a_organisation": "AVAESEN", "a_kind": "Cluster organisation",
                     "a_region": "Comunitat Valenciana", "a_contact": "ana@example.org",
                     "b_name": "'=Bob", "b_organisation": "AVAESEN", "b_kind": "",
                     "b_region": "Comunitat Valenciana", "b_contact": "ana@example.org"}]


# Printable HTML -------------------------------------------------------------------------------
def test_html_page_escapes_attendee_text_and_marks_drafts():
    d = factory.workshop()
    page = html.build(d)
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert '<body class="roadmap is-draft">' in page and "DRAFT:" in page
    assert "\x00" not in page
    closed = html.build(factory.workshop(draft=False))
    assert '<body class="roadmap">' in closed and "DRAFT:" not in closed
    for theme in d["themes"]:
        assert text.support_sentence(theme["segments"]) in page, "same wording as the PDF"
    assert '<th scope="col">Idea</th>' in page
    # Styled by a stylesheet of its own (A4 print rules too): the CSP refuses inline ones
    assert '<link rel="stylesheet" href="/static/css/roadmap.css">' in page
    assert "<style" not in page and " style=" not in page and " onclick=" not in page
    # no /favicon.ico request (a 404 in every log): an empty icon, as base.html has
    assert '<link rel="icon" href="data:,">' in page
    assert "@page" in ROADMAP_CSS.read_text(encoding="utf-8")


def test_html_page_colours_each_theme_with_a_class():
    from app.models import THEME_COLOURS
    css = ROADMAP_CSS.read_text(encoding="utf-8")
    for colour in THEME_COLOURS:
        assert f".rank-{colour[1:]} {{ background: {colour}; }}" in css
    d = factory.workshop()
    d["themes"][0]["colour"], d["themes"][1]["colour"] = "#B3261E", "#123456"
    d["themes"][2]["colour"] = '"><b>'
    page = html.build(d)
    assert '<span class="rank rank-b3261e">1</span>' in page
    assert '<span class="rank rank-123456">2</span>' in page  # no rule: the brand blue
    assert '<span class="rank">3</span>' in page and "<b>" not in page


def test_html_page_for_an_event_and_through_flask(app):
    from flask import render_template
    d = factory.event(workshops=2, ideas=4, awkward=False)
    with app.test_request_context():
        page = render_template("roadmap.html", roadmap=d)
    assert page == html.build(d)
    assert "Timeline of action items" in page and "Who took part where" in page
    assert '<th scope="row">Interregional value chains</th>' in page
    assert "Workshop 2: Green public procurement" in page


# Any input -------------------------------------------------------------------------------------
def awkward_strings(seed: int, count: int) -> list[str]:
    """Random text from every corner of Unicode: controls, RTL, emoji, CJK, combining
    marks, lone surrogates, formula starts, Markdown and HTML."""
    import random
    rng = random.Random(seed)
    pools = [(0, 0x20), (0x20, 0x7f), (0x80, 0x250), (0x590, 0x700), (0x300, 0x370),
             (0x2000, 0x2070), (0x4e00, 0x4e80), (0x1f300, 0x1f700), (0xd800, 0xdfff),
             (0xfe00, 0xfe10), (0xe000, 0xe010)]
    out = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(0, 80)):
            low, high = rng.choice(pools)
            chars.append(chr(rng.randrange(low, high)))
        out.append(rng.choice(["", "=", "-", "@", "# ", "| ", "<script>"]) + "".join(chars))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_builder_copes_with_any_text(seed, validator):
    strings = iter(awkward_strings(seed, 10_000))
    d = factory.event(workshops=2, ideas=12, themes=3)
    for room in d["workshops"]:
        room["workshop"]["title"] = next(strings) or "untitled"
        room["workshop"]["question"] = next(strings)
        for theme in room["themes"]:
            theme["name"], theme["conclusion"] = next(strings), next(strings)
            theme["segments"]["regions"] = {next(strings): 2, next(strings): 1}
            for entry in theme["history"]:
                entry["text"] = next(strings)
        for idea in room["ideas"]:
            idea["text"], idea["also_said"] = next(strings), [next(strings)]
            idea["segments"]["regions"] = {next(strings): 1}
        for item in [a for group in room["actions"].values() for a in group]:
            item["what"], item["owner"] = next(strings), next(strings)
    d["participation"]["organisations"] = [next(strings) for _ in range(5)]
    d["where"][0]["regions"] = {next(strings): 3}
    for builder in (pdf.build_event, markdown.build_event, csv_export.build_event, html.build,
                    json_roadmap.dumps):
        out = builder(d)
        if isinstance(out, str):
            out.encode("utf-8")  # no lone surrogate survives into a file
            assert "\x00" not in out
    assert pdf.build_event(d).startswith(b"%PDF")
    assert validator.is_valid(json.loads(json.dumps(d)))


# Collaborations started (bilateral meetings, counts only) -----------------------------------
COLLABORATIONS = {"requested": 7, "accepted": 4, "held": 1,
                  "kinds": {"Company + Cluster organisation": 3, "Company + Company": 1},
                  "regions": {"Navarra + Valencia": 4}, "themes": {"Hydrogen valleys": 2},
                  "listed": []}


def with_collaborations(**changes):
    d = factory.event(workshops=2, ideas=4, awkward=False)
    d["collaborations"] = {**COLLABORATIONS, **changes}
    return d


@needs_poppler
def test_pdf_event_counts_the_collaborations_started(tmp_path):
    flat = re.sub(r"\s+", " ", pdf_text(pdf.build_event(with_collaborations()), tmp_path))
    assert "Collaborations started 4 bilateral meetings booked (1 held) out of 7 requests." \
        in flat
    for words in ("Between kinds of organisation", "3 Company + Cluster organisation",
                  "Between regions", "4 Navarra + Valencia", "Around themes",
                  "2 Hydrogen valleys"):
        assert words in flat
    none = factory.event(workshops=2, ideas=4, awkward=False)
    none["collaborations"] = {**COLLABORATIONS, "requested": 0}
    assert "Collaborations started" not in pdf_text(pdf.build_event(none), tmp_path)


def test_csv_event_counts_the_collaborations_started():
    rows = [r for r in parse(csv_export.build_event(with_collaborations()))
            if r["record"] == "collaboration"]
    assert [(r["about"], r["text"], r["meetings"]) for r in rows] == [
        ("requested", "", "7"), ("booked", "", "4"), ("held", "", "1"),
        ("kinds", "Company + Cluster organisation", "3"), ("kinds", "Company + Company", "1"),
        ("regions", "Navarra + Valencia", "4"), ("themes", "Hydrogen valleys", "2")]
    assert rows[-1]["theme"] == "Hydrogen valleys"
    assert parse(csv_export.build_event(factory.event(workshops=1, ideas=2)))[0]["meetings"] == ""


def test_json_collaborations_match_the_schema(validator):
    document = json.loads(json_roadmap.dumps(with_collaborations(
        listed=[{"a": "Org 0", "b": "Org 1", "themes": ["Hydrogen valleys"]}])))
    assert [e.message for e in validator.iter_errors(document)] == []
    bad = json.loads(json_roadmap.dumps(with_collaborations(held=-1)))
    assert list(validator.iter_errors(bad))
