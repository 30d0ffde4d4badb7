"""Coefficients of ``m`` coders on one yes/no code, vectorised over many tables at once.

When every coder judges every unit (a character, sentence, paragraph or document: coded
with the code or not), the number ``n_k`` of units coded by exactly ``k`` of the ``m``
coders (``k = 0..m``) is all any of these coefficients needs. With ``n = sum_k n_k`` and
``p = sum_k k n_k / (n m)`` the share of codings:

* percent agreement, the mean over coder pairs (Fleiss' P-bar):
  ``po = sum_k n_k [k (k - 1) + (m - k)(m - k - 1)] / (n m (m - 1))``
* Fleiss' (1971) kappa: ``pe = p^2 + (1 - p)^2``, ``(po - pe) / (1 - pe)``
* Krippendorff's alpha (nominal, no missing values):
  ``1 - (n m - 1) sum_k n_k k (m - k) / (m - 1) / (n1 n0)`` with ``n1 = sum_k k n_k``,
  ``n0 = n m - n1``
* Gwet's AC1 for ``m`` raters and two categories: ``pe = 2 p (1 - p)``
* PABAK, Brennan & Prediger with two categories: ``2 po - 1``
* positive (specific) agreement, Dice for ``m`` coders:
  ``sum_k n_k k (k - 1) / ((m - 1) sum_k k n_k)``
* Jaccard for ``m`` coders: units coded by all over units coded by any,
  ``n_m / sum_{k >= 1} n_k``.

For two coders ``n_0`` is "neither", ``n_1`` "only one of them" and ``n_2`` "both", and
each formula is the one :mod:`~ketqual.core.agreement.binary` uses (Fleiss' kappa is then
Scott's pi); the tests check that, and Fleiss' kappa against statsmodels.

Light's (1971) kappa is the mean of Cohen's kappa over the coder pairs; it needs each
pair's 2x2 table (:func:`light_kappa`). Standard errors (:func:`analytic_se`) come from
:func:`~ketqual.core.agreement.multirater.pi_family`: Gwet's linearised SE and, for
Fleiss' kappa, the Fleiss-Nee-Landis (1979) SE under no agreement beyond chance.
"""

from __future__ import annotations

import math

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_EVERYTHING,
    R_NO_UNITS,
    R_NOTHING,
    safe_divide,
)
from ketqual.core.agreement.multirater import pi_family

STATISTICS = (
    "percent_agreement",
    "fleiss_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
    "pabak",
    "dice",
    "jaccard",
)


