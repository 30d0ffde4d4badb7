"""The agreement window: two or more layers compared, as a code x document heatmap.

Tick the layers to compare (any of the project's coders and the consensus: two or more),
choose the level (themes or subthemes), the unit and the statistic. Layers and level start
a computation in the background through the app's operation runner (all units at once),
so switching unit or statistic afterwards is instant. Clicking a cell asks the main window
to open that document at that code. A change to the codings, the codebook or the people
(announced on ``runner.changed``) marks the figures stale: they are computed again at once
if the window is active, else when it next is.
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
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.runner import Job, OperationRunner, sentence
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.changes import Area, Change
from ketqual.ops.team import coder_ops

EXPORT_FILTERS = {
    "HTML report (*.html)": "html",
    "Excel workbook (*.xlsx)": "xlsx",
    "CSV table (*.csv)": "csv",
    "JSON data (*.json)": "json",
}
N_REPLICATES = 1000
# What the figures are computed from: a change to any of these makes them stale.
SHOWN = (Area.CODINGS, Area.CODEBOOK, Area.PEOPLE, Area.PROJECT, Area.DOCUMENTS)


class AgreementWindow(QMainWindow):
    """Inter-coder agreement for one project.

    Args:
        runner: The app's :class:`~ketqual.gui.runner.OperationRunner` for the project.
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
        self._jobs: dict[str, Job] = {}
        self._pending = False
        self._stale = False
        self.setWindowTitle("Inter-coder agreement")
        self.resize(1200, 700)
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
        """Offer the layers (the project's coders ticked) and refuse early while blinded."""
        found = self.runner.query(
            lambda p: (coder_ops.list_coders(p), coder_ops.blinding(p).unblinded),
            on_error=self._show_message,
        )
        if found is None:
            return
        coders, unblinded = found
        ordered = sorted(coders, key=lambda c: (c.role != "coder", c.name.casefold()))
        items = [(c.name, c.name, c.role == "coder") for c in ordered]
        items.append(("Consensus", agreement_ops.CONSENSUS, False))
        self.controls.set_layers(items)
        self._show()  # the explanation of the chosen statistic, before any figures
        if not unblinded:
            self._show_message(agreement_texts.blinded_message())
            return
        self.compute()

    # -- computing ----------------------------------------------------------------------

    @Slot()
    def compute(self) -> None:
        """Start a computation for the ticked layers and level (queued if one runs)."""
        if "compute" in self._jobs:
            self._pending = True
            return
        layers, level = self.controls.choice()
        if len(layers) < 2:
            self._show_result(None)
            self._show_message(agreement_texts.TOO_FEW_LAYERS)
            return
        viewer = self.viewer
        self._stale = False

        def work(project, progress):
            return agreement_ops.compute_agreement(
                project,
                coders=layers,
                level=level,
                n_replicates=N_REPLICATES,
                viewer=viewer,
                progress=progress,
            )

        self._jobs["compute"] = self.runner.run_in_background(
            work,
            parent=self,
            label="Computing agreement…",
            on_done=self._on_computed,
            on_error=self._on_failed,
            initiator=self,
            show_progress=False,  # the window shows its own busy bar and steps
            on_progress=self._on_progress,
        )
        self.progress.setRange(0, 0)  # busy: the report builder has no finer steps
        self.progress.show()
        self.status.setText("Computing agreement…")

    def _on_progress(self, done: int, total: int, step: str) -> None:
        if step:
            self.status.setText(f"{step}…" if done < total else step)

    def _on_change(self, change: Change, initiator: object) -> None:
        """The figures rest on codings, codes and people: compute again when one changed
        (now if the window is active, else when it next is)."""
        if initiator is self or self.result is None or not change.touches(*SHOWN):
            return
        self._stale = True
        if self.isActiveWindow():
            self.compute()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.compute()
        super().changeEvent(event)

    def _end(self, name: str) -> bool:
        """Forget a finished job; ``False`` when it was already dropped (window closed)."""
        return self._jobs.pop(name, None) is not None

    def _rerun_if_pending(self) -> bool:
        # The choices changed while computing: the result that just came is stale.
        if not self._pending:
            return False
        self._pending = False
        self.compute()
        return True

    def _on_computed(self, result: AgreementResult) -> None:
        if not self._end("compute"):
            return
        self.progress.hide()
        if self._rerun_if_pending():
            return
        self.message.hide()
        self._show_result(result)
        self.status.setText(agreement_texts.status_line(result))
        self.computed.emit()

    def _on_failed(self, message: str) -> None:
        if not self._end("compute"):
            return
        self.progress.hide()
        self.status.setText("")
        if self._rerun_if_pending():
            return
        self._show_result(None)
        self._show_message(message)

    def _show_result(self, result: AgreementResult | None) -> None:
        self.result = result
        self.controls.export_button.setEnabled(result is not None)
        if result is not None:
            self.controls.set_layer_count(result.n_coders)
        self._show()

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
        if self.result is None or "export" in self._jobs:
            return
        if Path(path).suffix.lower().lstrip(".") in (*EXPORT_FILTERS.values(), "htm"):
            fmt = None  # a suffix the user typed wins over the dialog's filter
        elif fmt:
            path += f".{fmt}"
        result, statistic, me = self.result, self.controls.view()[1], self.viewer or None

        def work(project, progress, check):
            # with the project: the identifier check knows the review's decisions and is
            # recorded in the audit log
            written = agreement_ops.export_agreement(
                result, path, fmt=fmt, statistic=statistic, project=project, check=check, actor=me
            )
            return str(written)

        self.controls.export_button.setEnabled(False)
        self.status.setText("Writing the report…")
        self._jobs["export"] = run_export_in_background(
            self.runner,
            work,
            who=me,
            parent=self,
            label="Writing the report…",
            on_done=self._on_exported,
            on_error=self._on_export_failed,
            show_progress=False,
        )

    def _on_exported(self, path: str) -> None:
        if not self._end("export"):
            return
        self.controls.export_button.setEnabled(True)
        self.status.setText(f"Wrote {path}")
        self.exported.emit(path)

    def _on_export_failed(self, message: str) -> None:
        if not self._end("export"):
            return
        self.controls.export_button.setEnabled(self.result is not None)
        self.status.setText("")
        self._show_message(message)

    def closeEvent(self, event) -> None:  # noqa: N802
        # Work still running is cancelled and waited for; its result is dropped.
        self._pending = False
        self._jobs.clear()
        self.runner.cancel_jobs(self)
        super().closeEvent(event)
