"""Votes figures as SVG, PDF (fonts embedded) or 300-dpi PNG, through the file writing
every figure shares (:mod:`ketqual.render.export`)."""

from __future__ import annotations

from pathlib import Path

from ketqual.core.votes_figure import VoteFigure
from ketqual.render import ensure_app
from ketqual.render import export as files
from ketqual.render.votes.layout import lay_out
from ketqual.render.votes.style import ChartStyle

FORMATS = files.FORMATS


def write_picture(
    figure: VoteFigure, path: Path, fmt: str, style: ChartStyle | None = None
) -> Path:
    """Lay the figure out and write it as ``svg``, ``pdf`` or ``png``.

    This is the ``picture_writer`` that ``votes_ops.export_figure`` takes.

    Raises:
        ValueError: For another format.
        OSError: When the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"pictures can be {', '.join(FORMATS)}, not '{fmt}'")
    ensure_app()
    return files.write_drawing(lay_out(figure, style), Path(path), fmt)
