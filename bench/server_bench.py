"""Team server throughput: concurrent writers on PostgreSQL, and ``ketqual copy`` times.

Starts a throw-away PostgreSQL server (tests/pg_server.py: initdb in a temp folder, fsync
off as in the tests, so figures are for the database work, not the disk), then:

a. four writer processes (multiprocessing, spawn) each run the same mix as the
   concurrent-writers test for a fixed number of operations: 70 % add a coding, 20 % edit
   a memo, 10 % remove one, each operation its own transaction through ``server_ops.run``.
   Prints operations and codings added per second, in total and per process, and checks
   that the database holds exactly what the writers report.
b. builds a SQLite project of 1,000 documents (about 6,000 characters, 40 paragraph units
   each) with 50,000 codings (two coders, 25,000 each), then times ``copy`` SQLite ->
   PostgreSQL and back, each verified table by table.

Run: .venv/bin/python bench/server_bench.py [--writers 4] [--operations 500]
     [--docs 1000] [--codings 50000] [--skip-copy]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core.model import DocumentDraft, DocumentMeta, Unit  # noqa: E402
from ketqual.core.text import sha256_text  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.team import coder_ops, server_ops
from tests.pg_server import PgServer, find_pg_bin  # noqa: E402
from tests.unit.ops.test_server_writers import make_team_project, run_writers  # noqa: E402


def bench_writers(server: PgServer, writers: int, operations: int) -> None:
    server.admin("CREATE DATABASE bench_writers")
    url = server.url("bench_writers")
    names = make_team_project(url, writers=writers, documents=20)
    started = time.perf_counter()
    results = run_writers(url, names, operations)
    wall = time.perf_counter() - started
    project = project_ops.open_project(url)
    stored = {c["name"]: c["codings"] for c in project_ops.project_info(project)["coders"]}
    project.close()
    total_ops = total_added = 0
    print(f"a. {writers} writers x {operations} operations (add 70 %, memo 20 %, remove 10 %)")
    for result in results:
        done, seconds = result["done"], result["seconds"]
        ops = sum(done.values())
        total_ops += ops
        total_added += done["add"]
        assert stored[result["coder"]] == len(result["codings"]), "lost or extra codings"
        print(
            f"   {result['coder']}: {ops / seconds:7.0f} operations/s, "
            f"{done['add'] / seconds:7.0f} codings added/s ({seconds:.1f} s)"
        )
    print(
        f"   total: {total_ops / wall:7.0f} operations/s, {total_added / wall:7.0f} codings "
        f"added/s sustained over {wall:.1f} s (process start-up included); "
        "database matches every writer's report"
    )


def build_big_project(path: Path, n_docs: int, n_codings: int) -> None:
    rng = random.Random(7)
    project = project_ops.new_project(path, actor="bench")
    a = coder_ops.add_coder(project, "Coder A").details["coder_id"]
    b = coder_ops.add_coder(project, "Coder B").details["coder_id"]
    with project.read() as tx:
        codes = [c.id for c in tx.codes.list()]
    paragraph = "Participants talked about access, cost and side-effects at length. " * 2
    text = "\n".join([paragraph.strip()] * 40)
    starts = [i * (len(paragraph.strip()) + 1) for i in range(40)]
    units = [Unit("paragraph", s, s + len(paragraph.strip())) for s in starts]
    with project.transaction() as tx:
        doc_ids = []
        for i in range(n_docs):
            body = f"Document {i}\n{text}"
            shift = len(f"Document {i}\n")
            draft = DocumentDraft(
                DocumentMeta(f"Notes {i}", "scribe_notes", 1 + i // 50, 1 + i % 50),
                body,
                f"notes_{i}.txt",
                sha256_text(body),
                "txt",
            )
            case = tx.cases.ensure(1 + i // 50, 1 + i % 50)
            shifted = [Unit(u.kind, u.start + shift, u.end + shift) for u in units]
            doc_ids.append((tx.documents.add(draft, shifted, case.id).id, len(body)))
        rows = []
        for n in range(n_codings):
            document, length = rng.choice(doc_ids)
            start = rng.randrange(length - 200)
            rows.append(
                {
                    "document_id": document,
                    "code_id": rng.choice(codes),
                    "coder_id": a if n % 2 else b,
                    "start": start,
                    "end": start + rng.randint(20, 200),
                    "memo": "",
                }
            )
        tx.codings.add_many(rows)
    project.close()


def bench_copy(server: PgServer, n_docs: int, n_codings: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ketqual-copy-bench-"))
    source = folder / "big.ketqual"
    started = time.perf_counter()
    build_big_project(source, n_docs, n_codings)
    print(
        f"b. built {n_docs} documents, {n_codings} codings in {time.perf_counter() - started:.1f} s"
    )
    server.admin("CREATE DATABASE bench_copy")
    url = server.url("bench_copy")
    there = server_ops.copy_project(source, url, actor="bench")
    print(f"   copy SQLite -> PostgreSQL: {there.seconds:5.1f} s ({there.total} rows, verified)")
    back = server_ops.copy_project(url, folder / "back.ketqual", actor="bench")
    print(f"   copy PostgreSQL -> SQLite: {back.seconds:5.1f} s ({back.total} rows, verified)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--operations", type=int, default=500)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50000)
    parser.add_argument("--skip-copy", action="store_true")
    args = parser.parse_args()
    bin_dir = find_pg_bin()
    if bin_dir is None:
        sys.exit("PostgreSQL is not installed (initdb not found)")
    server = PgServer(bin_dir)
    server.start()
    try:
        bench_writers(server, args.writers, args.operations)
        if not args.skip_copy:
            bench_copy(server, args.docs, args.codings)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
