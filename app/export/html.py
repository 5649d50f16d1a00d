"""Roadmap as a printable HTML page (templates/roadmap.html), rendered with plain Jinja so
it is a pure builder like the others. Inside Flask, render_template("roadmap.html",
roadmap=d) gives the same page; build() also strips control characters from attendees'
text first. Jinja's autoescape keeps that text literal (no HTML from an idea runs)."""
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .text import clean

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def build(d: dict, downloads: str | None = None) -> str:
    """The page; `downloads` is the URL stem of the downloads (…/export) to link to."""
    return _env.get_template("roadmap.html").render(roadmap=_cleaned(d), downloads=downloads)


def _cleaned(value):
    if isinstance(value, str):
        return clean(value, keep_newlines=True)
    if isinstance(value, dict):
        return {_cleaned(key): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value
