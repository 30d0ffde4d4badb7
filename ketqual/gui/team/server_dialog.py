"""Opening or creating a project on a PostgreSQL server: the connection dialog, and
reopening a server project from the recent list (password from the keyring, or asked).

No project is open yet here, so the calls go through :meth:`OperationRunner.attempt`; a
refusal stays in the dialog as one plain sentence.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ketqual.gui.runner import OperationRunner
from ketqual.ops import project_ops
from ketqual.ops.project_ops import Project
from ketqual.ops.team import server_ops


class ServerDialog(QDialog):
    """Host, port, database, user and password, a Test button, and Open (or Create).

    On success ``project`` holds the open project. Errors stay in the dialog as one plain
    sentence, so the user can correct a field and try again.
    """

    def __init__(
        self, parent=None, *, create: bool = False, url: str | None = None, message: str = ""
    ) -> None:
        super().__init__(parent)
        self.create = create
        self.project: Project | None = None
        self.setWindowTitle("New project on a server" if create else "Open server project")
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(server_ops.DEFAULT_PORT)
        self.database = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.name = QLineEdit()
        self.remember = QCheckBox("Remember the password in the system keyring")
        keyring = OperationRunner.attempt(server_ops.keyring_state)
        if keyring is None:
            keyring = server_ops.KeyringState(False, server_ops.NO_KEYRING)
        self.remember.setEnabled(keyring.usable)
        self.remember.setChecked(keyring.usable)
        self.keyring_note = QLabel(keyring.message)
        self.keyring_note.setWordWrap(True)
        self.status = QLabel(message)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Connection status")
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        form = QFormLayout()
        for label, widget in (
            ("&Host:", self.host),
            ("&Port:", self.port),
            ("&Database:", self.database),
            ("&User:", self.user),
            ("Pass&word:", self.password),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        if create:
            self.name.setAccessibleName("Project name")
            form.addRow("Project &name:", self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton(
            "&Create" if create else "&Open", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if url:
            self.set_url(url)

    def set_url(self, url: str) -> None:
        """Fill the fields from a URL (its password, if any, goes to the password field)."""
        address, password = server_ops.parse_url(url)
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.password.setText(password or "")

    def address(self) -> server_ops.ServerAddress:
        """The fields as an address (no password)."""
        return server_ops.ServerAddress(
            self.host.text().strip() or "localhost",
            self.database.text().strip(),
            self.user.text().strip(),
            self.port.value(),
        )

    def url(self) -> str:
        """The URL to connect with: the typed password, else the keyring's, else none
        (then PGPASSWORD or ~/.pgpass may still supply one)."""
        url = self.address().url(self.password.text() or None)
        return OperationRunner.attempt(lambda: server_ops.with_kept_password(url)) or url

    def _check_fields(self) -> bool:
        missing = [n for n, w in (("database", self.database), ("user", self.user)) if not w.text()]
        if missing:
            self.status.setText(f"Fill in the {' and '.join(missing)}.")
        return not missing

    def test_connection(self) -> None:
        """Connect once and say what is there (or why not) in the status line."""
        if not self._check_fields():
            return
        url = self.url()
        said = OperationRunner.attempt(
            lambda: server_ops.check_connection(url), on_error=self.status.setText
        )
        if said is not None:
            self.status.setText(said)

    def accept(self) -> None:
        """Open or create the project; on failure say why and stay open."""
        if not self._check_fields():
            return
        url, name = self.url(), self.name.text().strip() or None

        def refused(message: str) -> None:
            self.status.setText(server_ops.scrub(server_ops.explain(message), url))

        if self.create:
            project = OperationRunner.attempt(
                lambda: project_ops.new_project(url, name=name), on_error=refused
            )
        else:
            project = OperationRunner.attempt(
                lambda: project_ops.open_project(url), on_error=refused
            )
        if project is None:
            return
        self.project = project
        self._keep_password()
        super().accept()

    def _keep_password(self) -> None:
        address, password = self.address(), self.password.text()
        if self.remember.isChecked() and password:
            OperationRunner.attempt(lambda: server_ops.save_password(address, password))
        elif not self.remember.isChecked():
            OperationRunner.attempt(lambda: server_ops.forget_password(address))


def ask(window, *, create: bool = False, url: str | None = None, message: str = ""):
    """Run the dialog; returns the open project, or None when cancelled."""
    dialog = ServerDialog(window, create=create, url=url, message=message)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.project


def open_url(window, url: str) -> Project | None:
    """Open a remembered server URL: with the keyring's password (or libpq's own
    sources); if that fails, the dialog opens with the reason so the user can fix it."""
    refusals: list[str] = []
    project = OperationRunner.attempt(
        lambda: project_ops.open_project(server_ops.with_kept_password(url)),
        on_error=refusals.append,
    )
    if project is not None:
        return project
    message = server_ops.scrub(server_ops.explain(refusals[0]), url)
    if not window.interactive:
        window.statusBar().showMessage(message)
        return None
    return ask(window, url=server_ops.url_without_password(url), message=message)


def open_or_create(window, *, create: bool = False) -> bool:
    """File › Open server project… / New project on a server…: the dialog, then the project
    opens in ``window`` and its password-free URL joins the recent list."""
    project = ask(window, create=create)
    if project is None:
        return False
    if not window.set_project(project):
        return False
    window.remember(project.location)
    return True
