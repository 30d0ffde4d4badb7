"""Identifier detection on hand-annotated notes: recall, precision, every miss, and speed.

    .venv/bin/python bench/privacy_bench.py [--repeat N]

The notes in ``bench/data/privacy/notes`` mark each identifier as ``[[kind:words]]`` (see
its README). The roster (``roster.txt``) goes into a key the way a supervisor's would. A
gold identifier counts as found when any suggestion (sure or for review) overlaps it; a
suggestion counts as right when it overlaps a gold identifier. Figures are given for the
roster's names (participants, carers, staff, places), for identifier shapes (e-mail,
phone, postcode, NHS number, date of birth, street address), and for other people's names
(not on the roster: only titles or a trained pipeline can find them). Sure suggestions,
the ones import replaces without asking, get their own precision. Then the speed of
detection with and without a roster, on the demo corpus repeated.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ketqual.core.privacy import roster as roster_module  # noqa: E402
from ketqual.core.privacy.detector import Detector  # noqa: E402
from ketqual.core.privacy.keydata import KeyData  # noqa: E402

DATA = ROOT / "bench" / "data" / "privacy"
MARK = re.compile(r"\[\[(?P<kind>[a-z]+):(?P<words>.+?)\]\]")
GROUPS = {
    "roster names": {"participant", "carer", "staff", "place"},
    "identifier shapes": {"email", "phone", "postcode", "nhs", "dob", "address"},
    "other names": {"person", "handle", "org"},
}


@dataclass(frozen=True)
class Gold:
    file: str
    start: int
    end: int
    kind: str
    words: str


def read_annotated(path: Path) -> tuple[str, list[Gold]]:
    """The plain text of an annotated file and its gold identifiers."""
    raw = path.read_text(encoding="utf-8")
    parts, gold, position, last = [], [], 0, 0
    for m in MARK.finditer(raw):
        parts.append(raw[last : m.start()])
        position += m.start() - last
        words = m["words"]
        gold.append(Gold(path.name, position, position + len(words), m["kind"], words))
        parts.append(words)
        position += len(words)
        last = m.end()
    parts.append(raw[last:])
    return "".join(parts), gold


def _line(text: str, start: int, end: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    return text[a:start] + "»" + text[start:end] + "«" + text[end:b]


def score(detector: Detector) -> None:
    gold_all, hits_all, texts = [], [], {}
    for path in sorted((DATA / "notes").glob("*.txt")):
        text, gold = read_annotated(path)
        texts[path.name] = text
        gold_all += gold
        hits_all += [(path.name, h) for h in detector.detect(text)]
    found = {
        g: [h for f, h in hits_all if f == g.file and h.start < g.end and g.start < h.end]
        for g in gold_all
    }
    print(f"{len(texts)} annotated files, {sum(map(len, texts.values()))} characters, "
          f"{len(gold_all)} identifiers, {len(hits_all)} suggestions\n")  # fmt: skip
    print(f"{'':<20} {'identifiers':>11} {'found':>6} {'recall':>7}")
    for group, kinds in GROUPS.items():
        members = [g for g in gold_all if g.kind in kinds]
        hit = [g for g in members if found[g]]
        recall = len(hit) / len(members) if members else float("nan")
        print(f"{group:<20} {len(members):>11} {len(hit):>6} {recall:>7.3f}")
    right = [(f, h) for f, h in hits_all if any(
        g.file == f and h.start < g.end and g.start < h.end for g in gold_all)]  # fmt: skip
    sure = [(f, h) for f, h in hits_all if h.certain]
    sure_right = [x for x in sure if x in right]
    print(f"\nprecision, all suggestions: {len(right)}/{len(hits_all)} = "
          f"{len(right) / len(hits_all):.3f}")  # fmt: skip
    print(f"precision, sure suggestions (replaced at import without asking): "
          f"{len(sure_right)}/{len(sure)} = {len(sure_right) / max(len(sure), 1):.3f}")  # fmt: skip
    kinds_right = sum(
        1
        for g in gold_all
        for h in found[g]
        if h.kind == g.kind or {h.kind, g.kind} <= {"participant", "carer", "staff", "person"}
    )
    print(f"suggestions with the right kind among those found: {kinds_right}/"
          f"{sum(len(v) for v in found.values())}")  # fmt: skip
    print("\nmisses (every one):")
    for g in gold_all:
        if not found[g]:
            print(f"  {g.file}: {g.kind:<12} {_line(texts[g.file], g.start, g.end)}")
    print("\nsuggestions that are not identifiers (every one):")
    for f, h in hits_all:
        if (f, h) not in right:
            rule = "sure" if h.certain else "review"
            print(f"  {f}: {h.kind:<12} {rule:<6} {_line(texts[f], h.start, h.end)}  ({h.reason})")


def speed(detector: Detector, repeat: int) -> None:
    from ketqual.io import readers

    demo = ROOT / "ketqual" / "resources" / "demo"
    texts = [readers.read_document(p).text for p in sorted(demo.glob("*.txt"))] * repeat
    chars = sum(map(len, texts))
    plain = Detector()
    for label, d in (("with the roster", detector), ("without a roster (shapes only)", plain)):
        d.detect(texts[0])  # warm up
        best = min(_timed(d, texts) for _ in range(3))
        print(f"  {label:<32} {chars / best / 1e6:6.2f} M characters/s ({best:.2f} s)")

    best = min(_timed_units(texts) for _ in range(3))
    print(
        f"  {'bare sentencizer (import)':<32} {chars / best / 1e6:6.2f} M characters/s ({best:.2f} s)"
    )


def import_cost(copies: int) -> None:
    """The whole import (one process) of the demo notes, with and without a roster."""
    import tempfile

    from ketqual.io import key_file
    from ketqual.ops import project_ops
    from ketqual.ops.importing import import_ops
    from ketqual.ops.privacy import key_ops

    key_file.SCRYPT_N = 2**14  # the key's cost is paid once, not what is measured here
    demo = sorted((ROOT / "ketqual" / "resources" / "demo").glob("*.txt"))
    roster_text = (DATA / "roster.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = []
        for n in range(copies):
            for path in demo:
                target = folder / f"{path.stem}_{n}.txt"
                target.write_bytes(path.read_bytes() + f"\r\n- copy {n}\r\n".encode())
                files.append(target)
        chars = sum(p.stat().st_size for p in files)
        for label, with_roster in (("without a roster", False), ("with a roster of 18", True)):
            project = project_ops.new_project(folder / f"p{with_roster}.ketqual", codebook=None)
            key = None
            if with_roster:
                key = key_ops.create_key(project, folder / "k.kqkey", "pw", roster_text=roster_text)
            start = time.perf_counter()
            import_ops.import_files(project, files, key=key, workers=0)
            took = time.perf_counter() - start
            project.close()
            print(
                f"  import {label:<22} {len(files)} files, {chars / took / 1e6:5.2f} M bytes/s ({took:.1f} s)"
            )


def _timed(detector: Detector, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        detector.detect(text)
    return time.perf_counter() - start


def _timed_units(texts: list[str]) -> float:
    from ketqual.core import units

    start = time.perf_counter()
    for text in texts:
        units.sentence_units(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="demo corpus copies for speed")
    parser.add_argument("--import-copies", type=int, default=5, help="demo copies to import")
    args = parser.parse_args()
    key = KeyData("bench")
    key.add_roster(roster_module.parse_roster((DATA / "roster.txt").read_text(encoding="utf-8")))
    detector = Detector(key.entries)
    score(detector)
    print(f"\nspeed (demo corpus x {args.repeat}):")
    speed(detector, args.repeat)
    print(f"\nimport of the demo notes x {args.import_copies} (one process):")
    import_cost(args.import_copies)


if __name__ == "__main__":
    main()
