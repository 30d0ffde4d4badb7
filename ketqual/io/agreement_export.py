"""Write an agreement result as JSON, CSV, Excel or a self-contained HTML report.

Pure formatting of an :class:`~ketqual.core.agreement.labelled.AgreementResult`: no
database, no Qt. Undefined figures are written as empty/null values with their reason, or
as the word "undefined"; never as 0 or 1, which would read as real results.

JSON and CSV use a compact layout (``docs/agreement-report-format.md``; read either back
in the row-per-object layout of earlier versions with :mod:`ketqual.io.agreement_read`):

* JSON: each table holds ``columns`` (field names) and ``rows`` (one array of values per
  row) instead of one object per row; the tables are encoded by orjson and written one
  by one to the file. A 10-million-character project's full report has about 100,000
  rows.
* CSV: one row per unit, scope, code and document, with five columns per statistic
  (value, se, ci_low, ci_high, reason) instead of one row per statistic.

This module imports nothing heavy at the top: the command line reads :data:`FORMATS`
from it to build its options.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ketqual.core.agreement import explain
from ketqual.io import csv_files

if TYPE_CHECKING:
    from ketqual.core.agreement.labelled import AgreementResult
    from ketqual.core.agreement.report_model import ScopeTable

FORMATS = ("json", "csv", "xlsx", "html")
JSON_FORMAT = "ketqual-agreement"
JSON_FORMAT_VERSION = 2  # 1: one object per row, no "format" field (KetQual 0.1.0)
CSV_KEY_COLUMNS = ("unit", "scope", "code", "document")
CSV_STATISTIC_FIELDS = ("", "_se", "_ci_low", "_ci_high", "_reason")
# The long layout of KetQual 0.1.0, one row per statistic; agreement_read expands to it.
CSV_COLUMNS = (
    "unit",
    "scope",
    "code",
    "document",
    "statistic",
    "value",
    "se",
    "ci_low",
    "ci_high",
    "reason",
)


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write: ``fmt`` if given, else from the file's suffix.

    Raises:
        ValueError: For an unknown format or suffix.
    """
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "htm":
        chosen = "html"
    if chosen not in FORMATS:
        raise ValueError(
            f"cannot tell the format of '{path.name}'; choose one of {', '.join(FORMATS)}"
        )
    return chosen


def check_statistic(result: AgreementResult, statistic: str) -> None:
    """Refuse a statistic that no computed unit has.

    Raises:
        ValueError: With the names that are available.
    """
    names = result.all_statistics()
    if statistic not in names:
        raise ValueError(f"unknown statistic '{statistic}'; choose one of {', '.join(names)}")


def write(
    result: AgreementResult, path: Path, *, fmt: str | None = None, statistic: str | None = None
) -> Path:
    """Write ``result`` to ``path``.

    Args:
        result: The agreement result.
        path: Target file (overwritten).
        fmt: ``json``, ``csv``, ``xlsx`` or ``html``; default from the suffix.
        statistic: Statistic of the code x document matrices (xlsx, html); default the
            report's kappa (Cohen's for two coders, Fleiss' for more).

    Returns:
        ``path``.

    Raises:
        ValueError: For an unknown format or statistic.
        OSError: When the file cannot be written.
    """
    chosen = format_for(path, fmt)
    statistic = statistic or result.kappa_name
    check_statistic(result, statistic)
    if chosen == "xlsx":
        from ketqual.io import agreement_xlsx  # openpyxl loads only when needed

        agreement_xlsx.write_xlsx(result, path, statistic)
        return path
    from ketqual.io.atomic import replacing  # tempfile: not needed to build the CLI options

    # Written beside the target and renamed: a failure never leaves half a report.
    with replacing(path) as temporary:
        if chosen == "csv":
            with temporary.open("w", encoding=csv_files.ENCODING, newline="") as handle:
                write_csv(result, handle)
        elif chosen == "json":
            with temporary.open("wb") as handle:
                write_json(result, handle)
        else:
            temporary.write_text(to_text(result, chosen, statistic), encoding="utf-8")
    return path


def to_text(result: AgreementResult, fmt: str, statistic: str | None = None) -> str:
    """A text format (``json``, ``csv`` or ``html``) as a string, e.g. for stdout.

    Raises:
        ValueError: For xlsx (not text), an unknown format or statistic.
    """
    statistic = statistic or result.kappa_name
    check_statistic(result, statistic)
    if fmt == "json":
        return to_json(result)
    if fmt == "csv":
        buffer = io.StringIO()
        write_csv(result, buffer)
        return buffer.getvalue()
    if fmt == "html":
        from ketqual.io import agreement_html

        return agreement_html.render(result, statistic)
    raise ValueError(f"{fmt} is not a text format; write it to a file")


