"""Starting the desktop app: ``ketqual``, ``ketqual gui [PROJECT] [--screenshot FILE]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ketqual import __version__


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
    parser.add_argument("--units", action="store_true", help="show sentence units")
    parser.add_argument("--coder", help="work as this coder (default: remembered, or asked)")
    parser.add_argument(
        "--layers",
        help="with --screenshot on an unblinded project: coders whose layers to show, comma-separated",
    )
    return parser.parse_args(argv)


def make_application() -> QApplication:
    """The QApplication with KetQual's identity (used by QSettings)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("KetQual")
    app.setOrganizationName("KetQual")
    app.setApplicationVersion(__version__)
    return app


def run_app(argv: list[str]) -> int:
    """Run the app until its window closes; returns the exit code."""
    args = parse_args(argv)
    app = make_application()
    from ketqual.gui.main_window import MainWindow  # after QApplication exists

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
    if args.screenshot:
        app.processEvents()
        ok = window.grab().save(str(args.screenshot))
        window.close()
        return 0 if ok else 2
    QTimer.singleShot(0, window.raise_)
    return app.exec()
