"""The one way the app runs an operation (in the spirit of Anki's ``CollectionOp``/``QueryOp``).

Every window holds the main window's :class:`OperationRunner` and calls one of three methods:

* :meth:`OperationRunner.run` for a quick mutation on the GUI thread: the operation goes
  through :func:`ketqual.ops.team.server_ops.run` (a dropped server connection is retried when
  nothing was saved), a refusal is shown to the user in one message box, and the returned
  :class:`~ketqual.ops.changes.Change` is announced on :attr:`OperationRunner.changed`.
* :meth:`OperationRunner.query` for a quick read, with the same retry and error display.
* :meth:`OperationRunner.run_in_background` for long work (imports, agreement, exports): the
  work runs in a worker thread with its own connection to the project, reports progress to
  a progress dialog with a Cancel button, and hands back only plain data. A ``Change``
  returned by background work is announced like any other.

* :meth:`OperationRunner.attempt` for the few calls made before a project is open (opening
  or creating one, unpacking a coder package, testing a server connection): the same error
  display, no project.

The main window makes one runner per open project and hands it to every window it opens
(``window.runner``); the undo stack runs its steps through it too (:mod:`ketqual.gui.undo`).
Windows never start threads, create worker objects or catch ``OperationError`` themselves;
they react to ``changed`` and refresh only what a change touches (``change.touches(...)``).
A result that is not a ``Change`` but carries one as ``result.change`` (an import report)
is announced the same way. ``tests/gui/test_runner_rule.py`` fails on an ops call from the
GUI that does not go through here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ketqual.ops import project_ops
from ketqual.ops.changes import Change
from ketqual.ops.errors import OperationError
from ketqual.ops.project_ops import Project
from ketqual.ops.team import server_ops

if TYPE_CHECKING:
    from ketqual.ops.privacy.key_ops import KeySession

T = TypeVar("T")


@dataclass
class Progress:
    """Handed to background work: report steps and ask whether the user cancelled.

    ``report`` may be called from the worker thread; the dialog is updated on the GUI thread.
    """

    emit: Callable[[int, int, str], None]
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def report(self, done: int, total: int, text: str = "") -> None:
        """Say how far the work is (``total`` 0 means unknown)."""
        self.emit(int(done), int(total), str(text))

    def cancelled(self) -> bool:
        """True once the user pressed Cancel: stop at the next safe point."""
        return self.cancel_event.is_set()

    # Callback shapes that operations already take.
    __call__ = report


class _Worker(QObject):
    """Runs one piece of background work in its own thread with its own connection."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, location: str | None, work: Callable[..., Any], progress: Progress):
        super().__init__()
        self._location = location
        self._work = work
        self._progress = progress

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        finally:
            # The thread has nothing more to do: let ``QThread.wait`` return.
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()

    def _run(self) -> None:
        try:
            if self._location is None:
                result = self._work(self._progress)
            else:
                project = project_ops.open_project(self._location, backup=False)
                try:
                    result = server_ops.run(project, "", self._work, project, self._progress)
                finally:
                    project.close()
        except OperationError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.failed.emit(f"something went wrong: {exc}")
            return
        self.finished.emit(result)