def multi_statistics(
    hist: np.ndarray, *, empty_reason: int = R_NO_UNITS
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every coefficient above for ``(..., m + 1)`` arrays of coverage counts.

    Args:
        hist: ``hist[..., k]`` units coded by exactly ``k`` coders.
        empty_reason: Reason code where there are no units (e.g. ``R_EMPTY_TEXT``).

    Returns:
        name -> ``(values, reasons)``: NaN where undefined, int8 reason codes.
    """
    h = np.asarray(hist, dtype=np.float64)
    m = h.shape[-1] - 1
    if m < 2:
        raise ValueError("coverage counts need at least two coders")
    k = np.arange(m + 1, dtype=np.float64)
    n = h.sum(axis=-1)
    has_n = n > 0
    nothing = has_n & (h[..., 0] == n)
    everything = has_n & (h[..., m] == n)
    base = np.where(has_n, DEFINED, empty_reason).astype(np.int8)
    degenerate = base.copy()
    degenerate[nothing] = R_NOTHING
    degenerate[everything] = R_EVERYTHING
    varied = degenerate == DEFINED

    po = safe_divide(h @ (k * (k - 1) + (m - k) * (m - k - 1)), n * m * (m - 1), has_n)
    n1 = h @ k
    n0 = n * m - n1
    p = safe_divide(n1, n * m, has_n)
    pe_f = p**2 + (1 - p) ** 2
    pe_ac1 = 2 * p * (1 - p)
    mismatch = h @ (k * (m - k) / (m - 1))
    out = {
        "percent_agreement": (po, base),
        "fleiss_kappa": (safe_divide(po - pe_f, 1 - pe_f, varied), degenerate),
        "krippendorff_alpha": (
            1 - safe_divide((n * m - 1) * mismatch, n1 * n0, varied),
            degenerate,
        ),
        "gwet_ac1": (safe_divide(po - pe_ac1, 1 - pe_ac1, has_n), base),
        "pabak": (2 * po - 1, base),
    }
    coded_reason = np.where(nothing, R_NOTHING, base).astype(np.int8)
    coded_ok = coded_reason == DEFINED
    out["dice"] = (safe_divide(h @ (k * (k - 1)), (m - 1) * n1, coded_ok), coded_reason)
    out["jaccard"] = (safe_divide(h[..., m], n - h[..., 0], coded_ok), coded_reason)
    return {name: (np.where(r == DEFINED, v, np.nan), r) for name, (v, r) in out.items()}


def light_kappa(pair_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Light's kappa: the mean of the pairs' Cohen's kappas, over the pairs where defined.

    Args:
        pair_counts: ``(P, ..., 4)`` 2x2 counts (both, first only, second only, neither)
            of each coder pair.

    Returns:
        ``(values, reasons)`` over the remaining axes; undefined (with the first pair's
        reason) when no pair's kappa is defined.
    """
    kappa, reasons = pair_kappas(pair_counts)
    ok = reasons == DEFINED
    k = ok.sum(axis=0)
    mean = safe_divide(np.where(ok, kappa, 0.0).sum(axis=0), k, k > 0)
    reason = np.where(k > 0, DEFINED, reasons[0]).astype(np.int8)
    return np.where(k > 0, mean, np.nan), reason


def pair_kappas(pair_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cohen's kappa of every pair: ``(values, reasons)`` shaped like ``pair_counts[..., 0]``
    (the reasons of :func:`~ketqual.core.agreement.binary.binary_statistics`)."""
    c = np.asarray(pair_counts, dtype=np.float64)
    a, b, cc, d = (c[..., j] for j in range(4))
    n = a + b + cc + d
    has = n > 0
    reasons = np.where(has, DEFINED, R_NO_UNITS)
    reasons = np.where(has & (a + b + cc == 0), R_NOTHING, reasons)
    reasons = np.where(has & (b + cc + d == 0), R_EVERYTHING, reasons).astype(np.int8)
    ok = reasons == DEFINED
    po = safe_divide(a + d, n, has)
    p_a, p_b = safe_divide(a + b, n, has), safe_divide(a + cc, n, has)
    pe = p_a * p_b + (1 - p_a) * (1 - p_b)
    return np.where(ok, safe_divide(po - pe, 1 - pe, ok), np.nan), reasons


def fleiss_terms(hist: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(po, pe, n)`` of Fleiss' kappa for ``(..., m + 1)`` coverage counts."""
    h = np.asarray(hist, dtype=np.float64)
    m = h.shape[-1] - 1
    k = np.arange(m + 1, dtype=np.float64)
    n = h.sum(axis=-1)
    po = safe_divide(h @ (k * (k - 1) + (m - k) * (m - k - 1)), n * m * (m - 1), n > 0)
    p = safe_divide(h @ k, n * m, n > 0)
    return po, p**2 + (1 - p) ** 2, n


def analytic_se(hist: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Analytic standard errors per row of ``(rows, m + 1)`` coverage counts.

    Args:
        hist: Coverage counts, one row per table.
        name: ``"fleiss_kappa"`` or ``"gwet_ac1"``.

    Returns:
        ``(se, se_null)``: Gwet's (2014) linearised SE and, for Fleiss' kappa, the
        Fleiss, Nee & Landis (1979) SE under kappa = 0; NaN where not available. Both
        treat units as independent, which characters, sentences and paragraphs of one
        document are not: the report's bootstrap over documents is the interval to use.
    """
    h = np.asarray(hist, dtype=np.float64)
    m = h.shape[-1] - 1
    kind = {"fleiss_kappa": "fleiss", "gwet_ac1": "ac1"}[name]
    types = np.array([[m - k, k] for k in range(m + 1)], dtype=np.float64)
    se = np.full(h.shape[0], np.nan)
    se_null = np.full(h.shape[0], np.nan)
    for i, row in enumerate(h):
        stat = pi_family(name, types, row, 2, kind)
        if stat.se is not None and math.isfinite(stat.se):
            se[i] = stat.se
        if stat.se_null is not None:
            se_null[i] = stat.se_null
    return se, se_null
