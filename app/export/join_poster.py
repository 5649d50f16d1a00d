"""Printed ways into a workshop: an A4 join poster (the question big, a big QR code, the join
URL and the code) and an A4 sheet of four table cards to cut out (title, QR, code), plus
the QR code as inline SVG for the organiser's event page. Pure: plain arguments in, PDF
bytes (or SVG text) out. Text goes through the roadmap's Document (DejaVu, `safe`,
HarfBuzz shaping for Arabic and Hebrew lines); the QR is drawn as vector rectangles.

    poster_pdf([JoinSheet(...), ...], labels) -> bytes   # one poster per workshop
    table_cards_pdf(JoinSheet(...), labels) -> bytes
"""
from dataclasses import dataclass

import segno

from .pdf_document import BRAND, INK, SOFT, Document
from .qr import qr_svg  # noqa: F401  (the event page's QR, re-exported)

A4_W, A4_H = 210.0, 297.0
LABELS = {"scan": "Scan to join", "or_go": "or open {url}", "code": "Code: {code}"}


@dataclass(frozen=True)
class JoinSheet:
    title: str
    question: str
    join_url: str
    code: str
    event_title: str = ""


class _Sheet(Document):
    """A bare A4 page: no running header, footer or watermark."""

    def __init__(self, title: str):
        super().__init__(title, title, draft=False, generated="")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)

    def header(self):
        pass

    def footer(self):
        pass

    def qr(self, url: str, x: float, y: float, size: float):
        """The QR code as black rectangles, one per run of dark modules in a row."""
        matrix = segno.make(url, error="m").matrix
        module = size / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row, cells in enumerate(matrix):
            col = 0
            while col < len(cells):
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                self.rect(x + start * module, y + row * module, (col - start) * module,
                          module + 0.01, style="F")

    def centred(self, value, x: float, width: float, size: float, bold=False, colour=INK,
                max_lines=0, min_size=0.0) -> float:
        """Wrapped lines centred in [x, x + width] from the current y; with `max_lines`,
        the size shrinks (down to `min_size`) until the text fits. Returns the height."""
        text = self.safe(value)
        while True:
            self.font(size, bold, colour)
            lines = self.wrap(text, width)
            if not max_lines or len(lines) <= max_lines or size <= min_size:
                break
            size -= 1
        if max_lines and len(lines) > max_lines:
            lines = lines[:max_lines - 1] + [self._fitted(" ".join(lines[max_lines - 1:]), width)]
        h = size * 0.45
        for line in lines:
            self.set_xy(x, self.y)
            shaped = any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufeff" for ch in line)
            if shaped:
                try:
                    self.set_text_shaping(True)
                except Exception:  # uharfbuzz missing: letters stay unjoined
                    pass
            self.cell(width, h, line, align="C")
            if shaped:
                self.set_text_shaping(False)
            self.y += h
        return h * len(lines)


def _labels(labels: dict | None) -> dict:
    return {**LABELS, **(labels or {})}


def poster_pdf(sheets: list[JoinSheet], labels: dict | None = None) -> bytes:
    """One A4 poster per sheet: event, title, the question big, a big QR, URL and code."""
    words = _labels(labels)
    pdf = _Sheet(sheets[0].title if len(sheets) == 1 else sheets[0].event_title or "Plenary")
    margin, width = 18.0, A4_W - 36.0
    for sheet in sheets:
        pdf.add_page()
        pdf.set_y(16)
        if sheet.event_title:
            pdf.centred(sheet.event_title, margin, width, 13, colour=SOFT, max_lines=1)
            pdf.ln(2)
        pdf.centred(sheet.title, margin, width, 20, True, BRAND, max_lines=2, min_size=14)
        pdf.ln(5)
        pdf.centred(sheet.question or sheet.title, margin, width, 30, True, INK, max_lines=5,
                    min_size=16)
        top = max(pdf.get_y() + 8, 112)
        size = min(125.0, A4_H - top - 52)
        pdf.qr(sheet.join_url, (A4_W - size) / 2, top, size)
        pdf.set_y(top + size + 4)
        pdf.centred(words["scan"], margin, width, 16, True, INK, max_lines=1)
        pdf.ln(1)
        pdf.centred(words["or_go"].format(url=sheet.join_url), margin, width, 14, False, INK,
                    max_lines=2, min_size=10)
        pdf.ln(3)
        pdf.centred(words["code"].format(code=sheet.code), margin, width, 34, True, BRAND,
                    max_lines=1, min_size=20)
    return bytes(pdf.output())


def table_cards_pdf(sheet: JoinSheet, labels: dict | None = None, per_page: int = 4) -> bytes:
    """An A4 page of four cards (2 × 2, A6 each) with dashed cut lines."""
    words = _labels(labels)
    pdf = _Sheet(sheet.title)
    pdf.add_page()
    card_w, card_h = A4_W / 2, A4_H / 2
    pdf.set_draw_color(*SOFT)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(card_w, 0, card_w, A4_H)
    pdf.line(0, card_h, A4_W, card_h)
    pdf.set_dash_pattern()
    for n in range(per_page):
        x, y = (n % 2) * card_w, (n // 2) * card_h
        pad, inner = 10.0, card_w - 20.0
        pdf.set_y(y + 10)
        pdf.centred(sheet.title, x + pad, inner, 15, True, BRAND, max_lines=3, min_size=10)
        size = 62.0
        top = y + 40
        pdf.qr(sheet.join_url, x + (card_w - size) / 2, top, size)
        pdf.set_y(top + size + 3)
        pdf.centred(words["scan"], x + pad, inner, 11, True, INK, max_lines=1)
        pdf.ln(1)
        pdf.centred(words["code"].format(code=sheet.code), x + pad, inner, 22, True, INK,
                    max_lines=1, min_size=14)
        pdf.ln(1)
        pdf.centred(sheet.join_url, x + pad, inner, 8.5, False, SOFT, max_lines=2, min_size=7)
    return bytes(pdf.output())