def glossary(names: list[str]) -> dict[str, dict[str, object]]:
    """Label, explanation, benchmark scheme and citation of each statistic."""
    out: dict[str, dict[str, object]] = {}
    for name in names:
        info = explain.STATISTICS.get(name)
        if info is not None:
            out[name] = {
                "label": info.label,
                "explanation": info.explanation,
                "benchmark": info.scheme,
                "benchmark_citation": explain.BAND_CITATIONS.get(info.scheme or ""),
                "citation": info.citation,
            }
    return out


def _dumps(value: object) -> str:
    # No indent: indent= makes json use its pure-Python encoder, several times slower.
    # allow_nan=False: a NaN slipping through would be a bug, not a figure to publish.
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, default=str, separators=(",", ":")
    )


def _like_json_default(value: object) -> object:
    """What :func:`_dumps` makes of a value orjson hands to ``default``: a float subclass
    (numpy.float64) is a number, a tuple or list subclass (a named tuple) an array,
    anything else its ``str`` (numpy integers and booleans too, as the standard library
    does with ``default=str``)."""
    if isinstance(value, float):
        return float(value)
    if isinstance(value, (tuple, list)):
        return list(value)
    return str(value)


def _encode_table(body: dict[str, object], nones: int) -> bytes:
    """``body`` as the bytes of :func:`_dumps`, encoded by orjson (about 25 times faster
    than the standard library's C encoder on a report's tables).

    orjson writes NaN and infinities as ``null`` where :func:`_dumps` refuses them, so the
    ``null`` in the output are counted: ``nones`` is the number of ``None`` among the
    cells, and any more ``null`` (a NaN, or merely a name containing "null") send the
    table to :func:`_dumps`, which raises for a NaN as before. So do values orjson does not
    take (an integer beyond 64 bits, a string that is not valid Unicode).

    Equal to :func:`_dumps` when read back, and the same text apart from the spelling of
    some floats (orjson's shortest round trip: ``1e-05`` is ``1e-5``), for the int, float,
    str and ``None`` cells of a report; the one difference left is an Enum that is neither
    an int nor a str, which orjson writes as its value, not its ``str``.
    """
    import orjson  # the command line builds its options without it

    try:
        out = orjson.dumps(
            body,
            default=_like_json_default,
            option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS,
        )
    except orjson.JSONEncodeError:
        return _dumps(body).encode()
    if out.count(b"null") != nones:
        return _dumps(body).encode()
    return out


def _compact(head: dict[str, object], columns: dict[str, list[object]]) -> bytes:
    """One table as ``{...head, "columns": [names], "rows": [[values], ...]}``."""
    rows = list(zip(*columns.values(), strict=True))
    body = {**head, "columns": list(columns), "rows": rows}
    # The head holds names only: the cells are where a None can be.
    nones = sum(column.count(None) for column in columns.values())
    return _encode_table(body, nones)


def write_json(result: AgreementResult, handle: BinaryIO) -> None:
    """The whole result as compact JSON, written (UTF-8) to the binary ``handle`` table
    by table.

    Top level: ``format``, ``format_version``, ``context``, ``report`` (``parameters``,
    ``reasons``, ``tables``, ``segments``, ``nvivo``, ``warnings``, ``pairwise``),
    ``statistics`` (the glossary) and ``units``. Tables and segment tables are in the
    columns-and-rows layout; an undefined value is ``null`` with the number of its reason
    in ``<name>_reason`` (``report.reasons`` gives the text). The tables are encoded by
    orjson (:func:`_encode_table`), the small parts around them by the standard library.
    """
    from ketqual.core.agreement.binary import REASONS

    report = result.report

    def write(text: str) -> None:
        handle.write(text.encode())

    write(f'{{"format":"{JSON_FORMAT}","format_version":{JSON_FORMAT_VERSION},\n')
    write(f'"context":{_dumps(result.context())},\n')
    write(f'"report":{{"parameters":{_dumps(report.parameters)},\n')
    # Tables give why a value is undefined as a number; this says what each number means.
    write(f'"reasons":{_dumps({str(k): v for k, v in sorted(REASONS.items())})},\n"tables":[\n')
    for i, table in enumerate(report.tables.values()):
        head = {"unit": table.unit, "scope": table.scope, "key_names": list(table.key_names)}
        columns = table.columns(reason_codes=True)
        handle.writelines((b"," if i else b"", _compact(head, columns), b"\n"))
    write('],\n"segments":[\n')
    for i, segments in enumerate(report.segments.values()):
        head = {"scope": segments.scope, "key_names": list(segments.key_names)}
        handle.writelines((b"," if i else b"", _compact(head, segments.columns()), b"\n"))
    write(f'],\n"nvivo":{_dumps([s.to_dict() for s in report.nvivo])},\n')
    write(f'"warnings":{_dumps([w.to_dict() for w in report.warnings])},\n')
    write(f'"pairwise":{_dumps([p.to_dict() for p in report.pairwise.values()])}}},\n')
    write(f'"statistics":{_dumps(glossary(result.all_statistics()))},\n')
    write(f'"units":{_dumps({u: explain.UNIT_EXPLANATIONS[u] for u in result.units})}}}\n')


