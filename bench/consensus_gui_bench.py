"""The consensus review window on a large queue: opening it and moving through it.

Uses the project of ``bench/consensus_bench.py`` (1,000 documents, 50,000 codings per
coder, about 17,000 disagreements; built there, or here when missing), starts its review
once on a copy, then times offscreen (median of 5 opens, 200 moves; the opens' CPU time
too, as a shared machine's wall clock also counts other processes):

1. opening the window as the supervisor (reviews, queue, codebook, documents, filters,
   the first passage painted),
2. moving to the next item (Alt+Down's slot: select, both passages, consensus line),
3. deciding one item (take A) and landing on the next open one.

Run: .venv/bin/python bench/consensus_gui_bench.py [--project FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
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


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


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
        for _ in range(5):
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
            f"CPU median {statistics.median(open_cpus) * 1000:.1f} ms"
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


if __name__ == "__main__":
    main()
