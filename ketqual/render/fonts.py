"""Fonts of every figure, sized in pixels at 96 dpi (one CSS pixel).

Pixels, never points: SVG, PDF and PNG then come out at the same scale. DejaVu Sans is
installed with KetQual's system packages and covers every glyph of the study's names;
another family is used only if it is missing.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

PREFERRED_FAMILIES = ("DejaVu Sans", "Liberation Sans", "Arial", "Helvetica")


def family() -> str:
    """The first installed family of :data:`PREFERRED_FAMILIES` (else Qt's default)."""
    installed = set(QFontDatabase.families())
    for name in PREFERRED_FAMILIES:
        if name in installed:
            return name
    return QFont().defaultFamily()


def font(px: int, bold: bool = False) -> QFont:
    """A font of ``px`` pixels in the figures' family."""
    f = QFont(family())
    f.setPixelSize(px)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)  # same metrics everywhere
    return f
