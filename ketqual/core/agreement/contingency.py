"""Two-coder coefficients from a k x k contingency table.

``table[i][j]`` counts the units coder A put in category ``i`` and coder B in category
``j``. A 2x2 table about one code is read as ``[[both, a_only], [b_only, neither]]``: the
first category is "coded / present"; :class:`Table2x2` spells this out.

Formulas (``p_ij = table[i][j] / n``, ``p_i.`` row and ``p_.j`` column shares,
``po = sum_i p_ii``):

* Cohen (1960) kappa: ``pe = sum_i p_i. p_.i``. SE under the alternative from Fleiss,
  Cohen & Everitt (1969), Psychological Bulletin 72, 323-327:
  ``var = [sum_i p_ii (1 - (p_i. + p_.i)(1 - k))^2
  + (1 - k)^2 sum_{i!=j} p_ij (p_.i + p_j.)^2 - (k - pe (1 - k))^2] / (n (1 - pe)^2)``;
  under the null ``var0 = [pe + pe^2 - sum_i p_i. p_.i (p_i. + p_.i)] / (n (1 - pe)^2)``.
* Scott (1955) pi: ``pe = sum_i ((p_i. + p_.i) / 2)^2``; SE by Gwet's linearisation
  (:mod:`ketqual.core.agreement.multirater`, two raters per unit).
* Brennan & Prediger (1981) / PABAK (Byrt, Bishop & Carlin 1993): ``pe = 1/q``.
* Positive agreement (Dice/F1) ``2a / (2a + b + c)``, negative agreement
  ``2d / (2d + b + c)`` and Jaccard ``a / (a + b + c)`` on a 2x2 table (Cicchetti &
  Feinstein 1990 for the specific agreements).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ketqual.core.agreement.multirater import pi_family
from ketqual.core.agreement.result import (
    EVERYTHING_CODED,
    NO_UNITS,
    NO_VARIATION,
    NOTHING_CODED,
    Statistic,
    undefined,
    with_wald_ci,
)
from ketqual.core.agreement.tables import Table2x2

_FCE = "Fleiss, Cohen & Everitt (1969) asymptotic SE; Wald interval, clipped"


def as_matrix(table: object) -> np.ndarray:
    """Validate a contingency table (list of lists, array or :class:`Table2x2`)."""
    if isinstance(table, Table2x2):
        table = table.as_matrix()
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] < 1:
        raise ValueError(f"a contingency table must be square, got shape {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError("contingency table entries must be finite and non-negative")
    return t


def two_rater_units(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells of a k x k table as unit types: a count row per cell and the cell count."""
    k = t.shape[0]
    eye = np.eye(k)
    counts = (eye[:, None, :] + eye[None, :, :]).reshape(k * k, k)
    return counts, t.reshape(-1)


def _no_variation_reason(t: np.ndarray) -> str:
    """Name the degenerate 2x2 cases a user will recognise; generic wording otherwise."""
    if t.shape == (2, 2):
        if t[1, 1] == t.sum():
            return NOTHING_CODED
        if t[0, 0] == t.sum():
            return EVERYTHING_CODED
    return NO_VARIATION


def percent_agreement(table: object) -> Statistic:
    """Share of units on which the two coders agree, ``po``.

    The SE is Gwet's linearisation for two raters, ``sqrt(po (1 - po) / (n - 1))``.

    Args:
        table: k x k contingency table.

    Returns:
        A :class:`Statistic` in [0, 1].
    """
    t = as_matrix(table)
    if t.sum() == 0:
        return undefined("percent_agreement", NO_UNITS, n=0)
    return pi_family("percent_agreement", *two_rater_units(t), t.shape[0], "pa")


def cohen_kappa(table: object) -> Statistic:
    """Cohen's kappa with the Fleiss-Cohen-Everitt (1969) asymptotic SE and 95% CI.

    Args:
        table: k x k contingency table (rows coder A, columns coder B).

    Returns:
        A :class:`Statistic`; ``se`` is the large-sample SE under the alternative,
        ``se_null`` the SE under kappa = 0.
    """
    t = as_matrix(table)
    n = float(t.sum())
    if n == 0:
        return undefined("cohen_kappa", NO_UNITS, n=0)
    p = t / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    po = float(np.trace(p))
    pe = float(rows @ cols)
    if pe >= 1.0 - 1e-15:
        return undefined("cohen_kappa", _no_variation_reason(t), n=int(n))
    k = (po - pe) / (1 - pe)
    diag = np.diag(p)
    a = float((diag * (1 - (rows + cols) * (1 - k)) ** 2).sum())
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    b = (1 - k) ** 2 * float((off * (cols[:, None] + rows[None, :]) ** 2).sum())
    c = (k - pe * (1 - k)) ** 2
    var = (a + b - c) / (n * (1 - pe) ** 2)
    var0 = (pe + pe**2 - float((rows * cols * (rows + cols)).sum())) / (n * (1 - pe) ** 2)
    return with_wald_ci(
        "cohen_kappa",
        k,
        math.sqrt(max(var, 0.0)),
        n=int(n),
        se_null=math.sqrt(max(var0, 0.0)),
        method=_FCE,
    )


