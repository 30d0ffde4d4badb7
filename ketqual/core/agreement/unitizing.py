"""Krippendorff's unitizing alphas for one code and two coders, from spans only.

Each coder's continuum of length ``L`` is cut into *segments* (merged coded spans, value 1)
and *gaps* (value 0). ``l`` is a segment length, ``m = 2`` coders.

``alpha_u`` -- Krippendorff (2004), "Measuring the reliability of qualitative text analysis
data", Quality & Quantity 38, 787-800 (also Content Analysis, 2nd ed., 2004, sec. 12.4),
category-specific ``c alpha_U = 1 - D_o / D_e`` with::

    D_o = sum_{i != j} sum_{g,h} d2(ig, jh) / (m (m-1) L^2)
    d2  = (b_ig - b_jh)^2 + (e_ig - e_jh)^2   both coded and overlapping
        = l_ig^2                               ig coded and lying inside gap jh
        = 0                                    otherwise
    D_e = (2/L) sum_{coded g} [ (N_c - 1)/3 (2 l^3 - 3 l^2 + l)
                                + l^2 sum_{gaps h with l_h >= l} (l_h - l + 1) ]
          / ( m L (m L - 1) - sum_{coded g} l (l - 1) )

(``b``/``e`` segment begin/end, ``N_c`` the number of coded segments of all coders). This
is the formula DKPro Agreement implements (``KrippendorffAlphaUnitizingAgreement``; its
tests reproduce Krippendorff's 2004 example, c-alpha = 0.7286, which our tests repeat).

``u_alpha`` -- Krippendorff, Mathet, Bouvry & Widloecher (2016), "On the reliability of
unitizing textual continua: Further developments", Quality & Quantity 50, 2347-2364: the
binary ``|u alpha`` (coded vs gap) for one category. Observed coincidences are overlap
lengths, ``u_ck = sum_{i != j} sum_{g,h} |s_ig ∩ s_jh| / (m - 1)``; expected ones pair any
two positions not inside the same unit, ``e_ck = l.. (l_c. l_.k - [c = k] S_c) /
(l..^2 - S_1 - S_0)`` with ``l.. = m L``, ``S_1`` the sum of squared segment lengths and
``S_0`` the total gap length (a gap is no unit, so only a position's pairing with itself is
removed). For two coders ``|u alpha = 1 - u_01 / e_01`` with ``u_01 = a_only + b_only``.
This reading of the expected coincidences (gaps contribute ``l``, units ``l^2``) is the one
two independent public implementations of the 2016 paper use; with every unit one
character long it reduces to ordinary nominal alpha, which the tests check.

Several continua (documents) are pooled as one continuum made of sections: segments and
gaps never cross a document boundary, ``L`` is the total length, ``N_c`` and the gaps
are all of the pooled documents'. Pooling over codes averages the disagreements as
Krippendorff's multi-category alpha_U does: ``1 - sum_c D_o,c / sum_c D_e,c``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_EMPTY_TEXT,
    R_EVERYTHING,
    R_NOTHING,
    R_ZERO_EXPECTED,
    safe_divide,
    to_statistic,
)
from ketqual.core.agreement.intervals import gaps, merge_intervals, overlap_pairs, spans_to_arrays
from ketqual.core.agreement.result import Statistic


def sum_by(groups: np.ndarray, weights: np.ndarray, n_groups: int) -> np.ndarray:
    """Float sums of ``weights`` per group (``np.bincount`` returns ints when empty)."""
    return np.bincount(groups, weights=weights, minlength=n_groups).astype(np.float64)


def observed_sums(
    a_s: np.ndarray,
    a_e: np.ndarray,
    a_g: np.ndarray,
    b_s: np.ndarray,
    b_e: np.ndarray,
    b_g: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    n_groups: int,
) -> np.ndarray:
    """Per continuum, ``sum d2`` over the unordered coder pair (A, B) for alpha_u.

    Args:
        a_s: Coder A's merged segment starts (global coordinates); ``a_e`` ends,
            ``a_g`` continuum of each.
        a_e: See ``a_s``.
        a_g: See ``a_s``.
        b_s: Coder B's merged segment starts; ``b_e`` ends, ``b_g`` continua.
        b_e: See ``b_s``.
        b_g: See ``b_s``.
        pairs: :func:`~ketqual.core.agreement.intervals.overlap_pairs` of A and B.
        n_groups: Number of continua.

    Returns:
        Float array of length ``n_groups``; ``D_o = sum / L^2`` for two coders.
    """
    ia, ib = pairs
    both = (a_s[ia] - b_s[ib]).astype(np.float64) ** 2 + (a_e[ia] - b_e[ib]).astype(np.float64) ** 2
    total = sum_by(a_g[ia], both, n_groups)
    # A segment overlapping nothing of the other coder lies wholly inside one of its gaps.
    a_alone = np.ones(a_s.size, dtype=bool)
    a_alone[ia] = False
    b_alone = np.ones(b_s.size, dtype=bool)
    b_alone[ib] = False
    a_len = (a_e - a_s).astype(np.float64)
    b_len = (b_e - b_s).astype(np.float64)
    total += sum_by(a_g[a_alone], a_len[a_alone] ** 2, n_groups)
    total += sum_by(b_g[b_alone], b_len[b_alone] ** 2, n_groups)
    return total


def expected_sums(
    seg_len: np.ndarray,
    seg_grp: np.ndarray,
    gap_len: np.ndarray,
    gap_grp: np.ndarray,
    n_groups: int,
) -> np.ndarray:
    """Per continuum, the bracketed sum in alpha_u's ``D_e`` numerator.

    Args:
        seg_len: Lengths of all coders' coded segments.
        seg_grp: Continuum (or pooled group) of each segment.
        gap_len: Lengths of all coders' gaps.
        gap_grp: Group of each gap, on the same numbering as ``seg_grp``.
        n_groups: Number of groups.

    Returns:
        ``sum_g [(N_c - 1)/3 (2 l^3 - 3 l^2 + l) + l^2 sum_{gaps >= l} (gap - l + 1)]``.
    """
    l = seg_len.astype(np.float64)  # noqa: E741 - the papers' symbol
    n_c = np.bincount(seg_grp, minlength=n_groups).astype(np.float64)
    within = (n_c[seg_grp] - 1) / 3.0 * (2 * l**3 - 3 * l**2 + l)
    # For each segment: count and total length of gaps in its group at least as long.
    k = int(max(gap_len.max(initial=0), seg_len.max(initial=0))) + 2
    order = np.lexsort((gap_len, gap_grp))
    keys = gap_grp[order].astype(np.int64) * k + gap_len[order]
    csum = np.concatenate(([0.0], np.cumsum(gap_len[order], dtype=np.float64)))
    lo = np.searchsorted(keys, seg_grp.astype(np.int64) * k + seg_len, side="left")
    hi = np.searchsorted(keys, (seg_grp.astype(np.int64) + 1) * k, side="left")
    fits = (csum[hi] - csum[lo]) - (hi - lo) * (l - 1)
    return sum_by(seg_grp, within + l**2 * fits, n_groups)


def alpha_u_values(
    obs: np.ndarray,
    exp_sum: np.ndarray,
    sq_excess: np.ndarray,
    n_seg: np.ndarray,
    length: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """alpha_u from its parts (two coders).

    Args:
        obs: :func:`observed_sums`.
        exp_sum: :func:`expected_sums` for the same groups.
        sq_excess: ``sum l (l - 1)`` over all coded segments.
        n_seg: Number of coded segments (both coders).
        length: Continuum length ``L``.

    Returns:
        ``(values, reasons, d_o, d_e)`` arrays.
    """
    length = length.astype(np.float64)
    has_l = length > 0
    d_o = safe_divide(obs, length**2, has_l)
    denom = 2 * length * (2 * length - 1) - sq_excess
    d_e = safe_divide(2 * exp_sum, length * denom, has_l & (denom > 0))
    reasons = np.where(has_l, DEFINED, R_EMPTY_TEXT)
    reasons = np.where(has_l & (n_seg == 0), R_NOTHING, reasons)
    reasons = np.where((reasons == DEFINED) & ~(d_e > 0), R_ZERO_EXPECTED, reasons).astype(np.int8)
    ok = reasons == DEFINED
    values = 1 - safe_divide(d_o, d_e, ok)
    return values, reasons, np.where(ok, d_o, 0.0), np.where(ok, d_e, 0.0)


def u_alpha_values(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray, sum_sq: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Binary |u alpha from overlap counts and the sum of squared segment lengths.

    Args:
        a: Characters coded by both; ``b`` only A, ``c`` only B, ``d`` neither.
        b: See ``a``.
        c: See ``a``.
        d: See ``a``.
        sum_sq: Sum of squared merged-segment lengths of both coders (``S_1``).

    Returns:
        ``(values, reasons, u01, e01)``; pooling over codes is ``1 - sum u01 / sum e01``.
    """
    a, b, c, d, sum_sq = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d, sum_sq))
    n = a + b + c + d
    l_all, l1, l0 = 2 * n, 2 * a + b + c, 2 * d + b + c
    denom = l_all**2 - sum_sq - l0
    reasons = np.where(n > 0, DEFINED, R_EMPTY_TEXT)
    reasons = np.where((n > 0) & (l1 == 0), R_NOTHING, reasons)
    reasons = np.where((n > 0) & (l0 == 0), R_EVERYTHING, reasons)
    reasons = np.where((reasons == DEFINED) & ~(denom > 0), R_ZERO_EXPECTED, reasons).astype(
        np.int8
    )
    ok = reasons == DEFINED
    e01 = safe_divide(l_all * l1 * l0, denom, ok)
    u01 = b + c
    values = 1 - safe_divide(u01, e01, ok)
    return values, reasons, np.where(ok, u01, 0.0), np.where(ok, e01, 0.0)


