"""Krippendorff's alpha by the coincidence-matrix method.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability" (Annenberg
School for Communication, University of Pennsylvania):

* ``m_u`` = number of values in unit ``u``; units with ``m_u < 2`` are not pairable and
  drop out.
* coincidences ``o_ck = sum_u (number of c-k pairs in u) / (m_u - 1)`` (ordered pairs of
  values from different coders), ``n_c = sum_k o_ck``, ``n = sum_c n_c``.
* ``alpha = 1 - (n - 1) sum_{c,k} o_ck d2_ck / sum_{c,k} n_c n_k d2_ck``.
* difference functions ``d2``: nominal ``[c != k]``; interval ``(c - k)^2``; ratio
  ``((c - k)/(c + k))^2``; ordinal ``(sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2`` over the
  ranked values that occur.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any, cast

import numpy as np

from ketqual.core.agreement.contingency import as_matrix
from ketqual.core.agreement.result import (
    EVERYTHING_CODED,
    NO_PAIRABLE,
    NO_VARIATION,
    NOTHING_CODED,
    Statistic,
    undefined,
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def coincidence_matrix(
    data: Sequence[Sequence[Hashable | None]],
) -> tuple[list[Hashable], np.ndarray]:
    """Build the coincidence matrix of a coders x units reliability data matrix.

    Args:
        data: One row per coder, one column per unit; ``None`` (or NaN) is missing.

    Returns:
        ``(values, o)``: the sorted distinct values and the matrix ``o[c, k]``.

    Raises:
        ValueError: When coders' rows differ in length.
    """
    if not data:
        return [], np.zeros((0, 0))
    n_units = len(data[0])
    if any(len(row) != n_units for row in data):
        raise ValueError("every coder's row must have one entry per unit")
    seen = {x for row in data for x in row if not _is_missing(x)}
    try:
        values = sorted(cast(set[Any], seen))
    except TypeError:
        values = sorted(seen, key=repr)
    index = {v: j for j, v in enumerate(values)}
    counts = np.zeros((n_units, len(values)))
    for row in data:
        for u, x in enumerate(row):
            if not _is_missing(x):
                counts[u, index[x]] += 1
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    w = 1.0 / (m - 1)
    # sum_u (n_u n_u^T - diag(n_u)) / (m_u - 1): pairs of values from different coders.
    o = (counts * w[:, None]).T @ counts - np.diag((counts * w[:, None]).sum(axis=0))
    return values, o


def _delta2(values: list[Hashable], n_c: np.ndarray, level: str) -> np.ndarray:
    k = len(values)
    if level == "nominal":
        return 1.0 - np.eye(k)
    try:
        v = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{level} alpha needs numeric values") from exc
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        if np.any(v < 0):
            raise ValueError("ratio alpha needs non-negative values")
        s = v[:, None] + v[None, :]
        diff = v[:, None] - v[None, :]
        # c + k = 0 only when c = k = 0, whose difference is 0 by definition.
        ratio = np.divide(diff, s, out=np.zeros_like(diff), where=s != 0)
        return ratio**2
    if level == "ordinal":
        cum = np.concatenate(([0.0], np.cumsum(n_c)))
        i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi + 1] - cum[lo]  # sum_{g=lo}^{hi} n_g
        return (between - (n_c[i] + n_c[j]) / 2.0) ** 2
    raise ValueError(f"unknown level {level!r}; choose one of {LEVELS}")


def alpha_from_coincidences(
    values: list[Hashable], o: object, level: str = "nominal", name: str | None = None
) -> Statistic:
    """Krippendorff's alpha from a coincidence matrix.

    Args:
        values: The values labelling the matrix rows/columns (sorted for ordinal data).
        o: Coincidence matrix.
        level: ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.
        name: Name for the result; default ``"krippendorff_alpha"``.

    Returns:
        A :class:`Statistic` (no analytic SE: Krippendorff recommends a bootstrap).
    """
    name = name or "krippendorff_alpha"
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {LEVELS}")
    o = np.asarray(o, dtype=np.float64)
    n_c = o.sum(axis=1)
    n = float(n_c.sum())
    if n == 0:
        return undefined(name, NO_PAIRABLE, n=0)
    d2 = _delta2(values, n_c, level)
    expected = float((np.outer(n_c, n_c) * d2).sum())
    if expected <= 0:
        return undefined(name, NO_VARIATION, n=round(n))
    observed = float((o * d2).sum())
    return Statistic(name=name, value=1.0 - (n - 1) * observed / expected, n=round(n))


def krippendorff_alpha(
    data: Sequence[Sequence[Hashable | None]], level: str = "nominal"
) -> Statistic:
    """Krippendorff's alpha for a coders x units matrix with ``None`` as missing.

    Args:
        data: One row per coder, one column per unit.
        level: ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``.

    Returns:
        A :class:`Statistic`; ``n`` is the number of pairable values.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {LEVELS}")
    values, o = coincidence_matrix(data)
    return alpha_from_coincidences(values, o, level)


def alpha_from_table(table: object) -> Statistic:
    """Nominal alpha for two coders without missing data from a k x k contingency table.

    Each unit contributes both ordered pairs, so the coincidence matrix is ``T + T^T``.

    Args:
        table: k x k contingency table (rows coder A, columns coder B).

    Returns:
        A :class:`Statistic`.
    """
    t = as_matrix(table)
    res = alpha_from_coincidences(list(range(t.shape[0])), t + t.T)
    if res.reason == NO_VARIATION and t.shape == (2, 2):
        if t[1, 1] == t.sum():
            return undefined(res.name, NOTHING_CODED, n=res.n)
        if t[0, 0] == t.sum():
            return undefined(res.name, EVERYTHING_CODED, n=res.n)
    return res
