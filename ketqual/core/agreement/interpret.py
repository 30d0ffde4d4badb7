"""Verbal benchmark bands for agreement coefficients, each with the source it comes from.

Bands are conventions, not tests: the report shows them next to the numbers, never in
place of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketqual.core.agreement.result import Statistic

LANDIS_KOCH_CITATION = (
    "Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for "
    "categorical data. Biometrics, 33(1), 159-174."
)
KRIPPENDORFF_CITATION = (
    "Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology "
    "(2nd ed., p. 241). Thousand Oaks, CA: Sage."
)


@dataclass(frozen=True)
class Band:
    """A benchmark band a value falls into.

    Attributes:
        scheme: The scheme's name (``"landis-koch"`` or ``"krippendorff"``).
        label: The band's label, or ``"undefined"`` for an undefined value.
        lower: Lowest value in the band (``None`` when unbounded or undefined).
        upper: Highest value in the band (``None`` when unbounded or undefined).
        citation: Where the scheme comes from.
    """

    scheme: str
    label: str
    lower: float | None
    upper: float | None
    citation: str

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict."""
        return {
            "scheme": self.scheme,
            "label": self.label,
            "lower": self.lower,
            "upper": self.upper,
            "citation": self.citation,
        }


# (label, lower, upper). Landis & Koch publish two-decimal ranges (0.00-0.20, 0.21-0.40
# ...); for unrounded values each band's upper bound is inclusive and the next band starts
# just above it, so 0.205 is "fair".
_LANDIS_KOCH: tuple[tuple[str, float | None, float], ...] = (
    ("poor", None, 0.0),  # value < 0
    ("slight", 0.0, 0.20),
    ("fair", 0.20, 0.40),
    ("moderate", 0.40, 0.60),
    ("substantial", 0.60, 0.80),
    ("almost perfect", 0.80, 1.0),
)
# Krippendorff: rely on alpha >= .800; alpha in [.667, .800) only for tentative
# conclusions; below .667 discard the variable.
_KRIPPENDORFF: tuple[tuple[str, float | None, float], ...] = (
    ("discard", None, 0.667),
    ("tentative conclusions", 0.667, 0.800),
    ("reliable", 0.800, 1.0),
)

SCHEMES = ("landis-koch", "krippendorff")


def interpret(value: float | Statistic | None, scheme: str = "landis-koch") -> Band:
    """Return the benchmark band of an agreement value.

    Args:
        value: A coefficient value, a :class:`Statistic`, or ``None`` (undefined).
        scheme: ``"landis-koch"`` (Landis & Koch 1977: <0 poor, 0-.20 slight, .21-.40
            fair, .41-.60 moderate, .61-.80 substantial, .81-1 almost perfect) or
            ``"krippendorff"`` (Krippendorff 2004: <.667 discard, .667-.800 tentative
            conclusions, >=.800 reliable).

    Returns:
        The :class:`Band`; an undefined value gets the band labelled ``"undefined"``.

    Raises:
        ValueError: For an unknown scheme or a value above 1.
    """
    if scheme == "landis-koch":
        citation = LANDIS_KOCH_CITATION
    elif scheme == "krippendorff":
        citation = KRIPPENDORFF_CITATION
    else:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {SCHEMES}")
    if isinstance(value, Statistic):
        value = value.value
    if value is None:
        return Band(scheme, "undefined", None, None, citation)
    if value > 1.0 + 1e-12:
        raise ValueError(f"agreement value {value} is above 1")
    if scheme == "landis-koch":
        if value < 0.0:
            return Band(scheme, "poor", None, 0.0, citation)
        for label, low, high in _LANDIS_KOCH[1:]:
            if value <= high:
                return Band(scheme, label, low, high, citation)
        return Band(scheme, "almost perfect", 0.80, 1.0, citation)
    for label, low, high in _KRIPPENDORFF:
        if value < high or label == "reliable":
            return Band(scheme, label, low, high, citation)
    raise AssertionError("unreachable")  # pragma: no cover
