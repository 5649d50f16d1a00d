"""Roadmap export speed, measured (not a test): `.venv/bin/python bench/exports.py`.

Builds every format for a workshop of 500 ideas and 5,000 votes (12 themes) and for an
event of 20 such workshops, from synthetic roadmap dicts (tests/roadmap_factory.py), and
prints the median of a few runs. Timings on shared machines are noisy, so each is also given
as a ratio to a baseline measured in the same run: json.dumps of the same dict.
Targets (the issue): a workshop export under 1 s, an event of 20 workshops in a few seconds.
"""
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import roadmap_factory  # noqa: E402
from app.export import csv_export, html, json_roadmap, markdown, pdf  # noqa: E402
from suggestions import timed  # noqa: E402  (median of repeated runs)


def main():
    workshop = roadmap_factory.workshop(ideas=500, votes=5000, themes=12)
    event = roadmap_factory.event(workshops=20, ideas=500, votes=5000, themes=12)
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}\n")
    print("| export | workshop: 500 ideas, 5,000 votes | event: 20 such workshops |")
    print("| --- | ---: | ---: |")
    base = {"workshop": timed(lambda: json.dumps(workshop), 5),
            "event": timed(lambda: json.dumps(event), 3)}
    formats = [("PDF", pdf.build_workshop, pdf.build_event),
               ("Markdown", markdown.build_workshop, markdown.build_event),
               ("CSV", csv_export.build_workshop, csv_export.build_event),
               ("JSON", json_roadmap.dumps, json_roadmap.dumps),
               ("HTML", html.build, html.build)]
    for name, one, many in formats:
        w, e = timed(lambda: one(workshop), 5), timed(lambda: many(event), 3)
        print(f"| {name} | {w:.3f} s ({w / base['workshop']:.0f}× baseline) | "
              f"{e:.2f} s ({e / base['event']:.0f}× baseline) |")
    print(f"| baseline: json.dumps | {base['workshop']:.4f} s | {base['event']:.3f} s |")


if __name__ == "__main__":
    main()
