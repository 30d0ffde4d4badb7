"""File dialogs that start where the user last was (not in the program's folder).

Every open and save dialog of the app goes through here: the folder of the last file
chosen is remembered (for the session, and across sessions in the app's settings), and
the first dialog starts in the home folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

SETTING = "files/last_folder"
PROPERTY = "ketqual_last_folder"


def _persistent() -> bool:
    # Only the real app (make_application names it) keeps the folder in its settings; tests
    # and embedding programs keep it for the session.
    return QCoreApplication.organizationName() == "KetQual"


def last_folder() -> str:
    """The folder the next dialog starts in."""
    app = QCoreApplication.instance()
    folder = app.property(PROPERTY) if app is not None else None
    if not folder and _persistent():
        folder = QSettings().value(SETTING, "")
    if folder and Path(str(folder)).is_dir():
        return str(folder)
    return str(Path.home())


def remember(path: str) -> None:
    """Remember the folder of ``path`` for the next dialog."""
    if not path:
        return
    folder = str(Path(path).parent)
    app = QCoreApplication.instance()
    if app is not None:
        app.setProperty(PROPERTY, folder)
    if _persistent():
        QSettings().setValue(SETTING, folder)


def _start(suggested: str) -> str:
    if suggested and Path(suggested).is_absolute():
        return suggested
    return str(Path(last_folder()) / suggested) if suggested else last_folder()


def open_file(parent: QWidget | None, title: str, filters: str) -> str:
    """Ask for one existing file; "" when cancelled."""
    path, _chosen = QFileDialog.getOpenFileName(parent, title, last_folder(), filters)
    remember(path)
    return path


def open_files(parent: QWidget | None, title: str, filters: str) -> list[str]:
    """Ask for several existing files; [] when cancelled."""
    paths, _chosen = QFileDialog.getOpenFileNames(parent, title, last_folder(), filters)
    if paths:
        remember(paths[0])
    return paths


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> tuple[str, str]:
    """Ask where to save (``suggested`` is a file name or a full path); returns the path
    ("" when cancelled) and the filter chosen."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, _start(suggested), filters)
    remember(path)
    return path, chosen


def with_format(path: str, fmt: str | None, known) -> tuple[str, str | None]:
    """A save dialog's answer made into the file to write and its format: the name's own
    suffix when it is one of ``known``, else the chosen filter's format added to the name."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in known:
        return path, suffix
    if fmt:
        return f"{path}.{fmt}", fmt
    return path, fmt
