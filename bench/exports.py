"""Export speed, measured (not a test): `.venv/bin/python bench/exports.py [--json FILE]`.

Targets (roadmap issue): a workshop with 500 ideas and 5,000 votes exports in under a
second in every format; an event with 20 such workshops in a few seconds. The data is
seeded in bulk into a file SQLite database (one workshop: 1,000 attendees with profiles,
500 ideas in 12 themes, 5,000 votes, conclusions and actions, a board history). Each figure
is the median of several runs of the whole export (database reads + builder), and the
ratio to JSON (reads + json.dumps, the cheapest format) measured in the same run.
"""
import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import ActionItem, BoardAction, Conclusion, Event, Idea, Participant, Theme, \
    Vote, Workshop  # noqa: E402
from app.vocabulary import HORIZONS, STAKEHOLDER_KINDS  # noqa: E402

REGIONS = ["Comunitat Valenciana", "Basque Country", "Navarra", "Bavaria", "Flanders",
           "Lower Silesia", "Emilia-Romagna", "Norte", "Île-de-France", "Skåne"]
WORDS = ("regional clusters share testbeds skills hydrogen vouchers procurement data green "
         "digital transition SMEs interregional partnerships value chains innovation "
         "funding training talent energy ports logistics €5 000 — ‘quoted’ naïve").split()


def seed_workshop(event_id: int, n: int, rng: random.Random, ideas=500, votes=5000,
                  people=1000, themes=12) -> int:
    workshop = Workshop(event_id=event_id, title=f"Workshop {n + 1}: interregional value chains",
                        question="How can clusters multiply the connections between value "
                                 "chains?", code=f"B{n:05d}", facilitator_token=f"bench-{n}",
                        screen_token=f"bench-screen-{n}",
                        phase="closed", vote_budget=5, vote_cap=1)
    db.session.add(workshop)
    db.session.flush()
    wid = workshop.id
    kinds = list(STAKEHOLDER_KINDS) + [""]
    db.session.execute(insert(Participant), [
        {"workshop_id": wid, "token": f"p{n}-{i}", "display_name": f"Person {i}",
         "organisation": f"Org {i % 40}", "kind": kinds[i % len(kinds)],
         "region": REGIONS[i % len(REGIONS)], "votes_used": 5} for i in range(people)])
    participant_ids = [p.id for p in db.session.query(Participant.id).filter_by(workshop_id=wid)]
    db.session.execute(insert(Theme), [
        {"workshop_id": wid, "name": f"Theme {t + 1} — {WORDS[t]}", "colour": "#1f4fd1",
         "position": t, "deleted": False} for t in range(themes)])
    theme_ids = [t.id for t in db.session.query(Theme.id).filter_by(workshop_id=wid)]
    db.session.execute(insert(Idea), [
        {"workshop_id": wid, "participant_id": rng.choice(participant_ids),
         "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))[:500],
         "theme_id": theme_ids[i % themes] if i % 10 else None, "position": i}
        for i in range(ideas)])
    idea_ids = [i.id for i in db.session.query(Idea.id).filter_by(workshop_id=wid)]
    pairs = set()
    while len(pairs) < votes:
        pairs.add((rng.choice(participant_ids), rng.choice(idea_ids)))
    db.session.execute(insert(Vote), [{"workshop_id": wid, "participant_id": p, "idea_id": i,
                                       "dots": 1} for p, i in pairs])
    db.session.execute(insert(Conclusion), [
        {"workshop_id": wid, "theme_id": t, "text": "A paragraph of conclusions. " * 8}
        for t in theme_ids])
    db.session.execute(insert(ActionItem), [
        {"workshop_id": wid, "theme_id": theme_ids[a % themes], "what": f"Action {a + 1}",
         "owner": "Regional agency", "horizon": list(HORIZONS)[a % 3]} for a in range(36)])
    db.session.execute(insert(BoardAction), [
        {"workshop_id": wid, "actor": "facilitator:1", "kind": "idea.moved",
         "before": {"placements": [[idea_ids[i], None, 0]]},
         "after": {"placements": [[idea_ids[i], theme_ids[i % themes], 0]]}}
        for i in range(0, ideas, 2)])
    db.session.commit()
    return wid