def to_json(result: AgreementResult) -> str:
    """The whole result as compact JSON text (see :func:`write_json`)."""
    buffer = io.BytesIO()
    write_json(result, buffer)
    return buffer.getvalue().decode()


def _labels(result: AgreementResult, table: ScopeTable) -> tuple[list[str], list[str]]:
    """Code and document labels of each row of a scope table ("" where not a key), as CSV
    cells (a name starting with "=" stays text: :func:`ketqual.io.csv_files.text_cell`)."""
    cell = csv_files.text_cell
    names = table.key_names
    code_at = next((j for j, n in enumerate(names) if n in ("code_id", "theme_id")), None)
    doc_at = names.index("document_id") if "document_id" in names else None
    codes = {c: cell(result.code_label(c)) for c in result.codes}
    docs = {d: cell(result.document_label(d)) for d in result.documents}

    def column(at: int | None, known: dict, label) -> list[str]:
        if at is None:
            return [""] * len(table.keys)
        return [known[k[at]] if k[at] in known else cell(label(k[at])) for k in table.keys]

    return column(code_at, codes, result.code_label), column(doc_at, docs, result.document_label)


def csv_header(result: AgreementResult) -> list[str]:
    """Column names of the CSV: the keys, then five columns per statistic."""
    names = result.all_statistics()
    return [*CSV_KEY_COLUMNS, *(f"{n}{f}" for n in names for f in CSV_STATISTIC_FIELDS)]


def csv_rows(result: AgreementResult) -> Iterator[tuple[object, ...]]:
    """Rows of the CSV (without the header): one per unit, scope, code and document.

    For each statistic: value, se, ci_low and ci_high (empty without a bootstrap interval)
    and reason (the reason it is undefined, with the other four empty). All five are
    empty when the statistic is not computed for that unit.
    """
    names = result.all_statistics()
    for (unit, scope), table in result.report.tables.items():
        n = len(table.keys)
        code_labels, doc_labels = _labels(result, table)
        fields = table.columns()
        blank = [None] * n
        columns: list[list[object]] = [[unit] * n, [scope] * n, code_labels, doc_labels]
        for name in names:
            if name not in table.values:
                columns += [blank] * len(CSV_STATISTIC_FIELDS)
                continue
            value, reason = fields[name], fields[f"{name}_reason"]
            low = fields.get(f"{name}_ci_low")
            if low is None:
                columns += [value, blank, blank, blank, reason]
                continue
            # An interval only where the value is defined and some replicate was.
            se, high = fields[f"{name}_se"], fields[f"{name}_ci_high"]
            shown = [v is not None and lo is not None for v, lo in zip(value, low, strict=True)]
            columns += [
                value,
                [x if ok else None for x, ok in zip(se, shown, strict=True)],
                [x if ok else None for x, ok in zip(low, shown, strict=True)],
                [x if ok else None for x, ok in zip(high, shown, strict=True)],
                reason,
            ]
        yield from zip(*columns, strict=True)


def write_csv(result: AgreementResult, handle: TextIO) -> None:
    """The table with a header row, to an open text file (files get a UTF-8 BOM so Excel
    reads accents). Numbers are written as Python writes floats (shortest round trip)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(csv_header(result))
    writer.writerows(csv_rows(result))


def summary_text(result: AgreementResult) -> str:
    """Pooled headline figures per unit with intervals and bands, as a plain-text table."""
    p = result.parameters
    lines = [
        f"Inter-coder agreement: {result.who()}",
        f"{result.project_name} · {result.level} level · {len(result.documents)} documents · "
        f"{len(result.code_ids())} codes · {p['n_replicates']} bootstrap replicates, "
        f"seed {p['seed']}",
        "",
        f"{'Unit':<11} {'Statistic':<21} {'Value':>9}  {'95% CI':<18} Band",
    ]
    for unit in result.units:
        first = True
        for name in result.headline():
            stat = result.pooled(unit, name)
            band = explain.band(stat)
            if stat.value is None:
                tail = f"({stat.reason})"
            elif band is not None:
                tail = f"{band.label} ({explain.BAND_SHORT[band.scheme]})"
            else:
                tail = ""
            value = explain.format_value(name, stat.value)
            unit_text = explain.UNIT_LABELS[unit] if first else ""
            lines.append(
                f"{unit_text:<11} {explain.label(name):<21} {value:>9}  "
                f"{explain.format_ci(stat):<18} {tail}".rstrip()
            )
            first = False
    from ketqual.io import agreement_sections  # loads the engine's result types

    lines += agreement_sections.summary_sections(result)
    lines += ["", "Intervals: 95% percentile bootstrap over documents."]
    if result.report.warnings:
        lines.append(
            f"{len(result.report.warnings)} caution(s) about thin or lopsided data; "
            "the full report (html, xlsx or json) lists them."
        )
    return "\n".join(lines) + "\n"
