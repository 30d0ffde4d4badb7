"""The main window's coder-package actions: create, merge, return, suggest, and opening a
package (asking for its passphrase and working in a copy beside it).

Every step is an operation in :mod:`ketqual.ops.team.package_pack` or
:mod:`ketqual.ops.team.package_merge`; this module only asks and shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from ketqual.gui import files
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops, package_guard, package_merge, package_pack

PACKAGE_FILTER = "KetQual coder packages (*.kqpkg)"
# Actions a coder package leaves off: documents, codebook, people, blinding, consensus.
_OFF_IN_PACKAGE = (
    "import_action",
    "edit_action",
    "split_action",
    "delete_action",
    "import_codebook_action",
    "add_theme_action",
    "blinding_action",
    "agreement_action",
    "consensus_action",
    "network_action",
    "charting_action",
)


class PackageActions:
    """Slots for the package menu items of ``window`` (a MainWindow)."""

    def __init__(self, window) -> None:
        self.window = window
        self.in_package = False
        self._checked = None  # the project in_package was read from (read once per project)

    # ----- opening --------------------------------------------------------------------------
    def working_path(self, path: str | Path) -> str | None:
        """The file to open for ``path``: a package's working copy (made once, asking for
        the passphrase if need be), any other file as it is; ``None`` when cancelled."""
        path = Path(path)
        encrypted = package_pack.needs_passphrase(path)
        if not encrypted and path.suffix != package_pack.SUFFIX:
            return str(path)
        work = package_pack.default_work_path(path)
        passphrase = None
        if encrypted and not work.exists():
            passphrase = self._ask_passphrase(f"Passphrase for {path.name}:")
            if passphrase is None:
                return None
        try:
            work, made = package_pack.unpack(path, work_path=work, passphrase=passphrase)
        except OperationError as exc:
            QMessageBox.warning(self.window, "Cannot open package", str(exc))
            return None
        note = "Made" if made else "Opened your existing"
        self.window.statusBar().showMessage(f"{note} working copy {work.name}", 8000)
        return str(work)

    def _ask_passphrase(self, label: str, *, optional: bool = False) -> str | None:
        text, ok = QInputDialog.getText(
            self.window, "Passphrase", label, QLineEdit.EchoMode.Password
        )
        if not ok or (not text and not optional):
            return None
        return text

    # ----- supervisor --------------------------------------------------------------------------
    def _package_to_write(self, title: str, suggested: str) -> tuple[str, str] | None:
        """Ask where to write a package and for an optional passphrase ("" for none);
        ``None`` when the person cancels either question."""
        path, _ = files.save_file(self.window, title, suggested, PACKAGE_FILTER)
        if not path:
            return None
        passphrase = self._ask_passphrase(
            "Protect the package with a passphrase (leave empty for none):", optional=True
        )
        return None if passphrase is None else (path, passphrase)

    def _supervisor(self) -> str | None:
        me = self.window.coding.coder
        if me is None or me.role != "supervisor":
            QMessageBox.warning(
                self.window, "Not done", "Only a supervisor can pack and merge packages."
            )
            return None
        return me.name

    def create_package(self) -> None:
        """Ask for a coder, a file and an optional passphrase; write the package."""
        window = self.window
        boss = self._supervisor()
        if boss is None:
            return
        coders = [c.name for c in coder_ops.list_coders(window.project) if c.role == "coder"]
        if not coders:
            QMessageBox.warning(window, "Not done", "There is no coder to pack for yet.")
            return
        coder, ok = QInputDialog.getItem(
            window, "Create coder package", "Package for:", coders, 0, False
        )
        if not ok:
            return
        chosen = self._package_to_write("Create coder package", f"{coder}.kqpkg")
        if chosen is None:
            return
        path, passphrase = chosen
        try:
            result = package_pack.pack(
                window.project,
                coder=coder,
                supervisor=boss,
                output=path,
                passphrase=passphrase or None,
            )
        except OperationError as exc:
            QMessageBox.warning(window, "Not done", str(exc))
            return
        lock = "encrypted" if result.encrypted else "not encrypted"
        window.statusBar().showMessage(
            f"Package for {result.coder} written to {result.path} ({lock})", 8000
        )

    def merge_package(self) -> None:
        """Ask for a returned package (and its passphrase), merge it, show the report."""
        window = self.window
        boss = self._supervisor()
        if boss is None:
            return
        path = files.open_file(window, "Merge coder package", PACKAGE_FILTER + ";;All files (*)")
        if not path:
            return
        passphrase = None
        if package_pack.needs_passphrase(path):
            passphrase = self._ask_passphrase(f"Passphrase for {Path(path).name}:")
            if passphrase is None:
                return
        try:
            report = package_merge.merge_package(
                window.project, path, supervisor=boss, passphrase=passphrase
            )
        except OperationError as exc:
            QMessageBox.warning(window, "Merge refused", str(exc))
            return
        window.refresh()
        QMessageBox.information(window, "Package merged", "\n".join(report.lines()))

    # ----- coder ---------------------------------------------------------------------------------
    def return_package(self) -> None:
        """Write the working package to a file for the supervisor."""
        window = self.window
        work = Path(window.project.location)
        name = work.stem.removesuffix("-work") + "-returned.kqpkg"
        chosen = self._package_to_write("Return package to supervisor", str(work.with_name(name)))
        if chosen is None:
            return
        path, passphrase = chosen
        try:
            package_pack.return_package(work, path, passphrase=passphrase or None)
        except OperationError as exc:
            QMessageBox.warning(window, "Not done", str(exc))
            return
        window.statusBar().showMessage(f"Package written to {path}: send it back", 8000)

    def suggest_change(self) -> None:
        """Leave a codebook suggestion (about the selected code, if any) for the supervisor."""
        window = self.window
        code = window.codebook.current_code()
        about = f" about '{code.name}'" if code else ""
        text, ok = QInputDialog.getMultiLineText(
            window, "Suggest a codebook change", f"Your suggestion{about} for the supervisor:"
        )
        if not ok or not text.strip():
            return
        try:
            change = package_pack.suggest_codebook_change(
                window.project, text, code_id=code.id if code else None
            )
        except OperationError as exc:
            QMessageBox.warning(window, "Not done", str(exc))
            return
        window.statusBar().showMessage(change.summary, 8000)

    # ----- enabling -------------------------------------------------------------------------------
    def update_actions(self) -> None:
        """Turn the package actions on or off, and in a package the read-only ones off."""
        window = self.window
        project = window.project
        if project is not self._checked:
            self.in_package = project is not None and package_guard.is_package(project)
            self._checked = project
        ordinary = project is not None and not self.in_package
        window.create_package_action.setEnabled(ordinary)
        window.merge_package_action.setEnabled(ordinary)
        window.return_package_action.setEnabled(self.in_package)
        window.suggest_action.setEnabled(self.in_package)
        if self.in_package:
            for name in _OFF_IN_PACKAGE:
                getattr(window, name).setEnabled(False)