def scott_pi(table: object) -> Statistic:
    """Scott's pi (Fleiss' kappa for two raters) with Gwet's linearised SE.

    Args:
        table: k x k contingency table.

    Returns:
        A :class:`Statistic`.
    """
    t = as_matrix(table)
    if t.sum() == 0:
        return undefined("scott_pi", NO_UNITS, n=0)
    res = pi_family("scott_pi", *two_rater_units(t), None, "fleiss")
    if res.reason == NO_VARIATION:
        return undefined("scott_pi", _no_variation_reason(t), n=res.n)
    return res


def brennan_prediger(table: object, n_categories: int | None = None) -> Statistic:
    """Brennan & Prediger's (1981) kappa, chance agreement ``1/q``.

    Args:
        table: k x k contingency table.
        n_categories: Number of possible categories ``q``; defaults to ``k``.

    Returns:
        A :class:`Statistic` with Gwet's SE ``sqrt(po (1 - po) / (n - 1)) / (1 - 1/q)``.
    """
    t = as_matrix(table)
    if t.sum() == 0:
        return undefined("brennan_prediger", NO_UNITS, n=0)
    q = t.shape[0] if n_categories is None else n_categories
    return pi_family("brennan_prediger", *two_rater_units(t), q, "bp")


def pabak(table: object) -> Statistic:
    """Prevalence- and bias-adjusted kappa (Byrt et al. 1993): ``2 po - 1`` on a 2x2 table.

    For k categories this is ``(k po - 1)/(k - 1)``, i.e. Brennan-Prediger's coefficient.

    Args:
        table: k x k contingency table.

    Returns:
        A :class:`Statistic` named ``"pabak"``.
    """
    res = brennan_prediger(table)
    return replace(res, name="pabak")


def _specific(name: str, num: float, den: float) -> Statistic:
    if den == 0:
        return undefined(name, NOTHING_CODED, n=0)
    return Statistic(name=name, value=num / den, n=int(den))


def _as_2x2(table: object) -> tuple[float, float, float, float]:
    t = as_matrix(table)
    if t.shape != (2, 2):
        raise ValueError("specific agreement needs a 2x2 table")
    return float(t[0, 0]), float(t[0, 1]), float(t[1, 0]), float(t[1, 1])


def positive_agreement(table: object) -> Statistic:
    """Positive specific agreement ``2a / (2a + b + c)``, the Dice coefficient / F1.

    Args:
        table: 2x2 table ``[[both, a_only], [b_only, neither]]`` or a :class:`Table2x2`.

    Returns:
        A :class:`Statistic` named ``"dice"``; ``n`` is ``2a + b + c``.
    """
    a, b, c, _ = _as_2x2(table)
    return _specific("dice", 2 * a, 2 * a + b + c)


dice = positive_agreement


def negative_agreement(table: object) -> Statistic:
    """Negative specific agreement ``2d / (2d + b + c)`` on a 2x2 table.

    Args:
        table: 2x2 table or :class:`Table2x2`.

    Returns:
        A :class:`Statistic`; undefined when no unit is left uncoded by either coder.
    """
    _, b, c, d = _as_2x2(table)
    if 2 * d + b + c == 0:
        return undefined("negative_agreement", EVERYTHING_CODED, n=0)
    return Statistic(name="negative_agreement", value=2 * d / (2 * d + b + c), n=int(2 * d + b + c))


def jaccard(table: object) -> Statistic:
    """Jaccard index ``a / (a + b + c)`` on a 2x2 table.

    Args:
        table: 2x2 table or :class:`Table2x2`.

    Returns:
        A :class:`Statistic`; undefined when neither coder coded anything.
    """
    a, b, c, _ = _as_2x2(table)
    return _specific("jaccard", a, a + b + c)
