"""Inter-coder agreement engine: pure functions on plain data (no Qt, database or I/O).

Every coefficient returns a :class:`Statistic`; undefined values carry a ``reason`` and
``value=None``, never a silent 0 or 1. Module docstrings name the formula and paper each
function implements.
"""

from ketqual.core.agreement.contingency import (
    brennan_prediger,
    cohen_kappa,
    dice,
    jaccard,
    negative_agreement,
    pabak,
    percent_agreement,
    positive_agreement,
    scott_pi,
)
from ketqual.core.agreement.interpret import Band, interpret
from ketqual.core.agreement.intervals import merge_spans
from ketqual.core.agreement.krippendorff import (
    alpha_from_table,
    coincidence_matrix,
    krippendorff_alpha,
)
from ketqual.core.agreement.matching import SegmentMatch, segment_matching
from ketqual.core.agreement.multirater import (
    fleiss_kappa,
    gwet_ac1,
    gwet_ac1_counts,
    ratings_to_counts,
)
from ketqual.core.agreement.pooled import pooled_kappa
from ketqual.core.agreement.report import build_report
from ketqual.core.agreement.report_input import CodeInput, DocumentInput
from ketqual.core.agreement.report_model import (
    AgreementReport,
    NvivoSummary,
    ReportWarning,
    ScopeTable,
    SegmentTable,
)
from ketqual.core.agreement.result import Statistic
from ketqual.core.agreement.spans import SpanAgreement, span_agreement
from ketqual.core.agreement.tables import Table2x2, presence_table
from ketqual.core.agreement.unitizing import alpha_u, u_alpha
from ketqual.core.agreement.unitizing_codes import (
    c_u_alpha,
    cu_alpha,
    u_alpha_binary,
    u_alpha_nominal,
    unitizing_family,
)

__all__ = [
    "AgreementReport",
    "Band",
    "CodeInput",
    "DocumentInput",
    "NvivoSummary",
    "ReportWarning",
    "ScopeTable",
    "SegmentMatch",
    "SegmentTable",
    "SpanAgreement",
    "Statistic",
    "Table2x2",
    "alpha_from_table",
    "alpha_u",
    "brennan_prediger",
    "c_u_alpha",
    "cu_alpha",
    "build_report",
    "cohen_kappa",
    "coincidence_matrix",
    "dice",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac1_counts",
    "interpret",
    "jaccard",
    "krippendorff_alpha",
    "merge_spans",
    "negative_agreement",
    "pabak",
    "percent_agreement",
    "positive_agreement",
    "pooled_kappa",
    "presence_table",
    "ratings_to_counts",
    "scott_pi",
    "segment_matching",
    "span_agreement",
    "u_alpha",
    "u_alpha_binary",
    "u_alpha_nominal",
    "unitizing_family",
]
