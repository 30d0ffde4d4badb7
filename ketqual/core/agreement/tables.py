"""The 2x2 table of two coders on one code, and document presence to such a table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Table2x2:
    """Agreement counts of two coders on one code (characters, units or documents).

    Attributes:
        both: Units both coders coded.
        a_only: Units only coder A coded.
        b_only: Units only coder B coded.
        neither: Units neither coder coded.
    """

    both: int
    a_only: int
    b_only: int
    neither: int

    def __post_init__(self) -> None:
        for name in ("both", "a_only", "b_only", "neither"):
            x = getattr(self, name)
            if int(x) != x or x < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {x!r}")
            object.__setattr__(self, name, int(x))

    @property
    def n(self) -> int:
        """Total number of units."""
        return self.both + self.a_only + self.b_only + self.neither

    def as_matrix(self) -> list[list[int]]:
        """Return ``[[both, a_only], [b_only, neither]]`` (rows: coder A, columns: B)."""
        return [[self.both, self.a_only], [self.b_only, self.neither]]

    def __add__(self, other: Table2x2) -> Table2x2:
        return Table2x2(
            self.both + other.both,
            self.a_only + other.a_only,
            self.b_only + other.b_only,
            self.neither + other.neither,
        )

    def to_dict(self) -> dict[str, int]:
        """Return the four counts as a plain dict."""
        return {
            "both": self.both,
            "a_only": self.a_only,
            "b_only": self.b_only,
            "neither": self.neither,
        }


def presence_table(
    presence_a: Iterable[bool] | Mapping[object, bool],
    presence_b: Iterable[bool] | Mapping[object, bool],
) -> Table2x2:
    """Turn per-document presence of a code for two coders into a 2x2 table.

    Args:
        presence_a: Coder A's presence flags, either in document order or as a mapping
            from document id to flag.
        presence_b: Coder B's, in the same order or with the same keys.

    Returns:
        The :class:`Table2x2` over documents.

    Raises:
        ValueError: When the two sides cover different documents.
    """
    if isinstance(presence_a, Mapping) and isinstance(presence_b, Mapping):
        if set(presence_a) != set(presence_b):
            raise ValueError("the two coders' presence maps cover different documents")
        pairs = [(bool(presence_a[k]), bool(presence_b[k])) for k in presence_a]
    else:
        a, b = list(presence_a), list(presence_b)
        if len(a) != len(b):
            raise ValueError(f"presence lists differ in length: {len(a)} vs {len(b)}")
        pairs = [(bool(x), bool(y)) for x, y in zip(a, b, strict=True)]
    both = sum(x and y for x, y in pairs)
    a_only = sum(x and not y for x, y in pairs)
    b_only = sum(y and not x for x, y in pairs)
    return Table2x2(both, a_only, b_only, len(pairs) - both - a_only - b_only)
