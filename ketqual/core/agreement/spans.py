"""Character-level agreement of two coders on one code in one text, from spans alone.

Everything is computed from merged spans and their overlaps, so a 10-million-character
text costs no more than its number of spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ketqual.core.agreement.binary import R_EMPTY_TEXT, binary_statistics, to_statistic
from ketqual.core.agreement.intervals import merge_intervals, overlap_pairs, spans_to_arrays
from ketqual.core.agreement.result import Statistic
from ketqual.core.agreement.tables import Table2x2
from ketqual.core.agreement.unitizing import unitizing_for_text

_NOTE = (
    "Characters are not independent units, so no analytic standard errors are given; "
    "use the report's bootstrap over documents for intervals."
)


@dataclass(frozen=True)
class SpanAgreement:
    """Agreement of two coders' spans of one code over one text.

    Attributes:
        text_length: Characters in the text.
        table: Character counts ``both``, ``a_only``, ``b_only``, ``neither``.
        segments_a: Coder A's merged spans.
        segments_b: Coder B's merged spans.
        percent_agreement: Share of characters both treat alike.
        cohen_kappa: Cohen's kappa on the character 2x2 table.
        scott_pi: Scott's pi on it.
        krippendorff_alpha: Nominal alpha on the binary character labels.
        gwet_ac1: Gwet's AC1 on it.
        pabak: Prevalence- and bias-adjusted kappa ``2 po - 1``.
        dice: Positive agreement / F1 over characters.
        jaccard: Jaccard index over characters.
        alpha_u: Krippendorff's (2004) unitizing alpha_U.
        u_alpha: Krippendorff et al.'s (2016) binary |u-alpha.
        note: Why character-level results carry no standard errors.
    """

    text_length: int
    table: Table2x2
    segments_a: tuple[tuple[int, int], ...]
    segments_b: tuple[tuple[int, int], ...]
    percent_agreement: Statistic
    cohen_kappa: Statistic
    scott_pi: Statistic
    krippendorff_alpha: Statistic
    gwet_ac1: Statistic
    pabak: Statistic
    dice: Statistic
    jaccard: Statistic
    alpha_u: Statistic
    u_alpha: Statistic
    note: str = _NOTE

    def statistics(self) -> dict[str, Statistic]:
        """Return every coefficient by name."""
        names = (
            "percent_agreement",
            "cohen_kappa",
            "scott_pi",
            "krippendorff_alpha",
            "gwet_ac1",
            "pabak",
            "dice",
            "jaccard",
            "alpha_u",
            "u_alpha",
        )
        return {name: getattr(self, name) for name in names}

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "text_length": self.text_length,
            "table": self.table.to_dict(),
            "segments_a": [list(s) for s in self.segments_a],
            "segments_b": [list(s) for s in self.segments_b],
            "statistics": {k: v.to_dict() for k, v in self.statistics().items()},
            "note": self.note,
        }


def span_agreement(
    text_length: int,
    spans_a: Iterable[tuple[int, int]],
    spans_b: Iterable[tuple[int, int]],
) -> SpanAgreement:
    """Compare two coders' spans of one code over a text of ``text_length`` characters.

    Each coder's overlapping or adjacent spans are merged first (coding the same text twice
    does not count twice). The 2x2 table counts characters; every coefficient is computed
    from it (plus segment lengths for the unitizing alphas).

    Args:
        text_length: Characters in the text (0 allowed: every coefficient is then
            undefined with reason "empty text").
        spans_a: Coder A's half-open ``(start, end)`` spans.
        spans_b: Coder B's spans.

    Returns:
        A :class:`SpanAgreement`.

    Raises:
        ValueError: For negative lengths or spans outside ``[0, text_length]``.
    """
    if text_length < 0:
        raise ValueError("text_length must be non-negative")
    a_s, a_e = merge_intervals(*spans_to_arrays(spans_a, text_length))
    b_s, b_e = merge_intervals(*spans_to_arrays(spans_b, text_length))
    ia, ib = overlap_pairs(a_s, a_e, b_s, b_e)
    both = int((np.minimum(a_e[ia], b_e[ib]) - np.maximum(a_s[ia], b_s[ib])).sum())
    a_only = int((a_e - a_s).sum()) - both
    b_only = int((b_e - b_s).sum()) - both
    table = Table2x2(both, a_only, b_only, text_length - both - a_only - b_only)
    stats = binary_statistics(
        np.array([table.both]),
        np.array([table.a_only]),
        np.array([table.b_only]),
        np.array([table.neither]),
        empty_reason=R_EMPTY_TEXT,
    )
    coefs: dict[str, Any] = {
        name: to_statistic(name, v, r, 0, text_length) for name, (v, r) in stats.items()
    }
    coefs.update(unitizing_for_text(text_length, a_s, a_e, b_s, b_e))
    return SpanAgreement(
        text_length=text_length,
        table=table,
        segments_a=tuple(zip(a_s.tolist(), a_e.tolist(), strict=True)),
        segments_b=tuple(zip(b_s.tolist(), b_e.tolist(), strict=True)),
        **coefs,
    )