def unitizing_parts(
    text_length: int, spans_a: Iterable[tuple[int, int]], spans_b: Iterable[tuple[int, int]]
) -> dict[str, float]:
    """The disagreement terms behind both alphas for one text (spans are merged first).

    Args:
        text_length: Number of characters in the text.
        spans_a: Coder A's half-open spans.
        spans_b: Coder B's spans.

    Returns:
        ``d_o``/``d_e`` of alpha_u and ``u01``/``e01`` of u_alpha (0 where undefined).
    """
    a_s, a_e = merge_intervals(*spans_to_arrays(spans_a, text_length))
    b_s, b_e = merge_intervals(*spans_to_arrays(spans_b, text_length))
    au, ua = _arrays_for_text(text_length, a_s, a_e, b_s, b_e)
    return {
        "d_o": float(au[2][0]),
        "d_e": float(au[3][0]),
        "u01": float(ua[2][0]),
        "e01": float(ua[3][0]),
    }


def _arrays_for_text(
    text_length: int, a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """:func:`alpha_u_values` and :func:`u_alpha_values` for one text, one group."""
    zero_a, zero_b = np.zeros(a_s.size, np.int64), np.zeros(b_s.size, np.int64)
    pairs = overlap_pairs(a_s, a_e, b_s, b_e)
    length = np.array([text_length], dtype=np.int64)
    origin = np.zeros(1, dtype=np.int64)
    obs = observed_sums(a_s, a_e, zero_a, b_s, b_e, zero_b, pairs, 1)
    ga, gga = gaps(a_s, a_e, zero_a, origin, length)
    gb, ggb = gaps(b_s, b_e, zero_b, origin, length)
    seg_len = np.concatenate((a_e - a_s, b_e - b_s))
    seg_grp = np.zeros(seg_len.size, np.int64)
    exp = expected_sums(seg_len, seg_grp, np.concatenate((ga, gb)), np.concatenate((gga, ggb)), 1)
    lf = seg_len.astype(np.float64)
    au = alpha_u_values(
        obs, exp, np.array([(lf * (lf - 1)).sum()]), np.array([seg_len.size]), length
    )
    inter = np.minimum(a_e[pairs[0]], b_e[pairs[1]]) - np.maximum(a_s[pairs[0]], b_s[pairs[1]])
    both = float(inter.sum())
    a_only = float((a_e - a_s).sum()) - both
    b_only = float((b_e - b_s).sum()) - both
    neither = text_length - both - a_only - b_only
    ua = u_alpha_values(
        *(np.array([x]) for x in (both, a_only, b_only, neither, float((lf**2).sum())))
    )
    return au, ua


def unitizing_for_text(
    text_length: int, a_s: np.ndarray, a_e: np.ndarray, b_s: np.ndarray, b_e: np.ndarray
) -> dict[str, Statistic]:
    """alpha_u and u_alpha for one text from already merged segments."""
    au, ua = _arrays_for_text(text_length, a_s, a_e, b_s, b_e)
    n = int(text_length)
    return {
        "alpha_u": to_statistic("alpha_u", au[0], au[1], 0, n),
        "u_alpha": to_statistic("u_alpha", ua[0], ua[1], 0, n),
    }


def _single(
    text_length: int, spans_a: Iterable[tuple[int, int]], spans_b: Iterable[tuple[int, int]]
) -> dict[str, Statistic]:
    a_s, a_e = merge_intervals(*spans_to_arrays(spans_a, text_length))
    b_s, b_e = merge_intervals(*spans_to_arrays(spans_b, text_length))
    return unitizing_for_text(text_length, a_s, a_e, b_s, b_e)


def alpha_u(
    text_length: int, spans_a: Iterable[tuple[int, int]], spans_b: Iterable[tuple[int, int]]
) -> Statistic:
    """Krippendorff's (2004) alpha_U for one code and two coders (see module docstring).

    Args:
        text_length: Number of characters in the text.
        spans_a: Coder A's half-open spans of the code; merged first.
        spans_b: Coder B's spans.

    Returns:
        A :class:`Statistic` (no SE).
    """
    return _single(text_length, spans_a, spans_b)["alpha_u"]


def u_alpha(
    text_length: int, spans_a: Iterable[tuple[int, int]], spans_b: Iterable[tuple[int, int]]
) -> Statistic:
    """Binary |u-alpha of Krippendorff et al. (2016) for one code and two coders.

    Args:
        text_length: Number of characters in the text.
        spans_a: Coder A's half-open spans of the code; merged first.
        spans_b: Coder B's spans.

    Returns:
        A :class:`Statistic` (no SE).
    """
    return _single(text_length, spans_a, spans_b)["u_alpha"]
