"""Consensus review throughput: the disagreement queue of a large two-coder project.

Builds 1,000 documents (about 120 sentences each) and two coders with 50,000 codings each
over the default codebook (23 codes), coded at whole sentences. Coder B follows coder A:
80 % of A's passages B coded with the same code, half of them with a boundary moved by
up to a sentence; 10 % with a sibling code instead; 10 % B missed, and B has as many
passages of their own. Then it times (median of 3):

a. ``disagreements.compare_layers`` alone (sentence units, records already in memory),
b. ``consensus_ops.start_review`` end to end on a SQLite project file: load both layers,
   compare, store the queue, accept every agreement into the consensus layer, log it
   (each run on a fresh copy of the project, the copy not timed),
c. ``consensus_ops.queue()`` loading the stored queue, and the CLI's rows
   (``disagreement_rows.queue_rows``: titles, code paths, passages),

and ``consensus_ops.refresh_review`` with nothing changed (reload, compare, match by
fingerprint).

Run: .venv/bin/python bench/consensus_bench.py [--docs 1000] [--codings 50000] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core import disagreements as dis  # noqa: E402
from ketqual.core.model import DocumentDraft, DocumentMeta, Unit  # noqa: E402
from ketqual.core.records import CodingRecord  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.consensus import consensus_ops, disagreement_rows
from ketqual.ops.team import coder_ops

DEFAULT = Path(tempfile.gettempdir()) / "ketqual-consensus-bench.ketqual"


def synthetic(n_docs: int, n_codings: int, codes: list[tuple[int, int | None]], seed: int = 3):
    """Sentences per document and both coders' codings as (doc, code, start, end).

    ``codes`` are (id, parent id) pairs of the codebook.
    """
    rng = np.random.default_rng(seed)
    ids = [c for c, _ in codes]
    siblings = {
        c: [d for d, q in codes if q == p and d != c] or [d for d in ids if d != c]
        for c, p in codes
    }
    popularity = 1.0 / np.arange(1, len(ids) + 1) ** 0.6
    popularity /= popularity.sum()
    sentences: list[list[tuple[int, int]]] = []
    for _ in range(n_docs):
        lengths = rng.integers(50, 160, size=120)
        ends = np.cumsum(lengths + 1)
        sentences.append([(int(e - n - 1), int(e - 1)) for n, e in zip(lengths, ends, strict=True)])
    per_doc = np.bincount(rng.integers(n_docs, size=n_codings), minlength=n_docs)
    coder_a, coder_b = [], []

    def passage(doc: int) -> tuple[int, int]:
        units = sentences[doc]
        first = int(rng.integers(len(units)))
        last = min(len(units) - 1, first + int(rng.integers(0, 3)))
        return first, last

    for doc in range(n_docs):
        units = sentences[doc]
        for _ in range(int(per_doc[doc])):
            first, last = passage(doc)
            code = ids[rng.choice(len(ids), p=popularity)]
            coder_a.append((doc, code, units[first][0], units[last][1]))
            roll = rng.random()
            if roll < 0.10:  # B missed it; B codes a passage of their own instead
                first, last = passage(doc)
                code = ids[rng.choice(len(ids), p=popularity)]
            elif roll < 0.20:  # a sibling code
                code = siblings[code][int(rng.integers(len(siblings[code])))]
            elif roll < 0.30:  # same code, the boundary moved by a sentence
                if rng.random() < 0.5:
                    first = min(last, max(0, first + int(rng.choice((-1, 1)))))
                else:
                    last = min(len(units) - 1, max(first, last + int(rng.choice((-1, 1)))))
            # within a sentence, coders' spans differ by a few characters anyway
            start = units[first][0] + int(rng.integers(0, 4))
            end = units[last][1] - int(rng.integers(0, 4))
            coder_b.append((doc, code, start, end))
    return sentences, coder_a, coder_b


def _text(sentences: list[tuple[int, int]], rng: np.random.Generator) -> str:
    length = sentences[-1][1]
    chars = rng.choice(np.frombuffer(b"abcdefghijklmnopqrstuvwxyz     ", np.uint8), length)
    for _, end in sentences:
        chars[end - 1] = ord(".")
        if end < length:
            chars[end] = ord(" ")
    return chars.tobytes().decode("ascii")


def build(path: Path, n_docs: int, n_codings: int) -> None:
    """The SQLite project at ``path``, unblinded, with both layers and no review yet."""
    building = path.with_name("building-" + path.name)
    for target in (path, building):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    project = project_ops.new_project(building, name="Consensus bench", actor="bench")
    rng = np.random.default_rng(4)
    with project.transaction() as tx:
        codes = [(c.id, c.parent_id) for c in tx.codes.list()]
        sentences, coder_a, coder_b = synthetic(n_docs, n_codings, codes)
        doc_ids = []
        for number, units in enumerate(sentences):
            text = _text(units, rng)
            draft = DocumentDraft(
                DocumentMeta(f"Synthetic notes {number:04d}", "other"),
                text,
                f"doc{number:04d}.txt",
                hashlib.sha256(text.encode()).hexdigest(),
                "txt",
            )
            stored = [Unit("sentence", s, e) for s, e in units]
            doc_ids.append(tx.documents.add(draft, stored, None).id)
        coders = [tx.coders.add(name, "coder").id for name in ("Coder A", "Coder B")]
        boss = tx.coders.add("Supervisor", "supervisor").id
        for coder, codings in zip(coders, (coder_a, coder_b), strict=True):
            tx.codings.add_many(
                [
                    {
                        "document_id": doc_ids[d],
                        "code_id": c,
                        "coder_id": coder,
                        "start": s,
                        "end": e,
                    }
                    for d, c, s, e in codings
                ]
            )
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="benchmark")
    project.close()
    building.rename(path)  # only a finished project is reused by the next run


def median_time(fn, repeats: int = 3, setup=None) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


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

    # (a) the classification alone, on the project's own records
    project = project_ops.open_project(args.project, backup=False)
    with project.read() as tx:
        a = tx.coders.by_name("Coder A").id
        b = tx.coders.by_name("Coder B").id
        layer_a: list[CodingRecord] = tx.codings.list(coder_id=a)
        layer_b: list[CodingRecord] = tx.codings.list(coder_id=b)
        parents = {c.id: c.parent_id for c in tx.codes.list()}
        units = {
            d: [(u.start, u.end) for u in segments]
            for d, segments in tx.documents.units_for_all("sentence").items()
        }
        n_docs = len(tx.documents.list())
    project.close()
    n_units = sum(len(u) for u in units.values())
    print(
        f"project: {n_docs:,} documents, {n_units:,} sentences, {len(parents)} codes, "
        f"{len(layer_a):,} + {len(layer_b):,} codings; file "
        f"{args.project.stat().st_size / 2**20:.0f} MiB"
    )
    took, comparison = median_time(
        lambda: dis.compare_layers(layer_a, layer_b, parents=parents, units=units)
    )
    counts = comparison.counts()
    print(
        f"(a) compare_layers:              {took:6.3f} s (median of 3): "
        f"{len(comparison.disagreements):,} disagreements "
        f"({', '.join(f'{dis.KIND_LABELS[k]} {n:,}' for k, n in counts.items())}), "
        f"{len(comparison.agreements):,} agreements"
    )

    # (b) start_review end to end, each run on a fresh copy
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "review.ketqual"

        def fresh() -> None:
            for suffix in ("-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            shutil.copy(args.project, copy)

        def start() -> dict:
            with project_ops.open_project(copy, backup=False) as reviewed:
                return consensus_ops.start_review(
                    reviewed, supervisor="Supervisor", coder_a="Coder A", coder_b="Coder B"
                ).details

        took, details = median_time(start, setup=fresh)
        print(
            f"(b) start_review, end to end:    {took:6.3f} s (median of 3): "
            f"{details['added']:,} queued, {details['accepted']:,} agreements accepted"
        )
        reviewed = project_ops.open_project(copy, backup=False)
        review_id = details["review_id"]
        took, queue = median_time(lambda: consensus_ops.queue(reviewed, review_id))
        print(f"(c) queue() load:                {took:6.3f} s (median of 3): {len(queue):,} items")
        took, rows = median_time(lambda: disagreement_rows.queue_rows(reviewed, review_id))
        print(f"    queue_rows (CLI listing):    {took:6.3f} s (median of 3): {len(rows):,} rows")
        took, change = median_time(
            lambda: consensus_ops.refresh_review(reviewed, review_id, supervisor="Supervisor")
        )
        print(
            f"    refresh_review, unchanged:   {took:6.3f} s (median of 3): "
            f"{change.details['added']} new, {change.details['obsolete']} obsolete"
        )
        reviewed.close()


if __name__ == "__main__":
    main()
