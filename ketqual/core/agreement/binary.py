"""Two-coder coefficients for one code, vectorised over many 2x2 tables at once.

Used by :func:`~ketqual.core.agreement.spans.span_agreement` (one table) and by the report
builder (tens of thousands of tables, or bootstrap replicates x codes). Inputs are arrays
of counts ``a`` = both coded, ``b`` = only A, ``c`` = only B, ``d`` = neither, ``n`` their
sum. Undefined entries are NaN in the value array with a non-zero code in the reason array
(:data:`REASONS` maps codes to text); NaN never leaves this module except as such a pair.

Formulas (identical to the scalar functions, which the tests cross-check):

* percent agreement ``po = (a + d) / n``
* Cohen's kappa, ``pe = pA pB + (1 - pA)(1 - pB)`` with ``pA = (a + b)/n``, ``pB = (a + c)/n``
* Scott's pi, ``pe = p^2 + (1 - p)^2`` with ``p = (pA + pB)/2``
* Krippendorff's nominal alpha for two coders, no missing values:
  ``1 - (2n - 1)(b + c) / (n0 n1)`` with ``n1 = 2a + b + c`` and ``n0 = 2d + b + c``
* Gwet's AC1, ``pe = 2 p (1 - p)``
* PABAK ``2 po - 1``; Dice ``2a / (2a + b + c)``; Jaccard ``a / (a + b + c)``.
"""

from __future__ import annotations

import numpy as np

from ketqual.core.agreement.result import (
    ACROSS_CODES,
    EMPTY_TEXT,
    EVERYTHING_CODED,
    NO_CODED_OVERLAP,
    NO_UNITS,
    NOT_EXCLUSIVE,
    NOTHING_CODED,
    ONE_VALUE,
    ZERO_EXPECTED,
    Statistic,
    undefined,
)

# Reason codes: 0 means defined. Codes are stable so reports can store small integers.
DEFINED, R_NO_UNITS, R_EMPTY_TEXT, R_NOTHING, R_EVERYTHING, R_ZERO_EXPECTED = range(6)
# Reasons of the coefficients across codes and of three or more coders (added later; the
# numbers above keep their meaning).
R_NOT_EXCLUSIVE, R_NO_OVERLAP, R_ACROSS_CODES, R_ONE_VALUE = range(6, 10)
REASONS: dict[int, str] = {
    R_NO_UNITS: NO_UNITS,
    R_EMPTY_TEXT: EMPTY_TEXT,
    R_NOTHING: NOTHING_CODED,
    R_EVERYTHING: EVERYTHING_CODED,
    R_ZERO_EXPECTED: ZERO_EXPECTED,
    R_NOT_EXCLUSIVE: NOT_EXCLUSIVE,
    R_NO_OVERLAP: NO_CODED_OVERLAP,
    R_ACROSS_CODES: ACROSS_CODES,
    R_ONE_VALUE: ONE_VALUE,
}

STATISTICS = (
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
    "krippendorff_alpha",
    "gwet_ac1",
    "pabak",
    "dice",
    "jaccard",
)


def safe_divide(num: np.ndarray, den: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """``num / den`` where ``ok``, NaN elsewhere, without floating-point warnings."""
    num, den = np.broadcast_arrays(np.asarray(num, np.float64), np.asarray(den, np.float64))
    return np.divide(num, den, out=np.full(num.shape, np.nan), where=ok & (den != 0))


def binary_statistics(
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    *,
    empty_reason: int = R_NO_UNITS,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Compute every 2x2 coefficient for arrays of counts.

    Args:
        a: Units coded by both coders.
        b: Units coded only by coder A.
        c: Units coded only by coder B.
        d: Units coded by neither.
        empty_reason: Reason code used where ``n == 0`` (e.g. :data:`R_EMPTY_TEXT`).

    Returns:
        For each name in :data:`STATISTICS`, ``(values, reasons)``: float arrays with NaN
        where undefined and int8 reason codes (0 where defined).
    """
    a, b, c, d = (np.asarray(x, dtype=np.float64) for x in (a, b, c, d))
    n = a + b + c + d
    has_n = n > 0
    nothing = has_n & (a + b + c == 0)
    everything = has_n & (b + c + d == 0)
    base = np.where(has_n, DEFINED, empty_reason).astype(np.int8)
    degenerate = base.copy()
    degenerate[nothing] = R_NOTHING
    degenerate[everything] = R_EVERYTHING
    varied = degenerate == DEFINED

    po = safe_divide(a + d, n, has_n)
    p_a = safe_divide(a + b, n, has_n)
    p_b = safe_divide(a + c, n, has_n)
    pe_k = p_a * p_b + (1 - p_a) * (1 - p_b)
    p = (p_a + p_b) / 2
    pe_pi = p**2 + (1 - p) ** 2
    pe_ac1 = 2 * p * (1 - p)
    n1, n0 = 2 * a + b + c, 2 * d + b + c

    out: dict[str, tuple[np.ndarray, np.ndarray]] = {
        "percent_agreement": (po, base),
        "cohen_kappa": (safe_divide(po - pe_k, 1 - pe_k, varied), degenerate),
        "scott_pi": (safe_divide(po - pe_pi, 1 - pe_pi, varied), degenerate),
        "krippendorff_alpha": (
            1 - safe_divide((2 * n - 1) * (b + c), n0 * n1, varied),
            degenerate,
        ),
        "gwet_ac1": (safe_divide(po - pe_ac1, 1 - pe_ac1, has_n), base),
        "pabak": (2 * po - 1, base),
    }
    coded_reason = np.where(nothing, R_NOTHING, base).astype(np.int8)
    coded_ok = coded_reason == DEFINED
    out["dice"] = (safe_divide(2 * a, 2 * a + b + c, coded_ok), coded_reason)
    out["jaccard"] = (safe_divide(a, a + b + c, coded_ok), coded_reason)
    return out


def to_statistic(
    name: str, values: np.ndarray, reasons: np.ndarray, index: int | tuple, n: int | None
) -> Statistic:
    """Wrap one entry of a vectorised result as a :class:`Statistic`.

    Args:
        name: Coefficient name.
        values: Value array (NaN where undefined).
        reasons: Reason-code array.
        index: Which entry.
        n: Number of units behind it.

    Returns:
        The :class:`Statistic`.
    """
    code = int(reasons[index])
    if code != DEFINED:
        return undefined(name, REASONS[code], n=n)
    value = float(values[index])
    if not np.isfinite(value):  # a defined code with a NaN value would be a bug here
        raise ValueError(f"{name}: non-finite value {value} without a reason")
    return Statistic(name=name, value=value, n=n)
