"""The votes table as CSV, JSON or an Excel workbook.

CSV and JSON hold one row per option of every question with the same keys
(:func:`ketqual.core.votes.table_rows`): ``question``, ``kind``, ``option``, ``count``,
``denominator`` (the number), ``denominator_kind`` (answered, present or selections),
``percent``, ``ci_low`` and ``ci_high`` (percentages, Wilson 95 %), ``missing``,
``answered``, ``present`` and ``selections`` (and ``group`` in a breakdown). CSV is UTF-8
with a byte-order mark so Excel reads accents. The workbook has one readable table per
question, its caption and the notes a reader must see under it, and the same rows on a
*Data* sheet. Files are written to a temporary name and renamed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ketqual.core import votes
from ketqual.core.votes import GroupSummary, QuestionSummary
from ketqual.io.atomic import write_atomically
from ketqual.io.xlsx_writer import Workbook

FORMATS = ("csv", "json", "xlsx")
COLUMNS = (
    "question",
    "kind",
    "option",
    "count",
    "denominator",
    "denominator_kind",
    "percent",
    "ci_low",
    "ci_high",
    "missing",
    "answered",
    "present",
    "selections",
)


def rows_of(
    summaries: Sequence[QuestionSummary], groups: Sequence[GroupSummary] | None = None
) -> list[dict[str, object]]:
    """Plain rows: of the summaries, or of a breakdown (then each row has a ``group``)."""
    if groups is None:
        return votes.table_rows(summaries)
    out = []
    for group in groups:
        for row in votes.table_rows([group.summary]):
            out.append({"group": group.value, **row})
    return out


def csv_text(rows: Sequence[Mapping[str, object]]) -> str:
    """The rows as CSV text (no byte-order mark; a header even with no rows)."""
    columns = list(rows[0]) if rows else list(COLUMNS)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return buffer.getvalue()


def json_text(rows: Sequence[Mapping[str, object]]) -> str:
    """The rows as a JSON list."""
    return json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n"


def write(
    summaries: Sequence[QuestionSummary],
    path: Path,
    fmt: str,
    *,
    about: Sequence[tuple[str, str]] = (),
    groups: Sequence[GroupSummary] | None = None,
) -> Path:
    """Write the table as ``csv``, ``json`` or ``xlsx``.

    Args:
        summaries: One per question (ignored for a breakdown's figures).
        path: The file.
        fmt: The format.
        about: ``(label, text)`` facts for the workbook's head (project, denominator...).
        groups: A breakdown of one question instead of the summaries.

    Raises:
        ValueError: For an unknown format.
        OSError: When the file cannot be written (nothing half-written is left).
    """
    rows = rows_of(summaries, groups)
    if fmt == "csv":
        data = ("\ufeff" + csv_text(rows)).encode("utf-8")
        return write_atomically(path, lambda p: p.write_bytes(data))
    if fmt == "json":
        data = json_text(rows).encode("utf-8")
        return write_atomically(path, lambda p: p.write_bytes(data))
    if fmt == "xlsx":
        return write_atomically(path, lambda p: _workbook(summaries, rows, about, groups).save(p))
    raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


def contents(
    summaries: Sequence[QuestionSummary],
    *,
    about: Sequence[tuple[str, str]] = (),
    groups: Sequence[GroupSummary] | None = None,
) -> dict[str, object]:
    """Every text a votes table file may hold, as plain data (for the identifier check
    before it is written): the facts at its head, the rows, and each table's caption and
    notes."""
    shown = [g.summary for g in groups] if groups is not None else list(summaries)
    return {
        "about": dict(about),
        "rows": rows_of(summaries, groups),
        "tables": [
            {
                "question": s.question.text,
                "caption": f"{s.question.kind_label}; {s.caption()}",
                "notes": list(s.notes),
            }
            for s in shown
        ],
    }


def _workbook(
    summaries: Sequence[QuestionSummary],
    rows: Sequence[Mapping[str, object]],
    about: Sequence[tuple[str, str]],
    groups: Sequence[GroupSummary] | None,
) -> Workbook:
    wb = Workbook(title="Votes")
    ws = wb.add_sheet("Votes", widths={0: 46, 1: 10, 2: 10, 3: 10, 4: 18}, landscape=True)
    ws.append(["Votes"], "title")
    for label, text in about:
        ws.append([label, text], ["bold", "wrap"])
    ws.append([])
    tables = (
        [(f"{g.summary.question.text}: {g.value}", g.summary) for g in groups]
        if groups is not None
        else [(s.question.text, s) for s in summaries]
    )
    for heading, summary in tables:
        ws.append([heading], "bold")
        ws.append([f"{summary.question.kind_label}; {summary.caption()}"], "wrap")
        ws.append(["Option", "Count", "n", "%", "95 % CI (Wilson)"], "header")
        for r in summary.rows:
            ws.append(
                [
                    r.option,
                    r.count,
                    r.denominator,
                    None if r.percent is None else round(r.percent, 1),
                    votes.interval_text(r, 1).replace("\u00a0", " "),
                ],
                ["cell", "number", "number", "number", "centred"],
            )
        if summary.missing:
            ws.append(["No answer (present)", summary.missing], ["muted", "number"])
        for note in summary.notes:
            ws.append([note.replace("\u00a0", " ")], "wrap")
        ws.append([])
    data = wb.add_sheet("Data", widths={0: 40, 1: 10, 2: 30}, freeze=(1, 0))
    columns = list(rows[0]) if rows else list(COLUMNS)
    data.append(columns, "header")
    for row in rows:
        data.append([row.get(c) for c in columns], "normal")
    return wb
