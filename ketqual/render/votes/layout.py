"""Laying a votes figure out: every text measured and wrapped, every bar placed.

The result is a list of positioned items (texts, rectangles, lines) that
:mod:`ketqual.render.votes.painting` paints as they are; the window and the files paint
the same list, so what is on screen is what is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QFontMetricsF, QPainter

from ketqual.core.votes_figure import BarChart, StackedChart, VoteFigure
from ketqual.render.text import wrap
from ketqual.render.votes.items import LineItem, RectItem, TextItem, font_for
from ketqual.render.votes.painting import paint_items
from ketqual.render.votes.style import ChartStyle


@dataclass
class ChartGeometry:
    """A laid-out votes figure; a :class:`ketqual.render.export.Drawing`."""

    figure: VoteFigure
    style: ChartStyle
    height: float = 0.0
    items: list[TextItem | RectItem | LineItem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.figure.title

    @property
    def description(self) -> str:
        return " ".join(self.figure.caption)

    def size(self) -> QSizeF:
        return QSizeF(self.style.width, self.height)

    def paint(self, painter: QPainter, text_as_paths: bool) -> None:
        paint_items(painter, self.items, self.style, text_as_paths=text_as_paths)


def _metrics(role: str, s: ChartStyle) -> QFontMetricsF:
    return QFontMetricsF(font_for(role, s))


class _Builder:
    def __init__(self, geometry: ChartGeometry) -> None:
        self.g = geometry
        self.s = geometry.style
        self.y = self.s.margin

    def text(self, x: float, baseline: float, text: str, role: str, colour: str | None = None):
        self.g.items.append(TextItem(x, baseline, text, role, colour or self.s.text_colour))

    def block(self, lines: list[str], role: str, x: float, colour: str | None = None) -> None:
        """Lines left-aligned at ``x`` from the current y, which moves past them."""
        m = _metrics(role, self.s)
        for line in lines:
            self.text(x, self.y + m.ascent(), line, role, colour)
            self.y += m.lineSpacing()

    def title(self, text: str) -> None:
        width = self.s.width - 2 * self.s.margin
        self.block(wrap(text, _metrics("title", self.s), width), "title", self.s.margin)
        self.y += 14

    def caption(self, lines: tuple[str, ...]) -> None:
        width = self.s.width - 2 * self.s.margin
        m = _metrics("caption", self.s)
        self.y += 10
        for line in lines:
            self.block(wrap(line, m, width), "caption", self.s.margin, self.s.muted_colour)
        self.y += self.s.margin - 6

    def label_width(self, labels: list[str]) -> float:
        m = _metrics("label", self.s)
        widest = max((m.horizontalAdvance(t) for t in labels), default=0.0)
        return min(max(widest, 60.0), self.s.label_width)

    def labels(self, text: str, right: float, width: float, centre: float) -> None:
        """A wrapped label right-aligned at ``right``, centred on ``centre``."""
        m = _metrics("label", self.s)
        lines = wrap(text, m, width)
        top = centre - len(lines) * m.lineSpacing() / 2
        for i, line in enumerate(lines):
            x = right - m.horizontalAdvance(line)
            self.text(x, top + i * m.lineSpacing() + m.ascent(), line, "label")

    def row_height(self, text: str, width: float, bar: float) -> float:
        m = _metrics("label", self.s)
        return max(len(wrap(text, m, width)) * m.lineSpacing(), bar)

    def axis(
        self,
        x0: float,
        length: float,
        ticks: list[tuple[float, str]],
        label: str,
        grid_from: tuple[int, float] | None = None,
    ):
        """A horizontal axis at the current y with ticks and a label; with ``grid_from``
        (item index, top) faint grid lines from ``top`` go in behind the items drawn from
        that index on."""
        s = self.s
        y = self.y
        if grid_from is not None:
            index, top = grid_from
            self.g.items[index:index] = [
                LineItem(x0 + share * length, top, x0 + share * length, y, s.grid_colour, 0.8)
                for share, _text in ticks
            ]
        self.g.items.append(LineItem(x0, y, x0 + length, y, s.axis_colour, 1.0))
        m = _metrics("tick", s)
        for share, text in ticks:
            x = x0 + share * length
            self.g.items.append(LineItem(x, y, x, y + s.tick_length, s.axis_colour, 1.0))
            self.text(
                x - m.horizontalAdvance(text) / 2,
                y + s.tick_length + 2 + m.ascent(),
                text,
                "tick",
                s.muted_colour,
            )
        self.y = y + s.tick_length + 2 + m.lineSpacing() + 4
        lm = _metrics("label", s)
        self.text(
            x0 + (length - lm.horizontalAdvance(label)) / 2, self.y + lm.ascent(), label, "label"
        )
        self.y += lm.lineSpacing()


def lay_out(figure: VoteFigure, style: ChartStyle | None = None) -> ChartGeometry:
    """Measure and place everything of ``figure``."""
    geometry = ChartGeometry(figure, style or ChartStyle())
    if isinstance(figure, BarChart):
        _bars(geometry, figure)
    elif isinstance(figure, StackedChart):
        _stacked(geometry, figure)
    else:
        raise TypeError(f"not a votes figure: {figure!r}")
    return geometry


def _bars(g: ChartGeometry, figure: BarChart) -> None:
    b = _Builder(g)
    s = g.style
    b.title(figure.title)
    label_w = b.label_width([bar.label for bar in figure.bars])
    value_m = _metrics("value", s)
    value_w = max((value_m.horizontalAdvance(bar.value_text) for bar in figure.bars), default=0.0)
    x0 = s.margin + label_w + s.label_gap
    length = s.width - s.margin - x0 - s.value_gap - value_w
    grid_from = (len(g.items), b.y)
    for bar in figure.bars:
        height = b.row_height(bar.label, label_w, s.bar_height)
        centre = b.y + height / 2
        b.labels(bar.label, x0 - s.label_gap, label_w, centre)
        width = bar.share * length
        rect = QRectF(x0, centre - s.bar_height / 2, width, s.bar_height)
        if width > 0:
            g.items.append(RectItem(rect, figure.colour))
        baseline = centre + (value_m.ascent() - value_m.descent()) / 2
        b.text(x0 + width + s.value_gap, baseline, bar.value_text, "value")
        b.y += height + s.row_gap
    b.y -= s.row_gap / 2
    ticks = [(t / figure.axis_max if figure.axis_max else 0.0, str(t)) for t in figure.ticks]
    b.axis(x0, length, ticks, figure.axis_label, grid_from)
    b.caption(figure.caption)
    g.height = b.y


def _stacked(g: ChartGeometry, figure: StackedChart) -> None:
    b = _Builder(g)
    s = g.style
    b.title(figure.title)
    # One bar needs no label: the title names its question.
    labelled = len(figure.rows) > 1
    label_w = b.label_width([row.label for row in figure.rows]) if labelled else 0.0
    n_m = _metrics("tick", s)
    n_w = max((n_m.horizontalAdvance(row.n_text) for row in figure.rows), default=0.0)
    x0 = s.margin + (label_w + s.label_gap if labelled else 0.0)
    length = s.width - s.margin - x0 - s.value_gap - n_w
    inside = _metrics("inside", s)
    for row in figure.rows:
        height = b.row_height(row.label, label_w, s.stack_height) if labelled else s.stack_height
        centre = b.y + height / 2
        if labelled:
            b.labels(row.label, x0 - s.label_gap, label_w, centre)
        x = x0
        for segment in row.segments:
            width = segment.share * length
            if width <= 0:
                continue
            outline = s.outline_colour if QColor(segment.colour).lightness() > 235 else None
            g.items.append(
                RectItem(
                    QRectF(x, centre - s.stack_height / 2, width, s.stack_height),
                    segment.colour,
                    outline,
                )
            )
            for text in (segment.text, str(segment.count)):
                if inside.horizontalAdvance(text) + 8 <= width:
                    colour = "#FFFFFF" if _dark(segment.colour) else s.text_colour
                    baseline = centre + (inside.ascent() - inside.descent()) / 2
                    g.items.append(
                        TextItem(
                            x + (width - inside.horizontalAdvance(text)) / 2,
                            baseline,
                            text,
                            "inside",
                            colour,
                        )
                    )
                    break
            x += width
        baseline = centre + (n_m.ascent() - n_m.descent()) / 2
        b.text(
            x0 + length + s.value_gap,
            baseline,
            row.n_text,
            "tick",
            s.muted_colour,
        )
        b.y += height + s.row_gap
    b.y -= s.row_gap / 2
    b.axis(x0, length, [(t / 100, f"{t}\u00a0%") for t in (0, 25, 50, 75, 100)], "Share of n")
    _legend(b, figure.legend, x0)
    b.caption(figure.caption)
    g.height = b.y


def _legend(b: _Builder, entries: tuple[tuple[str, str], ...], x0: float) -> None:
    s = b.s
    m = _metrics("legend", s)
    b.y += 8
    x = x0
    right = s.width - s.margin
    for label, colour in entries:
        needed = s.swatch + 6 + m.horizontalAdvance(label) + 18
        if x > x0 and x + needed > right:
            x = x0
            b.y += m.lineSpacing() + 4
        outline = s.outline_colour if QColor(colour).lightness() > 235 else None
        top = b.y + (m.lineSpacing() - s.swatch) / 2
        b.g.items.append(RectItem(QRectF(x, top, s.swatch, s.swatch), colour, outline))
        b.text(x + s.swatch + 6, b.y + m.ascent(), label, "legend")
        x += needed
    b.y += m.lineSpacing()


def _dark(colour: str) -> bool:
    """True when white text reads better on ``colour`` than dark text (WCAG luminance)."""
    c = QColor(colour)

    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())
    return luminance < 0.18
