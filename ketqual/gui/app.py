"""Starting the desktop app: ``ketqual``, ``ketqual gui [PROJECT] [--screenshot FILE]``,
``ketqual --smoke [PROJECT]``."""

from __future__ import annotations

import contextlib
import gc
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ketqual import __version__, startup
from ketqual.gui.app_args import parse_args
from ketqual.gui.collector import collect_on_gui_thread
from ketqual.ops import resources

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


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
    collect_on_gui_thread(app)  # never in a runner's worker thread (see gui/collector.py)
    return app


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage cycles less often while the app starts (it builds many objects at
    once: the database layer's imports, the window); the usual thresholds return after."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_app(argv: list[str], *, start_screen: bool = False) -> int:
    """Run the app until its window closes; returns the exit code.

    Args:
        argv: The app's arguments (:func:`ketqual.gui.app_args.parse_args`).
        start_screen: Paint the start screen as soon as Qt is up and keep it until the
            window shows (the program does; never for a screenshot).
    """
    args = parse_args(argv)
    app = make_application()
    screen = None
    if start_screen and not args.screenshot:
        from ketqual.gui.start_screen import StartScreen, opening_message

        screen = StartScreen(opening_message(args.project))
        screen.show_now()
    try:
        with startup.plain_imports():
            import ketqual.ops.project_ops  # noqa: F401  (the database layer: no Qt in it)
        with fewer_collections():
            window = _start(app, args)
    finally:
        if screen is not None:
            screen.done()
    startup.settled()  # what start-up built is frozen, never walked by the collector again
    if isinstance(window, int):
        return window
    QTimer.singleShot(0, window.raise_)
    code = app.exec()
    # Written now, not left to QSettings' destructor: the process may end without
    # collecting the window (``ketqual.startup.before_exit``).
    window.settings.sync()
    return code


def _start(app: QApplication, args):
    """The window, shown with its project; or the exit code of a smoke or screenshot run."""
    from ketqual.gui.main_window import MainWindow  # after QApplication exists

    if args.smoke:
        return run_smoke(app, MainWindow, args.project, args.coder)
    if args.screenshot:
        with (
            tempfile.TemporaryDirectory(prefix="ketqual-screenshot-") as folder,
            NobodyThere(app, only_messages=True) as watch,
        ):
            settings = screenshot_settings(Path(folder))
            code = _show(app, MainWindow(settings), args)
            settings.sync()  # written here, before the folder goes
        for problem in watch.problems:  # e.g. a project saved by a newer KetQual
            print(f"ketqual gui: {problem}", file=sys.stderr)
        return 2 if watch.problems and code == 0 else code
    return _show(app, MainWindow(QSettings()), args)


class NobodyThere:
    """While a smoke or screenshot run lasts, a dialog that would wait for a person (an
    error, a question) is dismissed at once and its text kept in ``problems``: nobody is
    there to close it, and the run must end and say why.

    Args:
        app: The application.
        only_messages: Dismiss message boxes only, and let other modal dialogs be (a
            screenshot of a tool window waits while its progress dialog counts).
    """

    def __init__(self, app: QApplication, *, only_messages: bool = False) -> None:
        self.app = app
        self.only_messages = only_messages
        self.problems: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.dismiss)

    def dismiss(self) -> None:
        """Reject the modal dialog that is open, if any, and keep its text."""
        dialog = self.app.activeModalWidget()
        if dialog is not None and (not self.only_messages or isinstance(dialog, QMessageBox)):
            text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
            self.problems.append(f"a dialog opened: {text}")
            dialog.reject()

    def __enter__(self) -> NobodyThere:
        self.timer.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.timer.stop()


def _show(app: QApplication, window, args):
    """Open the project and the window asked for; paint it when a screenshot is asked."""
    if args.screenshot:
        # A picture for docs and tests: the screen's whole area, and nothing remembered.
        window.persist_layout = False
        window.interactive = False
        fill_screen(window)
        width = window.width()
        window.splitter.setSizes([width * 430 // 1280, width * 520 // 1280, width * 330 // 1280])
    project = args.project or window.settings.value("last_project")
    opened = bool(project) and (bool(args.project) or Path(str(project)).exists())
    if (
        args.screenshot
        and args.project
        and "://" not in str(args.project)
        and not Path(str(args.project)).exists()
    ):  # no one is there to close an error box
        print(f"ketqual gui: there is no project at {args.project}", file=sys.stderr)
        return 2
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
        if args.open in RETRIEVAL_WINDOWS and not prepare_retrieval_window(
            window, opened_window, args
        ):
            return 2
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
    return window


def screenshot_settings(folder: Path) -> QSettings:
    """A throw-away copy of the user's settings in ``folder``: a screenshot opens the last
    project as the remembered coder, and what it changes (recent projects, the coder, the
    guide offered) is forgotten with the copy."""
    mine = QSettings()
    copy = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    for key in mine.allKeys():
        copy.setValue(key, mine.value(key))
    return copy


def fill_screen(window: QWidget) -> None:
    """Give a window the screen's whole available area (as if maximised)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.availableGeometry())


RETRIEVAL_WINDOWS = ("passages", "crosstab", "attributes")


def prepare_retrieval_window(window, tool, args) -> bool:
    """Set up a coded-passages, crosstab or attributes window as ``--code`` and ``--columns``
    say, and wait (up to a minute) for its background work, so a screenshot shows the
    result. False when a code cannot be found (said on stderr)."""
    from ketqual.core.retrieval import resolve_code

    if tool is None:
        return True
    app = QApplication.instance()
    if args.screenshot:
        fill_screen(tool)  # whatever screen the display has

    def wait_for_work() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            app.processEvents()
            if window.runner is None or not window.runner.jobs:
                break
            time.sleep(0.02)
        app.processEvents()

    wait_for_work()
    if args.open == "passages" and args.code and tool.options is not None:
        try:
            ids = [resolve_code(tool.options.codes, code).id for code in args.code]
        except ValueError as exc:
            print(f"ketqual gui: {exc}", file=sys.stderr)
            return False
        tool.codes.tick(ids)
        tool.code_tree.expandAll()
        tool.search()
    elif args.open == "crosstab" and args.columns:
        tool.choose(columns=args.columns)
    elif args.open == "attributes" and args.code:
        pane = tool.panes["participant"]
        for row in range(pane.model.rowCount()):
            if pane.model.index(row, 0).data() == args.code[0]:
                pane.table.setCurrentIndex(pane.model.index(row, 2))
                break
    wait_for_work()
    return True


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
    with (
        tempfile.TemporaryDirectory(prefix="ketqual-smoke-") as folder,
        NobodyThere(app) as watch,
    ):
        problems = watch.problems
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
        startup.mark("window painted")
        window.close_project()
        window.close()
        settings.sync()
    for problem in problems:
        print(f"ketqual --smoke: {problem}", file=sys.stderr)
    return 1 if problems else 0
