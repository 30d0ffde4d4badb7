"""Build a full two-coder agreement report from plain data.

Inputs are documents (id, text length, sentence and paragraph spans), codes (id, name,
parent) and two coders' codings ``(document_id, code_id, start, end)``. The report
computes, for each unit kind -- characters, sentences, paragraphs, documents -- and each
scope -- code x document, code (pooled over documents), document (pooled over codes),
theme (pooled over its codes and documents), overall -- every 2x2 coefficient
(:mod:`~ketqual.core.agreement.binary`), plus Krippendorff's alpha_U and |u-alpha for
characters, segment matching, NVivo-style kappa averages, percentile-bootstrap intervals
over documents for the headline scopes (code, theme, overall) and data warnings.

See :mod:`report_input` for coordinates, :mod:`report_engine` for the per-group counts,
:mod:`report_scopes` for pooling and :mod:`bootstrap` for the intervals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ketqual.core.agreement.binary import R_EMPTY_TEXT, R_NO_UNITS
from ketqual.core.agreement.bootstrap import bootstrap_scopes, resample_weights
from ketqual.core.agreement.matching import overlap_fraction
from ketqual.core.agreement.report_across import family_scopes, family_warnings, kappa_scopes
from ketqual.core.agreement.report_engine import compute
from ketqual.core.agreement.report_input import UNIT_KINDS, prepare
from ketqual.core.agreement.report_model import (
    BOOTSTRAP_METHOD,
    AgreementReport,
    ScopeTable,
    SegmentTable,
)
from ketqual.core.agreement.report_notes import data_warnings, nvivo_summaries
from ketqual.core.agreement.report_scopes import (
    SCOPES,
    binary_scopes,
    pool,
    scope_keys,
    theme_matrix,
    unitizing_scopes,
)

METHOD_NOTES = {
    "pooling": "2x2 tables are summed over the pooled code x document tables. alpha_U and "
    "|u-alpha pool documents as one continuum in sections (segments and gaps never cross a "
    "document boundary) and codes as 1 - sum(D_o) / sum(D_e).",
    "bootstrap": f"{BOOTSTRAP_METHOD}: documents drawn with replacement, percentile "
    "intervals over replicates in which the coefficient is defined; for the code, theme and "
    "overall scopes; not for alpha_U, whose expected disagreement is not additive over "
    "documents.",
    "merging": "Each coder's overlapping or adjacent spans of one code in one document are "
    "merged before counting.",
    "standard_errors": "Analytic standard errors assume independent units; characters, "
    "sentences and paragraphs of one document are not, so the report gives bootstrap "
    "intervals over documents instead.",
    "overall_kappa": "Three overall kappas: the 'all codes' row of the kappa is the stacked "
    "table (every code's table added); mean_kappa is the mean of the per-code kappas "
    "(undefined ones left out); pooled_kappa is De Vries et al. (2008): mean observed minus "
    "mean chance agreement over one minus mean chance agreement, codes weighted equally.",
    "unitizing_across_codes": "u_alpha_nominal, c_u_alpha and cu_alpha (Krippendorff, "
    "Mathet, Bouvry & Widloecher 2016) treat the codes as one variable with the gap as a "
    "value, per document, per theme (the theme and its subthemes as values) and over every "
    "analysed code; documents are sections of one continuum. They need mutually exclusive "
    "codes: a document in which a coder applied two of the compared codes to the same text "
    "is undefined with that reason and left out, whole, of the pooled figures (cautions "
    "count them). u_alpha_binary is |u-alpha for text coded with any code, always over "
    "every document.",
}


def unit_definitions(share: float | None, level: str) -> dict[str, str]:
    rule = (
        "any of its characters is coded"
        if share is None
        else f"at least {share:.0%} of its characters are coded"
    )
    return {
        "character": "each character of a document's text",
        "sentence": f"a supplied sentence unit, coded when {rule}",
        "paragraph": f"a supplied paragraph unit, coded when {rule}",
        "document": "a document, coded when any of its characters is coded",
        "code": "themes only; a subtheme's codings count for its theme"
        if level == "theme"
        else "every code on its own; themes are pooled from their codes",
    }


def build_report(
    documents: Iterable[object],
    codes: Iterable[object],
    codings_a: Iterable[Sequence[object]],
    codings_b: Iterable[Sequence[object]],
    *,
    level: str = "subtheme",
    units: Sequence[str] = UNIT_KINDS,
    unit_min_share: float | None = None,
    segment_min_overlap: float = 0.9,
    n_replicates: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> AgreementReport:
    """Compute the two-coder agreement report.

    Args:
        documents: :class:`~ketqual.core.agreement.report_input.DocumentInput` items (or
            mappings / tuples with ``id``, ``text_length``, ``units``).
        codes: :class:`~ketqual.core.agreement.report_input.CodeInput` items (or
            mappings / ``(id, name, parent_id)`` tuples).
        codings_a: Coder A's ``(document_id, code_id, start, end)`` codings.
        codings_b: Coder B's.
        level: ``"theme"``: only themes are analysed and subtheme codings count for their
            theme; ``"subtheme"``: every code stands alone.
        units: Unit kinds to compute, from ``("character", "sentence", "paragraph",
            "document")``.
        unit_min_share: ``None``: a sentence or paragraph counts as coded when any of its
            characters is; else the minimum coded share, in (0, 1].
        segment_min_overlap: Segment-matching threshold (intersection over union), which
            must exceed 0.5 here so matches are unique; see ``segment_matching``.
        n_replicates: Bootstrap replicates (0 for none).
        seed: Seed of the bootstrap's random generator.
        confidence: Level of the bootstrap intervals.

    Returns:
        An :class:`~ketqual.core.agreement.report_model.AgreementReport`.

    Raises:
        ValueError: For invalid inputs or parameters.
    """
    units = tuple(units)
    if not units or any(u not in UNIT_KINDS for u in units) or len(set(units)) != len(units):
        raise ValueError(f"units must be distinct kinds from {UNIT_KINDS}, got {units}")
    share = None if unit_min_share is None else overlap_fraction(unit_min_share)
    min_overlap = overlap_fraction(segment_min_overlap)
    if min_overlap <= Fraction(1, 2):
        raise ValueError("segment_min_overlap must exceed 0.5 in the report")
    if n_replicates < 0 or not 0 < confidence < 1:
        raise ValueError("n_replicates must be >= 0 and confidence in (0, 1)")
    prep = prepare(documents, codes, codings_a, codings_b, level)
    if prep.n_docs == 0 or prep.n_codes == 0:
        raise ValueError("the report needs at least one document and one code")

    gd = compute(prep, units, share, min_overlap)
    theme = theme_matrix(prep)
    weights = resample_weights(prep.n_docs, n_replicates, seed) if n_replicates else None
    per_unit = {"character": gd.char_counts, "document": gd.doc_counts, **gd.unit_counts}
    tables: dict[tuple[str, str], ScopeTable] = {}
    keys_of = {scope: scope_keys(prep, scope) for scope in SCOPES}
    family_info: dict[str, Any] = {"overlaps": {}, "left_out": {}}
    for unit in units:
        counts = pool(per_unit[unit], prep)
        stats = binary_scopes(counts, R_EMPTY_TEXT if unit == "character" else R_NO_UNITS)
        if unit == "character":
            for scope, extra in unitizing_scopes(prep, gd).items():
                stats[scope].update(extra)
        boots: dict[str, Any] = {}
        if weights is not None:
            sum_sq = gd.sum_sq if unit == "character" else None
            boots = bootstrap_scopes(weights, per_unit[unit], theme, confidence, sum_sq)
        extras: list[tuple[Any, Any]] = [
            kappa_scopes(per_unit[unit], prep, "cohen", weights, confidence)
        ]
        if unit == "character":
            family, family_boots, family_info = family_scopes(prep, weights, confidence)
            extras.append((family, family_boots))
        for extra, extra_boots in extras:
            for scope in SCOPES:
                stats[scope].update(extra[scope])
            for scope, named in extra_boots.items():
                boots.setdefault(scope, {}).update(named)
        for scope in SCOPES:
            key_names, keys = keys_of[scope]
            tables[(unit, scope)] = ScopeTable(
                unit=unit,
                scope=scope,
                key_names=key_names,
                keys=keys,
                counts=counts[scope].astype(np.int64),
                values={name: v for name, (v, _) in stats[scope].items()},
                reasons={name: r for name, (_, r) in stats[scope].items()},
                bootstrap=boots.get(scope, {}),
            )

    seg = np.stack([gd.seg_n_a, gd.seg_n_b, gd.seg_matched], axis=-1)
    segments = {}
    for scope, arr in pool(seg, prep).items():
        key_names, keys = scope_keys(prep, scope)
        segments[scope] = SegmentTable(scope, key_names, keys, arr[:, 0], arr[:, 1], arr[:, 2])

    nvivo = []
    for unit in units:
        if unit != "document":
            nvivo += nvivo_summaries(tables[(unit, "code_document")], prep.code_ids, prep.n_docs)

    parameters: dict[str, object] = {
        "level": level,
        "units": list(units),
        "unit_min_share": unit_min_share,
        "segment_min_overlap": segment_min_overlap,
        "n_replicates": n_replicates,
        "seed": seed,
        "confidence": confidence,
        "n_documents": prep.n_docs,
        "n_codes": prep.n_codes,
        "n_themes": len(prep.theme_ids),
        "code_names": dict(zip(map(str, prep.code_ids), prep.code_names, strict=True)),
        "n_codings": {"a": int(prep.codings[0][0].size), "b": int(prep.codings[1][0].size)},
        "n_coders": 2,
        "overlapping_codes": family_info["overlaps"],
        "documents_left_out": {str(k): v for k, v in dict(family_info["left_out"]).items()},
        "unit_definitions": unit_definitions(unit_min_share, level),
        "methods": METHOD_NOTES,
    }
    return AgreementReport(
        parameters=parameters,
        tables=tables,
        segments=segments,
        nvivo=tuple(nvivo),
        warnings=tuple(
            data_warnings(tables, prep.n_docs, n_replicates)
            + family_warnings(family_info, prep.n_docs)
        ),
    )
