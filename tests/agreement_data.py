"""A small, fully known agreement result for exporter and presentation tests (no project).

Three documents, a theme with a subtheme and a second theme ("Cost") that nobody coded, so
its figures are undefined; one title needs HTML escaping.
"""

from __future__ import annotations

from ketqual.core.agreement import CodeInput, DocumentInput, build_report
from ketqual.core.agreement.labelled import AgreementResult

DOCUMENTS = [
    DocumentInput(1, 100, {"sentence": [(0, 50), (50, 100)], "paragraph": [(0, 100)]}),
    DocumentInput(2, 80, {"sentence": [(0, 40), (40, 80)], "paragraph": [(0, 80)]}),
    DocumentInput(3, 60, {"sentence": [(0, 30), (30, 60)], "paragraph": [(0, 60)]}),
]
CODES = [CodeInput(10, "Access"), CodeInput(11, "Travel", 10), CodeInput(20, "Cost")]
CODER_A = [(1, 11, 0, 40), (2, 10, 10, 50), (3, 11, 0, 30)]
CODER_B = [(1, 11, 5, 40), (2, 10, 10, 60), (3, 10, 0, 30)]
TITLES = {1: "Doc one", 2: "Doc two", 3: "Doc <three> & co"}
PATHS = {10: "Access", 11: "Access/Travel", 20: "Cost"}


def make_result(
    level: str = "subtheme",
    n_replicates: int = 20,
    codings: tuple[list, list] = (CODER_A, CODER_B),
) -> AgreementResult:
    """The result as ``compute_agreement`` would return it for this data."""
    report = build_report(
        DOCUMENTS, CODES, *codings, level=level, n_replicates=n_replicates, seed=1
    )
    return AgreementResult(
        report=report,
        project_name="Test project",
        coder_a="Ann",
        coder_b="Bob",
        documents=dict(TITLES),
        document_labels={1: "D1", 2: "D2", 3: "D3"},
        codes=dict(PATHS),
        version="9.9",
        computed_at="2026-01-01T00:00:00+00:00",
        computed_by="Sam",
    )
