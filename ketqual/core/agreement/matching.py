"""Segment-level agreement: does each coded segment have a counterpart in the other coding?

MAXQDA's "segment overlap" check counts, for each coder separately, segments that the
other coder also coded with at least a given overlap; a segment can then count twice. Here
the rule is symmetric and every segment is used at most once:

* Each coder's spans of the code are merged first (overlapping or adjacent spans are one
  segment).
* Segments ``a`` (coder A) and ``b`` (coder B) *match* when
  ``|a ∩ b| / |a ∪ b| >= min_overlap`` (intersection over union, i.e. Jaccard of the two
  character sets), compared exactly in rational arithmetic.
* For ``min_overlap > 0.5`` a segment can match at most one segment of the other coder
  (two disjoint partners cannot both cover more than half of the union), so the matching
  is unique. For ``min_overlap <= 0.5`` pairs are taken greedily by decreasing overlap
  ratio (ties by position), each segment at most once.
* Percent agreement ``= matched / (matched + unmatched_a + unmatched_b)``; ``dice =
  2 matched / (n_a + n_b)``, the share of all segments that found a partner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ketqual.core.agreement.intervals import merge_intervals, overlap_pairs, spans_to_arrays
from ketqual.core.agreement.result import NOTHING_CODED, Statistic, undefined


def overlap_fraction(min_overlap: float) -> Fraction:
    """Validate ``min_overlap`` and return it as an exact fraction (0.9 -> 9/10)."""
    frac = Fraction(str(min_overlap)) if isinstance(min_overlap, float) else Fraction(min_overlap)
    if not 0 < frac <= 1:
        raise ValueError(f"min_overlap must be in (0, 1], got {min_overlap}")
    return frac


def qualifying_pairs(
    a_s: np.ndarray,
    a_e: np.ndarray,
    b_s: np.ndarray,
    b_e: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray],
    frac: Fraction,
) -> tuple[np.ndarray, np.ndarray]:
    """Overlap lengths of each overlapping pair and whether it passes the rule.

    Returns:
        ``(inter, ok)`` arrays aligned with ``pairs``.
    """
    ia, ib = pairs
    inter = np.minimum(a_e[ia], b_e[ib]) - np.maximum(a_s[ia], b_s[ib])
    union = (a_e[ia] - a_s[ia]) + (b_e[ib] - b_s[ib]) - inter
    # inter / union >= p / q  <=>  q * inter >= p * union, in exact integers.
    ok = frac.denominator * inter >= frac.numerator * union
    return inter, ok


@dataclass(frozen=True)
class SegmentMatch:
    """Result of :func:`segment_matching`.

    Attributes:
        min_overlap: The threshold used.
        n_a: Coder A's (merged) segments.
        n_b: Coder B's segments.
        matched: Matched pairs.
        unmatched_a: A's segments without a partner.
        unmatched_b: B's segments without a partner.
        pairs: The matched ``(segment_a, segment_b)`` pairs.
        percent_agreement: ``matched / (matched + unmatched_a + unmatched_b)``.
        dice: ``2 matched / (n_a + n_b)``.
    """

    min_overlap: float
    n_a: int
    n_b: int
    matched: int
    unmatched_a: int
    unmatched_b: int
    pairs: tuple[tuple[tuple[int, int], tuple[int, int]], ...]
    percent_agreement: Statistic
    dice: Statistic

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict."""
        return {
            "min_overlap": self.min_overlap,
            "n_a": self.n_a,
            "n_b": self.n_b,
            "matched": self.matched,
            "unmatched_a": self.unmatched_a,
            "unmatched_b": self.unmatched_b,
            "pairs": [[list(a), list(b)] for a, b in self.pairs],
            "percent_agreement": self.percent_agreement.to_dict(),
            "dice": self.dice.to_dict(),
        }


def segment_matching(
    spans_a: Iterable[tuple[int, int]],
    spans_b: Iterable[tuple[int, int]],
    min_overlap: float = 0.9,
) -> SegmentMatch:
    """Match two coders' segments of one code by minimum overlap (see module docstring).

    Args:
        spans_a: Coder A's half-open spans.
        spans_b: Coder B's spans.
        min_overlap: Minimum intersection-over-union for a match, in (0, 1].

    Returns:
        A :class:`SegmentMatch`, symmetric in A and B.
    """
    frac = overlap_fraction(min_overlap)
    a_s, a_e = merge_intervals(*spans_to_arrays(spans_a))
    b_s, b_e = merge_intervals(*spans_to_arrays(spans_b))
    pairs = overlap_pairs(a_s, a_e, b_s, b_e)
    inter, ok = qualifying_pairs(a_s, a_e, b_s, b_e, pairs, frac)
    ia, ib = pairs[0][ok], pairs[1][ok]
    if frac <= Fraction(1, 2) and ia.size:
        inter = inter[ok]
        union = (a_e[ia] - a_s[ia]) + (b_e[ib] - b_s[ib]) - inter
        order = sorted(
            range(ia.size),
            key=lambda k: (-Fraction(int(inter[k]), int(union[k])), int(ia[k]), int(ib[k])),
        )
        used_a: set[int] = set()
        used_b: set[int] = set()
        keep = []
        for k in order:
            if int(ia[k]) not in used_a and int(ib[k]) not in used_b:
                used_a.add(int(ia[k]))
                used_b.add(int(ib[k]))
                keep.append(k)
        keep.sort()
        ia, ib = ia[keep], ib[keep]
    matched = int(ia.size)
    n_a, n_b = int(a_s.size), int(b_s.size)
    total = n_a + n_b - matched
    if total == 0:
        pa = undefined("segment_percent_agreement", NOTHING_CODED, n=0)
        dc = undefined("segment_dice", NOTHING_CODED, n=0)
    else:
        pa = Statistic(name="segment_percent_agreement", value=matched / total, n=total)
        dc = Statistic(name="segment_dice", value=2 * matched / (n_a + n_b), n=n_a + n_b)
    return SegmentMatch(
        min_overlap=float(min_overlap),
        n_a=n_a,
        n_b=n_b,
        matched=matched,
        unmatched_a=n_a - matched,
        unmatched_b=n_b - matched,
        pairs=tuple(
            ((int(a_s[i]), int(a_e[i])), (int(b_s[j]), int(b_e[j])))
            for i, j in zip(ia.tolist(), ib.tolist(), strict=True)
        ),
        percent_agreement=pa,
        dice=dc,
    )
