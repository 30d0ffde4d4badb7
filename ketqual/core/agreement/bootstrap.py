"""Bootstrap confidence intervals over documents, vectorised over replicates.

Documents are the independent sampling units (characters, sentences and codes within a
document are not). A replicate draws ``D`` documents with replacement; since every pooled
figure is a function of per-document count vectors, a replicate's pooled counts are
``W @ counts`` with ``W[r, d]`` the number of times document ``d`` was drawn. All replicates
are one matrix product, so thousands cost milliseconds.

Intervals are percentile intervals (Efron & Tibshirani 1993, ch. 13) over the replicates
in which the coefficient is defined; how many were defined is recorded. Krippendorff's
alpha_U gets no bootstrap: its expected disagreement pairs units of one document with gaps
of every other, so it is not a function of per-document sums.
"""

from __future__ import annotations

import numpy as np

from ketqual.core.agreement.binary import binary_statistics, safe_divide
from ketqual.core.agreement.report_model import Bootstrap
from ketqual.core.agreement.unitizing import u_alpha_values


def resample_weights(n_docs: int, n_replicates: int, seed: int) -> np.ndarray:
    """``(R, D)`` counts of how often each document is drawn in each replicate.

    Args:
        n_docs: Number of documents ``D``.
        n_replicates: Number of replicates ``R``.
        seed: Seed of the ``numpy.random.Generator`` (same seed, same weights).

    Returns:
        Float array; each row sums to ``D``.
    """
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_docs, size=(n_replicates, n_docs))
    flat = draws + (np.arange(n_replicates) * n_docs)[:, None]
    return (
        np.bincount(flat.ravel(), minlength=n_replicates * n_docs)
        .reshape(n_replicates, n_docs)
        .astype(np.float64)
    )


def summarize(samples: np.ndarray, confidence: float) -> Bootstrap:
    """Percentile interval, SE and defined count per column of ``(R, K)`` replicate values.

    NaN marks replicates in which the coefficient was undefined; they are left out.
    """
    finite = np.isfinite(samples)
    k = finite.sum(axis=0)
    ordered = np.sort(samples, axis=0)  # NaN sorts last
    cols = np.arange(samples.shape[1])

    def quantile(q: float) -> np.ndarray:
        pos = q * np.maximum(k - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.ceil(pos).astype(np.int64)
        frac = pos - lo
        low_v, high_v = ordered[lo, cols], ordered[hi, cols]
        value = low_v + (high_v - low_v) * frac
        return np.where(k > 0, value, np.nan)

    tail = (1 - confidence) / 2
    total = np.where(finite, samples, 0.0).sum(axis=0)
    mean = safe_divide(total, k, k > 0)
    dev = np.where(finite, samples - np.where(np.isfinite(mean), mean, 0.0), 0.0)
    se = np.sqrt(safe_divide((dev**2).sum(axis=0), k - 1, k > 1))
    return Bootstrap(ci_low=quantile(tail), ci_high=quantile(1 - tail), se=se, n_defined=k)


def replicate_counts(weights: np.ndarray, per_group: np.ndarray) -> np.ndarray:
    """``(C, D, K)`` per-document values -> ``(R, C, K)`` pooled per replicate."""
    c, d = per_group.shape[:2]
    flat = per_group.transpose(1, 0, *range(2, per_group.ndim)).reshape(d, -1)
    return (weights @ flat).reshape(weights.shape[0], c, *per_group.shape[2:])


def bootstrap_scopes(
    weights: np.ndarray,
    counts: np.ndarray,
    theme: np.ndarray,
    confidence: float,
    sum_sq: np.ndarray | None = None,
) -> dict[str, dict[str, Bootstrap]]:
    """Bootstrap every 2x2 coefficient (and |u-alpha when ``sum_sq`` is given).

    Args:
        weights: :func:`resample_weights`.
        counts: ``(C, D, 4)`` per code x document counts.
        theme: ``(C, T)`` code-to-theme matrix.
        confidence: Interval level, e.g. 0.95.
        sum_sq: ``(C, D)`` squared segment lengths for |u-alpha (character unit only).

    Returns:
        scope (``code``, ``theme``, ``overall``) -> coefficient -> :class:`Bootstrap`.
    """
    by_code = replicate_counts(weights, counts)  # (R, C, 4)
    pooled = {
        "code": by_code,
        "theme": np.einsum("rck,ct->rtk", by_code, theme),
        "overall": by_code.sum(axis=1, keepdims=True),
    }
    out: dict[str, dict[str, Bootstrap]] = {}
    for scope, arr in pooled.items():
        stats = binary_statistics(*(arr[..., j] for j in range(4)))
        out[scope] = {name: summarize(vals, confidence) for name, (vals, _) in stats.items()}
    if sum_sq is not None:
        sq = replicate_counts(weights, sum_sq[..., None])[..., 0]  # (R, C)
        both, a_only, b_only, neither = (by_code[..., j] for j in range(4))
        _, _, u01, e01 = u_alpha_values(both, a_only, b_only, neither, sq)
        for scope, (u, e) in {
            "code": (u01, e01),
            "theme": (u01 @ theme, e01 @ theme),
            "overall": (u01.sum(1, keepdims=True), e01.sum(1, keepdims=True)),
        }.items():
            out[scope]["u_alpha"] = summarize(1 - safe_divide(u, e, e > 0), confidence)
    return out
