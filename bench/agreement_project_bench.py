"""Agreement from a project file end to end: load from the database, compute, export.

Builds (once, then reuses) a synthetic SQLite project with 1,000 documents holding 10
million characters of text with sentence and paragraph units, the default codebook (10
themes, 13 subthemes: 23 codes) and two coders with about 20,000 codings each, made by
``agreement_bench.synthetic`` (coder B follows coder A with shifted boundaries, swapped
codes, omissions and extras). The project is unblinded by its supervisor.

Then it times ``agreement_ops.compute_agreement`` (median of 3), split into loading
(queries and inputs) and computing by its progress callback:

1. without bootstrap, 2. with a 2,000-replicate bootstrap,

reports the peak traced memory of one bootstrap run and the process's max RSS, and times
writing that result as json, csv, xlsx and html.

Run: .venv/bin/python bench/agreement_project_bench.py [--project FILE] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agreement_bench import synthetic  # noqa: E402

from ketqual.core.model import DocumentDraft, DocumentMeta, Unit  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.team import coder_ops

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-agreement-bench.ketqual"


def _text(length: int, sentences: list[tuple[int, int]], rng: np.random.Generator) -> str:
    """Letters and spaces of exactly ``length`` characters, a full stop ending each
    sentence, so units and codings point at plausible text."""
    chars = rng.choice(np.frombuffer(b"abcdefghijklmnopqrstuvwxyz     ", np.uint8), length)
    ends = np.array([e for _, e in sentences], dtype=np.int64)
    chars[ends[ends < length]] = ord(" ")
    chars[np.maximum(ends - 1, 0)] = ord(".")
    return chars.tobytes().decode("ascii")


def build(path: Path, n_docs: int, n_chars: int) -> None:
    """Create the project file at ``path`` (replacing one that is there)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    docs, _codes, coder_a, coder_b, _coder_c = synthetic(n_docs, n_chars)
    rng = np.random.default_rng(2)
    project = project_ops.new_project(path, name="Agreement bench", actor="bench")
    with project.transaction() as tx:
        codes = project_ops.tree_order(tx.codes.list())
        themes = [c.id for c in codes if c.parent_id is None]
        subthemes = [c.id for c in codes if c.parent_id is not None]
        # synthetic() names its codes T0..T9 and S0..S12: map them onto the codebook.
        code_id = {f"T{i}": t for i, t in enumerate(themes)}
        code_id |= {f"S{i}": s for i, s in enumerate(subthemes)}
        doc_id = {}
        for doc in docs:
            sentences = doc.units["sentence"]
            text = _text(doc.text_length, sentences, rng)
            draft = DocumentDraft(
                DocumentMeta(f"Synthetic notes {doc.id}", "other"),
                text,
                f"{doc.id}.txt",
                hashlib.sha256(text.encode()).hexdigest(),
                "txt",
            )
            units = [Unit("sentence", s, e) for s, e in sentences]
            units += [Unit("paragraph", s, e) for s, e in doc.units["paragraph"]]
            doc_id[doc.id] = tx.documents.add(draft, units, None).id
        coder_ids = [tx.coders.add(name, "coder").id for name in ("Coder A", "Coder B")]
        boss = tx.coders.add("Supervisor", "supervisor").id
        for coder, codings in zip(coder_ids, (coder_a, coder_b), strict=True):
            tx.codings.add_many(
                [
                    {
                        "document_id": doc_id[d],
                        "code_id": code_id[c],
                        "coder_id": coder,
                        "start": s,
                        "end": e,
                    }
                    for d, c, s, e in codings
                    if e > s
                ]
            )
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="benchmark")
    project.close()


def timed_run(project, n_replicates: int) -> tuple[float, float, object]:
    """One computation: (load seconds, total seconds, result)."""
    marks: dict[int, float] = {}

    def progress(done: int, _total: int, _step: str) -> None:
        marks[done] = time.perf_counter()

    t0 = time.perf_counter()
    result = agreement_ops.compute_agreement(
        project,
        coder_a="Coder A",
        coder_b="Coder B",
        level="subtheme",
        n_replicates=n_replicates,
        seed=7,
        progress=progress,
    )
    return marks[1] - t0, time.perf_counter() - t0, result


def median_runs(project, n_replicates: int, repeats: int = 3):
    runs = [timed_run(project, n_replicates) for _ in range(repeats)]
    load = statistics.median(r[0] for r in runs)
    total = statistics.median(r[1] for r in runs)
    return load, total, runs[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000_000)
    args = parser.parse_args()

    if args.rebuild or not args.project.exists():
        t0 = time.perf_counter()
        build(args.project, args.docs, args.chars)
        print(f"built {args.project} in {time.perf_counter() - t0:.1f} s")
    project = project_ops.open_project(args.project, backup=False)
    info = project_ops.project_info(project)
    chars = sum(d["characters"] for d in info["documents"])
    units = sum(d["units"] for d in info["documents"])
    layers = {c["name"]: c["codings"] for c in info["coders"]}
    print(
        f"project: {len(info['documents']):,} documents, {chars:,} characters, {units:,} units, "
        f"{len(info['codes'])} codes, codings {layers}; file "
        f"{args.project.stat().st_size / 2**20:.0f} MiB"
    )

    load, total, plain = median_runs(project, 0)
    print(
        f"compute_agreement, no bootstrap:          {total:6.3f} s (load {load:.3f} s), median of 3"
    )
    load_b, total_b, result = median_runs(project, 2000)
    print(
        f"compute_agreement, 2,000-replicate bootstrap: {total_b:6.3f} s (load {load_b:.3f} s), "
        "median of 3"
    )
    kappa = result.pooled("character", "cohen_kappa")
    print(
        f"  overall character kappa {kappa.value:.4f} (95% CI {kappa.ci_low:.4f} to {kappa.ci_high:.4f})"
    )

    tracemalloc.start()
    timed_run(project, 2000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak traced memory of one bootstrap run: {peak / 2**20:.0f} MiB; max RSS {rss:.0f} MiB")

    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("json", "csv", "xlsx", "html"):
            target = Path(folder) / f"report.{fmt}"
            t0 = time.perf_counter()
            agreement_ops.export_agreement(result, target)
            took = time.perf_counter() - t0
            print(f"export {fmt:<5} {took:6.2f} s, {target.stat().st_size / 2**20:6.1f} MiB")
    project.close()
    del plain


if __name__ == "__main__":
    main()
