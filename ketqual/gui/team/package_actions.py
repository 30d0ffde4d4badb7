"""The main window's coder-package actions: create, merge, return, suggest, and opening a
package (asking for its passphrase and working in a copy beside it).

Every step is an operation in :mod:`ketqual.ops.team.package_pack` or
:mod:`ketqual.ops.team.package_merge`; this module only asks and shows. Merging and the
export check load when first used (the app's start needs neither).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from ketqual.gui import files
from ketqual.gui.runner import OperationRunner, Progress
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops, package_guard, package_pack

PACKAGE_FILTER = "KetQual coder packages (*.kqpkg)"
# Actions a coder package leaves off: documents, codebook, people, blinding, consensus.
_OFF_IN_PACKAGE = (
    "import_action",
    "edit_action",
    "split_action",
    "delete_action",
    "import_codebook_action",
    "import_qdc_action",
    "add_theme_action",
    "blinding_action",
    "agreement_action",
    "consensus_action",
    "network_action",
    "charting_action",
)


class PackageActions:
    """Slots for the package menu items of ``window`` (a MainWindow).

    Packing, merging and returning run in the background through the window's runner;
    opening a package happens before a project (and its runner) exists, so it goes
    through :meth:`OperationRunner.attempt`.
    """

    def __init__(self, window) -> None:
        self.window = window
        self.in_package = False
        self._checked = None  # the runner in_package was read from (read once per project)

    # ----- opening --------------------------------------------------------------------------
    def working_path(self, path: str | Path) -> str | None:
        """The file to open for ``path``: a package's working copy (made once, asking for
        the passphrase if need be), any other file as it is; ``None`` when cancelled."""
        path = Path(path)
        window = self.window
        facts = OperationRunner.attempt(
            lambda: (package_pack.needs_passphrase(path), package_pack.default_work_path(path)),
            parent=window,
            title="Cannot open package",
        )
        if facts is None:
            return None
        encrypted, work = facts
        if not encrypted and path.suffix != package_pack.SUFFIX:
            return str(path)
        passphrase = None
        if encrypted and not work.exists():
            passphrase = self._ask_passphrase(f"Passphrase for {path.name}:")
            if passphrase is None:
                return None
        unpacked = OperationRunner.attempt(
            lambda: package_pack.unpack(path, work_path=work, passphrase=passphrase),
            parent=window,
            title="Cannot open package",
        )
        if unpacked is None:
            return None
        work, made = unpacked
        note = "Made" if made else "Opened your existing"
        window.statusBar().showMessage(f"{note} working copy {work.name}", 8000)
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
            OperationRunner.show_error(
                "Only a supervisor can pack and merge packages.", parent=self.window
            )
            return None
        return me.name

    def create_package(self) -> None:
        """Ask for a coder, a file and an optional passphrase; write the package in the
        background."""
        from ketqual.gui.privacy.export_guard import run_export_in_background

        window, runner = self.window, self.window.runner
        boss = self._supervisor()
        if boss is None or runner is None:
            return
        people = runner.query(coder_ops.list_coders, parent=window) or []
        coders = [c.name for c in people if c.role == "coder"]
        if not coders:
            runner.show_error("There is no coder to pack for yet.", parent=window)
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

        def pack(project: Project, _progress: Progress, check) -> package_pack.PackResult:
            return package_pack.pack(
                project,
                coder=coder,
                supervisor=boss,
                output=path,
                passphrase=passphrase or None,
                check=check,
            )

        def packed(result: package_pack.PackResult) -> None:
            lock = "encrypted" if result.encrypted else "not encrypted"
            window.statusBar().showMessage(
                f"Package for {result.coder} written to {result.path} ({lock})", 8000
            )

        run_export_in_background(
            runner, pack, who=boss, parent=window, label=f"Packing for {coder}…", on_done=packed
        )

    def merge_package(self) -> None:
        """Ask for a returned package (and its passphrase), merge it in the background,
        show the report."""
        from ketqual.ops.team import package_merge

        window, runner = self.window, self.window.runner
        boss = self._supervisor()
        if boss is None or runner is None:
            return
        path = files.open_file(window, "Merge coder package", PACKAGE_FILTER + ";;All files (*)")
        if not path:
            return
        encrypted = OperationRunner.attempt(
            lambda: package_pack.needs_passphrase(path), parent=window
        )
        passphrase = None
        if encrypted:
            passphrase = self._ask_passphrase(f"Passphrase for {Path(path).name}:")
            if passphrase is None:
                return

        def merge(project: Project, _progress: Progress) -> package_merge.Merged:
            return package_merge.Merged(
                package_merge.merge_package(project, path, supervisor=boss, passphrase=passphrase)
            )

        def merged(result: package_merge.Merged) -> None:
            QMessageBox.information(window, "Package merged", "\n".join(result.report.lines()))

        runner.run_in_background(
            merge, parent=window, label="Merging the package…", initiator=window, on_done=merged
        )

    # ----- coder ---------------------------------------------------------------------------------
    def return_package(self) -> None:
        """Write the working package to a file for the supervisor (in the background)."""
        from ketqual.gui.privacy.export_guard import run_export_in_background

        window, runner = self.window, self.window.runner
        if runner is None:
            return
        work = Path(runner.location)
        name = work.stem.removesuffix("-work") + "-returned.kqpkg"
        chosen = self._package_to_write("Return package to supervisor", str(work.with_name(name)))
        if chosen is None:
            return
        path, passphrase = chosen
        me = window.coding.coder.name if window.coding.coder else None

        def give_back(_progress: Progress, check) -> Path:
            return package_pack.return_package(
                work, path, passphrase=passphrase or None, actor=me, check=check
            )

        run_export_in_background(
            runner,
            give_back,
            who=me,
            parent=window,
            label="Writing the package…",
            needs_project=False,  # it reads a consistent snapshot of the work file itself
            on_done=lambda _path: window.statusBar().showMessage(
                f"Package written to {path}: send it back", 8000
            ),
        )

    def suggest_change(self) -> None:
        """Leave a codebook suggestion (about the selected code, if any) for the supervisor."""
        window = self.window
        code = window.codebook.current_code()
        about = f" about '{code.name}'" if code else ""
        text, ok = QInputDialog.getMultiLineText(
            window, "Suggest a codebook change", f"Your suggestion{about} for the supervisor:"
        )
        if not ok or not text.strip() or window.runner is None:
            return
        code_id = code.id if code else None
        window.runner.run(
            lambda p: package_pack.suggest_codebook_change(p, text, code_id=code_id),
            parent=window,
            initiator=window,
        )

    # ----- enabling -------------------------------------------------------------------------------
    def update_actions(self) -> None:
        """Turn the package actions on or off, and in a package the read-only ones off."""
        window = self.window
        runner = window.runner
        if runner is not self._checked:
            self.in_package = runner is not None and bool(
                runner.query(package_guard.is_package, parent=window)
            )
            self._checked = runner
        ordinary = runner is not None and not self.in_package
        window.create_package_action.setEnabled(ordinary)
        window.merge_package_action.setEnabled(ordinary)
        window.return_package_action.setEnabled(self.in_package)
        window.suggest_action.setEnabled(self.in_package)
        if self.in_package:
            for name in _OFF_IN_PACKAGE:
                getattr(window, name).setEnabled(False)
