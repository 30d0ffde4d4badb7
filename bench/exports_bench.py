"""Exports that must survive any text and any size: figures to put next to issue 16.

1. The xlsx writer after hardening, against the writer as it was on ``main`` before
   (``--baseline REV``, default ``c4c49c1``, read with ``git show``) and against openpyxl's
   write-only mode: a 300,000-cell sheet (50,000 rows of six cells: wrapped text, some of
   it hostile, and numbers). Median of three.
2. The theme-overlap figure of a 230-code codebook (105 themes, 125 subthemes, 60 edges),
   each of SVG, PDF and PNG in a fresh process: wall time, peak memory (``ru_maxrss``),
   page size and the PNG's pixels; and the same for the 20 themes with the largest n.

Run: .venv/bin/python bench/exports_bench.py [--baseline REV]
"""

from __future__ import annotations

import argparse
import importlib
import json
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

ROWS = 50_000


def _rows() -> list[list[object]]:
    rng = random.Random(16)
    words = [
        "support",
        "access",
        "travel",
        "cost",
        "stigma",
        "therapy",
        "dose",
        "clinic",
        "safety",
        "carer",
    ]
    out = []
    for i in range(ROWS):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 40)))
        hostile = ("=cmd|' /C calc'!A0", "- a bullet", "<&>", "emoji 😀", "")[i % 5]
        out.append([f"S1G{i % 7}-N-{i}-{i + 40}", text, hostile, i, rng.random(), i % 3 == 0])
    return out


def _old_writer(rev: str):
    """The xlsx writer module as it was at ``rev`` (with its styles module)."""
    folder = Path(tempfile.mkdtemp(prefix="old-writer-"))
    for name in ("xlsx_writer", "xlsx_styles"):
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:ketqual/io/{name}.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = text.replace(
            "from ketqual.io import xlsx_styles", "import old_xlsx_styles as xlsx_styles"
        )
        text = text.replace("from ketqual.io.xlsx_styles", "from old_xlsx_styles")
        (folder / f"old_{name}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("old_xlsx_writer")


def _time(write, path: Path) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        write(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_writer(rev: str) -> None:
    from ketqual.io import xlsx_writer

    rows = _rows()
    styles = ["id", "cell", "cell", "number", "number", "normal"]
    widths = {0: 18, 1: 60, 2: 20, 3: 8, 4: 8, 5: 6}

    def new(path: Path) -> None:
        wb = xlsx_writer.Workbook("bench")
        ws = wb.add_sheet("Quotes", widths=widths, freeze=(1, 1), print_titles=(1, 0))
        for row in rows:
            ws.append(row, styles)
        wb.save(path)

    module = _old_writer(rev)

    def old(path: Path) -> None:
        wb = module.Workbook("bench")
        ws = wb.add_sheet("Quotes", widths=widths, freeze=(1, 1), print_titles=(1, 0))
        for row in rows:
            ws.append(row, styles)
        wb.save(path)

    def openpyxl_write_only(path: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Quotes")
        for row in rows:
            ws.append(row)
        wb.save(path)

    out = Path(tempfile.mkdtemp(prefix="xlsx-bench-"))
    print(f"xlsx: {ROWS:,} rows x 6 cells = {ROWS * 6:,} cells (median of 3)")
    for label, write in (
        ("KetQual writer, hardened", new),
        (f"KetQual writer at {rev}", old),
        ("openpyxl write-only", openpyxl_write_only),
    ):
        seconds = _time(write, out / "b.xlsx")
        size = (out / "b.xlsx").stat().st_size / 2**20
        print(f"  {label:<28} {seconds:6.2f} s   {size:5.1f} MiB")


FIGURE_SCRIPT = r"""
import json, random, resource, sys, time
from pathlib import Path
from ketqual.core.network_figure import FigureBox, FigureEdge, NetworkFigure
from ketqual.render.network import export
from ketqual.render.network.geometry import lay_out
fmt, themes, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
rng = random.Random(230)
words = ("support access travel cost stigma therapy dose clinic safety carer family work "
         "memory anxiety sleep bladder pressure supply price legality purity review").split()
boxes, subs_left = [], 125
for i in range(105):
    name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).capitalize()
    k = min(subs_left, rng.choice([0, 0, 1, 1, 2, 3]))
    subs_left -= k
    subs = tuple((" ".join(rng.choice(words) for _ in range(rng.randint(2, 6))),
                  rng.randint(1, 40)) for _ in range(k))
    boxes.append(FigureBox(i + 1, f"u{i}", f"{name} {i + 1}", rng.randint(1, 200), "#88CCEE", subs))
edges = []
for _ in range(60):
    a, b = rng.sample(range(1, 50), 2)
    edges.append(FigureEdge(min(a, b), max(a, b), f"{rng.random():.2f}", rng.random()))
if themes < len(boxes):
    keep = {b.code_id for b in sorted(boxes, key=lambda b: -b.n)[:themes]}
    boxes = [b for b in boxes if b.code_id in keep]
    edges = [e for e in edges if e.source in keep and e.target in keep]
figure = NetworkFigure("Bench", tuple(boxes), tuple(edges), ("legend",))
start = time.perf_counter()
export.write_picture(figure, out, fmt)
seconds = time.perf_counter() - start
plan = export.page_plan(lay_out(figure))
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "page_cm": [round(plan.width_in * 2.54), round(plan.height_in * 2.54)],
                  "fits_a3": plan.fits, "text_pt": round(plan.text_pt, 1), "dpi": plan.png_dpi}))
"""


def bench_figure() -> None:
    out = Path(tempfile.mkdtemp(prefix="figure-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print("network figure of a 230-code codebook (fresh process per file)")
    for themes in (105, 20):
        for fmt in ("svg", "pdf", "png"):
            result = subprocess.run(
                [sys.executable, "-c", FIGURE_SCRIPT, fmt, str(themes), str(out / f"f.{fmt}")],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            data = json.loads(result.stdout.strip().splitlines()[-1])
            extra = f", PNG at {data['dpi']} dpi" if fmt == "png" else ""
            print(
                f"  {themes:>3} themes {fmt}: {data['seconds']:5.2f} s, peak {data['rss_mb']:4.0f} MB, "
                f"page {data['page_cm'][0]} x {data['page_cm'][1]} cm, text {data['text_pt']} pt, "
                f"{'fits A3' if data['fits_a3'] else 'bigger than A3'}{extra}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="c4c49c1", help="git revision of the old writer")
    args = parser.parse_args()
    bench_writer(args.baseline)
    bench_figure()


if __name__ == "__main__":
    main()
