"""One kappa for many codes: pooled kappa (De Vries et al. 2008) and its two neighbours.

Three different numbers are all reported in the literature as "overall kappa" for a
codebook of many yes/no codes, each with its own 2x2 table (or, for three or more
coders, its own count of how many coders coded each unit):

* **stacked**: the tables added into one and kappa computed on the sum (what the report's
  "all codes" row shows for Cohen's and Fleiss' kappa);
* **mean of per-code kappas**: each code's kappa, averaged (codes whose kappa is
  undefined are left out);
* **pooled** (De Vries, Elliott, Kanouse & Teleki 2008, "Using pooled kappa to summarize
  interrater agreement across many items", Field Methods 20(3), 272-282): the mean
  observed agreement and the mean chance agreement over the codes, then
  ``(mean po - mean pe) / (1 - mean pe)``. It weights codes equally, like the mean, but
  stays defined when single codes have no variation.

For two coders ``pe`` is Cohen's, ``pA pB + (1 - pA)(1 - pB)``; for three or more the
report applies the same pooling to Fleiss' ``po`` and ``pe`` (stated in its labels).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_NO_UNITS,
    R_ZERO_EXPECTED,
    safe_divide,
)
from ketqual.core.agreement.result import (
    EVERYTHING_CODED,
    NO_UNITS,
    NO_VARIATION,
    NOTHING_CODED,
    Statistic,
    undefined,
)
from ketqual.core.agreement.tables import Table2x2


def cohen_terms(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(po, pe, n)`` of Cohen's kappa for ``(..., 4)`` arrays of 2x2 counts."""
    c = np.asarray(counts, dtype=np.float64)
    a, b, cc, d = (c[..., j] for j in range(4))
    n = a + b + cc + d
    has = n > 0
    po = safe_divide(a + d, n, has)
    p_a, p_b = safe_divide(a + b, n, has), safe_divide(a + cc, n, has)
    return po, p_a * p_b + (1 - p_a) * (1 - p_b), n


def pooled_values(
    po: np.ndarray, pe: np.ndarray, n: np.ndarray, axis: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """Pooled kappa over ``axis`` of per-code ``po``/``pe`` (codes with ``n == 0`` skipped).

    Returns:
        ``(values, reasons)`` with NaN where undefined.
    """
    has = n > 0
    k = has.sum(axis=axis)
    mean_po = safe_divide(np.where(has, po, 0.0).sum(axis=axis), k, k > 0)
    mean_pe = safe_divide(np.where(has, pe, 0.0).sum(axis=axis), k, k > 0)
    reasons = np.where(k > 0, DEFINED, R_NO_UNITS)
    flat = (reasons == DEFINED) & ~(1 - mean_pe > 1e-12)
    reasons = np.where(flat, R_ZERO_EXPECTED, reasons).astype(np.int8)
    ok = reasons == DEFINED
    return np.where(ok, safe_divide(mean_po - mean_pe, 1 - mean_pe, ok), np.nan), reasons


def mean_values(
    values: np.ndarray, reasons: np.ndarray, axis: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the defined per-code values over ``axis``; undefined when none is."""
    ok = reasons == DEFINED
    k = ok.sum(axis=axis)
    mean = safe_divide(np.where(ok, values, 0.0).sum(axis=axis), k, k > 0)
    return mean, np.where(k > 0, DEFINED, R_NO_UNITS).astype(np.int8)


def pooled_kappa(tables: Iterable[Table2x2 | object]) -> Statistic:
    """Pooled kappa of De Vries et al. (2008) over the 2x2 tables of many codes.

    Args:
        tables: One 2x2 table per code: :class:`Table2x2` objects or
            ``[[both, a_only], [b_only, neither]]`` lists.

    Returns:
        A :class:`Statistic` named ``"pooled_kappa"`` whose ``n`` is the number of tables.
        There is no analytic SE: De Vries et al. bootstrap it, and so does the report
        (over documents).

    Raises:
        ValueError: For a table that is not 2x2, has negative counts or no units.
    """
    rows: list[list[float]] = []
    for t in tables:
        if isinstance(t, Table2x2):
            rows.append([t.both, t.a_only, t.b_only, t.neither])
            continue
        arr = np.asarray(t, dtype=np.float64)
        if arr.shape != (2, 2) or np.any(arr < 0) or not np.all(np.isfinite(arr)):
            raise ValueError("each table must be 2x2 with non-negative counts")
        rows.append(arr.ravel().tolist())
    if not rows:
        return undefined("pooled_kappa", NO_UNITS, n=0)
    counts = np.array(rows, dtype=np.float64)
    if np.any(counts.sum(axis=1) == 0):
        raise ValueError("a table has no units")
    po, pe, n = cohen_terms(counts)
    value, reason = pooled_values(po, pe, n)
    if int(reason) != DEFINED:
        coded = counts[:, :3].sum()
        text = (
            NOTHING_CODED
            if coded == 0
            else (EVERYTHING_CODED if counts[:, 1:].sum() == 0 else NO_VARIATION)
        )
        return undefined("pooled_kappa", text, n=len(rows))
    return Statistic(name="pooled_kappa", value=float(value), n=len(rows))
