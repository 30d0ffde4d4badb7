"""Votes: a large voting sheet checked and imported, then tables and figures.

Writes a synthetic sheet (one row per participant) of 2,000 participants and 30 questions:
24 yes/no/unsure, 5 ratings and one multiple-choice question of six tick columns (35
columns), about 3 % of answers blank. Then it times (median of 3, each on a new project):

1. ``votes_ops.import_votes`` (read, check every cell, store in one transaction),
2. ``votes_ops.summarise_questions`` for all 30 questions (load answers, count, Wilson),
3. ``ketqual votes figure`` work for the multiple-choice question: SVG, PDF, PNG (300 dpi),
4. the same import with one bad cell in the last row: how long until it is refused.

Run: .venv/bin/python bench/votes_bench.py [--participants N]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ketqual.ops import project_ops  # noqa: E402
from ketqual.ops.errors import OperationError  # noqa: E402
from ketqual.ops.votes import votes_ops  # noqa: E402
from ketqual.render.votes.export import write_picture  # noqa: E402

OPTIONS = ("Specialist only", "Shared care", "GP", "Pharmacy", "Home delivery", "Trials")


def write_sheet(path: Path, participants: int, bad: bool = False, seed: int = 7) -> int:
    """The sheet; returns the number of cells."""
    rng = random.Random(seed)
    header = ["Participant", "Group"]
    header += [f"Yes/no question {i}" for i in range(1, 25)]
    header += [f"Rating question {i}" for i in range(1, 6)]
    header += [f"Prescribing options [{o}]" for o in OPTIONS]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for p in range(1, participants + 1):
            row = [f"P{p}", f"G{p % 7 + 1}"]
            row += [
                "" if rng.random() < 0.03 else rng.choice(("Yes", "Yes", "No", "Unsure"))
                for _ in range(24)
            ]
            row += ["" if rng.random() < 0.03 else str(rng.randint(1, 5)) for _ in range(5)]
            row += ["x" if rng.random() < 0.35 else "" for _ in OPTIONS]
            if bad and p == participants:
                row[2] = "Perhaps"
            writer.writerow(row)
    return (participants + 1) * len(header)


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ketqual-votes-bench-"))
    sheet = folder / "votes.csv"
    cells = write_sheet(sheet, args.participants)
    bad = folder / "bad.csv"
    write_sheet(bad, args.participants, bad=True)
    questions = [
        f"Yes/no question {i}" for i in range(1, 25)
    ]  # a question list fixes the yes/no options, so a bad cell is an error
    listing = folder / "questions.csv"
    with listing.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Question", "Type"])
        writer.writerows([q, "yes/no/unsure"] for q in questions)
    results: dict[str, list[float]] = {}
    for run in range(3):
        project = project_ops.new_project(folder / f"p{run}.ketqual", actor="bench")
        try:
            results.setdefault("import", []).append(
                timed(lambda p=project: votes_ops.import_votes(p, sheet, questions_file=listing))
            )
            results.setdefault("table", []).append(
                timed(lambda p=project: votes_ops.summarise_questions(p))
            )
            for fmt in ("svg", "pdf", "png"):
                out = folder / f"fig.{fmt}"
                results.setdefault(f"figure {fmt}", []).append(
                    timed(
                        lambda p=project, o=out: votes_ops.export_figure(
                            p, ["Prescribing options"], o, picture_writer=write_picture
                        )
                    )
                )

            def refused(p=project) -> None:
                try:
                    votes_ops.import_votes(p, bad, questions_file=listing)
                except OperationError:
                    return
                raise AssertionError("the bad sheet was imported")

            results.setdefault("bad sheet refused", []).append(timed(refused))
        finally:
            project.close()
    print(
        f"{args.participants} participants, 30 questions, {cells:,} cells ({sheet.stat().st_size:,} bytes)"
    )
    for name, values in results.items():
        print(
            f"  {name:<20} median {statistics.median(values) * 1000:7.0f} ms "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
        )


if __name__ == "__main__":
    main()
