"""Write an agreement result as JSON, CSV, Excel or a self-contained HTML report.

Pure formatting of an :class:`~ketqual.core.agreement.labelled.AgreementResult`: no
database, no Qt. Undefined figures are written as empty/null values with their reason, or
as the word "undefined"; never as 0 or 1, which would read as real results.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ketqual.core.agreement import explain
from ketqual.core.agreement.binary import REASONS
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.report_model import ScopeTable
from ketqual.io import agreement_sections, csv_files
from ketqual.io.atomic import replacing

FORMATS = ("json", "csv", "xlsx", "html")
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
    with replacing(path) as temporary:  # a failure leaves no half-written report
        if chosen == "xlsx":
            from ketqual.io import agreement_xlsx

            agreement_xlsx.write_xlsx(result, temporary, statistic)
        elif chosen == "csv":
            with temporary.open("w", encoding=csv_files.ENCODING, newline="") as handle:
                write_csv(result, handle)
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


def to_json(result: AgreementResult) -> str:
    """The whole result as JSON (``null`` plus a ``*_reason`` where undefined)."""
    data = result.to_dict()
    data["statistics"] = glossary(result.all_statistics())
    data["units"] = {u: explain.UNIT_EXPLANATIONS[u] for u in result.units}
    # allow_nan=False: a NaN slipping through would be a bug, not a figure to publish.
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False, default=str)


def _finite(x: float) -> object:
    return repr(float(x)) if x == x and abs(x) != float("inf") else ""


def _labels(result: AgreementResult, table: ScopeTable) -> list[tuple[str, str]]:
    """(code, document) labels of each row of a scope table, as CSV cells (a name
    starting with "=" stays text: :func:`ketqual.io.csv_files.text_cell`)."""
    cell = csv_files.text_cell
    out = []
    for key in table.keys:
        fields = dict(zip(table.key_names, key, strict=True))
        code = fields.get("code_id", fields.get("theme_id"))
        doc = fields.get("document_id")
        out.append(
            (
                "" if code is None else cell(result.code_label(code)),
                "" if doc is None else cell(result.document_label(doc)),
            )
        )
    return out


def csv_rows(result: AgreementResult) -> Iterator[list[object]]:
    """Rows of the long CSV table (without the header), straight from the arrays."""
    for (unit, scope), table in result.report.tables.items():
        labels = _labels(result, table)
        for name in explain.ordered(table.values):
            values = table.values[name].tolist()
            reasons = table.reasons[name].tolist()
            boot = table.bootstrap.get(name)
            lows = boot.ci_low.tolist() if boot else None
            highs = boot.ci_high.tolist() if boot else None
            ses = boot.se.tolist() if boot else None
            for i, (code, doc) in enumerate(labels):
                if reasons[i]:
                    yield [unit, scope, code, doc, name, "", "", "", "", REASONS[reasons[i]]]
                    continue
                se = low = high = ""
                if boot is not None and lows[i] == lows[i]:  # NaN: no defined replicate
                    se, low, high = _finite(ses[i]), _finite(lows[i]), _finite(highs[i])
                yield [unit, scope, code, doc, name, _finite(values[i]), se, low, high, ""]


def write_csv(result: AgreementResult, handle: TextIO) -> None:
    """The long table with a header row, to an open text file (files get a UTF-8 BOM so
    Excel reads accents; the terminal does not)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
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
    lines += agreement_sections.summary_sections(result)
    lines += ["", "Intervals: 95% percentile bootstrap over documents."]
    if result.report.warnings:
        lines.append(
            f"{len(result.report.warnings)} caution(s) about thin or lopsided data; "
            "the full report (html, xlsx or json) lists them."
        )
    return "\n".join(lines) + "\n"
