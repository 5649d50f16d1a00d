"""Rendered pages kept per workshop and language, for the page hundreds of phones open at
the same moment (the join page, /j/<code>): rendering it (some 250 script strings, the
template) cost ~3 ms of CPU a load, twice a join's own (docs/PERFORMANCE.md, "Joins").

A page is cached only when nothing in it is the visitor's own: the key holds everything the
page shows (the workshop's code, title and question, the event's title, the language, the
address it was reached at), and a visitor with flashed messages waiting gets a fresh render.
The grant, the cookie and the checks still run on every load (views/pages.py); only the
HTML is reused. Bounded: the least recently used page goes first.
"""
import threading
from collections import OrderedDict

from flask import current_app, session

EXTENSION = "plenary_pages"


class PageCache:
    def __init__(self, size: int = 128):
        self.size = size
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def page(self, key: tuple, render) -> str:
        with self._lock:
            html = self._pages.get(key)
            if html is not None:
                self._pages.move_to_end(key)
                return html
        html = render()
        with self._lock:
            self._pages[key] = html
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return html


def cached(key: tuple, render) -> str:
    """The page for `key` from the current app's cache, or `render()` (then kept)."""
    if "_flashes" in session:  # a message for this visitor only
        return render()
    return current_app.extensions[EXTENSION].page(key, render)
