"""File › Export / Import › REFI-QDA: the main window's exchange with NVivo, ATLAS.ti, MAXQDA
and QualCoder.

Every step is an operation in :mod:`ketqual.ops.exchange`, run through the one
:class:`~ketqual.gui.runner.OperationRunner`: reading and writing files off the GUI thread
with a progress dialog, refusals shown the one way the app shows them. This module only asks
(which layers, which file, go ahead despite the data loss?) and shows the outcome. Its
dialogs, the exchange operations and the export check load when first used.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QMessageBox

from ketqual.gui import files
from ketqual.gui.runner import OperationRunner
from ketqual.ops.coding import coding_ops
from ketqual.ops.team import coder_ops

QDPX_FILTER = "REFI-QDA projects (*.qdpx *.qde);;All files (*)"
QDC_FILTER = "REFI-QDA codebooks (*.qdc);;REFI-QDA projects (*.qdpx *.qde);;All files (*)"
PROJECT_FILTER = "KetQual projects (*.ketqual)"


class ExchangeActions:
    """Slots for the REFI-QDA menu items of ``window`` (a MainWindow)."""

    def __init__(self, window) -> None:
        self.window = window
        self._own_runner: OperationRunner | None = None
        self.last_job = None  # the background work last started (tests wait on it)

    def runner(self) -> OperationRunner:
        """The window's runner (one made for the open project until the window has its own)."""
        shared = getattr(self.window, "runner", None)
        if isinstance(shared, OperationRunner):
            return shared
        project = self.window.project
        if self._own_runner is None or self._own_runner.project is not project:
            self._own_runner = OperationRunner(project, self.window)
        return self._own_runner

    # ----- questions (tests replace these) ---------------------------------------------------
    def ask_layers(self, layers: list[str], blinded: bool) -> list[str] | None:
        """Which layers go out (those with codings ticked at first); ``None`` when the
        person cancels."""
        from ketqual.gui.exchange.exchange_dialogs import ExportDialog
        from ketqual.ops.exchange import qdpx_export  # on first use

        def codings_per_layer(project) -> dict[str, int]:
            names = {c.id: c.name for c in coder_ops.list_coders(project)}
            totals: dict[str, int] = {}
            for (_document, coder), n in coding_ops.progress(project)["counts"].items():
                name = qdpx_export.CONSENSUS_USER if coder is None else names.get(coder, "")
                totals[name] = totals.get(name, 0) + n
            return totals

        codings = self.runner().query(codings_per_layer, parent=self.window)
        dialog = ExportDialog(layers, blinded=blinded, codings=codings, parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.layers()

    def ask_go_ahead(self, plan) -> tuple[bool, str | None]:
        """Show the import summary; (go ahead?, another positions reading to try)."""
        from ketqual.gui.exchange.exchange_dialogs import ImportSummaryDialog

        dialog = ImportSummaryDialog(plan.summary, self._unit, parent=self.window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return accepted, dialog.reread

    # ----- export ---------------------------------------------------------------------------
    def export_project(self) -> None:
        """Ask for the layers and a file, then write the .qdpx off the GUI thread."""
        from ketqual.gui.privacy.export_guard import run_export_in_background
        from ketqual.ops.exchange import qdpx_export  # on first use

        window = self.window
        if window.project is None:
            return
        me = window.coding.coder
        viewer = me.name if me else None
        runner = self.runner()
        blinded = runner.query(lambda p: not coder_ops.blinding(p).unblinded, parent=window)
        layers = runner.query(lambda p: qdpx_export.exportable_layers(p, viewer), parent=window)
        if blinded is None or layers is None:
            return
        chosen = self.ask_layers(layers, blinded)
        if chosen is None:
            return
        stem = (
            Path(window.project.location).stem if window.project.backend == "sqlite" else "project"
        )
        path, _ = files.save_file(
            window, "Export as a REFI-QDA project", f"{stem}.qdpx", QDPX_FILTER
        )
        if not path:
            return
        if not path.lower().endswith(".qdpx"):
            path += ".qdpx"

        def work(project, progress, check):
            return qdpx_export.export_qdpx(
                project,
                path,
                layers=chosen,
                viewer=viewer,
                actor=viewer,
                progress=progress,
                check=check,
            )

        self.last_job = run_export_in_background(
            runner,
            work,
            who=viewer,
            parent=window,
            label="Writing the REFI-QDA project…",
            on_done=lambda report: window.statusBar().showMessage(report.summary(), 10000),
        )

    def export_codebook(self) -> None:
        """Write the codebook as a .qdc."""
        from ketqual.gui.privacy.export_guard import run_export
        from ketqual.ops.exchange import qdpx_export  # on first use

        window = self.window
        if window.project is None:
            return
        path, _ = files.save_file(
            window, "Export the codebook (REFI-QDA)", "codebook.qdc", "REFI-QDA codebooks (*.qdc)"
        )
        if not path:
            return
        if not path.lower().endswith(".qdc"):
            path += ".qdc"
        me = window.coding.coder.name if window.coding.coder else None
        written = run_export(
            self.runner(),
            lambda p, check: qdpx_export.export_qdc(p, path, actor=me, check=check),
            who=me,
            parent=window,
        )
        if written is not None:
            window.statusBar().showMessage(f"Codebook written to {written}", 8000)

    # ----- import ---------------------------------------------------------------------------
    _unit = "auto"

    def import_project(self) -> None:
        """Ask for a .qdpx, read it off the GUI thread, show what comes in and what is lost,
        then store it as a new project and open it."""
        window = self.window
        source = files.open_file(window, "Import a REFI-QDA project", QDPX_FILTER)
        if not source:
            return
        self._unit = "auto"
        self._read(Path(source))

    def _read(self, source: Path) -> None:
        from ketqual.ops.exchange import qdpx_import  # on first use

        unit = self._unit
        self.last_job = self.runner().run_in_background(
            lambda progress: qdpx_import.read_qdpx(source, positions_unit=unit, progress=progress),
            parent=self.window,
            label=f"Reading {source.name}…",
            on_done=lambda plan: self._confirm(source, plan),
            needs_project=False,
        )

    def _confirm(self, source: Path, plan) -> None:
        from ketqual.ops.exchange import qdpx_import  # on first use

        accepted, reread = self.ask_go_ahead(plan)
        if reread is not None:
            self._unit = reread
            self._read(source)
            return
        if not accepted:
            self.window.statusBar().showMessage("Nothing was imported", 5000)
            return
        suggested = str(source.with_suffix(".ketqual"))
        target, _ = files.save_file(
            self.window, "Save the imported project as", suggested, PROJECT_FILTER
        )
        if not target:
            return
        self.last_job = self.runner().run_in_background(
            lambda _progress: qdpx_import.store_plan(plan, target),
            parent=self.window,
            label="Storing the imported project…",
            on_done=self._opened,
            needs_project=False,
        )

    def _opened(self, result) -> None:
        window = self.window
        if window.open_project(result.location):
            window.statusBar().showMessage(result.line(), 10000)

    def import_codebook(self) -> None:
        """Merge a .qdc codebook into the open project."""
        from ketqual.ops.exchange import qdc_import  # on first use

        window = self.window
        if window.project is None:
            return
        path = files.open_file(window, "Import a REFI-QDA codebook", QDC_FILTER)
        if not path:
            return
        me = window.coding.coder
        change = self.runner().run(
            lambda p: qdc_import.import_qdc(p, path, actor=me.name if me else None),
            parent=window,
        )
        if change is None:
            return
        window.refresh()
        lines = [change.summary, *change.details.get("notes", [])]
        lost = change.details.get("lost", [])
        if lost:
            lines += ["", "Not imported:", *lost]
        QMessageBox.information(window, "Codebook imported", "\n".join(lines))
