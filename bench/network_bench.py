"""Theme-overlap network from a project file end to end: load, compute, lay out, export.

Builds (once, then reuses) a synthetic SQLite project with 1,000 documents (10 million
characters, sentence and paragraph units, 50 focus groups), the default codebook (10
themes, 13 subthemes) and 50,000 consensus codings: sentence-aligned passages of popular
and rare codes, a quarter of them coded again with a second theme on overlapping text so
themes co-occur. The project is unblinded by its supervisor.

Then it times (median of 3):

1. ``network_ops.compute_network`` at each unit (loading from the database included),
2. each export on its own from a computed network, as one ``ketqual network -o`` call
   does it after computing (layout searched afresh: its cache is cleared first):
   SVG, PDF, PNG (300 dpi), GraphML, and the co-occurrence table as xlsx,
3. the whole picture path: compute (passage unit) + SVG + PDF + PNG + GraphML.

Run: .venv/bin/python bench/network_bench.py [--project FILE] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from agreement_bench import synthetic  # noqa: E402

from ketqual.core import network_layout  # noqa: E402
from ketqual.core.model import DocumentDraft, DocumentMeta, Unit  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.network import network_ops
from ketqual.ops.team import coder_ops
from ketqual.render import ensure_app  # noqa: E402
from ketqual.render.network.export import write_picture  # noqa: E402

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-network-bench.ketqual"


def consensus_codings(docs, code_ids: list[int], n_codings: int, seed: int = 3):
    """``(doc, code, start, end)`` rows: sentence-aligned passages, some double-coded."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, len(code_ids) + 1) ** 0.7
    popularity /= popularity.sum()
    per_doc = n_codings // len(docs)
    rows = []
    for doc in docs:
        sentences = doc.units["sentence"]
        picks = rng.integers(0, len(sentences), size=per_doc)
        for k, first in enumerate(picks.tolist()):
            last = min(first + int(rng.integers(0, 3)), len(sentences) - 1)
            start, end = sentences[first][0], sentences[last][1]
            code = code_ids[rng.choice(len(code_ids), p=popularity)]
            if k % 4 == 3 and rows:  # a second theme on overlapping text
                _d, _c, start, end = rows[-1]
                start += int(rng.integers(0, 20))
            rows.append((doc.id, code, start, max(end, start + 1)))
    return rows


def build(path: Path, n_docs: int, n_chars: int, n_codings: int) -> None:
    """Create the project file at ``path`` (replacing one that is there)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    docs, *_ = synthetic(n_docs, n_chars)  # the documents; the coders are not used here
    rng = np.random.default_rng(2)
    project = project_ops.new_project(path, name="Network bench", actor="bench")
    with project.transaction() as tx:
        code_ids = [c.id for c in project_ops.tree_order(tx.codes.list())]
        doc_id = {}
        for k, doc in enumerate(docs):
            text = "".join(
                rng.choice(list("abcdefghij klmnop qrstuv wxyz. "), doc.text_length).tolist()
            )
            session, group = k % 3 + 1, k % 50 // 3 + 1  # 50 focus groups
            draft = DocumentDraft(
                DocumentMeta(f"Synthetic notes {doc.id}", "other", session, group),
                text,
                f"{doc.id}.txt",
                hashlib.sha256(text.encode()).hexdigest(),
                "txt",
            )
            units = [Unit("sentence", s, e) for s, e in doc.units["sentence"]]
            units += [Unit("paragraph", s, e) for s, e in doc.units["paragraph"]]
            case = tx.cases.ensure(session, group)
            doc_id[doc.id] = tx.documents.add(draft, units, case.id).id
        boss = tx.coders.add("Supervisor", "supervisor").id
        tx.codings.add_many(
            [
                {"document_id": doc_id[d], "code_id": c, "coder_id": None, "start": s, "end": e}
                for d, c, s, e in consensus_codings(docs, code_ids, n_codings)
            ]
        )
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="benchmark")
    project.close()


def median_time(action, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        network_layout._grid_layout.cache_clear()  # every run searches the layout afresh
        t0 = time.perf_counter()
        action()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000_000)
    parser.add_argument("--codings", type=int, default=50_000)
    args = parser.parse_args()

    if args.rebuild or not args.project.exists():
        t0 = time.perf_counter()
        build(args.project, args.docs, args.chars, args.codings)
        print(f"built {args.project} in {time.perf_counter() - t0:.1f} s")
    ensure_app()
    out = Path(tempfile.mkdtemp(prefix="ketqual-network-bench-"))
    project = project_ops.open_project(args.project, backup=False)
    with project.read() as tx:
        n_codings = len(tx.codings.list(consensus=True))
        n_docs = len(tx.documents.list())
    print(f"{n_docs} documents, {n_codings} consensus codings\n")

    print("compute_network (load + count + candidates), median of 3:")
    views = {}
    for unit in ("passage", "sentence", "paragraph", "case"):

        def compute(unit=unit):
            views[unit] = network_ops.compute_network(project, unit=unit)

        seconds = median_time(compute)
        view = views[unit]
        print(f"  {unit:<9} {seconds * 1000:7.0f} ms   {len(view.shown)} edges shown")

    view = views["passage"]
    print("\nexports of the passage network, each on its own (layout searched afresh):")
    for fmt in ("svg", "pdf", "png", "graphml"):
        target = out / f"network.{fmt}"

        def export(fmt=fmt, target=target):
            network_ops.export_network(project, view, target, fmt=fmt, picture_writer=write_picture)

        seconds = median_time(export)
        print(f"  {fmt:<8} {seconds * 1000:7.0f} ms   {target.stat().st_size / 1024:7.0f} KiB")
    seconds = median_time(lambda: network_ops.export_cooccurrence(project, view, out / "t.xlsx"))
    print(f"  {'xlsx':<8} {seconds * 1000:7.0f} ms   (co-occurrence table)")

    def everything():
        fresh = network_ops.compute_network(project)
        for fmt in ("svg", "pdf", "png", "graphml"):
            network_ops.export_network(
                project, fresh, out / f"all.{fmt}", fmt=fmt, picture_writer=write_picture
            )

    seconds = median_time(everything)
    print(f"\ncompute + SVG + PDF + PNG + GraphML in one go: {seconds * 1000:.0f} ms")
    project.close()
    print(f"\nfiles in {out}")


if __name__ == "__main__":
    main()
