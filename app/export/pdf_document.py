"""The A4 document the PDF roadmap is drawn on: DejaVu Sans (vendored in fonts/), header,
footer with "Page 3 of 12", a diagonal DRAFT watermark, and safe text primitives.
Attendees' text goes through `safe`: no control characters, and characters the font lacks
(emoji, CJK…) become a visible □ instead of vanishing, as fpdf2 would silently do."""
import re
import unicodedata
from pathlib import Path

from fpdf import FPDF

from . import text as t

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
MISSING = "\u25a1"  # □, drawn where the font has no glyph
INK, SOFT, BRAND = (20, 23, 31), (86, 93, 108), (31, 79, 209)
LINE, TINT, AMBER = (213, 217, 226), (241, 243, 248), (138, 83, 0)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_glyphs: frozenset | None = None  # code points both the regular and bold font can draw


def _colour(hex_colour: str | None, default=BRAND) -> tuple:
    try:
        value = str(hex_colour).lstrip("#")
        return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4)) if len(value) == 6 else default
    except ValueError:
        return default


class Document(FPDF):
    """An A4 page set with the roadmap's running header and footer."""

    def __init__(self, title: str, running_title: str, draft: bool, generated: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        global _glyphs
        self.add_font(FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        if _glyphs is None:
            _glyphs = frozenset(self.fonts["dejavu"].cmap) & frozenset(self.fonts["dejavuB"].cmap)
        self._widths: dict[str, dict[str, float]] = {}  # font -> word -> width, in font units
        self.draft, self.running_title, self.generated = draft, self.safe(running_title), generated
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(self.safe(title))
        self.set_author("Plenary")
        self.set_creator("Plenary")
        self.set_lang("en")
        self.alias_nb_pages()
        self.set_font(FAMILY, "", 10)

    # Text -----------------------------------------------------------------------------------
    @staticmethod
    def safe(value, keep_newlines: bool = False) -> str:
        text = t.clean(value, keep_newlines)
        return text if text.isascii() else text.translate(_DRAWABLE)

    def font(self, size: float, bold: bool = False, colour=INK):
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of `text` (already safe) that fit `width` mm in the current font, words
        broken only when longer than a line. Linear time: fpdf2's own multi_cell measures
        each line again for every character, which made 500 ideas take seconds."""
        cw, unit = self.current_font.cw, self.font_size_pt * 0.001 / self.k
        limit, space = width / unit, cw[32]
        widths = self._widths.setdefault(self.current_font.fontkey, {})
        lines = []
        for paragraph in text.split("\n"):
            line, used = [], 0.0
            for word in paragraph.split(" "):
                size = widths.get(word)
                if size is None:
                    size = widths[word] = sum(cw[ord(c)] for c in word)
                if line and used + space + size <= limit:
                    line.append(word)
                    used += space + size
                    continue
                if line:
                    lines.append(" ".join(line))
                while size > limit:  # a word wider than the line: break it
                    cut, run = 0, 0.0
                    while cut < len(word) - 1 and run + cw[ord(word[cut])] <= limit:
                        run += cw[ord(word[cut])]
                        cut += 1
                    lines.append(word[:max(cut, 1)])
                    word = word[max(cut, 1):]
                    size = sum(cw[ord(c)] for c in word)
                line, used = [word], size
            lines.append(" ".join(line))
        return lines

    def write_lines(self, lines: list[str], x: float, width: float, h: float, fill=None,
                    padding: float = 0.0):
        """Lines at x, one under the other, onto a new page when the page is full; `fill`
        paints a background box (with `padding`) behind them."""
        if fill:
            lines = [""] * bool(padding) + lines + [""] * bool(padding)
        # text() paints with the fill colour: switch to the text colour, then back.
        colour = self.text_color.serialize().lower()
        for n, line in enumerate(lines):
            line_h = padding if fill and padding and n in (0, len(lines) - 1) else h
            if self.y + line_h > self.page_break_trigger:
                self.add_page()
            if fill:
                self.set_fill_color(*fill)
                self.rect(x, self.y, width, line_h, style="F")
            if line and _RTL.search(line):
                self._rtl_cell(x + padding, width - 2 * padding, h, line)
            elif line:
                self._out(colour)
                self.text(x + padding, self.y + 0.5 * h + 0.3 * self.font_size, line)
                self._out(self.fill_color.serialize().lower() if self.fill_color else "0 g")
            self.y += line_h
        self.x = self.l_margin

    def _rtl_cell(self, x: float, width: float, h: float, line: str):
        """A line with Arabic or Hebrew: HarfBuzz shapes it (joined letters, right-to-left
        runs in visual order) when uharfbuzz is installed; only such lines pay for it."""
        self.set_x(x - self.c_margin)  # cell() pads its text by c_margin
        try:
            self.set_text_shaping(True)
        except Exception:  # uharfbuzz missing: letters stay in logical order, unjoined
            pass
        self.cell(width + 2 * self.c_margin, h, line)
        self.set_text_shaping(False)

    def para(self, value, size=9.5, bold=False, colour=INK, h=None, indent=0.0, after=1.5,
             keep_newlines=False, fill=None, padding=0.0):
        """A wrapped paragraph; words longer than the line are broken, never overflow."""
        self.font(size, bold, colour)
        h = h or size * 0.5
        width = self.epw - indent
        lines = self.wrap(self.safe(value, keep_newlines), width - 2 * padding)
        self.write_lines(lines, self.l_margin + indent, width, h, fill, padding)
        self.ln(after)

    def heading(self, value, level: int = 1):
        """Section headings, also listed in the PDF outline (bookmarks)."""
        size = {0: 20, 1: 15, 2: 12.5, 3: 11}[level]
        if level <= 1 and self.will_page_break(30):
            self.add_page()
        elif self.will_page_break(18):
            self.add_page()
        if level <= 2:
            self.start_section(self.safe(value)[:120], level=max(level - 1, 0), strict=False)
        self.ln(2 if level else 0)
        self.para(value, size=size, bold=True, colour=INK if level != 1 else BRAND, after=1.5)
        if level == 1:
            self.set_draw_color(*LINE)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)

    def label_value(self, label: str, value, width: float = 48):
        self._beside(label, value, width, 9, 9.5, align="L")

    def numbered(self, number, value, size=9.5, width=16.0, indent=0.0, bold_number=True):
        """A row with a right-aligned figure (votes, rank) and wrapped text beside it."""
        self._beside(str(number), value, width, size, size, "R", indent, bold_number)

    def _beside(self, label, value, width, label_size, size, align, indent=0.0, bold=True):
        h = size * 0.5
        self.font(size)
        lines = self.wrap(self.safe(value), self.epw - indent - width)
        if self.y + h > self.page_break_trigger:
            self.add_page()
        y = self.y
        self.font(label_size, bold, SOFT)
        label = self.safe(label)
        x = self.l_margin + indent
        if align == "R":
            x += width - 3 - self.get_string_width(label)
        self.write_lines([label], x, width, h)
        self.set_y(y)
        self.font(size)
        self.write_lines(lines, self.l_margin + indent + width, self.epw - indent - width, h)
        self.ln(0.8)

    def tiles(self, facts: list[tuple[str, str]]):
        """Key figures as a row of tiles: a big number over a small label."""
        gap, n = 3, max(len(facts), 1)
        width = (self.epw - gap * (n - 1)) / n
        if self.will_page_break(20):
            self.add_page()
        y = self.get_y()
        for i, (label, value) in enumerate(facts):
            x = self.l_margin + i * (width + gap)
            self.set_fill_color(*TINT)
            self.rect(x, y, width, 17, style="F")
            self.set_xy(x, y + 2)
            self.font(15, True, BRAND)
            self.cell(width, 7, self.safe(value), align="C")
            self.set_xy(x, y + 10)
            label = self.safe(label)
            size = 7.5
            self.font(size, False, SOFT)
            while size > 5.5 and self.get_string_width(label) > width - 2:
                size -= 0.5
                self.font(size, False, SOFT)
            self.cell(width, 4, label, align="C")
        self.set_xy(self.l_margin, y + 21)

    def rank_badge(self, rank, colour):
        """A coloured square with the rank, left of a theme's heading."""
        if self.will_page_break(22):
            self.add_page()
        self.ln(2)
        y = self.get_y()
        self.set_fill_color(*_colour(colour))
        self.rect(self.l_margin, y, 8, 8, style="F")
        self.set_xy(self.l_margin, y + 1.2)
        self.font(10, True, (255, 255, 255))
        self.cell(8, 5.6, str(rank), align="C")
        self.set_xy(self.l_margin + 11, y + 0.8)

    # Page furniture ---------------------------------------------------------------------------
    def header(self):
        if self.draft:
            self._watermark()
        if self.page_no() > 1:
            self.set_y(9)
            self.font(7.5, False, SOFT)
            self.cell(0, 4, self._fitted(self.running_title, self.epw), align="L")
            self.set_draw_color(*LINE)
            self.line(self.l_margin, 14, self.w - self.r_margin, 14)
            self.set_y(self.t_margin)

    def footer(self):
        self.set_y(-13)
        self.font(7.5, False, SOFT)
        left = f"Plenary roadmap · generated {self.generated}" + (" · DRAFT" if self.draft else "")
        self.cell(self.epw / 2, 4, left, align="L")
        self.cell(self.epw / 2, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    def _fitted(self, text: str, width: float) -> str:
        """`text` cut with an ellipsis to fit one line of `width` mm in the current font."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:max(len(text) * 9 // 10, len(text) - 20) or len(text) - 1]
        return text.rstrip() + "…"

    def _watermark(self):
        x, y = self.x, self.y
        with self.local_context(fill_opacity=0.10, text_color=AMBER):
            self.set_font(FAMILY, "B", 120)
            width = self.get_string_width("DRAFT")
            cx, cy = self.w / 2, self.h / 2
            with self.rotation(55, cx, cy):
                self.text(cx - width / 2, cy + 15, "DRAFT")
        self.set_xy(x, y)


class _Drawable(dict):
    """str.translate table, filled as characters are met: itself when both fonts have a
    glyph, else a substitute."""

    def __missing__(self, code: int):
        ch = chr(code)
        self[code] = ch if code in _glyphs or ch == "\n" else _substitute(ch)
        return self[code]


_DRAWABLE = _Drawable()


def _substitute(ch: str) -> str:
    """Joiners, variation selectors and combining marks the font lacks are dropped (they
    only decorate a neighbour); any other missing character shows as □."""
    return "" if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Sk") else MISSING
