"""Small hand-made projects for the framework-matrix tests (plain records, no database)."""

from __future__ import annotations

import itertools

from ketqual.core import framework, framework_report, theme_counts
from ketqual.core.framework import CellSummary, FrameworkData
from ketqual.core.model import DocumentMeta
from ketqual.core.records import CaseRecord, CodeRecord, CodingRecord, DocumentRecord

_ids = itertools.count(1)


def code(code_id: int, parent: int | None, name: str, order: int, active: bool = True):
    return CodeRecord(
        code_id, f"u{code_id}", parent, name, "#000000", "", "", "", "", None, order, active
    )


def case(case_id: int, session: int | None, group: int | None) -> CaseRecord:
    name = " ".join(p for p in (f"S{session}" if session else "", f"G{group}") if p)
    return CaseRecord(case_id, f"k{case_id}", name, session, group)


def doc(
    doc_id: int,
    case_id: int | None,
    kind: str = "scribe_notes",
    notetaker: str | None = None,
    title: str | None = None,
) -> DocumentRecord:
    meta = DocumentMeta(title or f"Document {doc_id}", kind, None, None, notetaker)
    return DocumentRecord(doc_id, f"d{doc_id}", meta, "", "txt", "", None, "", "", 100, case_id)


def coding(doc_id: int, code_id: int, start: int, end: int) -> CodingRecord:
    n = next(_ids)
    return CodingRecord(n, f"c{n}", doc_id, code_id, None, start, end, "")


TEXT = (
    "- P3 said the first infusion lifted the fog within hours.\n"  # 0-57
    "- Carer worried about driving home after a dose.\n"  # 58-106
    "- Bladder problems are the big fear for long-term use.\n"  # 107-161
)

# Monitoring (1) with Safety (11) and National (12, listed first by sort order) and a
# retired Old (13); Cost (2) without subthemes; Stigma (3), retired, unused.
CODES = [
    code(1, None, "Monitoring", 1),
    code(11, 1, "Safety review", 2),
    code(12, 1, "National system", 1),
    code(13, 1, "Old idea", 3, active=False),
    code(2, None, "Cost", 2),
    code(3, None, "Stigma", 3, active=False),
]
# Cases listed out of order; case 9 has no session; case 8 has no documents.
CASES = [case(5, 2, 1), case(4, 1, 3), case(6, 1, 1), case(9, None, 4), case(8, 3, 3)]
DOCUMENTS = [
    doc(10, 4, notetaker="scribe 3"),
    doc(11, 4, "feedback_sheet"),
    doc(12, 6),
    doc(13, 6),  # a second set of notes for S1 G1
    doc(14, 5, "other"),
    doc(15, None),
    doc(16, 9),
]


def data(codings, summaries=(), codes=CODES) -> FrameworkData:
    return FrameworkData(
        codes=codes,
        cases=CASES,
        documents=DOCUMENTS,
        texts={d.id: TEXT for d in DOCUMENTS},
        codings=list(codings),
        summaries=list(summaries),
    )


def summary(case_id: int, code_id: int, text: str = "", state: str = "summary"):
    return CellSummary(case_id, code_id, state, text, (), "tester", "2025-01-01T00:00:00+00:00")


def report_for(codings, summaries=(), pseudonymised=False, texts=None, codes=CODES):
    """A whole export's data for these codings and summaries."""
    d = data(codings, summaries, codes)
    if texts:
        d = FrameworkData(d.codes, d.cases, d.documents, texts, d.codings, d.summaries)
    builder = framework.MatrixBuilder(d)
    matrices = tuple(builder.build(t) for t in builder.themes())
    counts = theme_counts.count_themes(codes, d.codings, {x.id: x.case_id for x in DOCUMENTS})
    info = framework_report.ReportInfo(
        "Study",
        "Consensus",
        "2025-03-04T05:06:07+00:00",
        "Sam",
        "KetQual 0.1.0",
        7,
        "2025-03-01T00:00:00+00:00",
        pseudonymised,
    )
    return framework_report.MatrixReport(
        info, matrices, counts, tuple(theme_counts.codebook_order(codes)), builder.labels
    )
