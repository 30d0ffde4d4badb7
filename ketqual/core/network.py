"""Theme co-occurrence for the theme-overlap network: n per theme and overlap between themes.

Pure computation on plain data (codes, documents with their units, one layer's codings).
Everything is done on merged spans with numpy, so 50,000 codings take milliseconds.

Units (what one "n" counts)
---------------------------
A *coded passage* of code X is a maximal run of text in one document covered by codings
at X; for a theme, by codings at the theme or at any of its subthemes. Overlapping or
touching codings merge into one passage.

``passage``
    n = number of coded passages of the theme.
``sentence`` / ``paragraph``
    n = number of sentence (paragraph) units overlapping a coding of the theme by at least
    one character. Units of one kind never overlap (the segmenter guarantees it).
``case``
    n = number of cases (focus groups) with at least one coding of the theme. Documents
    that belong to no case are left out at this unit (the result's notes say how many).

Subthemes get their own n at the same unit, counting only their own codings.

Overlap of two themes A and B (``n12``)
---------------------------------------
At sentence, paragraph and case units each theme has a *set* of units; ``n12`` is the
number of units in both sets and the union is the number in either.

At passage unit there is no shared grid of units, so co-occurrence is defined on the
passages themselves: a passage of A and a passage of B *co-occur* when they share at least
one character (touching is not enough: two neighbouring bullet points coded differently do
not co-occur). Passages linked by such overlaps form chains (one long A passage overlapping
two separate B passages is one chain); ``n12`` is the number of chains that contain both
themes, and the union is the number of chains in all (a passage overlapping nothing is a
chain of its own). Counting chains, not overlapping pairs, keeps ``n12 <= min(n1, n2)``.

Measures
--------
``count``
    ``n12``.
``jaccard``
    ``n12 / |union|``: Jaccard's index on the two themes' unit sets (at passage unit, on
    chains).
``c``
    The c-coefficient of quantitative content analysis as ATLAS.ti reports it:
    ``n12 / (n1 + n2 - n12)`` with ``n1``, ``n2`` the themes' own n.
``overlap``
    The overlap (Szymkiewicz-Simpson) coefficient ``n12 / min(n1, n2)``: 1 when every
    mention of the rarer theme co-occurs with the other.

How c and Jaccard relate: at sentence, paragraph and case units ``n1 + n2 - n12`` *is*
the size of the union of two sets, so the c-coefficient and Jaccard are the same number
there. At passage unit they differ as soon as a chain holds more than one passage of a
theme: a chain of ``a`` passages of A and ``b`` of B counts ``a + b - 1`` times in
``n1 + n2 - n12`` but once in the union. Example: A codes ``[0, 100)``, B codes ``[10, 20)``
and ``[50, 60)``: n1 = 1, n2 = 2, n12 = 1 chain, c = 1 / (1 + 2 - 1) = 0.5, Jaccard = 1 / 1 = 1.
(ATLAS.ti itself counts overlapping *pairs* of quotations, 2 here, which pushes its c to
2 / (1 + 2 - 2) = 2, outside [0, 1]; counting chains avoids that.)

A measure whose denominator is 0 (both themes absent, or the rarer one absent for
``overlap``) is undefined and given as ``None``, never as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

UNITS = ("passage", "sentence", "paragraph", "case")
MEASURES = ("count", "jaccard", "c", "overlap")
UNIT_NOUNS = {
    "passage": ("coded passage", "coded passages"),
    "sentence": ("sentence unit", "sentence units"),
    "paragraph": ("paragraph", "paragraphs"),
    "case": ("focus group", "focus groups"),
}
MEASURE_LABELS = {
    "count": "co-occurrence count",
    "jaccard": "Jaccard index",
    "c": "c-coefficient",
    "overlap": "overlap coefficient",
}
# Default thresholds for proposing candidate edges. Themes of focus-group notes overlap
# little at passage level (the demo's strongest c is about 0.1), so the defaults propose
# roughly one edge per theme there; the analyst moves the threshold to taste.
DEFAULT_MIN_WEIGHT = {"count": 5.0, "jaccard": 0.05, "c": 0.05, "overlap": 0.2}


@dataclass(frozen=True)
class NetworkCode:
    """A code of the codebook (a theme when ``parent_id`` is ``None``)."""

    id: int
    name: str
    parent_id: int | None = None
    colour: str = "#BBBBBB"
    uid: str = ""


@dataclass(frozen=True)
class NetworkDocument:
    """A document: its case (focus group) and its unit spans by kind."""

    id: int
    case_id: int | None = None
    units: Mapping[str, Sequence[tuple[int, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeCount:
    """n of one code at the chosen unit."""

    code_id: int
    name: str
    n: int


@dataclass(frozen=True)
class ThemeCount:
    """n of a theme (its own codings and its subthemes') and each subtheme's own n."""

    code_id: int
    name: str
    colour: str
    uid: str
    n: int
    subthemes: tuple[CodeCount, ...] = ()


@dataclass(frozen=True)
class PairCount:
    """Co-occurrence of two themes: ``n12`` and the size of the union (see module doc)."""

    n12: int
    union: int


@dataclass(frozen=True)
class Cooccurrence:
    """n per theme and co-occurrence of every pair of themes at one unit.

    Attributes:
        unit: One of :data:`UNITS`.
        themes: Themes in codebook order, with their subthemes.
        pairs: ``(a, b) -> PairCount`` for theme ids ``a`` before ``b`` in codebook order.
        notes: Facts a reader of the figures should know (e.g. documents without a case).
    """

    unit: str
    themes: tuple[ThemeCount, ...]
    pairs: Mapping[tuple[int, int], PairCount]
    notes: tuple[str, ...] = ()

    def theme(self, code_id: int) -> ThemeCount:
        """The theme with this id."""
        for theme in self.themes:
            if theme.code_id == code_id:
                return theme
        raise KeyError(code_id)

    def pair(self, a: int, b: int) -> PairCount:
        """Co-occurrence of themes ``a`` and ``b`` (in either order)."""
        if (a, b) in self.pairs:
            return self.pairs[(a, b)]
        return self.pairs[(b, a)]

    def value(self, a: int, b: int, measure: str) -> float | None:
        """The measure for themes ``a`` and ``b``; ``None`` when undefined."""
        pair = self.pair(a, b)
        return measure_value(measure, self.theme(a).n, self.theme(b).n, pair.n12, pair.union)

    def matrix(self, measure: str) -> list[list[float | None]]:
        """Theme x theme table of the measure; the diagonal holds each theme's n."""
        ids = [t.code_id for t in self.themes]
        return [
            [float(self.theme(a).n) if a == b else self.value(a, b, measure) for b in ids]
            for a in ids
        ]


def measure_value(measure: str, n1: int, n2: int, n12: int, union: int) -> float | None:
    """One measure from the counts (see the module docstring); ``None`` when undefined."""
    if measure == "count":
        return float(n12)
    if measure == "jaccard":
        return n12 / union if union else None
    if measure == "c":
        denominator = n1 + n2 - n12
        return n12 / denominator if denominator else None
    if measure == "overlap":
        smaller = min(n1, n2)
        return n12 / smaller if smaller else None
    raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not '{measure}'")


@dataclass(frozen=True)
class CandidateEdge:
    """A pair of themes whose measure reaches the threshold."""

    source: int
    target: int
    n12: int
    value: float


def candidate_edges(result: Cooccurrence, measure: str, min_weight: float) -> list[CandidateEdge]:
    """Pairs that co-occur at all and whose measure is at least ``min_weight``.

    Returns:
        Candidates, strongest first (ties in codebook order).
    """
    out = []
    for (a, b), pair in result.pairs.items():
        value = result.value(a, b, measure)
        if pair.n12 > 0 and value is not None and value >= min_weight - 1e-12:
            out.append(CandidateEdge(a, b, pair.n12, value))
    order = {t.code_id: i for i, t in enumerate(result.themes)}
    return sorted(out, key=lambda e: (-e.value, order[e.source], order[e.target]))


# -- computation ------------------------------------------------------------------------


def themes_of(codes: Iterable[NetworkCode]) -> dict[int, int]:
    """Each code id -> the id of its theme (the root of its branch of the tree)."""
    by_id = {c.id: c for c in codes}
    out: dict[int, int] = {}
    for code in by_id.values():
        root, seen = code, {code.id}
        while root.parent_id is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
            if root.id in seen:
                raise ValueError(f"the codebook has a cycle at code {root.id}")
            seen.add(root.id)
        out[code.id] = root.id
    return out


def cooccurrence(
    codes: Sequence[NetworkCode],
    documents: Sequence[NetworkDocument],
    codings: Iterable[tuple[int, int, int, int]],
    unit: str = "passage",
) -> Cooccurrence:
    """n per theme and subtheme and co-occurrence of every pair of themes.

    Args:
        codes: The codebook in display order (themes and subthemes).
        documents: Every document of the analysis, with units for sentence/paragraph.
        codings: One layer's ``(document_id, code_id, start, end)``, half-open offsets.
        unit: One of :data:`UNITS`.

    Returns:
        The :class:`Cooccurrence` (themes in the order given).

    Raises:
        ValueError: For an unknown unit, or codings of unknown documents or codes.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not '{unit}'")
    # Here, not at the top: the command line reads UNITS and MEASURES from this module
    # for its options, and numpy would slow every ``ketqual --help``.
    import numpy as np

    from ketqual.core import network_counting as counting

    theme_of = themes_of(codes)
    themes = [c for c in codes if c.parent_id is None]
    layer = counting.Layer(documents, codings, theme_of)
    row_theme = np.array([theme_of[c] for c in layer.code.tolist()], dtype=np.int64)
    notes: list[str] = []

    if unit == "passage":
        passages = {t.id: layer.passages(row_theme == t.id) for t in themes}
        n = {t.id: int(passages[t.id][0].size) for t in themes}

        def own_n(code_id: int) -> int:
            return int(layer.passages(layer.code == code_id)[0].size)

        pairs = {
            (a.id, b.id): PairCount(*counting.chains(passages[a.id], passages[b.id]))
            for i, a in enumerate(themes)
            for b in themes[i + 1 :]
        }
    else:
        if unit == "case":
            members, own_members = counting.case_members(documents, layer, row_theme, themes, notes)
        else:
            unit_starts, unit_ends = counting.unit_arrays(documents, layer, unit)
            if unit_starts.size == 0:
                notes.append(f"no document has {UNIT_NOUNS[unit][1]}; every n is 0")

            def members_of(mask: np.ndarray) -> np.ndarray:
                return counting.unit_members(layer.passages(mask), unit_starts, unit_ends)

            members = {t.id: members_of(row_theme == t.id) for t in themes}

            def own_members(code_id: int) -> np.ndarray:
                return members_of(layer.code == code_id)

        matrix = np.array([members[t.id] for t in themes], dtype=np.int64).reshape(len(themes), -1)
        both = matrix @ matrix.T
        n = {t.id: int(both[i, i]) for i, t in enumerate(themes)}

        def own_n(code_id: int) -> int:
            return int(np.count_nonzero(own_members(code_id)))

        pairs = {
            (a.id, b.id): PairCount(int(both[i, j]), n[a.id] + n[b.id] - int(both[i, j]))
            for i, a in enumerate(themes)
            for j, b in enumerate(themes)
            if j > i
        }
    counts = tuple(
        ThemeCount(
            t.id,
            t.name,
            t.colour,
            t.uid,
            n[t.id],
            tuple(
                CodeCount(c.id, c.name, own_n(c.id))
                for c in codes
                if c.parent_id is not None and theme_of[c.id] == t.id
            ),
        )
        for t in themes
    )
    return Cooccurrence(unit, counts, pairs, tuple(notes))
