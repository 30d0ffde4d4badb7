"""Agreement computations and report exports off the GUI thread.

Each worker lives in its own ``QThread``; the computing one opens its own connection to
the project (a connection must stay in the thread that made it). Only plain data crosses
back: progress numbers, the immutable result, or an error message.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from ketqual.core.agreement.labelled import AgreementResult
from ketqual.ops import project_ops
from ketqual.ops.agreement import agreement_ops


@dataclass(frozen=True)
class AgreementRequest:
    """What to compute (plain values, safe to hand to another thread)."""

    location: str
    coder_a: str
    coder_b: str
    level: str
    viewer: str | None
    n_replicates: int = 1000
    seed: int = 0


class AgreementWorker(QObject):
    """Runs :func:`~ketqual.ops.agreement.agreement_ops.compute_agreement` once."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # AgreementResult
    failed = Signal(str)

    def __init__(self, request: AgreementRequest) -> None:
        super().__init__()
        self.request = request

    @Slot()
    def run(self) -> None:
        r = self.request
        try:
            project = project_ops.open_project(r.location, backup=False)
            try:
                result = agreement_ops.compute_agreement(
                    project,
                    coder_a=r.coder_a,
                    coder_b=r.coder_b,
                    level=r.level,
                    n_replicates=r.n_replicates,
                    seed=r.seed,
                    viewer=r.viewer,
                    progress=self.progress.emit,
                )
            finally:
                project.close()
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.failed.emit(str(exc))
            return
        self.finished.emit(result)


class ExportWorker(QObject):
    """Writes a result to a file (big workbooks take seconds)."""

    finished = Signal(str)  # path written
    failed = Signal(str)

    def __init__(self, result: AgreementResult, path: str, fmt: str | None, statistic: str):
        super().__init__()
        self._args = (result, path, fmt, statistic)

    @Slot()
    def run(self) -> None:
        result, path, fmt, statistic = self._args
        try:
            written = agreement_ops.export_agreement(result, path, fmt=fmt, statistic=statistic)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            self.failed.emit(str(exc))
            return
        self.finished.emit(str(written))
