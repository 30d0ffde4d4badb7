"""The framework matrices window: one theme's matrix, focus groups by subthemes.

Choose a theme and a layer (the consensus, or a coder's). Each cell shows the analyst's
summary, or what the cell amounts to, and how many coded passages it holds; choosing a
cell lists its passages (double-click shows one in the main window) and opens its summary
for editing. Summaries are saved as they are typed, like everything else in KetQual, and
each save is in the audit log. Everything goes through the main window's runner; exports
run in the background with their own connection. A change to the codings or the codebook
made elsewhere marks the matrices stale: they are read again when the window is next
active (or at once if it is).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ketqual.core import framework_text as ft
from ketqual.core.framework import ThemeMatrix
from ketqual.core.framework_quotes import QuotedPassage
from ketqual.core.framework_report import MatrixReport, theme_caption
from ketqual.gui import files
from ketqual.gui.framework.framework_model import MatrixModel
from ketqual.gui.framework.framework_panels import SummaryPanel
from ketqual.gui.framework.frozen_table import FrozenColumnTable
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.runner import Job, OperationRunner, Progress, sentence
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.changes import Area, Change
from ketqual.ops.framework import framework_ops
from ketqual.ops.framework.framework_ops import SummaryStored
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops

# A pause in typing this long saves the summary (leaving the cell saves at once). Every
# save is an audit event, so not after each word.
SAVE_DELAY_MS = 1500
EXPORT_FILTERS = {
    "Excel workbook (*.xlsx)": "xlsx",
    "Word document, landscape tables (*.docx)": "docx",
    "A folder of CSV files, one per theme": "csv",
}
# What the matrices are built from: a change to any of these makes them stale.
SHOWN = (Area.CODINGS, Area.CODEBOOK, Area.DOCUMENTS, Area.PEOPLE, Area.PROJECT, Area.OUTPUTS)


class FrameworkWindow(QMainWindow):
    """Framework matrices of one project, for charting.

    Args:
        runner: The open project's runner (the main window's).
        viewer_name: The person using the app; summaries are saved under this name.
        parent: Parent widget.

    Signals:
        openPassage(int, int, int): document id, start and end of a passage to show.
        saved(str): a summary was stored (the audit line).
        failed(str): something was refused; the message is also shown.
        exported(str): matrices were written to this path.
    """

    openPassage = Signal(int, int, int)  # noqa: N815 - Qt naming
    saved = Signal(str)
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, runner: OperationRunner, viewer_name: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer_name.strip() or None
        self.report: MatrixReport | None = None
        self.matrices: list[ThemeMatrix] = []  # the report's, updated as summaries are saved
        self._cell: tuple[int, int] | None = None  # (row, column) being edited
        self._dirty = False
        self._stale = False
        self.export_job: Job | None = None
        self.setWindowTitle("Framework matrices")
        self.resize(1280, 760)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        self.layer_box = QComboBox()
        self.layer_box.setAccessibleName("Layer")
        self.theme_box = QComboBox()
        self.theme_box.setAccessibleName("Theme")
        self.export_button = QPushButton("&Export…")
        self.export_button.setToolTip("Write every theme's matrix (F5 reads the codings again)")
        self.export_button.setEnabled(False)
        self.caption = QLabel()
        self.caption.setAccessibleName("Matrix caption")
        self.caption.setWordWrap(True)  # long captions (and the review caveat) wrap
        self.message = message_label("Charting message")
        self.model = MatrixModel(self)
        self.table = FrozenColumnTable()  # the focus groups stay in view, scrolled right
        self.table.setAccessibleName("Framework matrix")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setDefaultSectionSize(250)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip has the name
        self.table.selectionModel().currentChanged.connect(self._cell_chosen)
        self.panel = SummaryPanel()
        self.panel.edited.connect(self._schedule_save)
        self.panel.stateChosen.connect(self.save_now)
        self.panel.passageOpened.connect(self._open_passage)
        self._timer = QTimer(self, singleShot=True, interval=SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)

        bar = QHBoxLayout()
        for text, widget in (("&Theme", self.theme_box), ("&Layer", self.layer_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.caption, 1)
        bar.addWidget(self.export_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 460])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        refresh = QShortcut(QKeySequence.StandardKey.Refresh, self)
        refresh.activated.connect(self.reload)  # F5: codings changed in the main window
        self._fill_layers()
        self.layer_box.currentIndexChanged.connect(self.reload)
        self.theme_box.currentIndexChanged.connect(self._show_theme)
        self.export_button.clicked.connect(self._ask_export)
        runner.changed.connect(self._on_change)
        self.reload()

    # -- loading ------------------------------------------------------------------------

    def _fill_layers(self) -> None:
        found = self.runner.query(
            lambda p: (coder_ops.list_coders(p), coder_ops.blinding(p).unblinded),
            on_error=self._show_message,
        )
        coders, unblinded = found if found is not None else ([], False)
        self.layer_box.addItem("Consensus", framework_ops.CONSENSUS)
        for coder in coders:
            if coder.role == "coder":
                self.layer_box.addItem(coder.name, coder.name)
        if not unblinded and self.viewer:  # a coder may chart their own layer meanwhile
            mine = self.layer_box.findData(self.viewer)
            self.layer_box.setCurrentIndex(max(mine, 0))

    def layer(self) -> str:
        """The chosen layer's name (``consensus`` or a coder's)."""
        return self.layer_box.currentData() or framework_ops.CONSENSUS

    @Slot()
    def reload(self) -> None:
        """Read the matrices of the chosen layer again (keeping the theme and cell)."""
        self.save_now()
        self._stale = False
        theme = self.theme_box.currentData()
        layer, viewer = self.layer(), self.viewer
        self.report = self.runner.query(
            lambda p: framework_ops.build_report(p, layer=layer, viewer=viewer, actor=viewer),
            on_error=self._show_message,
        )
        if self.report is not None:
            self.message.hide()
        self.matrices = list(self.report.matrices) if self.report else []
        self.export_button.setEnabled(self.report is not None)
        self.theme_box.blockSignals(True)
        self.theme_box.clear()
        for matrix in self.matrices:
            self.theme_box.addItem(matrix.theme.name, matrix.theme.id)
        self.theme_box.setCurrentIndex(max(self.theme_box.findData(theme), 0))
        self.theme_box.blockSignals(False)
        self._show_theme()

    @Slot()
    def _show_theme(self) -> None:
        self.save_now()
        self._cell = None
        index = self.theme_box.currentIndex()
        matrix = self.matrices[index] if 0 <= index < len(self.matrices) else None
        self.model.set_matrix(matrix)
        caption = theme_caption(matrix, self.report.counts) if matrix else ""
        if matrix and self.report.info.caveat:  # said on screen as in every export
            caption += f". {self.report.info.caveat}"
        self.caption.setText(caption)
        self.table.setColumnWidth(0, 170)
        if matrix is not None and matrix.rows:
            self.table.setCurrentIndex(self.model.index(0, 1))
        else:
            self.panel.show_cell(None, (), None, editable=False, reason="No matrix to show.")

    # -- one cell -----------------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _cell_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.save_now()
        cell = self.model.cell(current.row(), current.column()) if current.isValid() else None
        matrix = self.model.matrix
        if cell is None or matrix is None:
            self._cell = None
            self.panel.show_cell(None, (), None, editable=False, reason="Choose a cell.")
            return
        row, column = matrix.rows[current.row()], matrix.columns[current.column() - 1]
        title = f"{row.label} × {column.label}  ({row.sources})" if row.sources else row.label
        reason = ""
        if row.case_id is None:
            reason = (
                "These documents belong to no focus group, so the cell cannot hold a summary; "
                "give them a session and group (Document › Edit details)."
            )
        elif self.report is not None and not self.report.info.summaries_included:
            text = framework_ops.BLINDED_SUMMARIES
            reason = text[:1].upper() + text[1:] + "."
        self._cell = (current.row(), current.column()) if not reason else None
        self.panel.show_cell(title, cell.passages, cell.summary, editable=not reason, reason=reason)

    @Slot()
    def _schedule_save(self) -> None:
        self._dirty = True
        self._timer.start()

    @Slot()
    def save_now(self) -> None:
        """Store the summary being edited, if it changed (called on every pause)."""
        self._timer.stop()
        if self._cell is None or self.model.matrix is None:
            return
        row, column = self._cell
        cell = self.model.cell(row, column)
        state, text = self.panel.state(), self.panel.text().strip()
        stored = cell.summary if cell else None
        if stored is not None and (stored.state, stored.text) == (state, text):
            self._dirty = False
            return
        if stored is None and state == ft.SUMMARY and not text:
            self._dirty = False
            return
        matrix, actor = self.model.matrix, self.viewer
        case_id, code_id = matrix.rows[row].case_id, matrix.columns[column - 1].code_id
        refs = ft.refs_for(text, cell.passages if cell else ())
        change = self.runner.run(
            lambda p: framework_ops.set_summary(
                p, case_id=case_id, code_id=code_id, state=state, text=text, refs=refs, actor=actor
            ),
            on_error=self._show_message,
            initiator=self,
        )
        if change is None or not isinstance(change.payload, SummaryStored):
            return
        self._dirty = False
        summary = change.payload.summary
        self.model.set_summary(row, column, summary)
        self.matrices[self.theme_box.currentIndex()] = self.model.matrix  # for theme switches
        self.panel.show_saved(summary)
        self.saved.emit(change.summary)

    @Slot(object)
    def _open_passage(self, passage: QuotedPassage) -> None:
        self.openPassage.emit(passage.document_id, passage.start, passage.end)

    def _show_message(self, message: str) -> None:
        self.message.setText(sentence(message))
        self.message.show()
        self.failed.emit(message)

    def _on_change(self, change: Change, initiator: object) -> None:
        """Another window changed what the matrices rest on: read them again (now if the
        window is active, else when it next is)."""
        if initiator is self or not change.touches(*SHOWN):
            return
        self._stale = True
        if self.isActiveWindow():
            self.reload()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.reload()
        super().changeEvent(event)

    # -- exporting ----------------------------------------------------------------------

    @Slot()
    def _ask_export(self) -> None:
        path, chosen = files.save_file(
            self, "Export framework matrices", "framework-matrices.xlsx", ";;".join(EXPORT_FILTERS)
        )
        if path:
            self.export_to(path, EXPORT_FILTERS.get(chosen))

    def export_to(self, path: str, fmt: str | None = None) -> Job | None:
        """Write the matrices of the chosen layer in the background (``exported`` or
        ``failed`` follows). A typed ``.xlsx`` or ``.docx`` wins over ``fmt``; ``csv``
        writes a folder at ``path``."""
        if self.export_job is not None:
            return None
        self.save_now()
        suffix = Path(path).suffix.lower().lstrip(".")
        if suffix in ("xlsx", "docx"):
            fmt = suffix
        elif fmt in ("xlsx", "docx"):
            path += f".{fmt}"
        chosen, layer, viewer = fmt or "csv", self.layer(), self.viewer

        def write(project: Project, _progress: Progress, check) -> str:
            change = framework_ops.export_matrices(
                project, path, fmt=chosen, layer=layer, viewer=viewer, check=check
            )
            return str(change.details["path"])

        self.export_button.setEnabled(False)
        self.statusBar().showMessage("Writing the framework matrices…")
        self.export_job = run_export_in_background(
            self.runner,
            write,
            who=viewer or None,
            parent=self,
            show_progress=False,
            on_done=self._exported,
            on_error=self._export_failed,
        )
        return self.export_job

    def _end_export(self) -> None:
        self.export_job = None
        self.export_button.setEnabled(self.report is not None)

    @Slot(str)
    def _exported(self, path: str) -> None:
        self._end_export()
        self.statusBar().showMessage(f"Wrote {path}", 10_000)
        self.exported.emit(path)

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        self._end_export()
        self.statusBar().clearMessage()
        self._show_message(message)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_now()
        self.runner.cancel_jobs(self)
        self.export_job = None
        super().closeEvent(event)
