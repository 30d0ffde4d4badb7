"""The report's figures that look across codes, for two coders or more.

* **Overall kappa three ways** (see :mod:`~ketqual.core.agreement.pooled`): the stacked
  table is the "all codes" row of Cohen's (two coders) or Fleiss' (three or more) kappa;
  this module adds ``pooled_kappa`` (De Vries et al. 2008) and ``mean_kappa`` (the mean of
  the per-code kappas, undefined ones left out). At the code and code x document scopes
  both equal that code's own kappa; a document pools its codes; a theme pools its codes
  over all documents; "overall" pools every code over all documents.
* **The unitizing family across codes** (:mod:`~ketqual.core.agreement.unitizing_codes`),
  on characters: per document (its codes as one variable), per theme (the theme and its
  subthemes as the values, all documents as one continuum) and overall (every analysed
  code, all documents as one continuum). Code and code x document rows carry the reason
  "compares all codes at once".

  **Overlapping codes in the report.** *uα*, *c|uα* and *cuα* need mutually exclusive
  codes. A document in which some coder applied two of the compared codes to the same
  text gets "undefined" with that reason in its own row, and is left out of the pooled
  continuum of the theme (or of all codes) as a whole document, for every coder alike,
  bootstrap included; a caution says how many documents were left out of which figure,
  and the figure is undefined when no document is left. Documents are the sampling units
  of the report, so this keeps the pooled figure a statement about a set of whole
  documents, without cutting coders' units or choosing one of the overlapping codes.

Both get percentile bootstrap intervals over documents for the theme and overall scopes
(the kappas also for the code scope), from the same replicate weights as the rest of the
report.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from ketqual.core.agreement.binary import (
    DEFINED,
    R_ACROSS_CODES,
    R_EVERYTHING,
    R_NO_UNITS,
    R_NOT_EXCLUSIVE,
    R_NOTHING,
    R_ZERO_EXPECTED,
    safe_divide,
)
from ketqual.core.agreement.bootstrap import replicate_counts, summarize
from ketqual.core.agreement.multi_binary import fleiss_terms
from ketqual.core.agreement.pooled import cohen_terms
from ketqual.core.agreement.report_input import Prepared
from ketqual.core.agreement.report_model import Bootstrap, ReportWarning
from ketqual.core.agreement.report_scopes import theme_matrix
from ketqual.core.agreement.unitizing_codes import (
    FAMILY,
    Layer,
    family_parts,
    family_values,
    overlapping_characters,
)

KAPPA_SUMMARIES = ("pooled_kappa", "mean_kappa")
Stats = dict[str, tuple[np.ndarray, np.ndarray]]


def _kernels(kind: str) -> tuple[Callable, Callable]:
    """``(terms, degenerate)`` for ``"cohen"`` (2x2 counts) or ``"fleiss"`` (coverage
    counts): the kappa terms, and masks of "nobody coded" / "everybody coded everything"."""
    if kind == "cohen":
        return cohen_terms, lambda c: (c[..., :3].sum(-1) == 0, c[..., 1:].sum(-1) == 0)
    return fleiss_terms, lambda c: (
        c[..., 0] == c.sum(-1),
        c[..., -1] == c.sum(-1),
    )


def _kappa(
    counts: np.ndarray, kind: str
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """``(po, pe, n)`` and the kappa with reasons, as the engine defines them."""
    terms, degenerate = _kernels(kind)
    po, pe, n = terms(counts)
    nothing, everything = degenerate(counts)
    reasons = np.where(n > 0, DEFINED, R_NO_UNITS)
    reasons = np.where((n > 0) & nothing, R_NOTHING, reasons)
    reasons = np.where((n > 0) & everything & ~nothing, R_EVERYTHING, reasons).astype(np.int8)
    ok = reasons == DEFINED
    return (po, pe, n), np.where(ok, safe_divide(po - pe, 1 - pe, ok), np.nan), reasons


def _summaries(counts: np.ndarray, groups: np.ndarray, kind: str) -> Stats:
    """Pooled and mean kappa of the codes on the second-last axis of ``counts``
    (``(..., C, K)``), grouped by the ``(C, G)`` 0/1 matrix ``groups``."""
    (po, pe, n), kappa, kr = _kappa(np.asarray(counts, dtype=np.float64), kind)
    has = (n > 0).astype(np.float64)
    k = has @ groups
    mean_po = safe_divide(np.where(n > 0, po, 0.0) @ groups, k, k > 0)
    mean_pe = safe_divide(np.where(n > 0, pe, 0.0) @ groups, k, k > 0)
    reasons = np.where(k > 0, DEFINED, R_NO_UNITS)
    reasons = np.where((reasons == DEFINED) & ~(1 - mean_pe > 1e-12), R_ZERO_EXPECTED, reasons)
    reasons = reasons.astype(np.int8)
    ok = reasons == DEFINED
    pooled = np.where(ok, safe_divide(mean_po - mean_pe, 1 - mean_pe, ok), np.nan)

    good = (kr == DEFINED).astype(np.float64)
    count = good @ groups
    mean = safe_divide(np.where(kr == DEFINED, kappa, 0.0) @ groups, count, count > 0)
    # Undefined means: no code in the group has a defined kappa; say why for one code.
    first = np.where(kr == DEFINED, 0, kr).max(axis=-1, keepdims=True)
    mean_reason = np.where(count > 0, DEFINED, np.broadcast_to(first, count.shape))
    mean_reason = np.where((count == 0) & (mean_reason == DEFINED), R_NO_UNITS, mean_reason)
    return {
        "pooled_kappa": (pooled, reasons),
        "mean_kappa": (np.where(count > 0, mean, np.nan), mean_reason.astype(np.int8)),
    }


def kappa_scopes(
    per_group: np.ndarray,
    prep: Prepared,
    kind: str,
    weights: np.ndarray | None,
    confidence: float,
    replicated: np.ndarray | None = None,
) -> tuple[dict[str, Stats], dict[str, dict[str, Bootstrap]]]:
    """Pooled and mean kappa at every scope, with bootstrap intervals.

    Args:
        per_group: ``(C, D, K)`` counts: 2x2 (``kind="cohen"``) or coverage counts
            (``kind="fleiss"``).
        prep: The prepared inputs.
        kind: ``"cohen"`` or ``"fleiss"``.
        weights: Bootstrap replicate weights ``(R, D)``, or ``None``.
        confidence: Interval level.
        replicated: ``replicate_counts(weights, per_group)`` when already computed.

    Returns:
        ``(stats, boots)``: scope -> name -> ``(values, reasons)``, and scope -> name ->
        :class:`Bootstrap` for the code, theme and overall scopes.
    """
    n_c, n_d, k = per_group.shape
    one = np.ones((1, 1))
    by_code = per_group.sum(axis=1)
    theme = theme_matrix(prep)
    everything = np.ones((n_c, 1))
    stats = {
        "code_document": _summaries(per_group.reshape(n_c * n_d, 1, k), one, kind),
        "code": _summaries(by_code[:, None, :], one, kind),
        "document": _summaries(per_group.transpose(1, 0, 2), everything, kind),
        "theme": _summaries(by_code, theme, kind),
        "overall": _summaries(by_code, everything, kind),
    }
    for scope in ("code_document", "code", "document"):
        stats[scope] = {name: (v[..., 0], r[..., 0]) for name, (v, r) in stats[scope].items()}
    boots: dict[str, dict[str, Bootstrap]] = {}
    if weights is not None:
        rep = replicate_counts(weights, per_group) if replicated is None else replicated
        for scope, groups in (("code", np.eye(n_c)), ("theme", theme), ("overall", everything)):
            boots[scope] = {
                name: summarize(values, confidence)
                for name, (values, _) in _summaries(rep, groups, kind).items()
            }
    return stats, boots


def _layers(prep: Prepared, codes: np.ndarray | None = None) -> list[Layer]:
    """Each coder's codings as :class:`Layer` objects, optionally only ``codes`` (renumbered)."""
    out = []
    for docs, code, starts, ends in prep.codings:
        if codes is None:
            out.append(Layer(docs, starts, ends, code))
            continue
        local = np.full(prep.n_codes, -1, dtype=np.int64)
        local[codes] = np.arange(codes.size)
        keep = local[code] >= 0
        out.append(Layer(docs[keep], starts[keep], ends[keep], local[code[keep]]))
    return out


