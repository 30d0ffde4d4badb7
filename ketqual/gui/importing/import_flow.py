"""Importing files from the window: choose, set options, run in the background, report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ketqual.core.model import ImportRefused
from ketqual.gui import files
from ketqual.gui.runner import Job, Progress

# The dialogs and the import operations (file readers, encoding detection) load at the
# first import, not with the main window.
if TYPE_CHECKING:
    from ketqual.ops.importing import import_ops
    from ketqual.ops.privacy.key_ops import KeySession
    from ketqual.ops.project_ops import Project

FILE_FILTER = (
    "Notes and feedback (*.txt *.md *.docx *.odt *.rtf *.pdf *.csv *.tsv *.xlsx);;All files (*)"
)


class ImportFlow(QObject):
    """One import at a time for a window, with progress, cancel and a results dialog.

    The import runs through the window's runner (its own connection, in a worker thread);
    the stored documents reach every window through ``runner.changed``.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.job: Job | None = None
        self.last_report: import_ops.ImportReport | None = None

    def ask(self) -> None:
        """Ask for files and options, then start."""
        if self.w.runner is None:
            return
        paths = files.open_files(self.w, "Import files", FILE_FILTER)
        if not paths:
            return
        chosen = [Path(p) for p in paths]
        from ketqual.gui.importing.import_dialogs import ImportOptionsDialog

        dialog = ImportOptionsDialog(chosen, self.w, runner=self.w.runner, actor=self._actor())
        if dialog.exec():
            self.start(chosen, dialog.options(), key=dialog.key, names=dialog.names())

    def _actor(self) -> str:
        coder = getattr(getattr(self.w, "coding", None), "coder", None)
        return coder.name if coder is not None else ""

    def start(
        self,
        files: list[Path],
        options: import_ops.ImportOptions,
        reimport: bool = False,
        *,
        key: KeySession | None = None,
        names: str | None = None,
    ) -> None:
        """Import ``files`` in the background with a progress dialog and a Cancel button.

        Cancelling stops after the current file (which completes or rolls back whole).

        Args:
            files: The files.
            options: The batch's options.
            reimport: Import files already imported again.
            key: The project's key file: its roster's names are replaced at import.
            names: Roster text to add to ``key`` first (as ``ketqual import --names``).
        """
        runner = self.w.runner
        if runner is None or (self.job is not None and self.job in runner.jobs):
            return  # one import at a time (a job of a project closed since is gone)
        from ketqual.ops.importing import import_ops

        policy = import_ops.import_duplicates if reimport else import_ops.skip_duplicates
        actor = self._actor() or None

        def work(project: Project, progress: Progress) -> import_ops.ImportReport:
            return import_ops.import_files(
                project,
                files,
                options,
                on_duplicate=policy,
                names=names,
                key=key,
                progress=lambda done, total, name: progress.report(
                    done, total, f"Importing {name}…" if name else ""
                ),
                cancelled=progress.cancelled,
                actor=actor,
            )

        self.job = self.w.runner.run_in_background(
            work,
            parent=self.w,
            label="Importing…",
            initiator=self.w,
            on_done=lambda report: self._finished(report, options, key),
            on_error=self._failed,
        )

    def _finished(
        self,
        report: import_ops.ImportReport,
        options: import_ops.ImportOptions,
        key: KeySession | None = None,
    ) -> None:
        self.job = None
        self.last_report = report
        from ketqual.gui.importing.import_dialogs import ImportResultsDialog

        dialog = ImportResultsDialog(report, self.w)
        if dialog.exec():
            # the names were added to the key file already: the next step uses the key
            if dialog.map_requested:
                self.map_columns(dialog.unmapped, options, key=key)
            elif dialog.duplicates:
                self.start(dialog.duplicates, options, reimport=True, key=key)

    def map_columns(
        self,
        paths: list[Path],
        options: import_ops.ImportOptions,
        *,
        key: KeySession | None = None,
    ) -> None:
        """Ask how each unguessable feedback sheet's columns map, then import it so."""
        from ketqual.gui.importing.feedback_mapping_dialog import FeedbackMappingDialog
        from ketqual.io import readers

        for path in paths:
            try:
                headers = readers.read_table_detailed(path).tables[0].headers
            except (ImportRefused, OSError, IndexError) as exc:
                self.w.runner.show_error(
                    f"{path.name}: {exc}", parent=self.w, title="Import failed"
                )
                continue
            dialog = FeedbackMappingDialog(path.name, headers, self.w)
            if dialog.exec():
                self.start([path], replace(options, feedback_mapping=dialog.mapping()), key=key)
                return  # one at a time: the next one after this import's results

    def _failed(self, reason: str) -> None:
        self.job = None
        self.w.runner.show_error(reason, parent=self.w, title="Import failed")
