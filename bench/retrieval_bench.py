"""Coded passages and crosstabs on a big project: time to the first screen.

Uses the framework-matrix benchmark's synthetic project (1,000 documents of about 10,000
characters in 100 focus groups, 50,000 consensus codings; built once by
``bench/matrix_bench.py``'s builder into its own file) and gives the participants its texts
name (P3, P5, P12) a role.

Times (median of 5, wall clock and CPU):
* ``find_passages`` for one theme (load the layer, merge, texts, quote) and for a
  subtheme filtered by a participant attribute;
* ``compute_crosstab`` themes x session (a document attribute) and themes x role (a
  participant attribute, which reads the texts to see who each passage names);
* the windows, offscreen: from pressing Find (or opening the crosstab) to the table
  painted with its first screen of rows.

Run: .venv/bin/python bench/retrieval_bench.py [--project FILE] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import matrix_bench  # noqa: E402

from ketqual.core.retrieval import PassageQuery  # noqa: E402
from ketqual.ops import project_ops  # noqa: E402
from ketqual.ops.attributes import attribute_ops  # noqa: E402
from ketqual.ops.retrieval import crosstab_ops, passage_ops  # noqa: E402

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-retrieval-bench.ketqual"
TARGET = 0.300


def timed(action, repeats: int = 5) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``repeats`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def build(path: Path, docs: int, codings: int) -> None:
    matrix_bench.build(path, docs, codings)
    with project_ops.open_project(path, backup=False) as project:
        attribute_ops.define_attribute(
            project, "participant", "role", "choice", ["patient", "carer", "advocate"]
        )
        for label, role in (("P3", "patient"), ("P5", "carer"), ("P12", "advocate")):
            role_id = attribute_ops.list_attributes(project, "participant")[0].id
            attribute_ops.set_value(project, role_id, label, role)


def line(what: str, took: float, cpu: float, extra: str = "") -> None:
    verdict = "met" if took < TARGET else "NOT met"
    print(f"{what:<58} {took * 1000:7.0f} ms (CPU {cpu * 1000:5.0f} ms)  {verdict}{extra}")


def gui_times(project, repeats: int = 5) -> None:
    """Press Find / open the crosstab, and wait until the table has painted its rows."""
    from PySide6.QtWidgets import QApplication

    from ketqual.gui.retrieval.crosstab_window import CrosstabWindow
    from ketqual.gui.retrieval.passages_window import PassagesWindow
    from ketqual.gui.runner import OperationRunner

    app = QApplication.instance() or QApplication([])
    runner = OperationRunner(project)
    window = PassagesWindow(runner, "Supervisor")
    window.resize(1280, 720)
    window.show()
    theme = next(t.id for t in window.codes.themes if t.name == "Side-effects")
    window.codes.tick([theme])

    def wait(condition) -> None:
        while not condition():
            app.processEvents()
            time.sleep(0.001)

    def find() -> int:
        window.result = None
        window.search()
        wait(lambda: window.result is not None and not runner.jobs)
        window.table.viewport().repaint()
        app.processEvents()
        return window.model.rowCount()

    took, cpu, rows = timed(find, repeats)
    line("window: Find → first screen painted (Side-effects)", took, cpu, f"; {rows:,} rows")
    window.close()

    def crosstab() -> int:
        table = CrosstabWindow(runner, "Supervisor")
        table.resize(1180, 640)
        table.show()
        wait(lambda: table.view is not None and not runner.jobs)
        table.table.viewport().repaint()
        app.processEvents()
        cells = table.model.rowCount() * table.model.columnCount()
        table.close()
        return cells

    took, cpu, cells = timed(crosstab, repeats)
    line("window: open crosstab → first screen painted (x session)", took, cpu, f"; {cells} cells")
    runner.wait_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--no-gui", action="store_true", help="leave out the window timings")
    args = parser.parse_args()
    if args.rebuild or not args.project.exists():
        t0 = time.perf_counter()
        build(args.project, args.docs, args.codings)
        print(f"built {args.project} in {time.perf_counter() - t0:.1f} s")
    project = project_ops.open_project(args.project, backup=False)
    info = project_ops.project_info(project)
    print(
        f"project: {len(info['documents']):,} documents, "
        f"{sum(d['characters'] for d in info['documents']):,} characters, "
        f"{info['consensus_codings']:,} consensus codings; target < {TARGET * 1000:.0f} ms"
    )
    query = PassageQuery(codes=("Side-effects",))
    took, cpu, result = timed(lambda: passage_ops.find_passages(project, query))
    line(
        "find_passages: Side-effects (with subthemes)",
        took,
        cpu,
        f"; {len(result.passages):,} passages",
    )
    query = PassageQuery(codes=("Cost",), where=(("role", "carer"),))
    took, cpu, result = timed(lambda: passage_ops.find_passages(project, query))
    line("find_passages: Cost, role = carer", took, cpu, f"; {len(result.passages):,} passages")
    for columns, count in (("session", "passages"), ("role", "passages"), ("session", "cases")):
        took, cpu, view = timed(
            lambda c=columns, n=count: crosstab_ops.compute_crosstab(project, columns=c, count=n)
        )
        line(
            f"compute_crosstab: themes x {columns}, {count}",
            took,
            cpu,
            f"; total {view.table.total:,}",
        )
    if not args.no_gui:
        gui_times(project)
    project.close()


if __name__ == "__main__":
    main()
