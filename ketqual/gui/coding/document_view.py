"""The document being coded: text with coded passages highlighted and coding stripes.

Only the codings on screen are turned into Qt highlights (recomputed on scroll and
resize), so a 1 MB document holding 10,000 codings scrolls and codes as quickly as a
short one. Offsets cross the Qt boundary through :class:`OffsetMap`: Qt counts UTF-16
units, the project stores code points.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ketqual.core.model import Unit
from ketqual.core.records import CodingRecord
from ketqual.core.spans import SpanIndex, snap_to_words
from ketqual.gui.offsets import OffsetMap

STRIPE_WIDTH = 6
STRIPE_GAP = 2
# With many code-and-coder columns (three layers compared) stripes get narrower instead of
# being dropped: every shown layer is always drawn.
NARROW_AFTER = 12
TEXT_GAP = 6  # pixels between the last stripe and the text, so stripes never touch it
LABEL_MAX = 90  # a compared coder's block is widened to show this much of the name
# The margin takes at most this share of the view, so the text keeps most of the pane. To
# stay inside it the stripes get narrower, then compared coders' labels become initials,
# then only the stripes of the codings on screen get a lane (every layer keeps its block).
MAX_MARGIN_SHARE = 1 / 3
MIN_MARGIN = 48
NARROWER = ((4, 1), (3, 1), (2, 1))
BLOCK_GAP = 5  # between two coders' blocks (a fence line is drawn in it)
HIGHLIGHT_ALPHA = 70  # translucent, so the text stays legible
# Where codings overlap, only the first is a background; the others underline the text in
# their colour, so three overlapping codes do not turn the text into a dark smear.
UNDERLINE_WIDTH = 2


def stripe_metrics(columns: int) -> tuple[int, int]:
    """Stripe width and gap in pixels for ``columns`` stripe columns."""
    if columns <= NARROW_AFTER:
        return STRIPE_WIDTH, STRIPE_GAP
    if columns <= 2 * NARROW_AFTER:
        return 4, 1
    return 3, 1


@dataclass(frozen=True)
class Lanes:
    """Where the stripe columns go in the margin."""

    column_x: dict[int, int]  # stripe column -> left x
    blocks: dict[str, tuple[int, int]]  # compared coder -> left and right x of their block
    right: int  # x just after the last stripe (or label)
    width: int  # of a stripe
    gap: int  # between stripes


def lay_out_lanes(
    groups: list[tuple[str, list[int]]], label_width, budget: int | None = None
) -> Lanes:
    """Lanes for each coder's stripe columns, in order, the right edge at most ``budget``
    (``None``: no limit) when narrower stripes or initials can make it so; else the
    narrowest. ``label_width(name, short)`` is the room a block's label needs."""
    total = sum(len(columns) for _name, columns in groups)
    first = stripe_metrics(total)
    rungs = [first, *(m for m in NARROWER if m[0] < first[0])]
    lanes = None
    for short in (False, True) if len(groups) > 1 else (False,):
        for width, gap in rungs:
            lanes = _lanes(groups, label_width, width, gap, short)
            if budget is None or lanes.right + TEXT_GAP <= budget:
                return lanes
    assert lanes is not None
    return lanes


def _lanes(groups, label_width, width: int, gap: int, short: bool) -> Lanes:
    column_x: dict[int, int] = {}
    blocks: dict[str, tuple[int, int]] = {}
    if len(groups) <= 1:
        columns = [c for _name, group in groups for c in group]
        for i, column in enumerate(columns):
            column_x[column] = 3 + i * (width + gap)
        for name, _group in groups:
            blocks[name] = (3, 3 + max(1, len(columns)) * (width + gap) - gap)
        return Lanes(column_x, blocks, 3 + max(1, len(columns)) * (width + gap), width, gap)
    x = 3
    for name, group in groups:
        stripes = len(group) * (width + gap) - gap if group else 0
        span = max(stripes, label_width(name, short))
        for i, column in enumerate(group):
            column_x[column] = x + i * (width + gap)
        blocks[name] = (x, x + span)
        x += span + BLOCK_GAP
    return Lanes(column_x, blocks, x - BLOCK_GAP + gap, width, gap)


