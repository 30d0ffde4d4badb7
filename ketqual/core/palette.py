"""Colour-blind-safe colours for codes.

The ten theme colours are Paul Tol's "muted" qualitative scheme plus its pale grey, chosen
because they stay distinguishable under the common colour-vision deficiencies. Subthemes
use a lighter tint of their theme's colour so a glance tells which theme they belong to.
"""

from __future__ import annotations

THEME_COLOURS: tuple[str, ...] = (
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
    "#BBBBBB",  # grey
)


def _parse(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def is_colour(colour: str) -> bool:
    """True when ``colour`` is a ``#RRGGBB`` hex string."""
    try:
        _parse(colour)
    except ValueError:
        return False
    return colour.startswith("#")


def tint(colour: str, amount: float) -> str:
    """Blend ``colour`` towards white by ``amount`` (0 = unchanged, 1 = white)."""
    r, g, b = _parse(colour)
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


def theme_colour(index: int) -> str:
    """The palette colour for the ``index``-th theme (cycling past ten)."""
    return THEME_COLOURS[index % len(THEME_COLOURS)]


def subtheme_colour(theme: str, index: int) -> str:
    """A tint of the theme colour for its ``index``-th subtheme."""
    return tint(theme, 0.35 + 0.15 * (index % 3))
