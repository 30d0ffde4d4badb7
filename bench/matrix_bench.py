"""Framework matrices from a big project file: build, then export as xlsx, docx and CSV.

Builds (once, then reuses) a synthetic SQLite project: 1,000 documents of about 10,000
characters each (words and line breaks) in 100 focus groups (10 sessions x 10 groups,
one set of scribe notes and nine feedback sheets each), the default codebook (10 themes,
13 subthemes), 50,000 consensus codings (random codes, spans of 40-400 characters, some
overlapping) and a summary in 60 % of the cells that have passages, each citing up to
three of them. The project is unblinded.

Times (median of 3, wall clock and CPU): ``framework_ops.build_report`` (queries,
passages, matrices, counts) and ``framework_ops.export_matrices`` end to end per format
(build, write, audit); prints sizes and the peak traced memory of one build.

Run: .venv/bin/python bench/matrix_bench.py [--project FILE] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core import framework_text  # noqa: E402
from ketqual.core.model import DocumentDraft, DocumentMeta  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.framework import framework_ops
from ketqual.ops.team import coder_ops

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-matrix-bench.ketqual"
WORDS = str.split(
    "ketamine dose clinic carer nurse worried bladder travel cost stigma therapy relief "
    "hours weeks monitoring register data privacy GP prescribed street supply support "
    "family work driving memory anxiety depression said felt wanted needs the a and of to "
    "in was not but after before P3 P5 P12 carer: said “lifted the fog” - +"
)


def _text(rng: np.random.Generator, length: int) -> str:
    words = rng.choice(WORDS, length // 5)
    lines, line = [], []
    for word in words:
        line.append(str(word))
        if rng.random() < 0.08:
            lines.append("- " + " ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)[:length]


def build(path: Path, n_docs: int, n_codings: int) -> None:
    """Create the project file at ``path`` (replacing one that is there)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = np.random.default_rng(6)
    project = project_ops.new_project(path, name="Matrix bench", actor="bench")
    with project.transaction() as tx:
        codes = project_ops.tree_order(tx.codes.list())
        docs = []
        for i in range(n_docs):
            session, group = i // 100 + 1, (i // 10) % 10 + 1
            kind = "scribe_notes" if i % 10 == 0 else "feedback_sheet"
            text = _text(rng, 10_000)
            meta = DocumentMeta(f"S{session} G{group} document {i % 10 + 1}", kind, session, group)
            draft = DocumentDraft(
                meta, text, f"{i}.txt", hashlib.sha256(text.encode()).hexdigest(), "txt"
            )
            case = tx.cases.ensure(session, group)
            docs.append((tx.documents.add(draft, [], case.id).id, len(text)))
        rows = []
        for _ in range(n_codings):
            doc, length = docs[int(rng.integers(len(docs)))]
            start = int(rng.integers(0, length - 410))
            end = start + int(rng.integers(40, 400))
            code = codes[int(rng.integers(len(codes)))].id
            rows.append(
                {"document_id": doc, "code_id": code, "coder_id": None, "start": start, "end": end}
            )
        tx.codings.add_many(rows)
        boss = tx.coders.add("Supervisor", "supervisor").id
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="benchmark")
    report = framework_ops.build_report(project)
    with project.transaction() as tx:
        for matrix in report.matrices:
            for row, cells in zip(matrix.rows, matrix.cells, strict=True):
                for column, cell in zip(matrix.columns, cells, strict=True):
                    if not cell.passages or row.case_id is None or rng.random() > 0.6:
                        continue
                    cited = " ".join(f"[{p.ref}]" for p in cell.passages[:3])
                    text = (
                        "Participants described relief within hours for some, and worried "
                        f"about travel and cost for others {cited}. Carers wanted a named "
                        "contact and clearer information before home dosing."
                    )
                    tx.summaries.put(
                        row.case_id,
                        column.code_id,
                        state="summary",
                        text=text,
                        refs=framework_text.refs_for(text, cell.passages),
                        author="bench",
                    )
    project.close()


def median_time(action, repeats: int = 3) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``repeats`` calls, and the last result.

    CPU time is printed too because a shared build machine's wall clock also counts
    the time other processes took the core.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def size_of(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir()) / 2**20
    return path.stat().st_size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50_000)
    args = parser.parse_args()

    if args.rebuild or not args.project.exists():
        t0 = time.perf_counter()
        build(args.project, args.docs, args.codings)
        print(f"built {args.project} in {time.perf_counter() - t0:.1f} s")
    project = project_ops.open_project(args.project, backup=False)
    info = project_ops.project_info(project)
    chars = sum(d["characters"] for d in info["documents"])
    with project.read() as tx:
        n_summaries = len(tx.summaries.list())
    print(
        f"project: {len(info['documents']):,} documents, {chars:,} characters, "
        f"{len(info['cases'])} focus groups, {info['consensus_codings']:,} consensus codings, "
        f"{n_summaries:,} summaries"
    )

    took, cpu, report = median_time(lambda: framework_ops.build_report(project))
    passages = sum(len(m.passages()) for m in report.matrices)
    quotes = len(report.quote_rows())
    print(
        f"build_report (load, passages, {len(report.matrices)} matrices, counts): "
        f"{took:.3f} s (CPU {cpu:.3f} s), median of 3; {passages:,} passages in cells, "
        f"{quotes:,} quotes"
    )
    tracemalloc.start()
    framework_ops.build_report(project)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory of one build: {peak / 2**20:.0f} MiB")

    with tempfile.TemporaryDirectory() as folder:
        for fmt, name in (("xlsx", "m.xlsx"), ("docx", "m.docx"), ("csv", "csv")):
            target = Path(folder) / name
            whole, whole_cpu, _ = median_time(
                lambda t=target: framework_ops.export_matrices(project, t, actor="bench")
            )
            print(
                f"{fmt:<4}  export_matrices end to end {whole:.3f} s (CPU {whole_cpu:.3f} s), "
                f"median of 3, {size_of(target):.1f} MiB"
            )
    project.close()


if __name__ == "__main__":
    main()
