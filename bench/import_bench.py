"""Import throughput against bare spaCy sentencizer throughput on the same text.

Builds a synthetic corpus of scribe notes (default 1,000 files, about 10 MB), then
1. runs the bare sentencizer (spacy.blank("en") + sentencizer) over every text, and
2. imports the files into a new project (read, detect encoding, infer metadata, split,
   segment into units, store each file in its own durable transaction),
and prints documents/s, characters/s, the ratio of (2) to (1), and peak memory.

Run: .venv/bin/python bench/import_bench.py [--files 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ketqual.core import units  # noqa: E402
from ketqual.ops import project_ops
from ketqual.ops.importing import import_ops

SPEAKERS = ["P3", "P7", "P12", "carer", "advocate", "P21", "P30", "P41", "facilitator"]
OPENERS = [
    "worried about",
    "felt better after",
    "asked who pays for",
    "compared ECT with",
    "wants clearer info on",
    "had problems with",
    "would travel for",
    "does not trust",
]
TOPICS = [
    "bladder pain after 6 months",
    "driving home after a dose",
    "the cost of private clinics",
    "street ketamine and purity",
    "memory the day after",
    "GP not knowing about ketamine",
    "a national register of patients",
    "peer support before the first dose",
    "suicidal thoughts easing within hours",
    "stigma at work",
    "therapy alongside infusions",
]


def make_note(rng: random.Random, session: int, group: int, target_chars: int) -> str:
    """One synthetic scribe note in the terse style of the demo corpus."""
    lines = [
        f"Session {session} – Group {group}",
        f"Scribe: scribe {group}",
        "Date: 17/03/2018",
        "",
    ]
    size = sum(len(line) + 1 for line in lines)
    while size < target_chars:
        speaker = rng.choice(SPEAKERS)
        sentence = f"- {speaker} {rng.choice(OPENERS)} {rng.choice(TOPICS)}."
        if rng.random() < 0.5:
            sentence += f" Said “{rng.choice(TOPICS)}” was the main thing. Others agreed."
        if rng.random() < 0.2:
            sentence += "\n  (continued) grp split on this"
        lines.append(sentence)
        size += len(sentence) + 1
    return "\n".join(lines) + "\n"


def build_corpus(folder: Path, files: int, chars_each: int) -> list[Path]:
    """Write the corpus; every 10th file is Windows-1252 like the notes people really have."""
    rng = random.Random(20180317)
    paths = []
    for i in range(files):
        session, group = i % 3 + 1, i % 7 + 1
        text = make_note(rng, session, group, chars_each)
        path = folder / f"S{session}_G{group}_scribe_{i:04d}.txt"
        path.write_bytes(text.encode("cp1252" if i % 10 == 0 else "utf-8"))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=10_000, help="characters per file")
    parser.add_argument("--keep", type=Path, help="keep the corpus and project in this folder")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes (default: as the app decides; 0 = all in one process)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ketqual-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = build_corpus(folder, args.files, args.chars)
    texts = [
        p.read_bytes().decode("cp1252" if i % 10 == 0 else "utf-8") for i, p in enumerate(paths)
    ]
    total_chars = sum(len(t) for t in texts)
    print(f"corpus: {len(paths)} files, {total_chars / 1e6:.1f} M characters in {folder}")

    nlp = units.get_sentencizer()
    nlp("warm up.")
    start = time.perf_counter()
    sentences = sum(sum(1 for _ in nlp(t).sents) for t in texts)
    bare = time.perf_counter() - start
    print(
        f"bare sentencizer: {bare:.2f} s, {total_chars / bare / 1e6:.2f} M chars/s, {sentences} sentences"
    )

    project = project_ops.new_project(folder / "bench.ketqual", actor="bench")
    start = time.perf_counter()
    report = import_ops.import_files(project, paths, actor="bench", workers=args.workers)
    took = time.perf_counter() - start
    project.close()
    assert report.count("imported") == len(paths), report.summary()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"import: {took:.2f} s, {len(paths) / took:.0f} documents/s, "
        f"{total_chars / took / 1e6:.2f} M chars/s ({len(report.document_ids)} documents)"
    )
    workers = import_ops._worker_count(paths) if args.workers is None else args.workers
    print(
        f"ratio import / bare sentencizer: {bare / took:.2f} (target >= 0.70), "
        f"{workers} worker process{'es' if workers != 1 else ''}"
    )
    print(f"peak memory: {peak_mb:.0f} MB (this process), {child_mb:.0f} MB (largest worker)")
    print(f"project file: {(folder / 'bench.ketqual').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
