"""The agreement window: two layers compared, as a code x document heatmap.

Choose the two layers (coders or the consensus), the level (themes or subthemes), the
unit and the statistic. Layers and level start a computation in a worker thread (all
units at once), so switching unit or statistic afterwards is instant. Clicking a cell
asks the main window to open that document at that code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QThread, Signal, Slot
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
from ketqual.gui.agreement.agreement_worker import AgreementRequest, AgreementWorker, ExportWorker
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops import project_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops

EXPORT_FILTERS = {
    "HTML report (*.html)": "html",
    "Excel workbook (*.xlsx)": "xlsx",
    "CSV table (*.csv)": "csv",
    "JSON data (*.json)": "json",
}


class AgreementWindow(QMainWindow):
    """Inter-coder agreement for one project.

    Args:
        project_location: The project's file path or URL (workers open their own
            connection to it).
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

    def __init__(self, project_location: str, viewer_name: str, parent=None) -> None:
        super().__init__(parent)
        self.location = project_location
        self.viewer = viewer_name.strip() or None
        self.result: AgreementResult | None = None
        self._jobs: dict[str, tuple[object, QThread]] = {}
        self._pending = False
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
        self._load_coders()

    def _load_coders(self) -> None:
        """Fill the layer choices and refuse early, with a message, while blinded."""
        try:
            with project_ops.open_project(self.location, backup=False) as project:
                coders = coder_ops.list_coders(project)
                unblinded = coder_ops.blinding(project).unblinded
        except OperationError as exc:
            self._show_message(str(exc))
            return
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
        if "compute" in self._jobs:
            self._pending = True
            return
        layer_a, layer_b, level = self.controls.choice()
        if layer_a is None or layer_b is None:
            return
        worker = AgreementWorker(
            AgreementRequest(self.location, layer_a, layer_b, level, self.viewer)
        )
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_computed)
        worker.failed.connect(self._on_failed)
        self._start("compute", worker)
        self.progress.setRange(0, 0)  # busy: the report builder has no finer steps
        self.progress.show()
        self.status.setText("Computing agreement…")

    def _start(self, name: str, worker) -> None:
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        self._jobs[name] = (worker, thread)
        thread.start()

    def _end(self, name: str) -> bool:
        """Stop a job's thread; ``False`` when it was already stopped (window closed)."""
        job = self._jobs.pop(name, None)
        if job is None:
            return False
        job[1].quit()
        job[1].wait()
        job[1].deleteLater()  # one thread per job: do not let them pile up on the window
        return True

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
        self.message.setText(message[:1].upper() + message[1:])
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
        """Write the shown result in a worker thread; ``exported`` or ``failed`` follows.

        Args:
            path: File to write; ``.fmt`` is appended when it has no known suffix.
            fmt: ``html``, ``xlsx``, ``csv`` or ``json``, used when ``path`` has no known
                suffix.
        """
        if self.result is None or "export" in self._jobs:
            return
        if Path(path).suffix.lower().lstrip(".") in (*EXPORT_FILTERS.values(), "htm"):
            fmt = None  # a suffix the user typed wins over the dialog's filter
        elif fmt:
            path += f".{fmt}"
        worker = ExportWorker(self.result, path, fmt, self.controls.view()[1])
        worker.finished.connect(self._on_exported)
        worker.failed.connect(self._on_export_failed)
        self.controls.export_button.setEnabled(False)
        self.status.setText("Writing the report…")
        self._start("export", worker)

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
        # A running thread must finish before its QThread object goes away with us; its
        # queued result then finds no job and is dropped.
        self._pending = False
        for name in list(self._jobs):
            self._end(name)
        super().closeEvent(event)
