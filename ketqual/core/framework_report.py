"""Framework matrices ready to export: the matrices, counts, quotes list and the facts a
reader needs (project, codebook version, layer, date, pseudonymisation), as plain data
that every file writer (xlsx, docx, csv) shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ketqual.core import framework_text as ft
from ketqual.core.framework import ThemeMatrix
from ketqual.core.records import CodeRecord
from ketqual.core.theme_counts import ThemeCounts


@dataclass(frozen=True)
class ReportInfo:
    """Where the matrices come from.

    Attributes:
        project_name: The project's name.
        layer: The layer charted, as a reader should see it ("Consensus", "Coder A").
        exported_at: When (ISO 8601, UTC).
        exported_by: Who asked for the export.
        software: ``KetQual <version>``.
        codebook_version: Number of the latest codebook version, if any.
        codebook_date: When that version was made.
        pseudonymised: Whether the project holds a pseudonymisation key (names were
            replaced on import).
        summaries_included: False when summaries were left out (blinded project).
        caveat: A warning every export repeats (the consensus review is unfinished).
    """

    project_name: str
    layer: str
    exported_at: str
    exported_by: str
    software: str
    codebook_version: int | None
    codebook_date: str | None
    pseudonymised: bool
    summaries_included: bool = True
    caveat: str | None = None


class QuoteRow(NamedTuple):
    """One line of the quotes list (each reference id once)."""

    ref: str
    case: str
    document: str
    location: str
    text: str
    codes: tuple[str, ...]
    cited_in: tuple[str, ...]


@dataclass(frozen=True)
class MatrixReport:
    """Everything an export writes."""

    info: ReportInfo
    matrices: tuple[ThemeMatrix, ...]
    counts: ThemeCounts
    codes: tuple[CodeRecord, ...]  # codebook order
    labels: Mapping[int, str]

    def quote_rows(self, *, cited_only: bool = False) -> list[QuoteRow]:
        """Every passage of the matrices once (or only those a summary cites), in row order
        then text order, with every code at it and the summaries that cite it."""
        rank = {label: i for i, label in enumerate(self.labels[c.id] for c in self.codes)}
        # ref -> [sort key, passage, case, document, codes, cited in]
        found: dict[str, list] = {}
        for matrix in self.matrices:
            titles = {d: doc.meta.title for d, doc in matrix.documents.items()}
            for i, (row, cells) in enumerate(zip(matrix.rows, matrix.cells, strict=True)):
                for column, cell in zip(matrix.columns, cells, strict=True):
                    if not cell.passages:
                        continue
                    text = cell.summary.text if cell.summary is not None else ""
                    citing = {p.ref for p in ft.cited(text, cell.passages)} if text else set()
                    if cited_only and not citing:
                        continue
                    where = self.labels[column.code_id]
                    if column.theme_level:
                        where += f" ({column.label.lower()})"
                    for p in cell.passages:
                        if cited_only and p.ref not in citing:
                            continue
                        entry = found.get(p.ref)
                        if entry is None:
                            title = titles.get(p.document_id, f"#{p.document_id}")
                            key = (i, p.document_id, p.start, p.end)
                            entry = found[p.ref] = [key, p, row.label, title, p.codes, []]
                        elif not set(p.codes) <= set(entry[4]):  # seen from another cell
                            merged = set(entry[4]) | set(p.codes)
                            entry[4] = tuple(sorted(merged, key=lambda c: rank.get(c, len(rank))))
                        if p.ref in citing:
                            entry[5].append(f"{row.label}: {where}")
        return [
            QuoteRow(
                p.ref,
                case,
                document,
                f"line {p.line}, characters {p.start}–{p.end}",
                p.text,
                codes,
                tuple(cited),
            )
            for _key, p, case, document, codes, cited in sorted(found.values(), key=lambda e: e[0])
        ]

    def count_rows(self) -> list[dict[str, object]]:
        """The counts as plain rows (theme, subtheme, passages, documents, cases, ...)."""
        names = {c.id: c.name for c in self.codes}
        return count_rows(self.counts, names)


def count_rows(counts: ThemeCounts, names: Mapping[int, str]) -> list[dict[str, object]]:
    """Counts as plain rows for tables, CSV and JSON.

    Keys: ``theme``, ``subtheme`` ("" on a theme's row), ``level``, ``passages``,
    ``theme_level_passages`` (themes only, else None), ``documents``, ``cases``.
    """
    rows: list[dict[str, object]] = []
    for r in counts.rows:
        rows.append(
            {
                "theme": names.get(r.theme_id, "?"),
                "subtheme": "" if r.is_theme else names.get(r.code_id, "?"),
                "level": "theme" if r.is_theme else "subtheme",
                "passages": r.passages,
                "theme_level_passages": r.theme_level,
                "documents": r.documents,
                "cases": r.cases,
            }
        )
    return rows


def pseudonymisation_statement(pseudonymised: bool) -> str:
    """What a reader should know about names in the quotes."""
    if pseudonymised:
        return (
            "Participants' names were replaced by pseudonyms when the notes were imported. "
            "The key linking pseudonyms to names stays in the project file and is never "
            "exported."
        )
    return (
        "No pseudonymisation key is recorded in this project, so KetQual replaced no names "
        "on import; check the quotes before sharing them. (When a project has a key, the "
        "key is never exported.)"
    )


def layer_phrase(layer: str) -> str:
    """How the charted layer reads in a sentence."""
    if layer.casefold() == "consensus":
        return "the consensus coding"
    return f"{layer}'s coding (one coder, not the consensus)"


def readme_rows(report: MatrixReport) -> list[tuple[str, str]]:
    """The facts heading every export, as (label, text) pairs."""
    info = report.info
    version = (
        f"version {info.codebook_version} of {info.codebook_date[:10]}"
        if info.codebook_version is not None and info.codebook_date
        else "no version recorded"
    )
    rows = [
        ("Project", info.project_name),
        ("Charted from", layer_phrase(info.layer)),
        ("Codebook", version),
        ("Exported", f"{info.exported_at.replace('T', ' ')[:16]} UTC by {info.exported_by}"),
        ("Software", info.software),
        ("Pseudonymisation", pseudonymisation_statement(info.pseudonymised)),
        (
            "Matrices",
            "One per theme. Rows are focus groups (by session, then group); columns are the "
            "theme's subthemes and an 'Other (theme-level)' column for codings at the theme "
            "itself.",
        ),
        ("Counts", f"Unit: {report.counts.unit}. {report.counts.definition}"),
    ]
    if info.caveat:
        rows.insert(2, ("Consensus review", info.caveat))
    if not info.summaries_included:
        rows.append(
            (
                "Summaries",
                "Left out: the project is blinded, and summaries belong to the whole team.",
            )
        )
    return rows


def legend_rows() -> list[tuple[str, str]]:
    """What a cell can say, as (what you see, what it means) pairs."""
    return list(ft.LEGEND)


def theme_caption(matrix: ThemeMatrix, counts: ThemeCounts) -> str:
    """A one-line caption of a theme's matrix with its count."""
    row = counts.of(matrix.theme.id)
    groups = "focus group" if row is not None and row.cases == 1 else "focus groups"
    n = f" (n = {row.passages} {counts.unit} in {row.cases} {groups})" if row else ""
    return f"Framework matrix: {matrix.theme.name}{n}"


def quotes_header() -> Sequence[str]:
    """Column names of the quotes list."""
    return ("Reference", "Focus group", "Document", "Location", "Text", "Codes", "Cited in")
