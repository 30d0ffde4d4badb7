"""Vectorised arithmetic on half-open integer intervals ``[start, end)``.

Agreement on long texts is computed from spans, never from per-character arrays: merging,
pairwise overlaps, gaps and unit coverage are all O(number of spans) after a sort.

Many independent continua (one per code x document, say) are handled in one pass by giving
each its own stretch of a shared "global" coordinate line, with at least one unused
position between stretches so spans of different continua never touch or merge. A
continuum is then identified by its ``group`` number, ``origin`` (global start) and length.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def merge_intervals(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge overlapping and adjacent intervals; drop empty ones.

    Args:
        starts: Interval starts (any order).
        ends: Interval ends, ``end >= start``.

    Returns:
        ``(starts, ends)`` of disjoint, non-touching intervals sorted by start.
    """
    s = np.asarray(starts, dtype=np.int64)
    e = np.asarray(ends, dtype=np.int64)
    keep = e > s
    s, e = s[keep], e[keep]
    if s.size == 0:
        return s, e
    order = np.argsort(s, kind="stable")
    s, e = s[order], e[order]
    reach = np.maximum.accumulate(e)
    # A new run starts where the interval begins after everything so far has ended;
    # ``>`` (not ``>=``) makes touching intervals merge, as the same code on adjacent
    # text is one stretch of coded text.
    new_run = np.empty(s.size, dtype=bool)
    new_run[0] = True
    new_run[1:] = s[1:] > reach[:-1]
    first = np.flatnonzero(new_run)
    last = np.append(first[1:] - 1, s.size - 1)
    return s[first], reach[last]


def merge_spans(
    spans: Iterable[tuple[int, int]], text_length: int | None = None
) -> list[tuple[int, int]]:
    """Merge one coder's spans of one code: overlapping or adjacent spans become one.

    Args:
        spans: Half-open ``(start, end)`` character offsets.
        text_length: When given, every span must lie within ``[0, text_length]``.

    Returns:
        Sorted, disjoint, non-adjacent, non-empty spans.

    Raises:
        ValueError: For a span with ``end < start``, a negative start, or one past the end.
    """
    s, e = spans_to_arrays(spans, text_length)
    ms, me = merge_intervals(s, e)
    return list(zip(ms.tolist(), me.tolist(), strict=True))


def spans_to_arrays(
    spans: Iterable[tuple[int, int]], text_length: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Validate spans and return them as two int64 arrays (starts, ends)."""
    pairs = [(int(a), int(b)) for a, b in spans]
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    s, e = arr[:, 0], arr[:, 1]
    if np.any(e < s):
        raise ValueError("a span ends before it starts")
    if np.any(s < 0):
        raise ValueError("a span starts before the text")
    if text_length is not None and np.any(e > text_length):
        raise ValueError(f"a span ends after the text ({text_length} characters)")
    return s, e


def overlap_pairs(
    a_starts: np.ndarray, a_ends: np.ndarray, b_starts: np.ndarray, b_ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(i, j)`` where interval ``a[i]`` and ``b[j]`` share at least one position.

    Both lists must be sorted and disjoint (as :func:`merge_intervals` returns, or units).
    The number of pairs is at most ``len(a) + len(b) - 1``.

    Returns:
        ``(ia, ib)`` index arrays, ordered by ``ia`` then ``ib``.
    """
    lo = np.searchsorted(b_ends, a_starts, side="right")  # first b ending after a starts
    hi = np.searchsorted(b_starts, a_ends, side="left")  # first b starting at/after a's end
    count = np.maximum(hi - lo, 0)
    total = int(count.sum())
    ia = np.repeat(np.arange(a_starts.size), count)
    first = np.cumsum(count) - count
    ib = np.repeat(lo, count) + (np.arange(total) - np.repeat(first, count))
    return ia, ib


def gaps(
    starts: np.ndarray,
    ends: np.ndarray,
    groups: np.ndarray,
    origins: np.ndarray,
    lengths: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Lengths of the uncoded stretches between one coder's merged segments, per continuum.

    Args:
        starts: Merged segment starts in global coordinates, sorted.
        ends: Their ends.
        groups: Continuum of each segment (non-decreasing along the arrays).
        origins: Global start of each continuum.
        lengths: Length of each continuum.

    Returns:
        ``(gap_lengths, gap_groups)`` for the non-empty gaps, including a whole continuum
        where the coder coded nothing.
    """
    n_groups = origins.size
    if starts.size == 0:
        keep = lengths > 0
        return lengths[keep].astype(np.int64), np.flatnonzero(keep)
    first = np.empty(starts.size, dtype=bool)
    first[0] = True
    first[1:] = groups[1:] != groups[:-1]
    prev_end = np.where(first, origins[groups], np.roll(ends, 1))
    before = starts - prev_end
    last = np.append(first[1:], True)
    tail_end = origins + lengths  # whole continuum when the coder has no segment in it
    last_end = origins.copy()
    last_end[groups[last]] = ends[last]
    trailing = tail_end - last_end
    gap_len = np.concatenate((before, trailing))
    gap_grp = np.concatenate((groups, np.arange(n_groups)))
    keep = gap_len > 0
    return gap_len[keep].astype(np.int64), gap_grp[keep]
