"""Shared data for agreement tests: published worked examples and hypothesis strategies."""

from __future__ import annotations

from hypothesis import strategies as st

N = None

# Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# x 12 units with missing values. The same data is Gwet's (2014) Handbook example
# (irrCAC's ``raw_4raters``), with the observers in another order.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def units_by_raters(data):
    """Transpose a coders x units matrix into units x raters."""
    return [list(col) for col in zip(*data, strict=True)]


@st.composite
def texts_with_spans(draw, max_length=40, max_spans=6):
    """A text length and two coders' raw spans (overlapping and adjacent allowed)."""
    length = draw(st.integers(0, max_length))
    span = st.tuples(st.integers(0, length), st.integers(0, length)).map(lambda t: tuple(sorted(t)))
    a = draw(st.lists(span, max_size=max_spans))
    b = draw(st.lists(span, max_size=max_spans))
    return length, a, b


def labels(length, spans):
    """Per-character 0/1 labels (test oracle only)."""
    out = [0] * length
    for s, e in spans:
        for x in range(s, e):
            out[x] = 1
    return out
