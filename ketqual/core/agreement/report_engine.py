"""Per code x document counts for the report, for all groups at once.

Group ``g = c * D + d`` is code ``c`` in document ``d``. Each coder's codings are merged per
group (overlapping or adjacent spans become one segment), then every quantity the report
needs is a sum over segments, overlapping segment pairs or segment-unit pairs, reduced per
group with ``bincount``. Nothing is ever expanded to characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ketqual.core.agreement.intervals import gaps, merge_intervals, overlap_pairs
from ketqual.core.agreement.matching import qualifying_pairs
from ketqual.core.agreement.report_input import Prepared
from ketqual.core.agreement.unitizing import observed_sums, sum_by


@dataclass
class Segments:
    """One coder's merged segments: global start/end and group."""

    s: np.ndarray
    e: np.ndarray
    g: np.ndarray

    @property
    def length(self) -> np.ndarray:
        return self.e - self.s


@dataclass
class GroupData:
    """Everything per group the scopes are built from (arrays reshaped ``(C, D, ...)``)."""

    char_counts: np.ndarray  # (C, D, 4)
    sum_sq: np.ndarray  # (C, D) squared segment lengths, both coders (|u-alpha S_1)
    observed: np.ndarray  # (C, D) alpha_u sum of d2
    n_seg: np.ndarray  # (C, D) segments of both coders
    sq_excess: np.ndarray  # (C, D) sum l (l - 1)
    seg_len: np.ndarray  # every segment's length, both coders
    seg_grp: np.ndarray  # and its group
    gap_len: np.ndarray  # every gap's length, both coders
    gap_grp: np.ndarray  # and its group
    unit_counts: dict[str, np.ndarray]  # kind -> (C, D, 4)
    doc_counts: np.ndarray  # (C, D, 4) presence
    seg_n_a: np.ndarray  # (C, D)
    seg_n_b: np.ndarray
    seg_matched: np.ndarray


def merge_coder(prep: Prepared, coding: tuple[np.ndarray, ...]) -> Segments:
    """Merge one coder's codings per code x document group."""
    docs, codes, starts, ends = coding
    origin = codes * prep.span_total + prep.doc_origin[docs]
    s, e = merge_intervals(origin + starts, origin + ends)
    g = np.searchsorted(prep.group_origins(), s, side="right") - 1
    return Segments(s, e, g.astype(np.int64))


def _four(
    both: np.ndarray, a_only: np.ndarray, b_only: np.ndarray, total: np.ndarray
) -> np.ndarray:
    return np.stack([both, a_only, b_only, total - both - a_only - b_only], axis=-1)


def _share_ok(cover: np.ndarray, length: np.ndarray, share: Fraction | None) -> np.ndarray:
    if share is None:
        return cover > 0
    # cover / length >= p / q, exactly, in integers
    return (cover > 0) & (share.denominator * cover >= share.numerator * length)


