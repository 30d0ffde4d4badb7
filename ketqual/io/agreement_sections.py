"""Sections of the agreement reports that go beyond one statistic per table cell.

Shared by the plain-text summary, the HTML page and the workbook: the three overall
kappas, the unitizing alphas across codes and, for three or more coders, the table of
coder pairs. Each function returns plain rows (lists of strings and numbers), so each
format only decides how to lay them out.
"""

from __future__ import annotations

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.result import Statistic

OVERALL_KAPPA_NOTE = (
    "Three different numbers are all reported as 'overall kappa' in the literature: kappa "
    "on the tables of all codes added together, the mean of the codes' kappas, and pooled "
    "kappa (mean observed minus mean chance agreement over one minus mean chance "
    "agreement; De Vries et al. 2008). Cohen's kappa for two coders, Fleiss' for three or "
    "more."
)
ACROSS_NOTE = (
    "The code system as one variable (Krippendorff, Mathet, Bouvry & Widlöcher 2016), "
    "on characters, all documents as one continuum. u-alpha, c|u-alpha and cu-alpha need "
    "codes that never overlap: where a coder put two codes on the same text they are "
    "undefined, with the reason. Per theme the values are the theme and its subthemes."
)
PAIRS_NOTE = (
    "Cohen's kappa of every pair of coders, pooled over all codes and documents; a coder "
    "whose mean with the others is clearly lower departs from them."
)


def figure_text(stat: Statistic) -> str:
    """``0.812 (0.790 to 0.835)`` or ``undefined: reason``."""
    if stat.value is None:
        return f"{explain.UNDEFINED}: {stat.reason}"
    ci = explain.format_ci(stat)
    value = explain.format_value(stat.name, stat.value)
    return f"{value} ({ci})" if ci else value


def overall_kappa_rows(result: AgreementResult) -> list[list[object]]:
    """Header and one row per unit kind: stacked, mean and pooled kappa."""
    head = ["Unit"] + [text for text, _ in result.overall_kappas(result.units[0])]
    rows: list[list[object]] = [head]
    for unit in result.units:
        rows.append([explain.UNIT_LABELS[unit]] + [s for _, s in result.overall_kappas(unit)])
    return rows


def across_rows(result: AgreementResult) -> list[list[object]]:
    """Header and one row per coefficient: all codes, then each theme."""
    across = result.across_codes()
    if not across:
        return []
    themes = [result.code_label(t) for t, _ in across[0][2]]
    rows: list[list[object]] = [["Coefficient", "All codes", *themes]]
    for name, overall, per_theme in across:
        rows.append([explain.label(name), overall, *(s for _, s in per_theme)])
    return rows


def overlap_lines(result: AgreementResult) -> list[str]:
    """One sentence per coder who applied two codes to the same text."""
    return [
        f"{coder} coded {info['characters']:,} characters with two or more codes "
        f"({info['documents']} document(s))."
        for coder, info in result.overlapping_codes().items()
        if info.get("characters")
    ]


def pair_rows(result: AgreementResult, unit: str) -> list[list[object]]:
    """Header and one row per coder pair (three or more coders), then each coder's mean."""
    table = result.pairwise(unit)
    if table is None:
        return []
    rows: list[list[object]] = [["Coders", "Both", "Only first", "Only second", "Neither"]]
    rows[0] += [explain.label(n) for n in ("cohen_kappa", "percent_agreement", "gwet_ac1")]
    for p, (i, j) in enumerate(table.pairs):
        rows.append(
            [f"{table.coders[i]} and {table.coders[j]}"]
            + [int(x) for x in table.counts[p]]
            + [table.statistic(p, n) for n in ("cohen_kappa", "percent_agreement", "gwet_ac1")]
        )
    return rows


def departure_lines(result: AgreementResult, unit: str) -> list[str]:
    """Each coder's mean Cohen's kappa with the others, lowest first."""
    table = result.pairwise(unit)
    if table is None:
        return []
    found = [(c, v) for c, v in table.departures() if v is not None]
    found.sort(key=lambda cv: cv[1])
    return [f"{coder}: mean kappa with the others {value:.3f}" for coder, value in found]


def summary_sections(result: AgreementResult) -> list[str]:
    """The extra sections of the plain-text summary."""
    lines = ["", "Overall kappa over all codes, three ways"]
    rows = overall_kappa_rows(result)
    for row in rows[1:]:
        lines.append(f"  {row[0]}")
        for label, stat in zip(rows[0][1:], row[1:], strict=True):
            lines.append(f"    {label:<50} {figure_text(stat)}")
    across = across_rows(result)
    if across:
        lines += ["", "Unitizing alphas across codes (characters, all codes)"]
        for row in across[1:]:
            lines.append(f"  {row[0]:<36} {figure_text(row[1])}")
        lines += [f"  {line}" for line in overlap_lines(result)]
        if result.level == "subtheme":
            lines.append(
                "  Per theme (a theme and its subthemes as the values): see the full report."
            )
    unit = result.units[0]
    pairs = pair_rows(result, unit)
    if pairs:
        lines += ["", f"Coder pairs ({explain.UNIT_LABELS[unit].lower()}, Cohen's kappa)"]
        for row in pairs[1:]:
            lines.append(f"  {row[0]:<36} {figure_text(row[5])}")
        lines += [f"  {line}" for line in departure_lines(result, unit)]
    return lines
