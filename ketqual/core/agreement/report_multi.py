"""The agreement report for three or more coders (it also works for two).

The same breakdowns as the two-coder report (:mod:`~ketqual.core.agreement.report`): unit
kinds characters, sentences, paragraphs and documents; scopes code x document, code,
document, theme and overall; bootstrap intervals over documents for the code, theme and
overall scopes; NVivo-style averages; cautions. What changes is the count behind each
figure: instead of a 2x2 table, how many units were coded by exactly ``k`` of the ``m``
coders (``coded_by_0 .. coded_by_m``), which is all the coefficients of
:mod:`~ketqual.core.agreement.multi_binary` need, and which adds up over codes and
documents like a 2x2 table does.

Per unit kind the report has Fleiss' kappa (with Gwet's and the Fleiss-Nee-Landis
analytic SEs at the headline scopes), Krippendorff's alpha, Gwet's AC1, percent agreement
(mean over pairs), PABAK, Dice and Jaccard for m coders, Light's kappa (mean pairwise
Cohen), the pooled and mean kappas across codes, |u-alpha per code for m coders on
characters and the unitizing family across codes; and a :class:`PairwiseTable` of every
coder pair (which coder departs from the others). Krippendorff's (2004) alpha_U is left
out: its authors replaced it in 2016 because it misbehaves with more than two coders.
Segment matching pairs one coder's segments with another's and has no m-coder form; the
pairwise table stands in for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ketqual.core.agreement.binary import (
    R_EMPTY_TEXT,
    R_NO_UNITS,
    binary_statistics,
    safe_divide,
)
from ketqual.core.agreement.bootstrap import replicate_counts, resample_weights, summarize
from ketqual.core.agreement.intervals import overlap_pairs
from ketqual.core.agreement.matching import overlap_fraction
from ketqual.core.agreement.multi_binary import analytic_se, light_kappa, multi_statistics
from ketqual.core.agreement.report import METHOD_NOTES, unit_definitions
from ketqual.core.agreement.report_across import family_scopes, family_warnings, kappa_scopes
from ketqual.core.agreement.report_engine import Segments, merge_coder
from ketqual.core.agreement.report_input import UNIT_KINDS, Prepared, prepare_layers
from ketqual.core.agreement.report_model import (
    AgreementReport,
    Bootstrap,
    PairwiseTable,
    ScopeTable,
    coverage_names,
)
from ketqual.core.agreement.report_notes import data_warnings, nvivo_summaries
from ketqual.core.agreement.report_scopes import (
    HEADLINE_SCOPES,
    SCOPES,
    pool,
    pooled_ratio,
    scope_keys,
    theme_matrix,
)
from ketqual.core.agreement.unitizing import sum_by
from ketqual.core.agreement.unitizing_codes import coverage_counts, u_alpha_binary_values

MULTI_NOTES = {
    "coders": "Every coder judges every unit. Counts are how many units exactly k of the m "
    "coders coded (coded_by_k); the coefficients for m coders are computed from them.",
    "pairs": "percent_agreement is the mean agreement over coder pairs (Fleiss' P-bar); "
    "light_kappa is the mean of the pairs' Cohen's kappas; the pairwise table has each pair.",
    "analytic_se": "Fleiss' kappa and AC1 also carry analytic standard errors at the code, "
    "theme and overall scopes (Gwet's linearisation; for Fleiss' kappa also Fleiss, Nee & "
    "Landis 1979 under no agreement). They treat units as independent; the bootstrap over "
    "documents does not.",
    "alpha_u": "Krippendorff's (2004) alpha_U is not computed for three or more coders: "
    "Krippendorff et al. (2016) replaced it because it misbehaves beyond two coders.",
}


def _hist(groups: np.ndarray, level: np.ndarray, n_groups: int, m: int) -> np.ndarray:
    """``(n_groups, m + 1)`` counts of items per group with ``level`` coders."""
    flat = np.bincount(groups * (m + 1) + level, minlength=n_groups * (m + 1))
    return flat.reshape(n_groups, m + 1).astype(np.int64)


def _pair_table(both: np.ndarray, first: np.ndarray, second: np.ndarray, total: np.ndarray):
    return np.stack([both, first - both, second - both, total - first - second + both], axis=-1)


def _character_counts(
    prep: Prepared, segs: list[Segments]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(hist (G, m+1), pairs (P, G, 4), sum_sq (G,))`` over code x document groups."""
    m, n_groups = len(segs), prep.n_codes * prep.n_docs
    origins, lengths = prep.group_origins(), prep.group_lengths()
    hist = coverage_counts(
        np.concatenate([s.s for s in segs]),
        np.concatenate([s.e for s in segs]),
        origins,
        n_groups,
        m,
    )
    hist[:, 0] = lengths - hist[:, 1:].sum(axis=1)
    coded = [sum_by(s.g, s.length, n_groups) for s in segs]
    pairs = []
    for i, j in itertools.combinations(range(m), 2):
        a, b = segs[i], segs[j]
        ia, ib = overlap_pairs(a.s, a.e, b.s, b.e)
        inter = np.minimum(a.e[ia], b.e[ib]) - np.maximum(a.s[ia], b.s[ib])
        pairs.append(_pair_table(sum_by(a.g[ia], inter, n_groups), coded[i], coded[j], lengths))
    sum_sq = np.sum([sum_by(s.g, s.length.astype(np.float64) ** 2, n_groups) for s in segs], 0)
    return hist.astype(np.int64), np.array(pairs, dtype=np.int64), sum_sq


