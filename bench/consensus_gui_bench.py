"""The consensus review window on a large queue: opening it and moving through it.

Uses the project of ``bench/consensus_bench.py`` (1,000 documents, 50,000 codings per
coder, about 17,000 disagreements; built there, or here when missing), starts its review
once on a copy, then times offscreen (median of 15 opens, the first of them, with its
one-time set-up, also on its own; 200 moves; the opens' CPU time too, as a shared
machine's wall clock also counts other processes):

1. opening the window as the supervisor (reviews, queue, codebook, documents, filters,
   the first passage painted),
2. moving to the next item (Alt+Down's slot: select, both passages, consensus line),
3. deciding one item (take A) and landing on the next open one;
4. the first opening in the app, as a user meets it: in a fresh process (3 runs), the main
   window opens the project and shows, then Outputs › Consensus review opens the window
   (importing its modules, first reads and first painting included), and a second time.

Run: .venv/bin/python bench/consensus_gui_bench.py [--project FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from consensus_bench import DEFAULT, build  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ketqual.gui.consensus.consensus_window import ConsensusWindow  # noqa: E402
from ketqual.gui.runner import OperationRunner  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.consensus import consensus_ops
from ketqual.ops.team import coder_ops

OPENS = 15  # a shared machine's spread is wide: a median of several


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


IN_APP = """
import os, sys, tempfile, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from ketqual.gui.main_window import MainWindow
app = QApplication([])
ini = os.path.join(tempfile.mkdtemp(), "bench.ini")
window = MainWindow(QSettings(ini, QSettings.Format.IniFormat))
window.interactive = False
window.open_project(sys.argv[1], coder="Supervisor")
window.show()
app.processEvents()
for _ in range(2):
    t0 = time.perf_counter()
    window.open_consensus()
    app.processEvents()
    print(time.perf_counter() - t0)
    window.consensus.close()
    app.processEvents()
"""


def in_app_opens(project: Path, runs: int = 3) -> list[tuple[float, float]]:
    """(first, second) opening of the review window from the main window, per fresh process."""
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", IN_APP, str(project)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        first, second = (float(line) for line in done.stdout.split())
        out.append((first, second))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if not args.project.exists():
        build(args.project, 1000, 50_000)
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "gui.ketqual"
        shutil.copy(args.project, copy)
        project = project_ops.open_project(copy, backup=False)
        boss = coder_ops.find_coder(project, "Supervisor")
        consensus_ops.start_review(
            project, supervisor=boss.id, coder_a="Coder A", coder_b="Coder B"
        )
        runner = OperationRunner(project)
        opens, open_cpus = [], []
        for _ in range(OPENS):
            t0, c0 = time.perf_counter(), time.process_time()
            window = ConsensusWindow(runner, boss)
            window.show()
            app.processEvents()
            opens.append(time.perf_counter() - t0)
            open_cpus.append(time.process_time() - c0)
            n = sum(window._kinds.values())
            window.close()
            window.deleteLater()
            app.processEvents()
        print(f"queue: {n:,} disagreements")
        print(
            f"open the window:       median {statistics.median(opens) * 1000:6.1f} ms "
            f"(min {min(opens) * 1000:.1f}, max {max(opens) * 1000:.1f}); "
            f"CPU median {statistics.median(open_cpus) * 1000:.1f} ms; "
            f"the first open {opens[0] * 1000:.1f} ms"
        )
        window = ConsensusWindow(runner, boss)
        window.show()
        app.processEvents()
        moves = []
        for _ in range(200):
            t0 = time.perf_counter()
            window.move(1)
            app.processEvents()
            moves.append(time.perf_counter() - t0)
        print(
            f"next item (200 moves): median {statistics.median(moves) * 1000:6.1f} ms, "
            f"p95 {percentile(moves, 0.95) * 1000:.1f} ms, max {max(moves) * 1000:.1f} ms"
        )
        decisions = []
        for _ in range(30):
            t0 = time.perf_counter()
            window.decide("take_a")
            app.processEvents()
            decisions.append(time.perf_counter() - t0)
        print(
            f"take A and go on (30): median {statistics.median(decisions) * 1000:6.1f} ms, "
            f"p95 {percentile(decisions, 0.95) * 1000:.1f} ms"
        )
        window.close()
        project.close()
        opens_in_app = in_app_opens(copy)
        firsts = [first for first, _ in opens_in_app]
        print(
            "open from the main window, first time in a process (3 processes): "
            + ", ".join(f"{first * 1000:.1f}" for first in firsts)
            + " ms; the second time: "
            + ", ".join(f"{second * 1000:.1f}" for _, second in opens_in_app)
            + " ms"
        )


if __name__ == "__main__":
    main()
