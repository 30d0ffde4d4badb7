"""The one result type every agreement function returns, and the undefined-value reasons.

A coefficient that cannot be computed (no variation, zero expected disagreement, an empty
text) is never coerced to 0 or 1: it comes back with ``value=None`` and a ``reason`` a user
can read. Everything here is plain Python so results serialise to JSON as they are.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

# Two-sided 95% normal quantile, written out so the runtime needs no scipy.
Z95 = 1.959963984540054

# Reasons shared by several coefficients; functions may add more specific ones.
EMPTY_TEXT = "empty text: there are no characters to compare"
NO_UNITS = "no units to compare"
NOTHING_CODED = "both coders coded nothing"
EVERYTHING_CODED = "both coders coded everything"
NO_VARIATION = "no variation: every rating falls in one category"
NO_PAIRABLE = "no unit has two or more ratings"
FEW_CATEGORIES = "fewer than two categories: pass the full category list"
ZERO_EXPECTED = "zero expected disagreement"
NOT_EXCLUSIVE = (
    "a coder applied two different codes to the same text; this coefficient needs mutually "
    "exclusive codes"
)
NO_CODED_OVERLAP = "no text was put into units by two coders at once"
ACROSS_CODES = "this coefficient compares all codes at once; it has no value for one code"
ONE_VALUE = "only one code can be compared here, so there is no coding to disagree about"

WALD = "Wald interval: value ± 1.96 × SE, clipped to the coefficient's range"


@dataclass(frozen=True)
class Statistic:
    """One agreement coefficient, defined or not.

    Attributes:
        name: Short machine name, e.g. ``"cohen_kappa"``.
        value: The estimate, or ``None`` when undefined (then ``reason`` says why).
        se: Standard error, when one is available for this coefficient and data.
        ci_low: Lower bound of the 95% confidence interval, if any.
        ci_high: Upper bound of the 95% confidence interval, if any.
        reason: Why ``value`` is ``None``; ``None`` for defined values.
        se_null: Standard error under the null hypothesis of chance agreement, if any.
        n: Number of units (characters, sentences, documents ...) behind the value.
        ci_method: How ``se`` and the interval were obtained.
    """

    name: str
    value: float | None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    reason: str | None = None
    se_null: float | None = None
    n: int | None = None
    ci_method: str | None = None

    def __post_init__(self) -> None:
        # Catch NaN/inf leaking out of a computation: undefined must be explicit.
        for field in ("value", "se", "ci_low", "ci_high", "se_null"):
            x = getattr(self, field)
            if x is not None:
                if not math.isfinite(x):
                    raise ValueError(f"{self.name}.{field} is not finite: {x!r}")
                object.__setattr__(self, field, float(x))
        if self.value is None and not self.reason:
            raise ValueError(f"{self.name}: an undefined value needs a reason")
        if self.value is not None and self.reason is not None:
            raise ValueError(f"{self.name}: a defined value carries no reason")
        if self.n is not None:
            object.__setattr__(self, "n", int(self.n))

    @property
    def defined(self) -> bool:
        """``True`` when the coefficient has a value."""
        return self.value is not None

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a plain dict (JSON-ready)."""
        return asdict(self)


def undefined(name: str, reason: str, n: int | None = None) -> Statistic:
    """Build an undefined statistic.

    Args:
        name: Coefficient name.
        reason: Human-readable reason, e.g. :data:`NOTHING_CODED`.
        n: Number of units behind the attempt, if known.

    Returns:
        A :class:`Statistic` with ``value=None``.
    """
    return Statistic(name=name, value=None, reason=reason, n=n)


def with_wald_ci(
    name: str,
    value: float,
    se: float | None,
    *,
    n: int | None = None,
    se_null: float | None = None,
    bounds: tuple[float, float] = (-1.0, 1.0),
    method: str = WALD,
) -> Statistic:
    """Build a defined statistic with a normal-approximation 95% interval.

    The interval is clipped to ``bounds`` (the coefficient's possible range) so it never
    claims impossible values such as kappa above 1.

    Args:
        name: Coefficient name.
        value: The estimate.
        se: Its standard error, or ``None`` when not available (no interval then).
        n: Number of units.
        se_null: Standard error under the null hypothesis, if computed.
        bounds: Range to clip the interval to.
        method: Description stored in ``ci_method``.

    Returns:
        The :class:`Statistic`.
    """
    if se is None:
        return Statistic(name=name, value=value, n=n, se_null=se_null)
    low = max(bounds[0], value - Z95 * se)
    high = min(bounds[1], value + Z95 * se)
    return Statistic(
        name=name,
        value=value,
        se=se,
        ci_low=low,
        ci_high=high,
        se_null=se_null,
        n=n,
        ci_method=method,
    )