def median_time(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds (CPU time is what the export costs on a machine that
    other processes share). The garbage collector runs, as in the export views."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workshops", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--append", help="append a Markdown section to this file "
                                         "(docs/PERFORMANCE.md)")
    args = parser.parse_args()
    from app.services import event_roadmap, roadmap
    from app.views.exports import builder

    folder = tempfile.mkdtemp(prefix="plenary-bench-exports-")
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite3")
    results = {"machine": f"{platform.machine()}, {platform.python_version()}",
               "workshop": {}, "event": {}}
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        rng = random.Random(1)
        event = Event(title="Benchmark conference 2026")
        db.session.add(event)
        db.session.commit()
        start = time.perf_counter()
        ids = [seed_workshop(event.id, n, rng) for n in range(args.workshops)]
        print(f"seeded {len(ids)} workshops in {time.perf_counter() - start:.1f} s", flush=True)
        workshop = db.session.get(Workshop, ids[0])

        def export(scope, fmt):
            def run():
                data = roadmap.workshop_roadmap(workshop) if scope == "workshop" \
                    else event_roadmap.event_roadmap(db.session.get(Event, event.id))
                if fmt == "json":
                    return json.dumps(data, ensure_ascii=False)
                module = builder({"md": "markdown", "pdf": "pdf", "csv": "csv_export"}[fmt])
                return (module.build_workshop if scope == "workshop" else module.build_event)(data)
            return run

        for scope in ("workshop", "event"):
            for fmt in ("json", "md", "csv", "pdf"):
                runs = args.runs if scope == "workshop" else max(1, args.runs - 1)
                export(scope, fmt)()  # warm: fonts, imports
                seconds, cpu = median_time(export(scope, fmt), runs)
                results[scope][fmt] = round(seconds, 3)
                results[scope][f"{fmt}_cpu"] = round(cpu, 3)
                print(f"{scope:9} {fmt:5} {seconds * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms cpu",
                      flush=True)
            base = results[scope]["json"]
            results[scope]["ratio_to_json"] = {f: round(results[scope][f] / base, 2)
                                               for f in ("md", "csv", "pdf")}
        size = len(export("event", "pdf")())
        results["event_pdf_bytes"] = size
    results["load_average"] = round(__import__("os").getloadavg()[0], 2)
    results["targets"] = {
        "workshop_under_1s": all(results["workshop"][f] < 1 for f in ("json", "md", "csv", "pdf")),
        "event_under_5s": all(results["event"][f] < 5 for f in ("json", "md", "csv", "pdf"))}
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    if args.append:
        with open(args.append, "a", encoding="utf-8") as doc:
            doc.write(markdown(results, args.workshops))
    print(json.dumps(results, indent=2))
    return results


def markdown(results: dict, workshops: int) -> str:
    from datetime import datetime, timezone
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    rows = ["", f"## Exports, run of {when}", "",
            f"`bench/exports.py`: one workshop of 500 ideas, 5,000 votes, 1,000 attendees "
            f"with profiles, 12 themes with conclusions, 36 actions and a board history; an "
            f"event of {workshops} such workshops. Each figure is the whole export (database "
            f"reads + builder), median of a few runs, wall and CPU seconds; the ratio is to "
            f"JSON (reads + json.dumps) in the same run. Machine {results['machine']}, load "
            f"average {results['load_average']}.", "",
            "| export | workshop wall s | workshop CPU s | × JSON | event wall s | event CPU s "
            "| × JSON |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for fmt, label in (("json", "JSON"), ("md", "Markdown"), ("csv", "CSV"), ("pdf", "PDF")):
        w, e = results["workshop"], results["event"]
        ratio_w = w["ratio_to_json"].get(fmt, 1.0)
        ratio_e = e["ratio_to_json"].get(fmt, 1.0)
        rows.append(f"| {label} | {w[fmt]:.3f} | {w[fmt + '_cpu']:.3f} | {ratio_w:.2f} | "
                    f"{e[fmt]:.2f} | {e[fmt + '_cpu']:.2f} | {ratio_e:.2f} |")
    met = results["targets"]
    rows += ["", "Targets: every workshop export under 1 s: "
             f"**{'met' if met['workshop_under_1s'] else 'missed'}**; "
             f"every event export under 5 s: **{'met' if met['event_under_5s'] else 'missed'}**. "
             f"Event PDF: {results['event_pdf_bytes'] / 1e6:.1f} MB.", ""]
    return "\n".join(rows)


if __name__ == "__main__":
    main()
