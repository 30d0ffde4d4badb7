"""Recount a themes-by-attribute crosstab of coded passages from exported files, without
KetQual's code: a check that anyone can read and run.

Inputs:
    --codings   a coder's codings CSV (``ketqual codings export``): document_uid, code
                (``Theme`` or ``Theme/Subtheme``), start, end.
    --documents the documents' attribute table (``ketqual attributes export --of documents``):
                document_uid, session, group, kind, and any document attributes.
    --participants  the participants' attribute table (``ketqual attributes export``).
    --project   the .ketqual file, read with Python's own sqlite3 for the documents' texts
                and paragraph units (to see which participants a passage names).
    --columns   the attribute: session, group, kind, or a participant or document attribute.

The rules, as KetQual's README states them:
  * a passage of a theme is a maximal run of text in one document covered by codings at the
    theme or its subthemes; overlapping or touching codings make one passage;
  * a passage belongs to each participant whose label (P followed by 1-3 digits, or a label
    in the participants table) appears as a whole word in the passage or in a paragraph
    unit it touches;
  * counting passages, each passage goes to one column: its document's value; for a
    participant attribute the value its participants share, "(several values)" when they
    differ, "(no value)" when none has one, "(no participant named)" when it names nobody.

Prints JSON: {"cells": {"Theme": {"column": count, ...}, ...}} (columns with 0 left out).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sqlite3
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict


def read_csv(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans as maximal runs."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--codings", "--documents", "--participants", "--project", "--columns"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()

    codings = read_csv(args.codings)
    documents = {row["document_uid"]: row for row in read_csv(args.documents)}
    people = {row["participant"]: row for row in read_csv(args.participants)}
    column = args.columns

    database = sqlite3.connect(args.project)
    ids = dict(database.execute("SELECT uid, id FROM document"))
    texts = dict(database.execute("SELECT id, text FROM document"))
    units: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc, start, end in database.execute(
        "SELECT document_id, start, \"end\" FROM segment WHERE kind = 'paragraph' ORDER BY start"
    ):
        units[doc].append((start, end))
    database.close()

    extra = [re.escape(p) for p in people if not re.fullmatch(r"P\d{1,3}", p)]
    label = re.compile(r"(?<![\w])(?:P\d{1,3}" + "".join("|" + e for e in extra) + r")(?![\w])")

    def named(doc_uid: str, start: int, end: int) -> set[str]:
        doc = ids[doc_uid]
        spans = units[doc]
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        first, last = bisect_right(ends, start), bisect_left(starts, end) - 1
        lo, hi = start, end
        if first < len(spans) and first <= last:
            lo, hi = min(lo, starts[first]), max(hi, ends[last])
        found = {m.group() for m in label.finditer(texts[doc], lo, hi)}
        owner = documents[doc_uid].get("participant", "")
        found |= {p.strip() for p in re.split(r"[,;]", owner) if p.strip()}
        return found

    def document_value(doc_uid: str) -> str:
        value = documents[doc_uid].get(column, "")
        if column == "kind":
            value = value.replace("_", " ")
        return value or "(no value)"

    by_theme: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for row in codings:
        theme = row["code"].split("/", 1)[0]
        by_theme[theme][row["document_uid"]].append((int(row["start"]), int(row["end"])))

    cells: dict[str, Counter] = {}
    for theme, per_doc in by_theme.items():
        tally: Counter = Counter()
        for doc_uid, spans in per_doc.items():
            for start, end in merged(spans):
                if column in documents[doc_uid] and column not in ("document_uid", "document"):
                    tally[document_value(doc_uid)] += 1
                    continue
                who = named(doc_uid, start, end)
                if not who:
                    tally["(no participant named)"] += 1
                    continue
                values = {people[p].get(column, "") for p in who if p in people} - {""}
                if not values:
                    tally["(no value)"] += 1
                elif len(values) == 1:
                    tally[values.pop()] += 1
                else:
                    tally["(several values)"] += 1
        cells[theme] = tally
    print(json.dumps({"cells": {t: dict(c) for t, c in sorted(cells.items())}}, indent=1))


if __name__ == "__main__":
    main()
