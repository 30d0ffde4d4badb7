"""The votes window (Outputs › Votes beside the themes): the voting questions, the figure and
table of those chosen, their themes, imports and exports.

Choose one question for its bar chart (stacked bars for a yes/no/unsure question), or
several one-answer questions to compare them as stacked bars. The denominator is chosen
here and stated in the caption and the table. Everything runs through the app's operation
runner: imports and exports in the background, reads and link changes at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core import votes
from ketqual.gui import files
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.runner import OperationRunner
from ketqual.gui.votes.figure_view import VoteFigureView
from ketqual.gui.votes.theme_links_dialog import ThemeLinksDialog
from ketqual.gui.votes.vote_import_dialog import VoteImportDialog
from ketqual.gui.votes.votes_models import QuestionsModel, SummaryModel
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops import queries
from ketqual.ops.changes import Area, Change
from ketqual.ops.votes import votes_ops
from ketqual.render.votes.export import write_picture

DENOMINATOR_CHOICES = (
    ("Respondents who answered", "answered"),
    ("Respondents present", "present"),
    ("Selections (multiple choice)", "selections"),
)
STYLE_CHOICES = (("Automatic", "auto"), ("Bars", "bars"), ("Stacked bars", "stacked"))
FIGURE_FILTERS = {
    "PDF figure, fonts embedded (*.pdf)": "pdf",
    "SVG figure (*.svg)": "svg",
    "PNG figure, 300 dpi (*.png)": "png",
}
TABLE_FILTERS = {
    "Excel workbook (*.xlsx)": "xlsx",
    "CSV (*.csv)": "csv",
    "JSON (*.json)": "json",
}


class VotesWindow(QMainWindow):
    """Voting questions beside the themes.

    Args:
        runner: The app's operation runner for the open project.
        viewer: The person using the app (named in the audit log; a supervisor may let an
            export the identifier check blocked through).
        parent: Parent widget.

    Signals:
        shown(): the figure and table show the current choice.
        exported(str): a file was written.
    """

    shown = Signal()
    exported = Signal(str)

    def __init__(self, runner: OperationRunner, viewer: str = "", parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer.strip() or None
        self.values: dict[str, str] | None = None  # participant -> attribute value
        self.attribute = ""
        self.setWindowTitle("Votes beside the themes")
        self.resize(1240, 740)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        self.questions = QuestionsModel(self)
        self.question_view = QTableView()
        self.question_view.setAccessibleName("Voting questions")
        self.question_view.setModel(self.questions)
        self.question_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.question_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.question_view.setWordWrap(True)
        self.question_view.verticalHeader().hide()
        self.question_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.question_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Fixed widths for the long texts, so rows can grow to show them whole.
        for column, width in ((1, 220), (4, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.sectionResized.connect(lambda *_: self.question_view.resizeRowsToContents())
        self.import_button = QPushButton("&Import votes…")
        self.themes_button = QPushButton("&Themes…")
        self.themes_button.setToolTip("Link the chosen question to themes")
        self.delete_button = QPushButton("&Delete…")
        left = QWidget()
        left.setMinimumWidth(420)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        hint = QLabel("Choose one question, or several one-answer questions to compare them.")
        hint.setWordWrap(True)
        left_layout.addWidget(QLabel("<b>Voting questions</b>"))
        left_layout.addWidget(self.question_view, 1)
        left_layout.addWidget(hint)
        buttons = QHBoxLayout()
        for button in (self.import_button, self.themes_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        self.denominator = QComboBox()
        self.denominator.setAccessibleName("Percentages of")
        for text, value in DENOMINATOR_CHOICES:
            self.denominator.addItem(text, value)
        self.style_box = QComboBox()
        self.style_box.setAccessibleName("Figure style")
        for text, value in STYLE_CHOICES:
            self.style_box.addItem(text, value)
        self.breakdown_button = QPushButton("&Break down by…")
        self.breakdown_button.setToolTip(
            "Split the figures by a participant attribute from a participants file "
            "(one row per participant, e.g. a Role column)"
        )
        self.export_figure_button = QPushButton("Export &figure…")
        self.export_table_button = QPushButton("Export t&able…")
        controls = QHBoxLayout()
        for text, widget in (("&Percentages of", self.denominator), ("Fi&gure", self.style_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for widget in (self.breakdown_button, self.export_figure_button, self.export_table_button):
            actions.addWidget(widget)

        self.message = message_label("Votes message")
        self.figure = VoteFigureView()
        self.summary = SummaryModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Figures of the chosen questions")
        self.table.setModel(self.summary)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.notes = QLabel()
        self.notes.setAccessibleName("Notes under the table")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addWidget(self.notes)
        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(self.figure)
        right_split.addWidget(lower)
        right_split.setStretchFactor(0, 3)
        right_split.setStretchFactor(1, 2)
        self.right_split = right_split
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(controls)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.message)
        right_layout.addWidget(right_split, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 680])
        self.status = QLabel()
        self.status.setAccessibleName("Votes status")
        self.status.setWordWrap(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)

        self.import_button.clicked.connect(self.ask_import)
        self.themes_button.clicked.connect(self.ask_themes)
        self.delete_button.clicked.connect(self.ask_delete)
        self.breakdown_button.clicked.connect(self.ask_breakdown)
        self.export_figure_button.clicked.connect(self.ask_export_figure)
        self.export_table_button.clicked.connect(self.ask_export_table)
        self.denominator.currentIndexChanged.connect(self.show_chosen)
        self.style_box.currentIndexChanged.connect(self.show_chosen)
        self.question_view.selectionModel().selectionChanged.connect(self.show_chosen)
        self.runner.changed.connect(self._on_change)
        QShortcut(QKeySequence.StandardKey.Close, self, activated=self.close)
        self.reload()

    # -- reading ------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])
        self.message.show()

    def reload(self, keep: list[int] | None = None) -> None:
        """Read the questions again, keeping the chosen ones chosen."""
        keep = keep if keep is not None else self.chosen_ids()
        rows = self.runner.query(votes_ops.question_rows, parent=self, on_error=self._say)
        self.questions.set_rows(rows or [])
        self.question_view.resizeRowsToContents()
        enabled = bool(rows)
        for widget in (
            self.themes_button,
            self.delete_button,
            self.breakdown_button,
            self.export_figure_button,
            self.export_table_button,
        ):
            widget.setEnabled(enabled)
        if not rows:
            self.figure.set_figure(
                None,
                "No voting questions yet. Import a voting sheet (csv or xlsx) with Import votes…",
            )
            self.summary.set_summaries([])
            self.notes.setText("")
            return
        selection = self.question_view.selectionModel()
        wanted = [r for r in (self.questions.row_of(q) for q in keep) if r is not None] or [0]
        selection.blockSignals(True)
        selection.clearSelection()
        for row in wanted:
            selection.select(
                self.questions.index(row, 0),
                selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
            )
        selection.setCurrentIndex(
            self.questions.index(wanted[0], 0), selection.SelectionFlag.NoUpdate
        )
        selection.blockSignals(False)
        self.show_chosen()

    def chosen_ids(self) -> list[int]:
        """Ids of the chosen questions, in list order."""
        rows = sorted({i.row() for i in self.question_view.selectionModel().selectedRows()})
        return [self.questions.row_at(r).question.id for r in rows]  # type: ignore[misc]

    def chosen_numbers(self) -> list[str]:
        rows = sorted({i.row() for i in self.question_view.selectionModel().selectedRows()})
        return [str(self.questions.row_at(r).number) for r in rows]

    @Slot()
    def show_chosen(self) -> None:
        """Draw the figure and fill the table for the chosen questions."""
        refs = self.chosen_numbers()
        self.message.hide()
        if not refs:
            self.figure.set_figure(None, "Choose a question on the left.")
            self.summary.set_summaries([])
            self.notes.setText("")
            return
        denominator, style = self.denominator.currentData(), self.style_box.currentData()
        problems: list[str] = []
        summaries = (
            self.runner.query(
                lambda p: votes_ops.summarise_questions(p, refs, denominator=denominator),
                parent=self,
                on_error=problems.append,
            )
            or []
        )
        figure = self.runner.query(
            lambda p: votes_ops.vote_figure(p, refs, denominator=denominator, style=style),
            parent=self,
            on_error=problems.append,
        )
        groups = None
        if self.values is not None and len(refs) == 1:
            groups = self.runner.query(
                lambda p: votes_ops.breakdown_question(
                    p, refs[0], self.values, denominator=denominator
                ),
                parent=self,
                on_error=problems.append,
            )
        self.figure.set_figure(
            figure, problems[0][:1].upper() + problems[0][1:] if problems else ""
        )
        self.summary.set_summaries(summaries, groups)
        self.table.resizeColumnsToContents()
        notes = []
        for s in summaries:
            lead = f"{s.question.text}: " if len(summaries) > 1 else ""
            # The caption already says who present did not answer: not said twice.
            said = [n for n in s.notes if "present did not answer" not in n]
            notes.append(" ".join([f"{lead}{s.caption()}.", *said]))
        if groups is not None:
            notes.append(
                f"Broken down by {self.attribute} (participants without a value: {votes.NOT_RECORDED})."
            )
        self.notes.setText("\n".join(notes))
        self.give_table_room()
        self.shown.emit()

    def give_table_room(self) -> None:
        """Make the lower pane tall enough for every row of the table and the notes (the
        figure above shrinks to fit), when the window is tall enough for that."""
        table, sizes = self.table, self.right_split.sizes()
        total = sum(sizes)
        if total <= 0:
            return
        rows = sum(table.rowHeight(r) for r in range(self.summary.rowCount()))
        needed = (
            table.horizontalHeader().height()
            + rows
            + 2 * table.frameWidth()
            + table.horizontalScrollBar().sizeHint().height()
            + self.notes.heightForWidth(max(self.notes.width(), 200))
            + 12
        )
        lower = min(needed, total - self.figure.minimumHeight())
        if lower > sizes[1]:
            self.right_split.setSizes([total - lower, lower])

    @Slot(object, object)
    def _on_change(self, change: Change, _initiator: object) -> None:
        if change.touches(Area.VOTES, Area.CODEBOOK):
            self.reload()

    # -- changing -----------------------------------------------------------------------

    @Slot()
    def ask_import(self) -> None:
        path = files.open_file(self, "Import votes", "Voting sheets (*.csv *.tsv *.xlsx)")
        if path:
            self.open_import_dialog(path)

    def open_import_dialog(self, path: str) -> VoteImportDialog | None:
        """Preview ``path``, let the user map its columns, and import it in the background."""
        preview = self.runner.query(lambda p: votes_ops.preview_sheet(path), parent=self)
        if preview is None:
            return None

        def reread(sheet: str):
            return self.runner.query(
                lambda p: votes_ops.preview_sheet(path, sheet=sheet), parent=self
            )

        dialog = VoteImportDialog(path, preview, reread if len(preview.sheets) > 1 else None, self)
        self.import_dialog = dialog
        dialog.accepted.connect(lambda: self.start_import(path, dialog.choice()))
        dialog.open()
        return dialog

    def start_import(self, path: str, choice: dict):
        """Import in the background; the result is shown here and the lists refresh."""

        def work(project, progress):
            progress.report(0, 0, f"Reading {Path(path).name}…")
            return votes_ops.import_votes(project, path, **choice)

        return self.runner.run_in_background(
            work,
            parent=self,
            label="Importing votes…",
            initiator=self,
            on_done=lambda change: self.status.setText("\n".join(change.details["lines"])),
        )

    @Slot()
    def ask_themes(self) -> None:
        ids = self.chosen_ids()
        if len(ids) != 1:
            self._say("Choose one question to link to themes.")
            return
        row = self.questions.row_at(self.questions.row_of(ids[0]))  # type: ignore[arg-type]
        codes = self.runner.query(lambda p: queries.list_codes(p)[0], parent=self)
        if codes is None:
            return
        dialog = ThemeLinksDialog(row.question.text, codes, set(row.question.themes), self)
        self.links_dialog = dialog

        def save() -> None:
            ticked = dialog.ticked()
            self.runner.run(
                lambda p: votes_ops.set_links(p, str(row.number), ticked),
                parent=self,
                initiator=self,
            )

        dialog.accepted.connect(save)
        dialog.open()

    @Slot()
    def ask_delete(self) -> None:
        numbers = self.chosen_numbers()
        if len(numbers) != 1:
            self._say("Choose one question to delete.")
            return
        row = self.questions.row_at(int(numbers[0]) - 1)
        answer = QMessageBox.question(
            self,
            "Delete the question",
            f"Delete “{row.question.text}” with its answers and theme links?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.runner.run(
                lambda p: votes_ops.delete_question(p, numbers[0]), parent=self, initiator=self
            )

    @Slot()
    def ask_breakdown(self) -> None:
        if self.values is not None:
            self.set_breakdown(None, "")
            return
        path = files.open_file(self, "Participants file", "Participants (*.csv *.tsv *.xlsx)")
        if not path:
            return
        preview = self.runner.query(lambda p: votes_ops.preview_sheet(path), parent=self)
        if preview is None:
            return
        column, ok = QInputDialog.getItem(
            self,
            "Break down by",
            "Participant attribute (column):",
            list(preview.headers),
            0,
            False,
        )
        if ok and column:
            self.load_breakdown(path, column)

    def load_breakdown(self, path: str, column: str) -> bool:
        """Split the figures by ``column`` of a participants file."""
        values = self.runner.query(
            lambda p: votes_ops.read_participant_values(path, column),
            parent=self,
            on_error=self._say,
        )
        if values is None:
            return False
        self.set_breakdown(values, column)
        return True

    def set_breakdown(self, values: dict[str, str] | None, attribute: str) -> None:
        self.values, self.attribute = values, attribute
        self.breakdown_button.setText(
            "Stop the &breakdown" if values is not None else "&Break down by…"
        )
        self.show_chosen()

    # -- exports ------------------------------------------------------------------------

    @Slot()
    def ask_export_figure(self) -> None:
        if not self.chosen_numbers():
            return
        path, chosen = files.save_file(
            self, "Export the figure", "votes-figure.pdf", ";;".join(FIGURE_FILTERS)
        )
        if path:
            self.export_figure(path, FIGURE_FILTERS.get(chosen))

    def export_figure(self, path: str, fmt: str | None = None):
        """Write the figure of the chosen questions in the background, after the identifier
        check (a supervisor may let a blocked export through)."""
        path, fmt = files.with_format(path, fmt, votes_ops.PICTURE_FORMATS)
        refs = self.chosen_numbers()
        denominator, style = self.denominator.currentData(), self.style_box.currentData()
        viewer = self.viewer
        return run_export_in_background(
            self.runner,
            lambda p, _progress, check: votes_ops.export_figure(
                p,
                refs,
                path,
                fmt=fmt,
                denominator=denominator,
                style=style,
                picture_writer=write_picture,
                actor=viewer,
                check=check,
            ),
            who=viewer,
            parent=self,
            label="Writing the figure…",
            on_done=self._exported,
        )

    @Slot()
    def ask_export_table(self) -> None:
        path, chosen = files.save_file(
            self, "Export the table", "votes.xlsx", ";;".join(TABLE_FILTERS)
        )
        if path:
            self.export_table(path, TABLE_FILTERS.get(chosen))

    def export_table(self, path: str, fmt: str | None = None):
        """Write every question's table (or the breakdown of the chosen one), after the
        identifier check (a supervisor may let a blocked export through)."""
        path, fmt = files.with_format(path, fmt, votes_ops.TABLE_FORMATS)
        denominator = self.denominator.currentData()
        values, attribute, refs = self.values, self.attribute, self.chosen_numbers()
        viewer = self.viewer

        def work(project, _progress, check):
            groups = None
            if values is not None and len(refs) == 1:
                groups = votes_ops.breakdown_question(
                    project, refs[0], values, denominator=denominator
                )
            about = [("Broken down by", attribute)] if groups is not None else []
            return votes_ops.export_table(
                project,
                path,
                fmt=fmt,
                denominator=denominator,
                groups=groups,
                about=about,
                actor=viewer,
                check=check,
            )

        return run_export_in_background(
            self.runner,
            work,
            who=viewer,
            parent=self,
            label="Writing the table…",
            on_done=self._exported,
        )

    def _exported(self, path) -> None:
        self.status.setText(f"Wrote {path}")
        self.exported.emit(str(path))
