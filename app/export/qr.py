"""The join QR code as inline SVG (segno; no size: CSS sizes it), for the projector and the
organiser's event page. Its own module so a page that shows a QR never loads the PDF
library (app/export/join_poster.py draws the printed ones)."""
import segno


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(omitsize=True, border=2, dark="#000",
                                                 light="#fff")
