"""How long the console's "Suggest themes" takes on a 500-idea board, cold and warm, through
the app's own path (services.suggestions.propose_themes, the encoder in its suggestion
worker process as wsgi.py runs it), for each backend asked:

    .venv/bin/python bench/suggestions_cold.py --backends embeddings,ensemble,tfidf

cold = the model loaded at start-up (warm_up) but no idea encoded yet (a board whose ideas
never went through a similar-idea check, e.g. after a restart); warm = asked again. The
console gives up after 10 s (static/js/board.js). Ideas: the first 500 distinct texts of
tests/data (valencia, labelled) and ../shared/data/polis-dev-topics.jsonl. One backend
per process, as a server has it. Prints a Markdown table for docs/SUGGESTIONS.md.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLIS = ROOT.parent / "shared/data/polis-dev-topics.jsonl"


def texts(n: int) -> list[str]:
    found = [r["text"] for name in ("ideas_valencia.csv", "ideas_labelled.csv")
             for r in csv.DictReader((ROOT / "tests/data" / name).open(encoding="utf-8"))]
    if POLIS.exists():
        found += [json.loads(line)["text"] for line in POLIS.open(encoding="utf-8")]
    return list(dict.fromkeys(found))[:n]


def measure(n: int) -> dict:
    """In this process: SUGGEST_BACKEND and SUGGEST_PROCESS are set by the caller."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.extensions import db
    from app.models import Idea
    from app.services import workshops
    from app.services.suggestions import propose_themes
    from app.suggest import warm_up
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tempfile.mktemp()}")
    board = texts(n)
    with app.app_context():
        db.create_all()
        event = workshops.create_event("Bench")
        workshop = workshops.create_workshop(event, "Bench", "Cold suggestions")
        db.session.add_all(Idea(workshop_id=workshop.id, text=text) for text in board)
        db.session.commit()
        workshop_id = workshop.id
        db.session.remove()
        started = time.perf_counter()
        warm_up()
        result = {"ideas": len(board), "start_up": time.perf_counter() - started}
        for label in ("cold", "warm"):
            started = time.perf_counter()
            answer = propose_themes(workshop_id)
            result[label] = time.perf_counter() - started
            result["themes"], result["backend"] = len(answer["new"]), answer["backend"]
            db.session.remove()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="embeddings,ensemble,tfidf")
    parser.add_argument("--ideas", type=int, default=500)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process's backend
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.ideas)))
        return
    print("| backend | ideas | start-up (model loaded) | Suggest themes, cold | warm | "
          "themes proposed |\n|---|---|---|---|---|---|")
    for name in args.backends.split(","):
        env = {**os.environ, "SUGGEST_BACKEND": name, "SUGGEST_PROCESS": "worker"}
        done = subprocess.run([sys.executable, __file__, "--one", name, "--ideas",
                               str(args.ideas)], env=env, capture_output=True, text=True,
                              cwd=ROOT, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"| {row['backend']} | {row['ideas']} | {row['start_up']:.1f} s | "
              f"{row['cold']:.2f} s | {row['warm']:.2f} s | {row['themes']} |", flush=True)


if __name__ == "__main__":
    main()
