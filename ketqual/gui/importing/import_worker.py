"""Running an import off the GUI thread, with progress and cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ketqual.ops import project_ops
from ketqual.ops.importing import import_ops


class ImportWorker(QObject):
    """Imports files in a worker thread; only plain data crosses back to the GUI.

    The worker opens its own connection to the project (SQLite connections belong to the
    thread that made them), so the GUI thread's connection is never shared.
    """

    progress = Signal(int, int, str)
    finished = Signal(object)  # ImportReport
    failed = Signal(str)

    def __init__(
        self,
        location: str,
        paths: list[Path],
        options: import_ops.ImportOptions,
        reimport_duplicates: bool = False,
    ) -> None:
        super().__init__()
        self._location = location
        self._paths = paths
        self._options = options
        self._reimport = reimport_duplicates
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop after the current file (that file still completes or rolls back whole)."""
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        """Do the import; emits ``finished`` with the report or ``failed`` with a reason."""
        try:
            project = project_ops.open_project(self._location, backup=False)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.failed.emit(str(exc))
            return
        try:
            policy = import_ops.import_duplicates if self._reimport else import_ops.skip_duplicates
            report = import_ops.import_files(
                project,
                self._paths,
                self._options,
                on_duplicate=policy,
                progress=self.progress.emit,
                cancelled=self._cancel.is_set,
            )
        finally:
            project.close()
        self.finished.emit(report)
