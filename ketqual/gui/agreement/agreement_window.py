"""The agreement window: two layers compared, as a code x document heatmap.

Choose the two layers (coders or the consensus), the level (themes or subthemes), the
unit and the statistic. Layers and level start a computation in the background (all
units at once, through the runner), so switching unit or statistic afterwards is instant.
Clicking a cell asks the main window to open that document at that code. A change to the
codings, the codebook or the people marks the figures stale; they are computed again the
next time the window is active.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.agreement.labelled import AgreementResult
from ketqual.gui import files
from ketqual.gui.agreement import agreement_texts
from ketqual.gui.agreement.agreement_model import CODE_ID_ROLE, DOCUMENT_ID_ROLE, HeatmapModel
from ketqual.gui.agreement.agreement_panels import AgreementControls, PooledPanel, heatmap_view
from ketqual.gui.runner import Job, OperationRunner, Progress, sentence
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.changes import Area, Change
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops

# What the figures are computed from: a change to any of these makes them stale.
SHOWN = (Area.CODINGS, Area.CODEBOOK, Area.PEOPLE, Area.PROJECT, Area.DOCUMENTS)
N_REPLICATES = 1000
EXPORT_FILTERS = {
    "HTML report (*.html)": "html",
    "Excel workbook (*.xlsx)": "xlsx",
    "CSV table (*.csv)": "csv",
    "JSON data (*.json)": "json",
}


class AgreementWindow(QMainWindow):
    """Inter-coder agreement for one project.

    Args:
        runner: The open project's runner (computations run in its background threads,
            each with its own connection).
        viewer_name: The coder using the app (recorded with the computation); may be "".
        parent: Parent widget.

    Signals:
        openDocument(int, int): document id and code id of a clicked heatmap cell.
        computed(): a computation finished and the views show it.
        failed(str): a computation or export was refused; the message is also shown.
        exported(str): a report was written to this path.
    """

    openDocument = Signal(int, int)  # noqa: N815 - Qt naming
    computed = Signal()
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, runner: OperationRunner, viewer_name: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer_name.strip() or None
        self.result: AgreementResult | None = None
        self.jobs: dict[str, Job] = {}
        self._pending = False
        self._stale = False
        self.setWindowTitle("Inter-coder agreement")
        self.resize(1200, 720)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        self.controls = AgreementControls()
        self.message = message_label("Agreement message")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.status = QLabel()
        self.status.setAccessibleName("Agreement status")
        self.heatmap_model = HeatmapModel(self)
        self.heatmap = heatmap_view(self.heatmap_model)
        self.side = PooledPanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.heatmap)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        status_row = QHBoxLayout()
        status_row.addWidget(self.progress)
        status_row.addWidget(self.status, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.controls)
        layout.addWidget(self.message)
        layout.addLayout(status_row)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.controls.layersChanged.connect(self.compute)
        self.controls.viewChanged.connect(self._show)
        self.controls.export_button.clicked.connect(self._ask_export)
        self.side.statisticChosen.connect(self.controls.choose_statistic)
        self.heatmap.clicked.connect(self._cell_clicked)
        self.heatmap.activated.connect(self._cell_clicked)
        runner.changed.connect(self._on_change)
        self._load_coders()

    def _load_coders(self) -> None:
        """Fill the layer choices and refuse early, with a message, while blinded."""
        found = self.runner.query(
            lambda p: (coder_ops.list_coders(p), coder_ops.blinding(p).unblinded),
            on_error=self._show_message,
        )
        if found is None:
            return
        coders, unblinded = found
        ordered = sorted(coders, key=lambda c: (c.role != "coder", c.name.casefold()))
        items = [(c.name, c.name) for c in ordered] + [("Consensus", agreement_ops.CONSENSUS)]
        self.controls.set_layers(items)
        self._show()  # the explanation of the chosen statistic, before any figures
        if not unblinded:
            self._show_message(agreement_texts.blinded_message())
            return
        self.compute()

    # -- computing ----------------------------------------------------------------------

    @Slot()
    def compute(self) -> None:
        """Start a computation for the chosen layers and level (queued if one runs)."""
        if "compute" in self.jobs:
            self._pending = True
            return
        layer_a, layer_b, level = self.controls.choice()
        if layer_a is None or layer_b is None:
            return
        self._stale = False
        viewer = self.viewer

        def work(project: Project, progress: Progress) -> AgreementResult:
            return agreement_ops.compute_agreement(
                project,
                coder_a=layer_a,
                coder_b=layer_b,
                level=level,
                n_replicates=N_REPLICATES,
                seed=0,
                viewer=viewer,
                progress=progress.report,
            )

        self.jobs["compute"] = self.runner.run_in_background(
            work,
            parent=self,
            show_progress=False,  # the window shows its own busy bar and steps
            on_progress=self._on_progress,
            on_done=self._on_computed,
            on_error=self._on_failed,
        )
        self.progress.setRange(0, 0)  # busy: the report builder has no finer steps
        self.progress.show()
        self.status.setText("Computing agreement…")

    def _end(self, name: str) -> bool:
        """Forget a finished job; ``False`` when it was already dropped (window closed)."""
        return self.jobs.pop(name, None) is not None

    def _on_change(self, change: Change, _initiator: object) -> None:
        """The figures rest on codings, codes and people: compute again when one changed
        (now if the window is active, else when it next is)."""
        if not change.touches(*SHOWN) or self.result is None:
            return
        self._stale = True
        if self.isActiveWindow():
            self.compute()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.compute()
        super().changeEvent(event)

    def _rerun_if_pending(self) -> bool:
        # The choices changed while computing: the result that just came is stale.
        if not self._pending:
            return False
        self._pending = False
        self.compute()
        return True

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, step: str) -> None:
        self.status.setText(f"{step}…" if done < total else step)

    @Slot(object)
    def _on_computed(self, result: AgreementResult) -> None:
        if not self._end("compute"):
            return
        self.progress.hide()
        if self._rerun_if_pending():
            return
        self.result = result
        self.message.hide()
        self.controls.export_button.setEnabled(True)
        self.status.setText(agreement_texts.status_line(result))
        self._show()
        self.computed.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._end("compute"):
            return
        self.progress.hide()
        self.status.setText("")
        if self._rerun_if_pending():
            return
        self.result = None
        self.controls.export_button.setEnabled(False)
        self._show()
        self._show_message(message)

    def _show_message(self, message: str) -> None:
        self.message.setText(sentence(message))
        self.message.show()
        self.failed.emit(message)

    # -- showing ------------------------------------------------------------------------

    @Slot()
    def _show(self) -> None:
        unit, name = self.controls.view()
        self.heatmap_model.set_view(self.result, unit, name)
        self.side.set_view(self.result, unit, name)

    @Slot(QModelIndex)
    def _cell_clicked(self, index: QModelIndex) -> None:
        code, document = index.data(CODE_ID_ROLE), index.data(DOCUMENT_ID_ROLE)
        if code is not None and document is not None:
            self.openDocument.emit(int(document), int(code))

    # -- exporting ----------------------------------------------------------------------

    @Slot()
    def _ask_export(self) -> None:
        if self.result is None:
            return
        path, chosen = files.save_file(
            self,
            "Export agreement report",
            agreement_texts.default_file_name(self.result),
            ";;".join(EXPORT_FILTERS),
        )
        if path:
            self.export_to(path, EXPORT_FILTERS.get(chosen))

    def export_to(self, path: str, fmt: str | None = None) -> None:
        """Write the shown result in the background; ``exported`` or ``failed`` follows.

        Args:
            path: File to write; ``.fmt`` is appended when it has no known suffix.
            fmt: ``html``, ``xlsx``, ``csv`` or ``json``, used when ``path`` has no known
                suffix.
        """
        if self.result is None or "export" in self.jobs:
            return
        if Path(path).suffix.lower().lstrip(".") in (*EXPORT_FILTERS.values(), "htm"):
            fmt = None  # a suffix the user typed wins over the dialog's filter
        elif fmt:
            path += f".{fmt}"
        result, statistic = self.result, self.controls.view()[1]

        def write(_progress: Progress) -> str:
            return str(agreement_ops.export_agreement(result, path, fmt=fmt, statistic=statistic))

        self.controls.export_button.setEnabled(False)
        self.status.setText("Writing the report…")
        self.jobs["export"] = self.runner.run_in_background(
            write,
            parent=self,
            needs_project=False,  # the result is already read
            show_progress=False,
            on_done=self._on_exported,
            on_error=self._on_export_failed,
        )

    @Slot(str)
    def _on_exported(self, path: str) -> None:
        if not self._end("export"):
            return
        self.controls.export_button.setEnabled(True)
        self.status.setText(f"Wrote {path}")
        self.exported.emit(path)

    @Slot(str)
    def _on_export_failed(self, message: str) -> None:
        if not self._end("export"):
            return
        self.controls.export_button.setEnabled(True)
        self.status.setText("")
        self._show_message(message)

    def closeEvent(self, event) -> None:  # noqa: N802
        # Work still running is cancelled and waited for; its result is dropped.
        self._pending = False
        self.runner.cancel_jobs(self)
        self.jobs.clear()
        super().closeEvent(event)
