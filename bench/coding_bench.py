"""Coding screen latency on a big document, and cold start of the app on the demo.

1. Builds a project holding one ~1 MB document with 10,000 codings by one coder.
2. Opens the window offscreen as that coder and times opening the document (text,
   units, codings, highlights and stripes for the screen).
3. Times "apply code" 200 times at random places: from the key press to the highlight
   painted (a synchronous repaint of the text and the stripe margin), and prints the
   median, p95 and max.
4. Cold start: starts ``python -m ketqual gui DEMO --screenshot`` style runs in fresh
   processes and times process start to a usable window with the demo open
   (median of 5), measured inside the child so the screenshot's PNG encoding is
   not counted.

Targets (issue 3): cold start < 1.0 s; open < 300 ms; apply-code p95 < 30 ms.

Run: .venv/bin/python bench/coding_bench.py [--codings 10000] [--chars 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ketqual.core.model import DocumentDraft, DocumentMeta  # noqa: E402
from ketqual.core.text import sha256_text  # noqa: E402
from ketqual.core.units import segment  # noqa: E402
from ketqual.ops import project_ops  # noqa: E402
from ketqual.ops.coding import coding_ops  # noqa: E402
from ketqual.ops.coding.coding_ops import NewCoding  # noqa: E402
from ketqual.ops.team import coder_ops  # noqa: E402

WORDS = [
    "ketamine",
    "infusion",
    "clinic",
    "carer",
    "worried",
    "bladder",
    "driving",
    "work",
    "cost",
    "stigma",
    "therapy",
    "support",
    "family",
    "doctor",
    "nurse",
    "monitoring",
    "dose",
    "week",
    "month",
    "sleep",
    "mood",
    "relief",
    "hope",
    "felt",
    "said",
    "group",
    "agreed",
    "P3",
    "P7",
    "P12",
    "“quote”",
    "café",
    "naïve",
    "😟",
]


def big_text(chars: int, rng: random.Random) -> str:
    """Scribe-like bullet lines until ``chars`` characters."""
    lines, size = [], 0
    while size < chars:
        words = rng.choices(WORDS, k=rng.randint(8, 30))
        line = "- " + " ".join(words) + "."
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def build(path: Path, chars: int, codings: int, rng: random.Random) -> int:
    project = project_ops.new_project(path, actor="bench")
    text = big_text(chars, rng)
    draft = DocumentDraft(
        DocumentMeta("Big notes", "scribe_notes", 1, 1), text, "big.txt", sha256_text(text), "txt"
    )
    with project.transaction() as tx:
        doc = tx.documents.add(draft, segment(text), None).id
    coder = coder_ops.add_coder(project, "Bench Coder").details["coder_id"]
    with project.read() as tx:
        codes = [c.id for c in tx.codes.list()]
    spans = []
    for _ in range(codings):
        start = rng.randrange(0, len(text) - 400)
        spans.append(NewCoding(doc, rng.choice(codes), start, start + rng.randint(20, 400)))
    coding_ops.add_codings(project, coder, spans)
    project.close()
    return doc


def latency(path: Path, doc: int, samples: int, rng: random.Random) -> None:
    from PySide6.QtCore import QSettings

    from ketqual.gui.app import make_application

    app = make_application()
    from ketqual.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as settings_dir:
        window = MainWindow(QSettings(f"{settings_dir}/s.ini", QSettings.Format.IniFormat))
        window.persist_layout = False
        window.resize(1280, 800)
        window.show()
        window.open_project(path, coder="Bench Coder")
        app.processEvents()
        opens = []
        for _ in range(3):
            window.show_document(None)
            app.processEvents()
            t0 = time.perf_counter()
            window.select_document(doc)
            window.text_view.viewport().repaint()
            window.text_view._margin.repaint()
            opens.append(time.perf_counter() - t0)
            app.processEvents()
        print(
            f"open 1 MB document with {window.text_view.coding_count():,} codings: "
            f"median {statistics.median(opens) * 1000:.0f} ms (3 runs)"
        )
        text = window.text_view.text
        times = []
        for _ in range(samples):
            start = rng.randrange(0, len(text) - 200)
            window.text_view.select_span(start, start + rng.randint(10, 150))
            app.processEvents()
            t0 = time.perf_counter()
            window.code_with_key(str(rng.randint(0, 9)))
            window.text_view.viewport().repaint()
            window.text_view._margin.repaint()
            times.append(time.perf_counter() - t0)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"apply code -> highlight painted ({samples} codings): median "
            f"{statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"max {times[-1] * 1000:.1f} ms"
        )
        window.close()


CHILD = """
import time, sys, os
t0 = float(sys.argv[2])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QSettings
from ketqual.gui.app import make_application
app = make_application()
from ketqual.gui.main_window import MainWindow
w = MainWindow(QSettings(sys.argv[3], QSettings.Format.IniFormat))
w.persist_layout = False
w.open_project(sys.argv[1], coder="Coder A")
w.show()
app.processEvents()
print(time.time() - t0)
"""


def cold_start(runs: int) -> None:
    from ketqual.ops import demo_ops

    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.ketqual"
        demo_ops.build_demo(demo)[0].close()
        times = []
        for _ in range(runs + 1):  # the first run warms the OS file cache; not counted
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(demo), repr(time.time()), f"{folder}/s.ini"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            times.append(float(out.stdout.strip().splitlines()[-1]))
        times = times[1:]
        print(
            f"cold start to a usable window with the demo open: median "
            f"{statistics.median(times):.2f} s over {runs} runs "
            f"(min {min(times):.2f}, max {max(times):.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.ketqual"
        t0 = time.perf_counter()
        doc = build(path, args.chars, args.codings, rng)
        print(
            f"built {args.chars:,} characters, {args.codings:,} codings "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        latency(path, doc, args.samples, rng)
    cold_start(args.runs)


if __name__ == "__main__":
    main()
