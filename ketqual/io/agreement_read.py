"""Read agreement reports back, in the row-per-object layout of KetQual 0.1.0.

Reports are written compactly (:mod:`ketqual.io.agreement_export`,
``docs/agreement-report-format.md``): JSON tables as ``columns`` plus ``rows`` of arrays,
CSV with one row per unit, scope, code and document and five columns per statistic. A
script written for the earlier layout can read either through these functions; they are
also what the tests use to show that the compact files hold everything the earlier ones
did.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from ketqual.io.agreement_export import (
    CSV_COLUMNS,
    CSV_KEY_COLUMNS,
    CSV_STATISTIC_FIELDS,
    JSON_FORMAT,
)


def expand_json(data: dict) -> dict:
    """A report as parsed from JSON, in the layout of format version 1.

    Tables and segment tables get ``rows`` as one object per row again, reasons as text
    instead of their numbers, and the ``format`` and ``format_version`` fields and the
    report's ``reasons`` go. A version 1 report comes back unchanged.

    Raises:
        ValueError: When ``data`` is not a KetQual agreement report.
    """
    if "format" not in data:
        if "report" not in data or "context" not in data:
            raise ValueError("this is not a KetQual agreement report")
        return data
    if data["format"] != JSON_FORMAT:
        raise ValueError(f"this is a {data['format']!r} file, not a KetQual agreement report")
    out = {k: v for k, v in data.items() if k not in ("format", "format_version")}
    report = dict(out["report"])
    reasons = {int(k): v for k, v in report.pop("reasons").items()}
    report["tables"] = [_rows_as_objects(t, reasons) for t in report["tables"]]
    report["segments"] = [_rows_as_objects(t, {}) for t in report["segments"]]
    out["report"] = report
    return out


def _rows_as_objects(table: dict, reasons: dict[int, str]) -> dict:
    columns = table["columns"]
    head = {k: v for k, v in table.items() if k not in ("columns", "rows")}
    coded = [i for i, name in enumerate(columns) if name.endswith("_reason")] if reasons else []
    rows = []
    for values in table["rows"]:
        row = dict(zip(columns, values, strict=True))
        for i in coded:
            if values[i] is not None:
                row[columns[i]] = reasons[values[i]]
        rows.append(row)
    return {**head, "rows": rows}


def load_json(path: str | Path) -> dict:
    """Read a JSON report file and expand it (see :func:`expand_json`)."""
    return expand_json(json.loads(Path(path).read_text(encoding="utf-8")))


def long_rows(rows: Iterable[dict[str, str]], header: list[str]) -> list[dict[str, str]]:
    """CSV rows (as ``csv.DictReader`` gives them) in the long layout of version 1: one
    row per unit, scope, code, document and statistic, ordered as that layout was
    (table by table, then statistic by statistic)."""
    names = [c for c in header[len(CSV_KEY_COLUMNS) :] if c.endswith("_reason")]
    names = [c.removesuffix("_reason") for c in names]
    out: list[dict[str, str]] = []
    for group in _tables(rows):
        present = [n for n in names if any(r[n] or r[f"{n}_reason"] for r in group)]
        for name in present:
            for r in group:
                fields = [r[f"{name}{suffix}"] for suffix in CSV_STATISTIC_FIELDS]
                out.append(
                    dict(
                        zip(
                            CSV_COLUMNS,
                            [*(r[k] for k in CSV_KEY_COLUMNS), name, *fields],
                            strict=True,
                        )
                    )
                )
    return out


def _tables(rows: Iterable[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Consecutive rows of one unit and scope."""
    groups: list[list[dict[str, str]]] = []
    last = None
    for r in rows:
        key = (r["unit"], r["scope"])
        if key != last:
            groups.append([])
            last = key
        groups[-1].append(r)
    return groups


def load_csv_long(path: str | Path) -> list[dict[str, str]]:
    """Read a CSV report file into the long layout of version 1 (see :func:`long_rows`)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return long_rows(reader, list(reader.fieldnames or []))
