"""The agreement result as one self-contained HTML page (inline CSS, no scripts).

Sections: pooled figures per unit kind, the chosen statistic per code (and per theme),
code x document heatmaps, what each statistic means, cautions, sources and parameters.
Every undefined figure reads "undefined" with its reason (in heatmap cells, which are
small, the reason is in the cell's tooltip and the legend says so).

The page prints as well as it reads: a print stylesheet puts it on A4 landscape, keeps
the heatmap colours, repeats table headers on each page and never cuts a heatmap. A
heatmap of many documents is drawn in blocks of at most :data:`DOCUMENTS_PER_BLOCK`
columns, each with the code names, so every block fits the page width; and every
foldable section starts open, because browsers do not print what is folded away.
"""

from __future__ import annotations

from html import escape

from ketqual.core.agreement import explain
from ketqual.core.agreement.labelled import AgreementResult
from ketqual.core.agreement.result import Statistic
from ketqual.core.names import printable
from ketqual.io import agreement_sections

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
.sub { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: .5em 0 1em; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
.ci, .band, .why { color: #555; }
.undef { color: #666; font-style: italic; }
.scroll { overflow-x: auto; max-width: 100%; }
table.heat { font-size: .8em; }
table.heat td { text-align: center; padding: .15em .3em; min-width: 2.6em; border-color: #fff; }
table.heat th.doc { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal;
                    white-space: nowrap; padding: .3em .1em; }
table.heat th.code { white-space: nowrap; font-weight: normal; text-align: left; }
table.heat .margin { border-left: 3px solid #888; }
.legend span { display: inline-block; padding: .1em .6em; margin-right: .2em; }
dt { font-weight: bold; margin-top: .6em; } dd { margin-left: 1.2em; }
td, th, .legend span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 1.2em; }
  h2, summary { break-after: avoid; page-break-after: avoid; }
  tr, dt, dd, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  summary { list-style: none; } summary::-webkit-details-marker { display: none; }
  table.heat { font-size: 6.5pt; }
  table.heat td { min-width: 0; padding: .1em .15em; }
  table.heat th.code { white-space: normal; max-width: 16em; }
  a { color: inherit; text-decoration: none; }
}
"""
DOCUMENTS_PER_BLOCK = 12  # heatmap columns per block: fits A4 landscape in any reader


def _figure(stat: Statistic) -> str:
    """A table cell's content: value, interval and band, or undefined with the reason.

    Line breaks rather than block-styled spans, so that renderers with little CSS (mail
    clients, Qt's rich text) still put each part on its own line.
    """
    if stat.value is None:
        return (
            f'<span class="undef">{explain.UNDEFINED}</span><br>'
            f'<small class="why">{escape(stat.reason or "")}</small>'
        )
    out = escape(explain.format_value(stat.name, stat.value))
    ci = explain.format_ci(stat)
    if ci:
        out += f'<br><small class="ci">95% CI {escape(ci)}</small>'
    band = explain.band(stat)
    if band is not None:
        out += f'<br><small class="band">{escape(band.label)}</small>'
    return out


def _pooled(result: AgreementResult) -> list[str]:
    units = result.units
    head = "".join(f"<th>{explain.UNIT_LABELS[u]}</th>" for u in units)
    out = ["<h2>Pooled over all codes and documents</h2>", f"<table><tr><th></th>{head}</tr>"]
    for name in result.all_statistics():
        cells = "".join(
            f'<td class="num">{_figure(result.pooled(u, name))}</td>'
            if name in result.statistics(u)
            else "<td>not computed</td>"
            for u in units
        )
        out.append(f"<tr><th>{escape(explain.label(name))}</th>{cells}</tr>")
    out.append("</table>")
    out.append(f"<p>{escape(explain.BOOTSTRAP_NOTE)}</p>")
    return out


def _per_key(result: AgreementResult, statistic: str, theme: bool) -> list[str]:
    units = [u for u in result.units if statistic in result.statistics(u)]
    title = "per theme (its codes pooled)" if theme else "per code, pooled over documents"
    out = [f"<h2>{escape(explain.label(statistic))} {title}</h2>"]
    head = "".join(f"<th>{explain.UNIT_LABELS[u]}</th>" for u in units)
    out.append(f"<table><tr><th>{'Theme' if theme else 'Code'}</th>{head}</tr>")
    columns = [
        result.per_theme(u, statistic) if theme else result.per_code(u, statistic) for u in units
    ]
    for row in zip(*columns, strict=True):
        name = escape(result.code_label(row[0][0]))
        cells = "".join(f'<td class="num">{_figure(stat)}</td>' for _, stat in row)
        out.append(f"<tr><th>{name}</th>{cells}</tr>")
    out.append("</table>")
    return out


def _cell(stat: Statistic, extra_class: str = "") -> str:
    background = explain.heat_colour(stat.value)
    style = f"background:{background};color:{explain.text_colour(background)}"
    tip = escape(explain.describe(stat), quote=True)
    text = explain.cell_text(stat.value)
    cls = f' class="{extra_class}"' if extra_class else ""
    return f'<td{cls} style="{style}" title="{tip}">{text}</td>'


def _legend() -> str:
    steps = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    swatches = "".join(
        f'<span style="background:{explain.heat_colour(x)};'
        f'color:{explain.text_colour(explain.heat_colour(x))}">{x:.1f}</span>'
        for x in steps
    )
    grey = f'<span style="background:{explain.UNDEFINED_COLOUR}">–</span>'
    return (
        f'<p class="legend">{swatches} values at or below 0 share the first colour; '
        f"{grey} undefined (hover over a cell for the reason and the band).</p>"
    )


def _blocks(count: int, size: int = DOCUMENTS_PER_BLOCK) -> list[range]:
    """Column ranges of about equal width, none wider than ``size``."""
    if count <= size:
        return [range(count)]
    n = -(-count // size)
    step = -(-count // n)
    return [range(i, min(i + step, count)) for i in range(0, count, step)]


def _heatmap(result: AgreementResult, unit: str, statistic: str) -> list[str]:
    if statistic not in result.statistics(unit):
        return []
    matrix = result.matrix(unit, statistic)
    blocks = _blocks(len(matrix.document_ids))
    out = [
        f"<details open><summary><strong>{explain.UNIT_LABELS[unit]}</strong></summary>",
        f"<p>{escape(explain.UNIT_EXPLANATIONS[unit])}</p>",
    ]
    per_code = result.per_code(unit, statistic)
    per_document = result.per_document(unit, statistic)
    overall = _cell(result.pooled(unit, statistic), "margin")
    for columns in blocks:
        if len(blocks) > 1:
            out.append(
                f'<p class="sub">Documents {columns.start + 1}-{columns.stop} of '
                f"{len(matrix.document_ids)}</p>"
            )
        out.append(
            '<div class="scroll"><table class="heat"><thead><tr><th></th>'
            '<th class="doc">All documents</th>'
        )
        out += [
            f'<th class="doc" title="{escape(result.document_label(d), quote=True)}">'
            f"{escape(result.document_label(d, short=True))}</th>"
            for d in (matrix.document_ids[j] for j in columns)
        ]
        out.append("</tr></thead><tbody>")
        for i, (code_id, pooled) in enumerate(per_code):
            cells = "".join(_cell(matrix.cell(i, j)) for j in columns)
            name = escape(result.code_label(code_id))
            out.append(f'<tr><th class="code">{name}</th>{_cell(pooled, "margin")}{cells}</tr>')
        docs = "".join(_cell(per_document[j][1]) for j in columns)
        out.append(f'<tr><th class="code"><strong>All codes</strong></th>{overall}{docs}</tr>')
        out.append("</tbody></table></div>")
    out.append("</details>")
    return out


def _rows_table(rows: list[list[object]]) -> str:
    """A table from header + rows, figures rendered as in the pooled table."""
    head = "".join(f"<th>{escape(str(h))}</th>" for h in rows[0])
    body = []
    for row in rows[1:]:
        cells = "".join(
            f'<td class="num">{_figure(x)}</td>'
            if isinstance(x, Statistic)
            else f'<td class="num">{x:,}</td>'
            if isinstance(x, int)
            else f"<th>{escape(str(x))}</th>"
            for x in row
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _across(result: AgreementResult) -> list[str]:
    """The three overall kappas, the alphas across codes and (m >= 3) the coder pairs."""
    out = ["<h2>Overall kappa over all codes, three ways</h2>"]
    out.append(f"<p>{escape(agreement_sections.OVERALL_KAPPA_NOTE)}</p>")
    out.append(_rows_table(agreement_sections.overall_kappa_rows(result)))
    across = agreement_sections.across_rows(result)
    if across:
        # One row per scope (all codes, then each theme), one column per coefficient.
        flipped = [list(col) for col in zip(*across, strict=True)]
        flipped[0][0] = "Codes compared"
        out.append("<h2>Unitizing alphas across codes (characters)</h2>")
        out.append(f"<p>{escape(agreement_sections.ACROSS_NOTE)}</p>")
        out.append(_rows_table(flipped))
        lines = agreement_sections.overlap_lines(result)
        if lines:
            out.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>")
    if result.n_coders > 2:
        out.append("<h2>Coder pairs</h2>")
        out.append(f"<p>{escape(agreement_sections.PAIRS_NOTE)}</p>")
        for unit in result.units:
            out.append(f"<h3>{explain.UNIT_LABELS[unit]}</h3>")
            out.append(_rows_table(agreement_sections.pair_rows(result, unit)))
            lines = agreement_sections.departure_lines(result, unit)
            out.append("<p>" + "<br>".join(escape(x) for x in lines) + "</p>")
    return out


def _explanations(result: AgreementResult) -> list[str]:
    out = ["<h2>What the figures mean</h2>", "<dl>"]
    for name in result.all_statistics():
        info = explain.STATISTICS.get(name)
        if info is None:
            continue
        scheme = (
            f" Bands ({explain.BAND_SHORT[info.scheme]}): {explain.BAND_RANGES[info.scheme]}."
            if info.scheme
            else " No verbal bands: it is not corrected for chance."
        )
        out.append(f"<dt>{escape(info.label)}</dt><dd>{escape(info.explanation + scheme)}</dd>")
    for unit in result.units:
        out.append(
            f"<dt>{explain.UNIT_LABELS[unit]} as units</dt>"
            f"<dd>{escape(explain.UNIT_EXPLANATIONS[unit])}</dd>"
        )
    out.append(
        "<dt>Undefined</dt><dd>Some figures cannot be computed, for example kappa when neither "
        "coder used a code in a document: there is nothing to agree or disagree about. Such "
        "figures are shown as undefined with the reason, never as 0 or 1.</dd></dl>"
    )
    return out


def _cautions(result: AgreementResult) -> list[str]:
    cautions = result.cautions()
    if not cautions:
        return []
    rows = "".join(
        f"<tr><td>{escape(unit)}</td><td>{escape(where)}</td><td>{escape(text)}</td></tr>"
        for unit, where, text in cautions
    )
    return [
        f"<h2>Cautions ({len(cautions)})</h2>",
        "<p>Where figures rest on few coded units or on codes that are very rare, read them "
        "with care. Rare codes are the rule in qualitative coding, so most projects see "
        "many of these.</p>",
        "<details open><summary>Every caution</summary>",
        "<table><thead><tr><th>Unit</th><th>Code</th><th>Caution</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>",
        "</details>",
    ]


def _parameters(result: AgreementResult) -> list[str]:
    p = result.parameters
    share = p["unit_min_share"]
    rows = [
        ("Layers compared", result.who()),
        ("Level", p["level"]),
        ("Coded share threshold", "any coded character" if share is None else share),
        ("Bootstrap replicates", p["n_replicates"]),
        ("Bootstrap seed", p["seed"]),
        ("Confidence level", p["confidence"]),
        (
            "Segment matching overlap",
            "not computed for three or more coders"
            if p["segment_min_overlap"] is None
            else p["segment_min_overlap"],
        ),
        ("Software", f"KetQual {result.version}"),
        ("Computed at (UTC)", result.computed_at),
        ("Computed by", result.computed_by or "not recorded"),
    ]
    rows += [(f"Unit: {k}", v) for k, v in dict(p["unit_definitions"]).items()]
    rows += [(f"Method: {k}", v) for k, v in dict(p["methods"]).items()]
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return ["<h2>Parameters</h2>", f"<table>{body}</table>"]


def render(result: AgreementResult, statistic: str) -> str:
    """The report page as a string."""
    title = f"Inter-coder agreement: {result.who()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">{escape(result.project_name)} · {result.level} level · '
        f"{len(result.documents)} documents · {len(result.code_ids())} codes · "
        f"computed {escape(result.computed_at)} with KetQual {escape(result.version)}</p>",
    ]
    parts += _pooled(result)
    parts += _across(result)
    parts += _per_key(result, statistic, theme=False)
    if result.level == "subtheme":
        parts += _per_key(result, statistic, theme=True)
    parts.append(f"<h2>{escape(explain.label(statistic))} per code and document</h2>")
    parts.append(_legend())
    for unit in result.units:
        parts += _heatmap(result, unit, statistic)
    parts += _explanations(result)
    parts += _cautions(result)
    parts.append("<h2>Sources</h2><ul>")
    parts += [f"<li>{escape(c)}</li>" for c in explain.citations(result.all_statistics())]
    parts.append("</ul>")
    parts += _parameters(result)
    parts.append("</body></html>")
    # Names with control characters (from another program) would make the page invalid.
    return printable("\n".join(parts))