def _unit_counts(
    prep: Prepared, kind: str, segs: list[Segments], share: Fraction | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(hist (G, m+1), pairs (P, G, 4))`` of one unit kind (a unit is coded by a coder
    when enough of it is, see ``share``)."""
    owner, u_s, u_e = prep.units[kind]
    m, n_c, n_d = len(segs), prep.n_codes, prep.n_docs
    n_units = max(len(u_s), 1)
    keys, covers = [], []
    for seg in segs:
        code = seg.g // n_d
        ds, de = seg.s - code * prep.span_total, seg.e - code * prep.span_total
        iseg, iunit = overlap_pairs(ds, de, u_s, u_e)
        keys.append(code[iseg] * n_units + iunit)
        covers.append(np.minimum(de[iseg], u_e[iunit]) - np.maximum(ds[iseg], u_s[iunit]))
    uniq, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    unit = uniq % n_units
    length = (u_e - u_s)[unit]
    coded = []
    start = 0
    for key, cover in zip(keys, covers, strict=True):
        part = inverse[start : start + len(key)]
        start += len(key)
        total = np.bincount(part, weights=cover, minlength=len(uniq)).astype(np.int64)
        if share is None:
            coded.append(total > 0)
        else:
            coded.append((total > 0) & (share.denominator * total >= share.numerator * length))
    coded_at = np.array(coded, dtype=bool).reshape(m, len(uniq))
    group = (uniq // n_units) * n_d + owner[unit]
    n_groups = n_c * n_d
    hist = _hist(group, coded_at.sum(axis=0), n_groups, m)
    per_doc = np.tile(np.bincount(owner, minlength=n_d), n_c)
    hist[:, 0] = per_doc - hist[:, 1:].sum(axis=1)
    pairs = []
    for i, j in itertools.combinations(range(m), 2):
        both = np.bincount(group[coded_at[i] & coded_at[j]], minlength=n_groups)
        first = np.bincount(group[coded_at[i]], minlength=n_groups)
        second = np.bincount(group[coded_at[j]], minlength=n_groups)
        pairs.append(_pair_table(both, first, second, per_doc))
    return hist, np.array(pairs, dtype=np.int64)


def _document_counts(prep: Prepared, segs: list[Segments]) -> tuple[np.ndarray, np.ndarray]:
    m, n_groups = len(segs), prep.n_codes * prep.n_docs
    present = np.array([np.bincount(s.g, minlength=n_groups) > 0 for s in segs]).astype(np.int64)
    hist = _hist(np.arange(n_groups), present.sum(axis=0), n_groups, m)
    ones = np.ones(n_groups, dtype=np.int64)
    pairs = [
        _pair_table(present[i] * present[j], present[i], present[j], ones)
        for i, j in itertools.combinations(range(m), 2)
    ]
    return hist, np.array(pairs, dtype=np.int64)


def _u_alpha_scopes(prep: Prepared, hist: np.ndarray, sum_sq: np.ndarray) -> dict[str, tuple]:
    """|u-alpha per code for m coders at every scope (pooled over codes as 1 - sum u / sum e)."""
    n_c, n_d = prep.n_codes, prep.n_docs
    h = hist.reshape(n_c, n_d, -1)
    sq = sum_sq.reshape(n_c, n_d)
    cell = u_alpha_binary_values(h, sq)
    code = u_alpha_binary_values(h.sum(axis=1), sq.sum(axis=1))
    coded = (h[..., 1:].sum(axis=-1)).astype(np.float64)
    theme = theme_matrix(prep)
    total = prep.doc_len.sum()
    return {
        "code_document": (cell[0].ravel(), cell[1].ravel()),
        "code": code[:2],
        "document": pooled_ratio(cell[2].sum(0), cell[3].sum(0), prep.doc_len, coded.sum(0)),
        "theme": pooled_ratio(
            code[2] @ theme, code[3] @ theme, np.full(theme.shape[1], total), coded.sum(1) @ theme
        ),
        "overall": pooled_ratio(
            code[2].sum(keepdims=True),
            code[3].sum(keepdims=True),
            np.array([total]),
            coded.sum().reshape(1),
        ),
    }


def _replicate(
    weights: np.ndarray, hist: np.ndarray, pairs: np.ndarray, sum_sq: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Every per-code replicate count in one matrix product: ``(R, C, m+1)`` coverage
    counts, ``(P, R, C, 4)`` pair tables and ``(R, C)`` squared segment lengths."""
    n_c, n_d, width = hist.shape
    n_p = pairs.shape[0]
    parts = [hist, pairs.transpose(1, 2, 0, 3).reshape(n_c, n_d, n_p * 4)]
    if sum_sq is not None:
        parts.append(sum_sq[..., None])
    rep = replicate_counts(weights, np.concatenate(parts, axis=2).astype(np.float64))
    by_pair = rep[..., width : width + 4 * n_p].reshape(*rep.shape[:2], n_p, 4)
    return (
        rep[..., :width],
        by_pair.transpose(2, 0, 1, 3),
        None if sum_sq is None else rep[..., -1],
    )


def _by_theme(per_code: np.ndarray, theme: np.ndarray) -> np.ndarray:
    """``(..., C, K)`` -> ``(..., T, K)`` summed over each theme's codes (one matmul)."""
    return np.swapaxes(np.swapaxes(per_code, -1, -2) @ theme, -1, -2)


def _bootstrap(
    by_code: np.ndarray,
    by_pair: np.ndarray,
    sq: np.ndarray | None,
    theme: np.ndarray,
    confidence: float,
) -> dict[str, dict[str, Bootstrap]]:
    """Bootstrap of every m-coder coefficient at the headline scopes, from replicate
    counts (:func:`_replicate`)."""
    pooled = {
        "code": (by_code, by_pair),
        "theme": (_by_theme(by_code, theme), _by_theme(by_pair, theme)),
        "overall": (by_code.sum(axis=1, keepdims=True), by_pair.sum(axis=2, keepdims=True)),
    }
    out: dict[str, dict[str, Bootstrap]] = {}
    for scope, (h, p) in pooled.items():
        stats = multi_statistics(h)
        stats["light_kappa"] = light_kappa(p)
        out[scope] = {name: summarize(v, confidence) for name, (v, _) in stats.items()}
    if sq is not None:
        _, _, u01, e01 = u_alpha_binary_values(by_code, sq)
        for scope, (u, e) in {
            "code": (u01, e01),
            "theme": (u01 @ theme, e01 @ theme),
            "overall": (u01.sum(1, keepdims=True), e01.sum(1, keepdims=True)),
        }.items():
            out[scope]["u_alpha"] = summarize(1 - safe_divide(u, e, e > 0), confidence)
    return out


def _pairwise(
    unit: str,
    names: tuple[str, ...],
    pairs: np.ndarray,
    by_pair: np.ndarray | None,
    confidence: float,
) -> PairwiseTable:
    """Every coder pair pooled over all codes and documents."""
    index = tuple(itertools.combinations(range(len(names)), 2))
    counts = pairs.sum(axis=(1, 2))
    stats = binary_statistics(*(counts[:, j] for j in range(4)))
    keep = ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "gwet_ac1", "dice")
    boots = {}
    if by_pair is not None:
        rep = by_pair.sum(axis=2).transpose(1, 0, 2)  # (R, P, 4)
        rep_stats = binary_statistics(*(rep[..., j] for j in range(4)))
        boots = {name: summarize(rep_stats[name][0], confidence) for name in keep}
    return PairwiseTable(
        unit=unit,
        coders=names,
        pairs=index,
        counts=counts.astype(np.int64),
        values={n: stats[n][0] for n in keep},
        reasons={n: stats[n][1] for n in keep},
        bootstrap=boots,
    )


