"""Inter-coder agreement engine: pure functions on plain data (no Qt, database or I/O).

Every coefficient returns a :class:`Statistic`; undefined values carry a ``reason`` and
``value=None``, never a silent 0 or 1. Module docstrings name the formula and paper each
function implements.

The names below load their module on first use (PEP 562), so importing a light submodule
such as :mod:`~ketqual.core.agreement.explain` or :mod:`~ketqual.core.agreement.names`
does not load numpy and the whole engine (the command line builds its options from them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Light, and imported at once: the function ``interpret`` shares its name with its
# module, and a module imported first would otherwise shadow the lazy name.
from ketqual.core.agreement.interpret import Band, interpret
from ketqual.core.agreement.result import Statistic

if TYPE_CHECKING:
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

_EXPORTS = {
    "AgreementReport": "report_model",
    "CodeInput": "report_input",
    "DocumentInput": "report_input",
    "NvivoSummary": "report_model",
    "ReportWarning": "report_model",
    "ScopeTable": "report_model",
    "SegmentMatch": "matching",
    "SegmentTable": "report_model",
    "SpanAgreement": "spans",
    "Table2x2": "tables",
    "alpha_from_table": "krippendorff",
    "alpha_u": "unitizing",
    "brennan_prediger": "contingency",
    "build_report": "report",
    "cohen_kappa": "contingency",
    "coincidence_matrix": "krippendorff",
    "dice": "contingency",
    "fleiss_kappa": "multirater",
    "gwet_ac1": "multirater",
    "gwet_ac1_counts": "multirater",
    "jaccard": "contingency",
    "krippendorff_alpha": "krippendorff",
    "merge_spans": "intervals",
    "negative_agreement": "contingency",
    "pabak": "contingency",
    "percent_agreement": "contingency",
    "positive_agreement": "contingency",
    "presence_table": "tables",
    "ratings_to_counts": "multirater",
    "scott_pi": "contingency",
    "segment_matching": "matching",
    "span_agreement": "spans",
    "u_alpha": "unitizing",
    "pooled_kappa": "pooled",
    "c_u_alpha": "unitizing_codes",
    "cu_alpha": "unitizing_codes",
    "u_alpha_binary": "unitizing_codes",
    "u_alpha_nominal": "unitizing_codes",
    "unitizing_family": "unitizing_codes",
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


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
