"""Coder packages at scale: pack and merge a 1,000-document project with 50,000 codings per
coder (the consensus bench's project, built the same way and reused between runs).

Times (median of 3), plain and with a passphrase:

a. ``package_pack.pack`` for Coder A (build the package file, copy documents, units,
   codebook and the coder's layer; encrypt),
b. ``package_merge.merge_package`` of the returned package with changes made in it
   (1,000 codings added, 1,000 recoded, 1,000 removed), each run on a fresh copy of the
   project (the copy not timed),
c. the same merge again on the merged project: nothing to do (idempotent re-merge).

Target (issue 7): each under 5 s.

Run: .venv/bin/python bench/package_bench.py [--docs 1000] [--codings 50000] [--rebuild]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from consensus_bench import build  # noqa: E402

from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.team import package_merge, package_pack

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-package-bench.ketqual"
PASSPHRASE = "correct horse battery staple"


def timed(fn, repeats: int = 3, setup=None) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def _work(package: Path, folder: Path, passphrase: str | None) -> Path:
    """Unpack, change 3,000 codings as a coder would, return the package."""
    work, _made = package_pack.unpack(
        package, work_path=folder / "work.ketqual", passphrase=passphrase
    )
    project = project_ops.open_project(work, backup=False)
    with project.read() as tx:
        coder = tx.coders.list()[0].id
        codings = tx.codings.list(coder_id=coder)
        codes = [c.id for c in tx.codes.list()]
    new = [
        coding_ops.NewCoding(c.document_id, codes[(i + 3) % len(codes)], c.start, c.end)
        for i, c in enumerate(codings[:1000])
    ]
    coding_ops.add_codings(project, coder, new)
    coding_ops.recode_codings(
        project,
        {c.id: codes[(codes.index(c.code_id) + 1) % len(codes)] for c in codings[1000:2000]},
    )
    coding_ops.remove_codings(project, [c.id for c in codings[2000:3000]])
    project.close()
    returned = folder / "returned.kqpkg"
    package_pack.return_package(work, returned, passphrase=passphrase)
    return returned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT)
    parser.add_argument("--rebuild", action="store_true", help="build the project again")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--codings", type=int, default=50_000, help="per coder")
    args = parser.parse_args()
    if args.rebuild or not args.project.exists():
        t0 = time.perf_counter()
        build(args.project, args.docs, args.codings)
        print(f"built {args.project} in {time.perf_counter() - t0:.1f} s")
    print(f"project file {args.project.stat().st_size / 2**20:.0f} MiB")

    with tempfile.TemporaryDirectory(dir=args.project.parent) as scratch:
        folder = Path(scratch)
        for label, passphrase in (("plain", None), ("encrypted", PASSPHRASE)):
            sub = folder / label
            sub.mkdir()
            package = sub / "coder-a.kqpkg"
            project = project_ops.open_project(args.project, backup=False)

            def pack(project=project, package=package, passphrase=passphrase):
                return package_pack.pack(
                    project,
                    coder="Coder A",
                    supervisor="Supervisor",
                    output=package,
                    passphrase=passphrase,
                )

            took, runs, result = timed(pack)
            project.close()
            print(
                f"[{label}] pack: {took:.2f} s median ({', '.join(f'{t:.2f}' for t in runs)}); "
                f"{result.counts['coding']:,} codings, package {result.size / 2**20:.1f} MiB"
            )
            returned = _work(package, sub, passphrase)
            copy = sub / "merge-target.ketqual"
            state: dict = {}

            def fresh(copy=copy, state=state):
                if state.get("project") is not None:
                    state["project"].close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
                shutil.copy(args.project, copy)
                state["project"] = project_ops.open_project(copy, backup=False)

            def merge(state=state, returned=returned, passphrase=passphrase):
                return package_merge.merge_package(
                    state["project"], returned, supervisor="Supervisor", passphrase=passphrase
                )

            took, runs, report = timed(merge, setup=fresh)
            counts = report.counts()
            print(
                f"[{label}] merge with changes: {took:.2f} s median "
                f"({', '.join(f'{t:.2f}' for t in runs)}); added {counts['codings_added']:,}, "
                f"changed {counts['codings_changed']:,}, removed {counts['codings_removed']:,}, "
                f"unchanged {report.codings_unchanged:,}"
            )
            took, runs, again = timed(merge)
            print(
                f"[{label}] idempotent re-merge: {took:.2f} s median "
                f"({', '.join(f'{t:.2f}' for t in runs)}); changed anything: {again.changed}"
            )
            state["project"].close()


if __name__ == "__main__":
    main()
