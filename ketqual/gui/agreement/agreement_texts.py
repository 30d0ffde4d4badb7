"""Words the agreement window shows: the explanation panel, status line and messages."""

from __future__ import annotations

import re
from html import escape

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.io import agreement_sections
from ketqual.ops.agreement import agreement_ops

TOO_FEW_LAYERS = "tick at least two layers to compare (coders, or a coder and the consensus)"


def blinded_message() -> str:
    """What to do about a blinded project."""
    text = agreement_ops.BLINDED
    return (
        f"{text[:1].upper()}{text[1:]}. A supervisor can do that with "
        "Project → Unblind project… in the main window; then open this window again."
    )


def status_line(result: AgreementResult) -> str:
    """Who was compared, on what, and with which settings."""
    p = result.parameters
    return (
        f"{result.who()} · {result.level} level · "
        f"{len(result.documents)} documents · {len(result.code_ids())} codes · "
        f"{p['n_replicates']} bootstrap replicates, seed {p['seed']} · "
        "click a cell to open the document at that code"
    )


def explanation_html(result: AgreementResult | None, unit: str, name: str | None) -> str:
    """The side panel: what the statistic and the unit mean, its pooled value, sources."""
    info = explain.STATISTICS.get(name or "")
    if info is None:
        return ""
    parts = [f"<h3>{escape(info.label)}</h3>", f"<p>{escape(info.explanation)}</p>"]
    if result is not None and name in result.statistics(unit):
        stat = result.pooled(unit, name)
        parts.append(
            f"<p><b>All codes and documents, {unit}s:</b> {escape(explain.describe(stat))}</p>"
        )
    if info.scheme:
        parts.append(
            f"<p><b>Bands</b> ({escape(explain.BAND_SHORT[info.scheme])}): "
            f"{escape(explain.BAND_RANGES[info.scheme])}. Bands are conventions to help "
            "reading, not pass marks.</p>"
        )
    else:
        parts.append("<p>No verbal bands: this figure is not corrected for chance.</p>")
    parts.append(
        f"<p><b>{explain.UNIT_LABELS[unit]} as units.</b> "
        f"{escape(explain.UNIT_EXPLANATIONS[unit])}</p>"
    )
    parts.append(
        "<p>Grey cells are undefined (hover for the reason), for example kappa where neither "
        "coder used the code in that document. The first column and the last row pool over "
        f"all documents and all codes. {escape(explain.BOOTSTRAP_NOTE)}</p>"
    )
    if result is not None:
        parts += _across_html(result, unit)
    sources = [explain.BAND_CITATIONS[info.scheme]] if info.scheme else []
    if info.citation and info.citation not in sources:
        sources.insert(0, info.citation)
    if sources:
        parts.append("<p><small>" + "<br>".join(escape(s) for s in sources) + "</small></p>")
    return "\n".join(parts)


def default_file_name(result: AgreementResult) -> str:
    """A file name suggestion such as ``agreement-coder-a-coder-b-theme.html``."""
    stem = f"agreement {' '.join(result.layer_names)} {result.level}".casefold()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") + ".html"


def _cell(x: object) -> str:
    if hasattr(x, "value"):
        return escape(agreement_sections.figure_text(x))
    return escape(f"{x:,}" if isinstance(x, int) else str(x))


def _table(rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{_cell(x)}</td>" for x in r) + "</tr>" for r in rows[1:])
    return f"<table border='1' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"


def _across_html(result: AgreementResult, unit: str) -> list[str]:
    """The three overall kappas of the unit, and for m >= 3 the coder pairs."""
    parts = [f"<p><b>Overall kappa over all codes, {unit}s</b></p><ul>"]
    for text, stat in result.overall_kappas(unit):
        parts.append(f"<li>{escape(text)}: {escape(agreement_sections.figure_text(stat))}</li>")
    parts.append("</ul>")
    pairs = agreement_sections.pair_rows(result, unit)
    if pairs:
        keep = [0, 5, 6]  # coders, Cohen's kappa, percent agreement
        parts.append(
            f"<p><b>Coder pairs, {unit}s</b> ({escape(agreement_sections.PAIRS_NOTE)})</p>"
        )
        parts.append(_table([[row[i] for i in keep] for row in pairs]))
        lines = agreement_sections.departure_lines(result, unit)
        parts.append("<p>" + "<br>".join(escape(x) for x in lines) + "</p>")
    return parts
