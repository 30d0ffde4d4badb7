"""The theme report as a Word document or an HTML page.

Both hold the same material in the same order: a header (project, layer, what n counts,
how overlaps were chosen), then per theme its facts and its starred quotes with their
reference ids. Written to a temporary name and renamed into place.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from ketqual.core.theme_report import NO_STARS, StarredQuote, ThemeReport, section_lines
from ketqual.io.atomic import write_atomically
from ketqual.io.xlsx_writer import clean_text

FORMATS = ("docx", "html")


def format_for(path: Path, fmt: str | None) -> str:
    """The format from ``fmt`` or the suffix (``.htm`` is HTML too).

    Raises:
        ValueError: A sentence naming the formats.
    """
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    chosen = "html" if chosen == "htm" else chosen
    if chosen not in FORMATS:
        raise ValueError(f"cannot write '{path.name}': choose a file ending in .docx or .html")
    return chosen


def header_lines(report: ThemeReport) -> list[tuple[str, str]]:
    """What the report is, for its first lines."""
    lines = [
        ("Project", report.project_name),
        ("Layer", report.layer),
        ("n", report.unit),
        ("Overlaps", f"Listed from {report.overlap_basis}."),
        ("Quotes", "Chosen by the supervisor (starred in the coded-passages window)."),
        ("Made", report.created_at),
    ]
    if report.no_case:
        lines.append(
            (
                "Note",
                f"{report.no_case} passage(s) lie in documents without a focus group: they "
                "count in n but in no group or session.",
            )
        )
    return lines


def _quote_note(quote: StarredQuote) -> str:
    parts = [quote.ref, quote.case or quote.document]
    if quote.participants:
        parts.append(", ".join(quote.participants))
    parts.append(quote.code)
    if not quote.still_coded:
        parts.append("no longer coded at this theme")
    return " · ".join(p for p in parts if p)


def _docx(report: ThemeReport, path: Path) -> None:
    from docx import Document  # python-docx loads only when a Word file is written
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    normal = document.styles["Normal"].font
    normal.name, normal.size = "Calibri", Pt(11)
    document.core_properties.title = clean_text(f"Theme report: {report.project_name}")
    document.add_heading(clean_text(f"Theme report: {report.project_name}"), level=0)
    intro = document.add_paragraph()
    for label, text in header_lines(report):
        intro.add_run(f"{label}: ").bold = True
        intro.add_run(clean_text(text) + "\n")
    for section in report.sections:
        document.add_heading(clean_text(f"{section.name} (n = {section.n})"), level=1)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.autofit = False
        table.columns[0].width, table.columns[1].width = Cm(3.2), Cm(12.8)
        for label, text in section_lines(section):
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = clean_text(text)
            cells[0].width, cells[1].width = Cm(3.2), Cm(12.8)
        document.add_heading("Starred quotes", level=2)
        if not section.quotes:
            document.add_paragraph(NO_STARS)
        for quote in section.quotes:
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(clean_text(f"“{quote.text}”"))
            note = document.add_paragraph()
            run = note.add_run(clean_text(_quote_note(quote)))
            run.font.size = Pt(9)
            run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    document.save(str(path))


_STYLE = """
body { font-family: Calibri, 'DejaVu Sans', sans-serif; max-width: 52em; margin: 2em auto;
       line-height: 1.45; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #bbb; }
table.facts { border-collapse: collapse; width: 100%; }
table.facts th { text-align: left; vertical-align: top; width: 9em; padding: .25em .5em; }
table.facts td { padding: .25em .5em; } table.facts tr { border-bottom: 1px solid #e4e4e4; }
blockquote { margin: .8em 0 .2em 1.5em; font-style: italic; }
p.ref { margin: 0 0 .8em 1.5em; color: #595959; font-size: .9em; }
p.none { color: #595959; }
"""


def _facts(lines) -> str:
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(text)}</td></tr>" for label, text in lines
    )
    return f'<table class="facts">{rows}</table>'


def render_html(report: ThemeReport) -> str:
    """The report as one self-contained HTML page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Theme report: {escape(report.project_name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Theme report: {escape(report.project_name)}</h1>",
        _facts(header_lines(report)),
    ]
    for section in report.sections:
        anchor = f"theme-{section.code_id}"
        parts.append(f'<h2 id="{anchor}">{escape(section.name)} (n = {section.n})</h2>')
        parts.append(_facts(section_lines(section)))
        parts.append("<h3>Starred quotes</h3>")
        if not section.quotes:
            parts.append(f'<p class="none">{escape(NO_STARS)}</p>')
        for quote in section.quotes:
            parts.append(f"<blockquote>“{escape(quote.text)}”</blockquote>")
            parts.append(f'<p class="ref">{escape(_quote_note(quote))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html(report: ThemeReport, path: Path) -> None:
    path.write_text(render_html(report), encoding="utf-8")


def write(report: ThemeReport, path: Path, fmt: str) -> Path:
    """Write the report in ``fmt`` to ``path`` atomically."""
    writer = _docx if fmt == "docx" else _html
    return write_atomically(path, lambda temporary: writer(report, temporary))
