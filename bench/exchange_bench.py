"""REFI-QDA exchange at scale: export and import of a 1,000-document, 50,000-coding project.

Builds (once, reused between runs) a project of 1,000 synthetic notes of about 4,000
characters each (``--sentences`` per document, 100 focus groups as cases), two coders with
20,000 codings each and 10,000 consensus codings, a memo on every twentieth coding, and
times (median of ``--repeats``):

a. ``qdpx_export.export_qdpx``: read the project, build the REFI-QDA XML, write the .qdpx;
b. ``qdpx_import.read_qdpx``: open the archive, parse, decode the texts, detect the
   position convention, map every coding, and find sentence and paragraph units;
c. ``qdpx_import.store_plan``: write the new project in one transaction;

and b + c together (the import as a person waits for it). Target (issue 17): export and
import each under 5 s.

Run: .venv/bin/python bench/exchange_bench.py [--docs 1000] [--codings 50000]
     [--sentences 40] [--repeats 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core import units  # noqa: E402
from ketqual.core.model import DocumentDraft, DocumentMeta  # noqa: E402
from ketqual.ops import project_ops  # noqa: E402
from ketqual.ops.exchange import qdpx_export, qdpx_import  # noqa: E402
from ketqual.ops.team import coder_ops  # noqa: E402

FOLDER = Path(tempfile.gettempdir()) / "ketqual-exchange-bench"
WORDS = [
    "the",
    "clinic",
    "dose",
    "felt",
    "lifted",
    "fog",
    "carer",
    "worried",
    "driving",
    "home",
    "after",
    "infusion",
    "side",
    "effects",
    "bladder",
    "memory",
    "anxiety",
    "cost",
    "travel",
    "support",
    "peers",
    "information",
    "doctor",
    "monitoring",
    "week",
    "month",
    "better",
    "worse",
    "nobody",
    "explained",
    "anything",
    "session",
    "group",
    "said",
]


def _text(rng, sentences: int) -> str:
    lines = []
    for number in range(sentences):
        words = rng.choice(WORDS, size=int(rng.integers(8, 22)))
        sentence = " ".join(words).capitalize() + "."
        lines.append(f"- P{number % 8 + 1}: {sentence}" if number % 3 else sentence)
    return "\n".join(lines) + "\n"


def build(path: Path, n_docs: int, n_codings: int, sentences: int) -> None:
    """The unblinded SQLite project at ``path``: two coders and a consensus layer."""
    # Imported here: numpy starts a thread pool, and a process with other threads than its
    # own spawns its import workers instead of forking them (as the command line does).
    import numpy as np

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    project = project_ops.new_project(path, name="Exchange bench", actor="bench")
    rng = np.random.default_rng(17)
    with project.transaction() as tx:
        codes = [c.id for c in tx.codes.list()]
        docs = []
        for number in range(n_docs):
            text = _text(rng, sentences)
            session, group = number % 3 + 1, number % 100 // 3 + 1
            draft = DocumentDraft(
                DocumentMeta(f"Notes {number:04d}", "scribe_notes", session, group),
                text,
                f"notes{number:04d}.txt",
                hashlib.sha256(text.encode()).hexdigest(),
                "txt",
            )
            case = tx.cases.ensure(session, group)
            found = units.segment(text)
            docs.append((tx.documents.add(draft, found, case.id).id, found))
        coders = [tx.coders.add(n, "coder").id for n in ("Coder A", "Coder B")]
        boss = tx.coders.add("Supervisor", "supervisor").id
        layers = [coders[0]] * 2 + [coders[1]] * 2 + [None]  # 40 % A, 40 % B, 20 % consensus
        rows = []
        for i in range(n_codings):
            doc, found = docs[int(rng.integers(len(docs)))]
            sentence = [u for u in found if u.kind == "sentence"]
            first = int(rng.integers(len(sentence)))
            last = min(len(sentence) - 1, first + int(rng.integers(0, 3)))
            rows.append(
                {
                    "document_id": doc,
                    "code_id": codes[int(rng.integers(len(codes)))],
                    "coder_id": layers[i % len(layers)],
                    "start": sentence[first].start,
                    "end": sentence[last].end,
                    "memo": f"memo {i}: why this passage matters" if i % 20 == 0 else "",
                }
            )
        tx.codings.insert_many(rows)
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="bench")
    project.close()


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn, repeats: int, setup=None):
    """Median wall time, every wall time, the result, and the median CPU time (which says
    more than the wall time on a machine shared with other work)."""
    times, cpus, result = [], [], None
    for _ in range(repeats):
        if setup is not None:
            setup()
        start, cpu = time.perf_counter(), _cpu()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(_cpu() - cpu)
    return statistics.median(times), times, result, statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--sentences", type=int, default=40, help="sentences per document")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    FOLDER.mkdir(exist_ok=True)
    source = FOLDER / f"bench-{args.docs}-{args.codings}-{args.sentences}.ketqual"
    if args.rebuild or not source.exists():
        start = time.perf_counter()
        build(source, args.docs, args.codings, args.sentences)
        print(f"built {source} in {time.perf_counter() - start:.1f} s")
    project = project_ops.open_project(source, backup=False)
    info = project_ops.project_info(project)
    chars = sum(d["characters"] for d in info["documents"])
    codings = sum(c["codings"] for c in info["coders"]) + info["consensus_codings"]
    print(
        f"project: {len(info['documents']):,} documents, {chars / 1e6:.1f} M characters, "
        f"{codings:,} codings, {len(info['cases'])} cases"
    )
    qdpx = FOLDER / "bench.qdpx"
    median, times, report, cpu = timed(
        lambda: qdpx_export.export_qdpx(project, qdpx, actor="bench"), args.repeats
    )
    project.close()
    print(
        f"a. export .qdpx: {median:.2f} s median ({', '.join(f'{t:.2f}' for t in times)}), "
        f"CPU {cpu:.2f} s"
    )
    print(f"   {report.summary()}; file {qdpx.stat().st_size / 2**20:.1f} MiB")

    median_read, times, plan, cpu_read = timed(lambda: qdpx_import.read_qdpx(qdpx), args.repeats)
    print(
        f"b. read .qdpx (parse, texts, positions, units): {median_read:.2f} s median "
        f"({', '.join(f'{t:.2f}' for t in times)}), CPU {cpu_read:.2f} s (workers included)"
    )
    target = FOLDER / "imported.ketqual"

    def clear() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

    median_store, times, result, cpu_store = timed(
        lambda: qdpx_import.store_plan(plan, target, actor="bench"), args.repeats, setup=clear
    )
    print(
        f"c. store the new project: {median_store:.2f} s median "
        f"({', '.join(f'{t:.2f}' for t in times)}), CPU {cpu_store:.2f} s"
    )
    print(f"   {result.line()}")
    print(
        f"import total (b + c): {median_read + median_store:.2f} s (target < 5 s); "
        f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
