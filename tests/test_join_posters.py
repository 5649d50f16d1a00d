"""Printed ways into a workshop: the organiser's event page shows each workshop's join QR,
its links in full with Copy buttons, and offers an A4 join poster and table cards as PDF
(app/export/join_poster.py), for the organisers of that event only."""
import re
import subprocess

from app.export import join_poster
from app.extensions import db
from app.models import Workshop
from test_access_organisers import BEN, CAROLA, account, logged_in, own_event

QUESTION = "How can clusters multiply the connections between regional value chains?"
ARABIC = "ممر الهيدروجين الأخضر"


def pdf_text(data: bytes) -> str:
    """What pdftotext (poppler) reads in the PDF, whitespace squeezed."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def ben_with_two_workshops(app):
    account(app, BEN)
    ben, mine = own_event(app, BEN, "Bens regional forum")
    ben.post(f"/organiser/events/{mine['event_id']}/workshops",
             data={"title": "Skills academy", "question": QUESTION})
    with app.app_context():
        codes = [w.code for w in db.session.scalars(db.select(Workshop).where(
            Workshop.event_id == mine["event_id"]).order_by(Workshop.id))]
        db.session.remove()
    return ben, mine, codes


def test_event_page_shows_qr_full_links_copy_buttons_and_danger_zone_last(app):
    ben, mine, codes = ben_with_two_workshops(app)
    page = ben.get(f"/organiser/events/{mine['event_id']}").text
    assert page.count('class="workshop-qr" role="img"') == 2
    assert page.count("<svg") >= 2
    for code in codes:
        assert re.search(rf'id="join-\d+" class="link-field" readonly value="http[^"]+/j/{code}"',
                         page)
    assert page.count('class="btn btn-small copy"') == 6   # join, facilitator, projector × 2
    assert f'value="http://localhost/f/{mine["token"]}"' in page
    assert page.index("New workshop") < page.index('id="workshops-title"') \
        < page.index('id="danger-title"') < page.index("Delete event")
    assert page.index('id="team-title"') < page.index('id="danger-title"')
    assert "<bdi>Bens regional forum</bdi>" in page and "<bdi>Skills academy</bdi>" in page


def test_poster_and_table_cards_download_for_the_organiser(app):
    ben, mine, codes = ben_with_two_workshops(app)
    with app.app_context():
        second = db.session.scalar(db.select(Workshop).where(Workshop.code == codes[1]))
        second_id = second.id
        db.session.remove()
    poster = ben.get(f"/organiser/workshops/{second_id}/join-poster.pdf")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    assert poster.headers["Content-Disposition"].startswith("attachment")
    text = pdf_text(poster.data)
    assert codes[1] in text and QUESTION in text and f"/j/{codes[1]}" in text
    cards = ben.get(f"/organiser/workshops/{second_id}/table-cards.pdf")
    assert cards.status_code == 200 and cards.mimetype == "application/pdf"
    text = pdf_text(cards.data)
    assert text.count(f"Code: {codes[1]}") == 4 and text.count("Skills academy") == 4
    everything = ben.get(f"/organiser/events/{mine['event_id']}/join-posters.pdf")
    assert everything.status_code == 200 and everything.mimetype == "application/pdf"
    text = pdf_text(everything.data)
    assert all(f"Code: {code}" in text for code in codes)


def test_another_organiser_or_nobody_gets_no_poster(app):
    _ben, mine, _codes = ben_with_two_workshops(app)
    account(app, CAROLA)
    carola = logged_in(app, CAROLA)
    urls = (f"/organiser/workshops/{mine['id']}/join-poster.pdf",
            f"/organiser/workshops/{mine['id']}/table-cards.pdf",
            f"/organiser/events/{mine['event_id']}/join-posters.pdf")
    for url in urls:
        refused = carola.get(url)
        assert refused.status_code == 404, url
        assert refused.mimetype != "application/pdf" and mine["code"] not in refused.text
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], url
    assert carola.get("/organiser/workshops/999999/join-poster.pdf").status_code == 404


def test_builder_draws_right_to_left_text_and_a_scannable_sized_qr():
    sheet = join_poster.JoinSheet(ARABIC, f"{QUESTION} {ARABIC}", "https://x.example/j/K7QXPM",
                                  "K7QXPM", "Grow your Region 2026 — València")
    text = pdf_text(join_poster.poster_pdf([sheet, sheet]))
    assert text.count("Code: K7QXPM") == 2 and "València" in text
    assert "الهيدروجين" in text   # shaped, but still the same letters
    assert pdf_text(join_poster.table_cards_pdf(sheet)).count("K7QXPM") >= 4
    svg = join_poster.qr_svg("https://x.example/j/K7QXPM")
    assert svg.startswith("<svg") and "style=" not in svg   # the page's CSP allows it