@dataclass(frozen=True)
class ShownCoding:
    """A coding as the view draws it."""

    coding: CodingRecord
    colour: str
    label: str  # the code's path, e.g. "Side-effects/Physical effects"
    coder: str
    column: int  # stripe column in the margin


def initials(name: str) -> str:
    """Up to two initials of a name ("Coder A" -> "CA"), for the narrowest blocks."""
    letters = [word[0] for word in name.split() if word]
    return "".join(letters[:2]).upper() or "?"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StripeMargin(QWidget):
    """Coding stripes beside the text: one column per code (per coder when comparing)."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        self.setMouseTracking(True)
        self.setAccessibleName("Coding stripes")
        self.setToolTip("")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.view.margin_width(), 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        ink = self.palette().windowText().color()
        for shown, rect in self.view.stripe_rects():
            painter.fillRect(rect, QColor(shown.colour))
            if shown.coding.memo:
                # A memo: a small notch of ink at the top of the stripe (also in the tooltip).
                painter.fillRect(rect.x(), rect.y(), rect.width(), 3, ink)
        groups = self.view.layer_groups()
        if len(groups) > 1:
            # Comparing layers: label each coder's block of stripes and fence them apart.
            band = self.fontMetrics().height() + 2
            painter.fillRect(0, 0, self.width(), band, self.palette().window())
            painter.setPen(ink)
            blocks = self.view.layer_blocks()
            # Whole names where every one fits, else initials for all: names often differ
            # only at the end ("Coder A", "Coder B"), which eliding would cut off.
            whole = all(
                self.fontMetrics().horizontalAdvance(name) <= x1 - x0 + 4
                for name, (x0, x1) in blocks.items()
            )
            for name, (x0, x1) in blocks.items():
                label = name if whole else initials(name)
                painter.drawText(
                    QRect(x0 - 2, 0, x1 - x0 + 4, band), Qt.AlignmentFlag.AlignCenter, label
                )
                if x0 > 4:
                    fence = x0 - (BLOCK_GAP + 1) // 2
                    painter.drawLine(fence, band, fence, self.height())

    def codings_at(self, pos: QPoint) -> list[ShownCoding]:
        """Codings whose stripe is under ``pos`` (margin coordinates)."""
        return [
            s for s, rect in self.view.stripe_rects() if rect.adjusted(-1, 0, 1, 0).contains(pos)
        ]

    def label_at(self, pos: QPoint) -> str | None:
        """The compared coder whose label (in the band at the top) is under ``pos``."""
        if len(self.view.layer_groups()) < 2 or pos.y() > self.fontMetrics().height() + 2:
            return None
        for name, (x0, x1) in self.view.layer_blocks().items():
            if x0 - 2 <= pos.x() <= x1 + 2:
                return name
        return None

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip:
            hits = self.codings_at(event.pos())
            label = self.label_at(event.pos())
            if label is not None:  # the label may be initials: say the whole name
                QToolTip.showText(event.globalPos(), f"{_escape(label)}'s layer", self)
            elif hits:
                QToolTip.showText(event.globalPos(), self.view.describe(hits), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        hits = self.codings_at(event.pos())
        if hits:
            self.view.codingMenuRequested.emit([s.coding.id for s in hits], event.globalPos())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        hits = self.codings_at(event.position().toPoint())
        if hits and event.button() == Qt.MouseButton.LeftButton:
            self.view.select_span(hits[0].coding.start, hits[0].coding.end)


class DocumentView(QPlainTextEdit):
    """Read-only text with highlights, stripes, unit shading and search hits.

    Signals:
        shortcutPressed(str): a number key was pressed (the window codes the selection).
        codingMenuRequested(list, QPoint): context menu for these coding ids.
        textMenuRequested(int, QPoint): context menu at a code-point position.
    """

    shortcutPressed = Signal(str)
    codingMenuRequested = Signal(list, QPoint)
    textMenuRequested = Signal(int, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAccessibleName("Document text")
        self.setAccessibleDescription(
            "Select text and press a theme's number key to code it; "
            "the context menu removes or changes codings"
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text = ""
        self.offsets = OffsetMap("")
        self.snap_words = True
        self.click_selects_unit = False
        self._codings = SpanIndex([])
        self._units: list[Unit] = []
        self._unit_index = SpanIndex([])
        self._show_units = False
        self._hits: list[tuple[int, int]] = []
        self._margin = StripeMargin(self)
        self._columns = 0
        self._groups: dict[str, tuple[int, int]] = {}
        self._column_coder: dict[int, str] = {}
        self._lanes = Lanes({}, {}, 3 + STRIPE_WIDTH + STRIPE_GAP, STRIPE_WIDTH, STRIPE_GAP)
        self._budget = 0  # the widest margin allowed when the lanes were laid out
        self._on_screen_lanes = False  # lanes only for the codings on screen
        self._margin_px = self._lanes.right + TEXT_GAP
        self._press_pos: QPoint | None = None
        # Scrolling and resizing rebuild the highlights on the next turn of the event loop:
        # changing extra selections from inside the text edit's own scroll handling
        # re-enters its layout code (and crashed Qt in testing).
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh)
        self.verticalScrollBar().valueChanged.connect(self._refresh_timer.start)
        self.updateRequest.connect(self._on_update_request)

    # ----- content --------------------------------------------------------------------------
    def set_text(self, text: str, units: list[Unit]) -> None:
        """Show a new document (codings are set separately)."""
        self.text = text
        self.offsets = OffsetMap(text)
        self._codings = SpanIndex([])
        self._hits = []
        self.set_units(units)
        self.setPlainText(text)
        self._refresh()

    def set_units(self, units: list[Unit]) -> None:
        """Sentence units, for shading and click-to-select."""
        self._units = units
        # Payloads carry the unit's number so alternate shading needs no list search.
        self._unit_index = SpanIndex([(u.start, u.end, (i, u)) for i, u in enumerate(units)])

    def set_codings(self, shown: list[ShownCoding]) -> None:
        """Replace the codings drawn (all layers being viewed)."""
        self._codings = SpanIndex([(s.coding.start, s.coding.end, s) for s in shown])
        self._groups, self._column_coder = {}, {}
        self._note_groups(shown)
        self._columns = 1 + max((s.column for s in shown), default=-1)
        self._apply_margin()
        self._refresh()

    def update_codings(self, added: list[ShownCoding], removed: list[ShownCoding]) -> None:
        """Add and remove a few codings without rebuilding the whole index (fast path)."""
        for shown in removed:
            self._codings.remove(shown.coding.start, shown.coding.end, shown)
        for shown in added:
            self._codings.add(shown.coding.start, shown.coding.end, shown)
        groups_before = dict(self._groups)
        self._note_groups(added)
        columns = 1 + max((s.column for s in added), default=-1)
        if columns > self._columns or self._groups != groups_before:
            self._columns = max(columns, self._columns)
            self._apply_margin()
        self._refresh()

    def _note_groups(self, shown: list[ShownCoding]) -> None:
        for s in shown:
            first, last = self._groups.get(s.coder, (s.column, s.column))
            self._groups[s.coder] = (min(first, s.column), max(last, s.column))
            self._column_coder[s.column] = s.coder

    def layer_groups(self) -> dict[str, tuple[int, int]]:
        """Each shown coder's first and last stripe column."""
        return self._groups

    def layer_blocks(self) -> dict[str, tuple[int, int]]:
        """Each shown coder's block of stripes as left and right x in the margin."""
        return dict(self._lanes.blocks)

    def margin_budget(self) -> int:
        """The widest the margin may be: a share of the view, so the text keeps the rest."""
        return max(MIN_MARGIN, int(self.width() * MAX_MARGIN_SHARE))

    def lanes_follow_screen(self) -> bool:
        """Whether only the codings on screen have lanes (too many for the margin else)."""
        return self._on_screen_lanes

    def _label_width(self, name: str, short: bool) -> int:
        text = initials(name) if short else name
        return min(self.fontMetrics().horizontalAdvance(text) + 6, LABEL_MAX)

    def _lane_groups(self, columns) -> list[tuple[str, list[int]]]:
        """Every shown coder (in the order of their first column) with those of ``columns``
        that are theirs."""
        order = sorted(self._groups, key=lambda name: self._groups[name][0])
        chosen: dict[str, list[int]] = {name: [] for name in order}
        for column in sorted(columns):
            coder = self._column_coder.get(column)
            if coder in chosen:
                chosen[coder].append(column)
        return list(chosen.items())

    def _lay_out_columns(self) -> None:
        """Give every stripe column its x. When layers are compared each coder's block is
        wide enough for the coder's name (up to :data:`LABEL_MAX`) if the margin allows;
        the margin stays within :meth:`margin_budget`, if need be by giving lanes only to
        the codings on screen (laid out again as the view scrolls)."""
        self._budget = budget = self.margin_budget()
        lanes = lay_out_lanes(self._lane_groups(range(self._columns)), self._label_width, budget)
        self._on_screen_lanes = lanes.right + TEXT_GAP > budget
        if self._on_screen_lanes:
            lanes = self._screen_lanes()
        self._lanes = lanes
        self._margin_px = max(budget if self._on_screen_lanes else 0, lanes.right + TEXT_GAP)

    def _screen_lanes(self) -> Lanes:
        columns = {s.column for s in self.visible_codings()}
        return lay_out_lanes(self._lane_groups(columns), self._label_width, self.margin_budget())

    def _apply_margin(self) -> None:
        self._lay_out_columns()
        self._apply_margin_width()

    def _apply_margin_width(self) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)
        rect = self.contentsRect()
        self._margin.setGeometry(QRect(rect.left(), rect.top(), self.margin_width(), rect.height()))

    def set_show_units(self, show: bool) -> None:
        """Shade alternate sentence units."""
        self._show_units = show
        self._refresh()

    def set_hits(self, hits: list[tuple[int, int]]) -> None:
        """Search hits to mark in this document."""
        self._hits = hits
        self._refresh()

    def codings_at(self, position: int) -> list[ShownCoding]:
        """Codings covering a code-point position."""
        return self._codings.at(position)

    def coding_count(self) -> int:
        """How many codings are drawn."""
        return len(self._codings)

    # ----- selection ------------------------------------------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        """The selection in code points (snapped to words when that is on), or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.offsets.from_qt(cursor.selectionStart())
        end = self.offsets.from_qt(cursor.selectionEnd())
        if self.snap_words:
            start, end = snap_to_words(self.text, start, end)
        if not self.text[start:end].strip():
            return None
        return start, end

    def select_span(self, start: int, end: int) -> None:
        """Select [start, end) (code points) and scroll it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(min(end, len(self.text))))
        cursor.setPosition(self.offsets.to_qt(start), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def position_at(self, point: QPoint) -> int:
        """Code-point position under a viewport point."""
        return self.offsets.from_qt(self.cursorForPosition(point).position())

    def unit_at(self, position: int) -> Unit | None:
        """The sentence unit containing ``position``."""
        found = self._unit_index.at(position)
        return found[0][1] if found else None

    # ----- events ---------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.text().isdigit() and modifiers == Qt.KeyboardModifier.NoModifier:
            self.shortcutPressed.emit(event.text())
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        moved = self._press_pos is not None and (point - self._press_pos).manhattanLength() > 3
        self._press_pos = None
        if event.button() != Qt.MouseButton.LeftButton:
            return
        want_unit = self.click_selects_unit or bool(
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if not moved and want_unit:
            unit = self.unit_at(self.position_at(point))
            if unit is not None:
                self.select_span(unit.start, unit.end)
        elif moved and self.snap_words:
            span = self.selected_span()
            if span is not None:
                self.select_span(*span)

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == event.Type.ToolTip:
            shown = self.codings_at(self.position_at(event.pos()))
            if shown:
                QToolTip.showText(event.globalPos(), self.describe(shown), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        self.textMenuRequested.emit(self.position_at(event.pos()), event.globalPos())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._margin.setGeometry(QRect(rect.left(), rect.top(), self.margin_width(), rect.height()))
        self._refresh_timer.start()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    # ----- drawing --------------------------------------------------------------------------
    def margin_width(self) -> int:
        """Width of the stripe margin: the stripe lanes, then a gap before the text.

        When layers are compared the margin is also wide enough for each coder's label.
        """
        return self._margin_px

    def visible_range(self) -> tuple[int, int]:
        """Code-point range of the text on screen."""
        viewport = self.viewport().rect()
        first = self.cursorForPosition(viewport.topLeft()).block().position()
        last_cursor = self.cursorForPosition(viewport.bottomRight())
        last = last_cursor.block().position() + last_cursor.block().length()
        return self.offsets.from_qt(first), self.offsets.from_qt(last)

    def visible_codings(self) -> list[ShownCoding]:
        """Codings touching the text on screen."""
        lo, hi = self.visible_range()
        return self._codings.overlapping(lo, hi)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _selection(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self._cursor(start, end)
        selection.format = fmt
        return selection

    def _refresh(self, *_args) -> None:
        """Rebuild the highlights for what is on screen, then repaint the stripes."""
        if self.margin_budget() != self._budget:  # resized: the margin's share changed
            self._apply_margin()
        elif self._on_screen_lanes:  # scrolled: lanes for the codings now on screen
            self._lanes = self._screen_lanes()
            wanted = max(self._budget, self._lanes.right + TEXT_GAP)
            if wanted != self._margin_px:
                self._margin_px = wanted
                self._apply_margin_width()
        lo, hi = self.visible_range()
        selections = []
        if self._show_units:
            base = self.palette().base().color()
            shade = QColor("#3A6EA5") if base.lightness() > 128 else QColor("#9DB8D9")
            shade.setAlpha(28)
            fmt = QTextCharFormat()
            fmt.setBackground(shade)
            for number, unit in self._unit_index.overlapping(lo, hi):
                if number % 2 == 0:
                    selections.append(self._selection(unit.start, unit.end, fmt))
        backgrounds: list[tuple[int, int]] = []
        visible = sorted(
            self._codings.overlapping(lo, hi), key=lambda s: (s.coding.start, s.column)
        )
        for shown in visible:
            colour = QColor(shown.colour)
            fmt = QTextCharFormat()
            start, end = shown.coding.start, shown.coding.end
            if any(s < end and start < e for s, e in backgrounds):
                # Overlaps a passage already shaded: underline in this code's colour.
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(colour)
                fmt.setFontUnderline(True)
            else:
                colour.setAlpha(HIGHLIGHT_ALPHA)
                fmt.setBackground(colour)
                backgrounds.append((start, end))
            selections.append(self._selection(start, end, fmt))
        hit_format = QTextCharFormat()
        hit_format.setFontUnderline(True)
        hit_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        hit_format.setUnderlineColor(QColor("#DDAA33"))
        hit_format.setFontWeight(700)
        for start, end in self._hits:
            if start < hi and end > lo:
                selections.append(self._selection(start, end, hit_format))
        self.setExtraSelections(selections)
        self._margin.update()

    def stripe_rects(self) -> list[tuple[ShownCoding, QRect]]:
        """Margin rectangles of the stripes of the codings on screen."""
        rects = []
        offset = self.contentOffset()
        height = self.viewport().height()
        lanes = self._lanes
        for shown in self.visible_codings():
            top = self._line_top(shown.coding.start, offset)
            bottom = self._line_bottom(max(shown.coding.start, shown.coding.end - 1), offset)
            x = lanes.column_x.get(shown.column)
            if bottom < 0 or top > height or x is None:
                continue
            rects.append((shown, QRect(x, top, lanes.width, max(2, bottom - top))))
        return rects

    def _line_rect(self, position: int, offset) -> tuple[int, int]:
        qt_position = self.offsets.to_qt(position)
        block = self.document().findBlock(qt_position)
        geometry = self.blockBoundingGeometry(block).translated(offset)
        layout = block.layout()
        line = layout.lineForTextPosition(qt_position - block.position())
        if not line.isValid():
            return int(geometry.top()), int(geometry.bottom())
        top = geometry.top() + line.y()
        return int(top), int(top + line.height())

    def _line_top(self, position: int, offset) -> int:
        return self._line_rect(position, offset)[0]

    def _line_bottom(self, position: int, offset) -> int:
        return self._line_rect(position, offset)[1]

    def describe(self, shown: list[ShownCoding]) -> str:
        """Tooltip text for codings: code, coder and memo."""
        parts = []
        for s in shown:
            line = f"<b>{_escape(s.label)}</b> · {_escape(s.coder)}"
            if s.coding.memo:
                line += f"<br><i>{_escape(s.coding.memo)}</i>"
            parts.append(line)
        return "<br>".join(parts)