class Job(QObject):
    """A piece of background work under way; ``cancel()`` asks it to stop.

    The job lives on the GUI thread, so the worker's signals reach its slots there.

    Signals:
        done(object): the work's result, after ``on_done`` ran.
        error(str): the work was refused or failed (after the message was shown).
        step(int, int, str): a step reported by the work (GUI thread).
    """

    done = Signal(object)
    error = Signal(str)
    step = Signal(int, int, str)

    def __init__(self, progress: Progress, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress = progress
        self.owner: QObject | None = None
        self.thread: QThread | None = None
        self.worker: QObject | None = None
        self.dialog: QProgressDialog | None = None
        self.result: Any = None
        self.message: str | None = None
        self.finished = False
        self.on_end: Callable[[Any, str | None], None] | None = None

    def cancel(self) -> None:
        """Ask the work to stop at its next safe point."""
        self.progress.cancel_event.set()

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the thread has ended (tests and window close use it)."""
        return self.thread is None or self.thread.wait(msecs)

    def end(self) -> None:
        """Close the progress dialog and let the thread and worker go (GUI thread)."""
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
            self.thread.deleteLater()
            self.thread = None
        if self.worker is not None:
            self.worker.deleteLater()
            self.worker = None

    @Slot(int, int, str)
    def show_step(self, done: int, total: int, text: str) -> None:
        """Move the progress dialog (GUI thread)."""
        self.step.emit(done, total, text)
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if text:
            self.dialog.setLabelText(text)

    @Slot(object)
    def worker_finished(self, result: object) -> None:
        if self.on_end is not None:
            self.on_end(result, None)

    @Slot(str)
    def worker_failed(self, message: str) -> None:
        if self.on_end is not None:
            self.on_end(None, message)


class OperationRunner(QObject):
    """Runs operations for every window of one open project.

    Attributes:
        changed: ``(Change, initiator)`` after every successful mutation; ``initiator`` is
            the object that asked for it (a window may ignore its own changes).
        busy: ``(bool)`` when background work starts or ends.
        key: The project's key file once someone opened it in this session (the privacy
            window, the import dialog): imports replace its names and exports look for
            them. Forgotten with the runner when the project closes.
    """

    changed = Signal(object, object)
    busy = Signal(bool)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Project = project
        self.jobs: list[Job] = []
        self.key: KeySession | None = None

    @property
    def location(self) -> str:
        """Where the project lives (a file path, or a server URL without its password)."""
        return str(self.project.location)

    def close(self) -> None:
        """Stop background work and close the project (everything is already saved)."""
        self.wait_all()
        self.key = None  # the passphrase goes with the project
        self.project.close()

    # ----- quick work on the GUI thread ---------------------------------------------------
    def run(
        self,
        operation: Callable[[Project], Change],
        *,
        parent: QWidget | None = None,
        what: str = "",
        initiator: object | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> Change | None:
        """Run a mutation now; show a refusal, announce the change; None when refused.

        Args:
            operation: Called with the project; returns the :class:`Change`.
            parent: The window a refusal is shown over.
            what: The action in words, for a message about a lost connection.
            initiator: Who asked (handed on with ``changed``).
            on_error: Takes the refusal instead of a message box (a window that shows
                refusals in its own message line).
        """
        try:
            change = server_ops.run(self.project, what, operation, self.project)
        except OperationError as exc:
            self.show_error(str(exc), parent=parent, on_error=on_error)
            return None
        self._announce_result(change, initiator)
        return change

    def query(
        self,
        question: Callable[[Project], T],
        *,
        parent: QWidget | None = None,
        what: str = "",
        on_error: Callable[[str], None] | None = None,
    ) -> T | None:
        """Ask the project something now; show a refusal and return None if it fails."""
        try:
            return server_ops.run(self.project, what, question, self.project)
        except OperationError as exc:
            self.show_error(str(exc), parent=parent, on_error=on_error)
            return None

    def announce(self, change: Change, initiator: object | None = None) -> None:
        """Tell every window about a change."""
        self.changed.emit(change, initiator)

    def _announce_result(self, result: object, initiator: object | None) -> None:
        change = result if isinstance(result, Change) else getattr(result, "change", None)
        if isinstance(change, Change):
            self.announce(change, initiator)

    @classmethod
    def attempt(
        cls,
        call: Callable[[], T],
        *,
        parent: QWidget | None = None,
        title: str = "Not done",
        on_error: Callable[[str], None] | None = None,
    ) -> T | None:
        """Make a call that needs no open project (open, create, unpack, test a server);
        show a refusal the one way and return None when it fails."""
        try:
            return call()
        except OperationError as exc:
            cls.show_error(str(exc), parent=parent, on_error=on_error, title=title)
            return None

    # ----- long work in a thread ------------------------------------------------------------
    def run_in_background(
        self,
        work: Callable[..., T],
        *,
        parent: QWidget | None = None,
        label: str = "Working…",
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        initiator: object | None = None,
        show_progress: bool = True,
        needs_project: bool = True,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> Job:
        """Run ``work(project, progress)`` (or ``work(progress)`` when ``needs_project`` is
        False) in a worker thread; ``on_done(result)`` runs on the GUI thread afterwards.

        The worker opens its own connection (a connection belongs to the thread that made
        it), so the work must only return plain data.

        Args:
            work: The work; calls ``progress.report(done, total, text)`` now and then and
                stops early once ``progress.cancelled()``.
            parent: The window the progress dialog and any refusal are shown over; the
                job belongs to it (:meth:`cancel_jobs`).
            label: The progress dialog's first line.
            on_done: Gets the result (GUI thread).
            on_error: Gets a refusal instead of a message box (GUI thread).
            initiator: Who asked, handed on with ``changed`` if the result is a change.
            show_progress: False for work a window shows progress of itself.
            needs_project: False for work that needs no connection (writing a file from
                data already read).
            on_progress: Gets every step (GUI thread), e.g. for a window's status line.
        """
        progress = Progress(emit=lambda *_: None)
        job = Job(progress, self)
        job.owner = parent
        worker = _Worker(self.location if needs_project else None, work, progress)
        progress.emit = worker.progress.emit
        thread = QThread(self)
        job.thread, job.worker = thread, worker
        worker.moveToThread(thread)
        thread.started.connect(worker.run)

        if show_progress:
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            dialog.setWindowTitle("KetQual")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.canceled.connect(job.cancel)
            job.dialog = dialog
        worker.progress.connect(job.show_step)
        if on_progress is not None:
            job.step.connect(on_progress)

        def finish(result: object, message: str | None) -> None:
            job.result, job.message, job.finished = result, message, True
            job.end()
            if job in self.jobs:
                self.jobs.remove(job)
            if not self.jobs:
                self.busy.emit(False)
            if message is not None:
                self.show_error(message, parent=parent, on_error=on_error)
                job.error.emit(message)
                return
            self._announce_result(result, initiator)
            if on_done is not None:
                on_done(result)  # type: ignore[arg-type]
            job.done.emit(result)

        job.on_end = finish
        worker.finished.connect(job.worker_finished)
        worker.failed.connect(job.worker_failed)
        self.jobs.append(job)
        self.busy.emit(True)
        thread.start()
        return job

    def wait_all(self, msecs: int = 60_000) -> None:
        """Cancel and wait for background work (a window closing, the app quitting).

        The jobs' results are dropped: nothing is announced after this.
        """
        for job in list(self.jobs):
            job.on_end = None
            job.cancel()
            job.wait(msecs)
            job.end()
        self.jobs.clear()
        self.busy.emit(False)

    def jobs_of(self, owner: QObject) -> list[Job]:
        """Background work a window started and that is still running."""
        return [job for job in self.jobs if job.owner is owner]

    def cancel_jobs(self, owner: QObject) -> None:
        """Cancel and forget the background work a window started (it is closing)."""
        for job in [j for j in self.jobs if j.owner is owner]:
            job.on_end = None
            job.cancel()
            job.wait()
            job.end()
            self.jobs.remove(job)
        if not self.jobs:
            self.busy.emit(False)

    # ----- errors ---------------------------------------------------------------------------
    @staticmethod
    def show_error(
        message: str,
        *,
        parent: QWidget | None = None,
        on_error: Callable[[str], None] | None = None,
        title: str = "Not done",
    ) -> None:
        """Show a refusal the one way the app does (or hand it to ``on_error``)."""
        if on_error is not None:
            on_error(message)
            return
        QMessageBox.warning(parent, title, sentence(message))


def sentence(message: str) -> str:
    """A message as shown to a person: its first letter capitalised."""
    return message[:1].upper() + message[1:] if message else "Not done."
