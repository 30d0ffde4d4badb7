"""What a coder package allows: coding and memos only.

A package is marked by ``project.settings["package"]``. Its documents and codebook belong
to the supervisor's project, so every operation that would change them (or the people,
blinding, consensus and outputs) refuses here, before anything is written.
"""

from __future__ import annotations

from ketqual.ops.errors import OperationError
from ketqual.store.database import ProjectStore
from ketqual.store.repositories import Tx

PACKAGE_SETTING = "package"
READ_ONLY = "this is a coder package: documents and the codebook are read-only; ask your supervisor"


def package_info(tx: Tx) -> dict | None:
    """The package marker of the open project, or ``None`` for an ordinary project."""
    return tx.project.describe()["settings"].get(PACKAGE_SETTING) or None


def is_package(project: ProjectStore) -> bool:
    """True when the project is a coder package."""
    with project.read() as tx:
        return package_info(tx) is not None


def refuse_in_package(tx: Tx, message: str = READ_ONLY) -> None:
    """Raise :class:`OperationError` when ``tx`` belongs to a coder package."""
    if package_info(tx) is not None:
        raise OperationError(message)
