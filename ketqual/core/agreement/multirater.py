"""Fleiss' kappa and Gwet's AC1 for any number of raters, with missing ratings.

Both coefficients share Gwet's formulation for incomplete designs (Gwet 2014, Handbook of
Inter-Rater Reliability, 4th ed., ch. 5; Gwet 2008, British Journal of Mathematical and
Statistical Psychology 61, 29-48). With ``r_ik`` the number of raters who put unit ``i``
in category ``k``, ``r_i`` the unit's number of ratings, ``n`` the units with at least one
rating and ``n2`` those with at least two:

* observed agreement ``pa = (1/n2) sum_{i: r_i>=2} sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))``
* category shares ``pi_k = (1/n) sum_i r_ik / r_i``
* chance agreement ``pe = sum_k pi_k^2`` (Fleiss) or
  ``pe = sum_k pi_k (1 - pi_k) / (q - 1)`` (AC1, ``q`` categories)
* coefficient ``(pa - pe) / (1 - pe)``.

The standard error is Gwet's linearisation, conditional on the sample of raters
(Handbook section 5.3): per unit ``c_i = (n/n2)(pa_i - pe [r_i>=2]) / (1 - pe)`` with
``pa_i`` the unit's agreement, ``pe_i`` its chance term (``sum_k r_ik pi_k / r_i`` for
Fleiss, ``sum_k r_ik (1 - pi_k) / (r_i (q-1))`` for AC1),
``c*_i = c_i - 2 (1 - coef)(pe_i - pe) / (1 - pe)`` and
``var = sum_i (c*_i - coef)^2 / (n (n - 1))`` (no finite-population correction). This is
what Gwet's R package irrCAC computes; its intervals use Student's t with n-1 degrees of
freedom, these use the normal quantile.

With the same number of raters on every unit Fleiss' value equals Fleiss (1971); the
null-hypothesis SE is then Fleiss, Nee & Landis (1979), Psychological Bulletin 86, 974-977.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any, cast

import numpy as np

from ketqual.core.agreement.result import (
    FEW_CATEGORIES,
    NO_PAIRABLE,
    NO_VARIATION,
    Statistic,
    undefined,
    with_wald_ci,
)

_GWET_METHOD = "Gwet (2014) linearised SE conditional on raters; Wald interval, clipped"


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def ratings_to_counts(
    ratings: Sequence[Sequence[Hashable | None]],
    categories: Sequence[Hashable] | None = None,
) -> tuple[np.ndarray, list[Hashable]]:
    """Turn a units x raters matrix of labels into a units x categories count matrix.

    Args:
        ratings: One row per unit, one column per rater; ``None`` (or NaN) is missing.
        categories: Every possible category, in order; by default the sorted labels seen.

    Returns:
        ``(counts, categories)`` with ``counts[i, k]`` the raters who chose category ``k``.

    Raises:
        ValueError: When a label is not in ``categories``.
    """
    seen = {x for row in ratings for x in row if not _is_missing(x)}
    if categories is None:
        try:
            cats = sorted(cast(set[Any], seen))
        except TypeError:  # mixed label types: keep a stable, if arbitrary, order
            cats = sorted(seen, key=repr)
    else:
        cats = list(categories)
        unknown = seen - set(cats)
        if unknown:
            raise ValueError(f"labels not among the categories: {sorted(map(repr, unknown))}")
    index = {c: j for j, c in enumerate(cats)}
    counts = np.zeros((len(ratings), len(cats)), dtype=np.float64)
    for i, row in enumerate(ratings):
        for x in row:
            if not _is_missing(x):
                counts[i, index[x]] += 1
    return counts, cats


def _prepare(counts: object, weights: object | None) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("counts must be a units x categories matrix")
    if c.size and (not np.all(np.isfinite(c)) or np.any(c < 0)):
        raise ValueError("counts must be finite and non-negative")
    w = np.ones(c.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (c.shape[0],) or np.any(w < 0):
        raise ValueError("weights must be one non-negative number per unit")
    keep = (c.sum(axis=1) > 0) & (w > 0)  # units nobody rated carry no information
    return c[keep], w[keep]


def pi_family(
    name: str, counts: object, weights: object | None, q: int | None, kind: str
) -> Statistic:
    """Shared engine: ``kind`` is ``"fleiss"``, ``"ac1"``, ``"bp"`` (Brennan-Prediger,
    chance = 1/q) or ``"pa"`` (raw agreement, chance = 0); see the module docstring."""
    c, w = _prepare(counts, weights)
    q = c.shape[1] if q is None else q
    r = c.sum(axis=1)
    n = float(w.sum())
    two = r >= 2
    n2 = float(w[two].sum())
    if n2 == 0:
        return undefined(name, NO_PAIRABLE, n=int(n))
    if kind in ("ac1", "bp") and q < 2:
        return undefined(name, FEW_CATEGORIES, n=int(n))
    den = np.where(two, r * (r - 1), 1.0)  # units with one rating: pa_i is never used
    pa_i = np.where(two, (c * (c - 1)).sum(axis=1) / den, 0.0)
    pa = float((w * pa_i).sum() / n2)
    share = c / r[:, None]
    pi = (w[:, None] * share).sum(axis=0) / n
    if kind == "fleiss":
        pe = float((pi**2).sum())
        pe_i = share @ pi
    elif kind == "ac1":
        pe = float((pi * (1 - pi)).sum() / (q - 1))
        pe_i = share @ (1 - pi) / (q - 1)
    else:  # constant chance agreement: the linearisation's pe_i term vanishes
        pe = 1.0 / q if kind == "bp" else 0.0
        pe_i = np.full(len(w), pe)
    if pe >= 1.0 - 1e-15:
        return undefined(name, NO_VARIATION, n=int(n))
    coef = (pa - pe) / (1 - pe)
    if n < 2:
        return Statistic(name=name, value=coef, n=int(n))
    c_i = (n / n2) * (pa_i - pe * two) / (1 - pe)
    c_star = c_i - 2 * (1 - coef) * (pe_i - pe) / (1 - pe)
    var = float((w * (c_star - coef) ** 2).sum() / (n * (n - 1)))
    se_null = _fleiss_se_null(r, w, pi) if kind == "fleiss" else None
    bounds = (0.0, 1.0) if kind == "pa" else (-1.0, 1.0)
    return with_wald_ci(
        name,
        coef,
        math.sqrt(max(var, 0.0)),
        n=int(n),
        se_null=se_null,
        bounds=bounds,
        method=_GWET_METHOD,
    )


def _fleiss_se_null(r: np.ndarray, w: np.ndarray, pi: np.ndarray) -> float | None:
    """Fleiss, Nee & Landis (1979) SE under kappa = 0; needs a constant number of raters."""
    if r.size == 0 or not np.all(r == r[0]) or r[0] < 2:
        return None
    m = float(r[0])
    n = float(w.sum())
    pq = pi * (1 - pi)
    s = float(pq.sum())
    var0 = 2.0 / (n * m * (m - 1)) * (s**2 - float((pq * (1 - 2 * pi)).sum())) / s**2
    return math.sqrt(max(var0, 0.0))


def fleiss_kappa(counts: object, *, weights: object | None = None) -> Statistic:
    """Fleiss' kappa from a units x categories count matrix (Fleiss 1971).

    Rows may have different totals (missing ratings); then this is Gwet's generalisation,
    which equals Fleiss (1971) when every unit has the same number of ratings.

    Args:
        counts: ``counts[i][k]`` = number of raters who put unit ``i`` in category ``k``.
        weights: Optional frequency of each row (for tables of identical units).

    Returns:
        A :class:`Statistic` with Gwet's SE and, for a constant number of raters, the
        Fleiss-Nee-Landis SE under the null in ``se_null``.
    """
    return pi_family("fleiss_kappa", counts, weights, None, "fleiss")


def gwet_ac1(
    ratings: Sequence[Sequence[Hashable | None]],
    categories: Sequence[Hashable] | None = None,
) -> Statistic:
    """Gwet's AC1 for a units x raters matrix of labels with ``None`` for missing.

    Args:
        ratings: One row per unit, one column per rater.
        categories: All possible categories. AC1's chance term depends on their number
            ``q``; by default only the labels that occur are counted, which changes the
            value when a category was never used.

    Returns:
        A :class:`Statistic` with Gwet's linearised SE (conditional on the raters).
    """
    counts, cats = ratings_to_counts(ratings, categories)
    return pi_family("gwet_ac1", counts, None, len(cats), "ac1")


def gwet_ac1_counts(
    counts: object, *, weights: object | None = None, n_categories: int | None = None
) -> Statistic:
    """Gwet's AC1 from a units x categories count matrix (see :func:`gwet_ac1`).

    Args:
        counts: ``counts[i][k]`` = number of raters who put unit ``i`` in category ``k``.
        weights: Optional frequency of each row.
        n_categories: Number of possible categories; defaults to the matrix width.

    Returns:
        The AC1 :class:`Statistic`.
    """
    return pi_family("gwet_ac1", counts, weights, n_categories, "ac1")
