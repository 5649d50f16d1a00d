"""Done when: an organiser runs the demo event to the end and downloads a roadmap in every
format, over real HTTP from the real database. The PDF is rendered to text and to a PNG,
the Markdown checked against its documented outline, the JSON against its schema, the CSV
parsed back."""
import csv
import io
import json

import jsonschema
import pytest

from app.extensions import db
from app.models import Event
from test_export_builders import DOCS, documented_outline, h2_outline, needs_poppler, pdf_text
from test_web import organiser_client


@pytest.fixture
def demo(app):
    organiser = organiser_client(app)
    result = app.test_cli_runner().invoke(args=["demo", "--full"])
    assert "3 closed workshops" in result.output, result.output
    with app.app_context():
        event = db.session.query(Event).one()
        ids = (event.id, [w.id for w in event.workshops])
        db.session.remove()
    return organiser, *ids


def download(client, url, mimetype):
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response


@needs_poppler
def test_event_roadmap_pdf_reads_as_a_finished_document(demo, tmp_path):
    organiser, event_id, workshop_ids = demo
    response = download(organiser, f"/organiser/events/{event_id}/export.pdf", "application/pdf")
    assert "draft" not in response.headers["Content-Disposition"]  # every room is closed
    text = pdf_text(response.data, tmp_path)
    for expected in ("Grow your Region 2026", "Interregional value chains",
                     "Smart specialisation in practice", "Financing partnerships",
                     "Timeline of action items", "Recurring themes",
                     "Publish a catalogue of open testbeds", "Upskilling cluster managers — €5 000",
                     "Regions should open their testbeds"):
        assert expected in " ".join(text.split()), expected
    assert "DRAFT" not in text
    (tmp_path / "event.pdf").write_bytes(response.data)
    import subprocess
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1",
                    str(tmp_path / "event.pdf"), str(tmp_path / "page")], check=True, timeout=60)
    from PIL import Image
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert page.size[0] > 200 and sum(1 for n in page.histogram() if n) > 20  # not blank


def test_event_roadmap_json_markdown_csv_and_page(demo):
    organiser, event_id, workshop_ids = demo
    data = json.loads(download(organiser, f"/organiser/events/{event_id}/export.json",
                               "application/json").data)
    schema = json.loads((DOCS / "roadmap.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert data["scope"] == "event" and len(data["workshops"]) == 3

    md = download(organiser, f"/organiser/events/{event_id}/export.md", "text/markdown")
    outline = documented_outline("event")
    assert h2_outline(md.get_data(as_text=True)) == outline[:4] + outline[4:5] * 3 + outline[5:]

    rows = list(csv.DictReader(io.StringIO(download(
        organiser, f"/organiser/events/{event_id}/export.csv", "text/csv")
        .get_data(as_text=True).lstrip("\ufeff"))))
    ideas = [r for r in rows if r["record"] == "idea"]
    actions = [r for r in rows if r["record"] == "action"]
    assert len(ideas) == sum(len(w["ideas"]) for w in data["workshops"])
    assert len(actions) == sum(len(v) for v in data["timeline"].values()) == 6

    page = organiser.get(f"/organiser/events/{event_id}/roadmap")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Grow your Region 2026" in html and f"/organiser/events/{event_id}/export.pdf" in html


@needs_poppler
def test_a_workshop_roadmap_in_every_format_is_a_draft_until_closed(app, connect, workshop,
                                                                    tmp_path):
    console = connect("facilitator")
    phone = connect()
    phone.write("idea.post", text="Naïve “quotes”, €, em dashes — and 🚀 survive")
    theme = console.write("theme.create", name="Énergie")["theme"]["id"]
    console.write("conclusion.set", theme_id=theme, text="Ça marche — 100 €.")
    base = f"/workshops/{workshop['id']}"
    pdf = download(console.http, f"{base}/export.pdf", "application/pdf")
    assert pdf.headers["Content-Disposition"].endswith('-roadmap-draft.pdf"')
    text = " ".join(pdf_text(pdf.data, tmp_path).split())
    assert "DRAFT" in text and "Naïve “quotes”, €, em dashes — and" in text
    assert "Ça marche — 100 €." in text
    assert json.loads(console.http.get(f"{base}/export.json").data)["draft"] is True
    for fmt, mimetype in (("md", "text/markdown"), ("csv", "text/csv")):
        download(console.http, f"{base}/export.{fmt}", mimetype)
    assert console.http.get(f"{base}/roadmap").status_code == 200
    console.write("phase.set", phase="closed")
    closed = download(console.http, f"{base}/export.pdf", "application/pdf")
    assert "DRAFT" not in pdf_text(closed.data, tmp_path)