def _clean_values(parts, weights: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The family pooled with ``weights`` over the documents without overlapping codes;
    undefined (not exclusive) where no such document is drawn."""
    return _pooled_family([parts], weights)[0]


def _pooled_family(
    group: list, weights: np.ndarray
) -> list[dict[str, tuple[np.ndarray, np.ndarray]]]:
    """:func:`_clean_values` of several parts at once: one matrix product for all of them
    (``|u-alpha`` of any code keeps every document, the others only those without
    overlapping codes)."""
    blocks, layout = [], []
    for parts in group:
        clean = (parts.clash == 0).astype(np.float64)
        flat = parts.flat()
        blocks += [flat * clean[:, None], flat, clean[:, None]]
        layout.append((flat.shape[1], parts))
    pooled = weights @ np.concatenate(blocks, axis=1)
    out, at = [], 0
    for width, parts in layout:
        kept = family_values(parts.from_flat(pooled[..., at : at + width]))
        every = family_values(parts.from_flat(pooled[..., at + width : at + 2 * width]))
        none_left = pooled[..., at + 2 * width] == 0
        at += 2 * width + 1
        values = {}
        for name, (v, r) in kept.items():
            if name == "u_alpha_binary":
                v, r = every[name]
            else:
                r = np.where(none_left, R_NOT_EXCLUSIVE, r).astype(np.int8)
                v = np.where(none_left, np.nan, v)
            values[name] = (v, r)
        out.append(values)
    return out


def family_scopes(
    prep: Prepared, weights: np.ndarray | None, confidence: float
) -> tuple[dict[str, Stats], dict[str, dict[str, Bootstrap]], dict[str, Any]]:
    """The unitizing family across codes at every scope (characters).

    Returns:
        ``(stats, boots, info)``; ``info["overlaps"]`` says, per coder name, how many
        characters that coder coded with two or more codes and in how many documents;
        ``info["left_out"]`` maps ``"overall"`` and each theme id with documents left out
        of its pooled figures to their number.
    """
    n_c, n_d = prep.n_codes, prep.n_docs
    every = np.ones((1, n_d))
    parts = family_parts(prep.doc_len, _layers(prep), n_c)
    theme_parts = []
    for t in range(len(prep.theme_ids)):
        codes = np.flatnonzero(prep.code_theme == t)
        theme_parts.append(family_parts(prep.doc_len, _layers(prep, codes), max(codes.size, 1)))
    overall, *per_theme = _pooled_family([parts, *theme_parts], every)
    stats: dict[str, Stats] = {"document": family_values(parts), "overall": overall}
    across = {
        name: (np.full(size, np.nan), np.full(size, R_ACROSS_CODES, np.int8))
        for name in FAMILY
        for size in [n_c * n_d]
    }
    stats["code_document"] = across
    stats["code"] = {name: (v[:n_c], r[:n_c]) for name, (v, r) in across.items()}
    stats["theme"] = {
        name: (
            np.concatenate([t[name][0] for t in per_theme]) if per_theme else np.zeros(0),
            np.concatenate([t[name][1] for t in per_theme]).astype(np.int8)
            if per_theme
            else np.zeros(0, np.int8),
        )
        for name in FAMILY
    }
    boots: dict[str, dict[str, Bootstrap]] = {}
    if weights is not None:
        rep_overall, *reps = _pooled_family([parts, *theme_parts], weights)
        boots["overall"] = {
            name: summarize(v[:, None], confidence) for name, (v, _) in rep_overall.items()
        }
        if reps:
            boots["theme"] = {
                name: summarize(np.stack([r[name][0] for r in reps], axis=1), confidence)
                for name in FAMILY
            }
    overlaps: dict[str, dict[str, int]] = {}
    for who, layer in zip(prep.coder_names, _layers(prep), strict=True):
        chars = overlapping_characters(prep.doc_len, layer)
        overlaps[who] = {"characters": int(chars.sum()), "documents": int((chars > 0).sum())}
    left_out: dict[Hashable, int] = {"overall": int((parts.clash > 0).sum())}
    for theme_id, p in zip(prep.theme_ids, theme_parts, strict=True):
        left_out[theme_id] = int((p.clash > 0).sum())
    return stats, boots, {"overlaps": overlaps, "left_out": left_out}


def family_warnings(info: dict[str, Any], n_docs: int) -> list[ReportWarning]:
    """Cautions about documents left out of the alphas across codes, and who overlapped."""
    out = []
    for coder, facts in dict(info["overlaps"]).items():
        if facts["characters"]:
            out.append(
                ReportWarning(
                    "overlapping_codes",
                    "character",
                    None,
                    None,
                    f"Coder {coder} applied two or more codes to the same text "
                    f"({facts['characters']:,} characters in {facts['documents']} document(s)).",
                )
            )
    for key, count in dict(info["left_out"]).items():
        if not count:
            continue
        where = "all codes" if key == "overall" else f"theme_id {key!r}"
        scope, row = ("overall", ()) if key == "overall" else ("theme", (key,))
        out.append(
            ReportWarning(
                "documents_left_out",
                "character",
                scope,
                row,
                f"characters, {where}: u_alpha_nominal, c_u_alpha and cu_alpha use "
                f"{n_docs - count} of {n_docs} documents; in the other {count} a coder applied "
                "two of the compared codes to the same text, which these coefficients cannot "
                "take.",
            )
        )
    return out