def unit_counts(
    prep: Prepared, kind: str, a: Segments, b: Segments, share: Fraction | None
) -> np.ndarray:
    """Per group 2x2 unit counts: a unit is coded when enough of it is coded (``share``)."""
    owner, u_s, u_e = prep.units[kind]
    n_c, n_d = prep.n_codes, prep.n_docs
    keys, covers = [], []
    for seg in (a, b):
        code = seg.g // n_d
        ds, de = seg.s - code * prep.span_total, seg.e - code * prep.span_total
        iseg, iunit = overlap_pairs(ds, de, u_s, u_e)
        cover = np.minimum(de[iseg], u_e[iunit]) - np.maximum(ds[iseg], u_s[iunit])
        keys.append(code[iseg] * max(len(u_s), 1) + iunit)
        covers.append(cover)
    uniq, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    split = len(keys[0])
    cov_a = np.bincount(inverse[:split], weights=covers[0], minlength=len(uniq))
    cov_b = np.bincount(inverse[split:], weights=covers[1], minlength=len(uniq))
    unit = uniq % max(len(u_s), 1)
    length = (u_e - u_s)[unit]
    in_a = _share_ok(cov_a.astype(np.int64), length, share)
    in_b = _share_ok(cov_b.astype(np.int64), length, share)
    group = (uniq // max(len(u_s), 1)) * n_d + owner[unit]
    n_groups = n_c * n_d
    both = np.bincount(group[in_a & in_b], minlength=n_groups)
    a_only = np.bincount(group[in_a & ~in_b], minlength=n_groups)
    b_only = np.bincount(group[in_b & ~in_a], minlength=n_groups)
    per_doc = np.bincount(owner, minlength=n_d)
    return _four(both, a_only, b_only, np.tile(per_doc, n_c)).reshape(n_c, n_d, 4)


def compute(
    prep: Prepared, units: tuple[str, ...], share: Fraction | None, min_overlap: Fraction
) -> GroupData:
    """Compute every per-group quantity of the report.

    Args:
        prep: Validated inputs.
        units: Unit kinds requested.
        share: Minimum coded share for a sentence/paragraph to count as coded, or
            ``None`` for "any character".
        min_overlap: Segment-matching threshold (must exceed 1/2, see ``matching``).

    Returns:
        The :class:`GroupData`.
    """
    n_c, n_d = prep.n_codes, prep.n_docs
    n_groups = n_c * n_d
    a, b = (merge_coder(prep, coding) for coding in prep.codings)
    pairs = overlap_pairs(a.s, a.e, b.s, b.e)
    ia, ib = pairs
    inter = np.minimum(a.e[ia], b.e[ib]) - np.maximum(a.s[ia], b.s[ib])
    both = sum_by(a.g[ia], inter, n_groups)
    len_a = sum_by(a.g, a.length, n_groups)
    len_b = sum_by(b.g, b.length, n_groups)
    lengths = prep.group_lengths()
    char_counts = _four(both, len_a - both, len_b - both, lengths).astype(np.int64)

    seg_len = np.concatenate((a.length, b.length))
    seg_grp = np.concatenate((a.g, b.g))
    lf = seg_len.astype(np.float64)
    origins = prep.group_origins()
    ga, gga = gaps(a.s, a.e, a.g, origins, lengths)
    gb, ggb = gaps(b.s, b.e, b.g, origins, lengths)

    presence = _four(
        (len_a > 0) & (len_b > 0),
        (len_a > 0) & (len_b == 0),
        (len_b > 0) & (len_a == 0),
        np.ones(n_groups),
    ).astype(np.int64)

    _, ok = qualifying_pairs(a.s, a.e, b.s, b.e, pairs, min_overlap)
    shape = (n_c, n_d)
    return GroupData(
        char_counts=char_counts.reshape(n_c, n_d, 4),
        sum_sq=sum_by(seg_grp, lf**2, n_groups).reshape(shape),
        observed=observed_sums(a.s, a.e, a.g, b.s, b.e, b.g, pairs, n_groups).reshape(shape),
        n_seg=np.bincount(seg_grp, minlength=n_groups).reshape(shape),
        sq_excess=sum_by(seg_grp, lf * (lf - 1), n_groups).reshape(shape),
        seg_len=seg_len,
        seg_grp=seg_grp,
        gap_len=np.concatenate((ga, gb)),
        gap_grp=np.concatenate((gga, ggb)),
        unit_counts={
            kind: unit_counts(prep, kind, a, b, share) for kind in units if kind in prep.units
        },
        doc_counts=presence.reshape(n_c, n_d, 4),
        seg_n_a=np.bincount(a.g, minlength=n_groups).reshape(shape),
        seg_n_b=np.bincount(b.g, minlength=n_groups).reshape(shape),
        seg_matched=np.bincount(a.g[ia[ok]], minlength=n_groups).reshape(shape),
    )
