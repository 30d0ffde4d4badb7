"""The votes beside a theme, for the network window's side panel: the questions linked to
the chosen theme, each with its figure (drawn by :mod:`ketqual.render.votes`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ketqual.core import votes
from ketqual.gui.runner import OperationRunner
from ketqual.gui.votes.figure_view import figure_pixmap
from ketqual.ops.changes import Area, Change
from ketqual.ops.votes import votes_ops

PICTURE_WIDTH = 380  # when the panel's width is not known yet


class ThemeVotesPanel(QWidget):
    """Pick a theme (or click its box in the network): its linked votes appear below."""

    def __init__(self, runner: OperationRunner, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.data: list[votes_ops.ThemeFigures] = []
        self.pictures: list[QLabel] = []
        self.drawn_width = 0  # the width the figures shown were laid out for
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme whose votes are shown")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.scroll = scroll
        scroll.setWidget(self.body)
        scroll.setAccessibleName("Votes beside the theme")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Votes linked to the theme (click a box to choose it)"))
        layout.addWidget(self.theme)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.theme.currentIndexChanged.connect(self._show)
        self.runner.changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        """Read the themes' votes again."""
        chosen = self.theme.currentData()
        data = self.runner.query(votes_ops.theme_figures, parent=self, on_error=self.note.setText)
        self.data = data or []
        self.theme.blockSignals(True)
        self.theme.clear()
        for item in self.data:
            count = len(item.figures)
            self.theme.addItem(
                f"{item.votes.theme} ({count} question{'s' if count != 1 else ''})",
                item.votes.theme_id,
            )
        index = self.theme.findData(chosen)
        self.theme.setCurrentIndex(index if index >= 0 else 0)
        self.theme.blockSignals(False)
        self._show()

    def show_theme(self, theme_id: int) -> bool:
        """Show the votes of a theme; False when it has none linked."""
        index = self.theme.findData(theme_id)
        if index < 0:
            self.note.setText("No voting question is linked to that theme.")
            return False
        self.theme.setCurrentIndex(index)
        return True

    def figure_count(self) -> int:
        """How many figures are shown."""
        return sum(
            1
            for i in range(self.body_layout.count())
            if isinstance(self.body_layout.itemAt(i).widget(), QLabel)
            and self.body_layout.itemAt(i).widget().pixmap() is not None
            and not self.body_layout.itemAt(i).widget().pixmap().isNull()
        )

    @Slot()
    def _show(self) -> None:
        for picture in self.pictures:
            self.body_layout.removeWidget(picture)
            picture.deleteLater()
        self.pictures = []
        if not self.data:
            self.note.setText(
                "No voting question is linked to a theme yet (Outputs › Votes beside the themes)."
            )
            return
        item = self.data[max(self.theme.currentIndex(), 0)]
        self.note.setText("")
        width = self.drawn_width = self.picture_width()
        for summary, figure in zip(item.votes.summaries, item.figures, strict=True):
            picture = QLabel()
            picture.setPixmap(figure_pixmap(figure, width))
            picture.setAccessibleName(summary.question.text)
            picture.setToolTip(votes.figures_text(summary))
            self.body_layout.addWidget(picture)
            self.pictures.append(picture)

    def picture_width(self) -> int:
        """How wide the figures are drawn: the panel's width (figures are laid out for it,
        their text at its printed size)."""
        room = self.scroll.viewport().width() - 2 * self.body_layout.contentsMargins().left()
        return room if self.isVisible() and room > 0 else PICTURE_WIDTH

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_pictures()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit_pictures()

    def _fit_pictures(self) -> None:
        if self.pictures and abs(self.picture_width() - self.drawn_width) > 24:
            self._show()  # laid out again for the panel's width

    @Slot(object, object)
    def _on_change(self, change: Change, _initiator: object) -> None:
        if change.touches(Area.VOTES, Area.CODEBOOK):
            self.reload()