def build_multi_report(
    documents: Iterable[object],
    codes: Iterable[object],
    layers: Sequence[Iterable[Sequence[object]]],
    *,
    names: Sequence[str] | None = None,
    level: str = "subtheme",
    units: Sequence[str] = UNIT_KINDS,
    unit_min_share: float | None = None,
    n_replicates: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> AgreementReport:
    """Compute the agreement report of ``m >= 2`` coders.

    Args:
        documents: As for :func:`~ketqual.core.agreement.report.build_report`.
        codes: As for ``build_report``.
        layers: Each coder's ``(document_id, code_id, start, end)`` codings.
        names: The coders' names (default A, B, C ...), used in the pairwise table.
        level: ``"theme"`` or ``"subtheme"``.
        units: Unit kinds to compute.
        unit_min_share: Minimum coded share of a sentence or paragraph, or ``None``.
        n_replicates: Bootstrap replicates (0 for none).
        seed: Seed of the bootstrap.
        confidence: Interval level.

    Returns:
        An :class:`~ketqual.core.agreement.report_model.AgreementReport` whose tables
        count ``coded_by_0 .. coded_by_m`` and which has a ``pairwise`` table per unit.

    Raises:
        ValueError: For fewer than two coders, invalid inputs or parameters.
    """
    units = tuple(units)
    if not units or any(u not in UNIT_KINDS for u in units) or len(set(units)) != len(units):
        raise ValueError(f"units must be distinct kinds from {UNIT_KINDS}, got {units}")
    if len(layers) < 2:
        raise ValueError("agreement needs at least two coders")
    share = None if unit_min_share is None else overlap_fraction(unit_min_share)
    if n_replicates < 0 or not 0 < confidence < 1:
        raise ValueError("n_replicates must be >= 0 and confidence in (0, 1)")
    prep = prepare_layers(documents, codes, layers, level, names)
    if prep.n_docs == 0 or prep.n_codes == 0:
        raise ValueError("the report needs at least one document and one code")
    m, n_c, n_d = len(layers), prep.n_codes, prep.n_docs
    segs = [merge_coder(prep, coding) for coding in prep.codings]
    theme = theme_matrix(prep)
    weights = resample_weights(n_d, n_replicates, seed) if n_replicates else None

    tables: dict[tuple[str, str], ScopeTable] = {}
    keys_of = {scope: scope_keys(prep, scope) for scope in SCOPES}
    pairwise: dict[str, PairwiseTable] = {}
    family_info: dict[str, Any] = {"overlaps": {}, "left_out": {}}
    for unit in units:
        sum_sq = None
        if unit == "character":
            hist, pairs, sum_sq = _character_counts(prep, segs)
        elif unit == "document":
            hist, pairs = _document_counts(prep, segs)
        else:
            hist, pairs = _unit_counts(prep, unit, segs, share)
        per_group = hist.reshape(n_c, n_d, m + 1)
        pair_groups = pairs.reshape(len(pairs), n_c, n_d, 4)
        counts = pool(per_group, prep)
        per_pair = [pool(p, prep) for p in pair_groups]
        pooled_pairs = {scope: np.stack([p[scope] for p in per_pair]) for scope in SCOPES}
        empty = R_EMPTY_TEXT if unit == "character" else R_NO_UNITS
        stats = {}
        for scope in SCOPES:
            stats[scope] = multi_statistics(counts[scope], empty_reason=empty)
            stats[scope]["light_kappa"] = light_kappa(pooled_pairs[scope])
        boots, rep_hist, rep_pairs = {}, None, None
        if weights is not None:
            sq = None if sum_sq is None else sum_sq.reshape(n_c, n_d)
            rep_hist, rep_pairs, rep_sq = _replicate(weights, per_group, pair_groups, sq)
            boots = _bootstrap(rep_hist, rep_pairs, rep_sq, theme, confidence)
        extras = [kappa_scopes(per_group, prep, "fleiss", weights, confidence, rep_hist)]
        if unit == "character":
            assert sum_sq is not None  # counted at character units
            for scope, pair in _u_alpha_scopes(prep, hist, sum_sq).items():
                stats[scope]["u_alpha"] = pair
            family, family_boots, family_info = family_scopes(prep, weights, confidence)
            extras.append((family, family_boots))
        for extra, extra_boots in extras:
            for scope in SCOPES:
                stats[scope].update(extra[scope])
            for scope, named in extra_boots.items():
                boots.setdefault(scope, {}).update(named)
        for scope in SCOPES:
            key_names, keys = keys_of[scope]
            analytic = {}
            if scope in HEADLINE_SCOPES:
                analytic = {n: analytic_se(counts[scope], n) for n in ("fleiss_kappa", "gwet_ac1")}
            tables[(unit, scope)] = ScopeTable(
                unit=unit,
                scope=scope,
                key_names=key_names,
                keys=keys,
                counts=counts[scope].astype(np.int64),
                values={name: v for name, (v, _) in stats[scope].items()},
                reasons={name: r for name, (_, r) in stats[scope].items()},
                bootstrap=boots.get(scope, {}),
                count_names=coverage_names(m),
                analytic=analytic,
            )
        pairwise[unit] = _pairwise(unit, prep.coder_names, pair_groups, rep_pairs, confidence)

    nvivo = []
    for unit in units:
        if unit != "document":
            nvivo += nvivo_summaries(
                tables[(unit, "code_document")], prep.code_ids, n_d, "fleiss_kappa"
            )
    parameters: dict[str, object] = {
        "level": level,
        "units": list(units),
        "unit_min_share": unit_min_share,
        "segment_min_overlap": None,
        "n_replicates": n_replicates,
        "seed": seed,
        "confidence": confidence,
        "n_documents": n_d,
        "n_codes": n_c,
        "n_themes": len(prep.theme_ids),
        "code_names": dict(zip(map(str, prep.code_ids), prep.code_names, strict=True)),
        "coders": list(prep.coder_names),
        "n_coders": m,
        "n_codings": {
            name: int(c[0].size) for name, c in zip(prep.coder_names, prep.codings, strict=True)
        },
        "overlapping_codes": family_info["overlaps"],
        "documents_left_out": {str(k): v for k, v in dict(family_info["left_out"]).items()},
        "unit_definitions": unit_definitions(unit_min_share, level),
        "methods": {**METHOD_NOTES, **MULTI_NOTES},
    }
    return AgreementReport(
        parameters=parameters,
        tables=tables,
        segments={},
        nvivo=tuple(nvivo),
        warnings=tuple(
            data_warnings(tables, n_d, n_replicates) + family_warnings(family_info, prep.n_docs)
        ),
        pairwise=pairwise,
    )
