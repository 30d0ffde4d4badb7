"""Starting the desktop app: ``ketqual``, ``ketqual gui [PROJECT] [--screenshot FILE]``,
``ketqual --smoke [PROJECT]``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ketqual import __version__
from ketqual.ops import resources

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Arguments of the app itself."""
    parser = argparse.ArgumentParser(prog="ketqual gui", description="Open the KetQual app.")
    parser.add_argument("project", nargs="?", help="project to open (default: the last one)")
    parser.add_argument("--document", type=int, help="document id to show")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="paint the window once, save it to FILE.png and exit",
    )
    parser.add_argument(
        "--open",
        metavar="WINDOW",
        help="open a window as its menu does: guide, agreement, consensus, network, framework "
        "(with --screenshot, that window is painted)",
    )
    parser.add_argument("--units", action="store_true", help="show sentence units")
    parser.add_argument("--coder", help="work as this coder (default: remembered, or asked)")
    parser.add_argument(
        "--layers",
        help="with --screenshot on an unblinded project: coders whose layers to show, comma-separated",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=os.environ.get("KETQUAL_SMOKE") == "1",
        help="open the window (and PROJECT), paint it once and exit: 0 if all went well "
        "(also KETQUAL_SMOKE=1)",
    )
    return parser.parse_args(argv)


def app_icon() -> QIcon:
    """KetQual's icon at every size shipped in resources/icons (an empty icon if missing)."""
    icon = QIcon()
    folder = resources.resources_dir() / "icons"
    for size in ICON_SIZES:
        path = folder / f"ketqual-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def make_application() -> QApplication:
    """The QApplication with KetQual's identity (used by QSettings)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("KetQual")
    app.setOrganizationName("KetQual")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    # Lets desktops match the window to ketqual.desktop (taskbar icon, grouping).
    app.setDesktopFileName("ketqual")
    return app


def run_app(argv: list[str]) -> int:
    """Run the app until its window closes; returns the exit code."""
    args = parse_args(argv)
    app = make_application()
    from ketqual.gui.main_window import MainWindow  # after QApplication exists

    if args.smoke:
        return run_smoke(app, MainWindow, args.project, args.coder)
    window = MainWindow(QSettings())
    if args.screenshot:
        # A picture for docs and tests: the same size every time, and nothing remembered.
        window.persist_layout = False
        window.interactive = False
        window.resize(1280, 800)
        window.splitter.setSizes([430, 520, 330])
    project = args.project or window.settings.value("last_project")
    opened = bool(project) and (bool(args.project) or Path(str(project)).exists())
    if opened and not window.open_project(project, coder=args.coder) and args.screenshot:
        print(
            f"ketqual gui: could not open {project} (a project without coders needs --coder NAME)",
            file=sys.stderr,
        )
        return 2
    if args.document is not None:
        window.select_document(args.document)
    if args.units:
        window.units_action.setChecked(True)
        window.text_view.set_show_units(True)
    if args.layers and window.project is not None:
        window.show_layers([name.strip() for name in args.layers.split(",")])
    window.show()
    shown = window
    if args.open:
        from ketqual.gui.tool_windows import PLACES

        if args.open not in PLACES:
            print(
                f"ketqual gui: no window called {args.open!r}; choose from "
                f"{', '.join(sorted(PLACES))}",
                file=sys.stderr,
            )
            return 2
        opened_window = window.open_place(args.open)
        if opened_window is not None:
            shown = opened_window
    if args.screenshot:
        settle(app, 1.5 if args.open else 0.0)
        ok = shown.grab().save(str(args.screenshot))
        if shown is not window:
            shown.close()
        window.close_project()
        window.close()
        return 0 if ok else 2
    if not args.open and not window.settings.value("guide/offered", False, type=bool):
        # The first run: offer the Getting started guide (Help › Getting started later).
        window.settings.setValue("guide/offered", True)
        QTimer.singleShot(0, window.open_guide)
    QTimer.singleShot(0, window.raise_)
    return app.exec()


def settle(app: QApplication, seconds: float) -> None:
    """Let a freshly opened window finish its first background work before painting it."""
    deadline = time.monotonic() + seconds
    app.processEvents()
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def run_smoke(app: QApplication, window_class, project: str | None, coder: str | None) -> int:
    """Open the window (and ``project``), paint it once to memory, close; print nothing.

    Used by installer/build.sh on the frozen bundle and by the tests. Settings go to a
    throw-away file, so a smoke run never changes the user's recent projects or coder. A
    dialog that would wait for a person (an error, a question) is dismissed at once and
    makes the run fail, with its text on stderr.

    Returns:
        0 if the window painted and the project (if any) opened; 1 otherwise.
    """
    problems: list[str] = []

    def dismiss_modal() -> None:
        dialog = app.activeModalWidget()
        if dialog is not None:
            text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
            problems.append(f"a dialog opened: {text}")
            dialog.reject()

    watchdog = QTimer()
    watchdog.setInterval(20)
    watchdog.timeout.connect(dismiss_modal)
    watchdog.start()
    with tempfile.TemporaryDirectory(prefix="ketqual-smoke-") as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = window_class(settings)
        window.persist_layout = False
        window.interactive = False
        if project and not window.open_project(project, coder=coder):
            problems.append(f"could not open {project}")
        window.show()
        app.processEvents()
        if window.grab().isNull():
            problems.append("the window did not paint")
        window.close_project()
        window.close()
        settings.sync()
    watchdog.stop()
    for problem in problems:
        print(f"ketqual --smoke: {problem}", file=sys.stderr)
    return 1 if problems else 0
