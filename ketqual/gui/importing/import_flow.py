"""Importing files from the window: choose, set options, run off the GUI thread, report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from ketqual.gui import files
from ketqual.gui.importing.import_dialogs import ImportOptionsDialog, ImportResultsDialog
from ketqual.gui.importing.import_worker import ImportWorker
from ketqual.ops.importing import import_ops

FILE_FILTER = (
    "Notes and feedback (*.txt *.md *.docx *.odt *.rtf *.pdf *.csv *.tsv *.xlsx);;All files (*)"
)


class ImportFlow(QObject):
    """One import at a time for a window, with progress, cancel and a results dialog.

    A QObject living in the GUI thread, so the worker's signals arrive here queued: slots
    of this object run in the GUI thread (lambdas would run in the worker thread).
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.thread: QThread | None = None
        self._running = None  # (worker, progress dialog, options) while importing
        self.last_report: import_ops.ImportReport | None = None

    def ask(self) -> None:
        """Ask for files and options, then start."""
        if self.w.project is None:
            return
        paths = files.open_files(self.w, "Import files", FILE_FILTER)
        if not paths:
            return
        chosen = [Path(p) for p in paths]
        options = ImportOptionsDialog(chosen, self.w)
        if options.exec():
            self.start(chosen, options.options())

    def start(
        self, files: list[Path], options: import_ops.ImportOptions, reimport: bool = False
    ) -> None:
        """Import ``files`` in a worker thread with a progress dialog and cancel button."""
        progress = QProgressDialog("Importing…", "Cancel", 0, len(files), self.w)
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        worker = ImportWorker(self.w.project.location, files, options, reimport)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        progress.canceled.connect(worker.cancel)
        self._running = (worker, progress, options)
        self.thread = thread
        thread.start()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, name: str) -> None:
        progress = self._running[1]
        progress.setValue(done)
        if name:
            progress.setLabelText(f"Importing {name}…")

    def _end(self) -> import_ops.ImportOptions:
        _worker, progress, options = self._running
        progress.close()
        self.thread.quit()
        self.thread.wait()
        self.thread = None
        self._running = None
        return options

    @Slot(object)
    def _on_finished(self, report: import_ops.ImportReport) -> None:
        options = self._end()
        self.w.refresh()
        if report.document_ids:
            self.w.select_document(report.document_ids[0])
        self.last_report = report
        dialog = ImportResultsDialog(report, self.w)
        if dialog.exec() and dialog.duplicates:
            self.start(dialog.duplicates, options, reimport=True)

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        self._end()
        QMessageBox.warning(self.w, "Import failed", reason)
