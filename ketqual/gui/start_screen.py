"""The start screen: KetQual's name and what it is opening, painted while the app loads.

Started as the program, the app paints this small frameless window as soon as Qt is up
(0.1-0.2 s after the command on the build machine), then loads the database layer and builds
the main window behind it (most of the start); it closes when the main window shows, or as
soon as a dialog waits for an answer (a question or an error must never sit behind it). It
looks for such a dialog on a timer, which costs nothing until the event loop runs; an
application-wide event filter would have been called for each of the 2,400 events of a
start.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from ketqual import __version__, startup

ICON_PIXELS = 64
DIALOG_CHECK_MS = 30
# How long to wait for the window system to show the window (a window manager maps it
# a moment after it is asked to; at once without one).
EXPOSE_WAIT_S = 0.25


def opening_message(project: str | None) -> str:
    """What the start screen says: the project file being opened, or that KetQual starts."""
    if not project:
        return "Starting…"
    # A server URL, told apart as the store does (server_ops.is_server_url would load the
    # database layer, which this screen paints before).
    name = Path(project).name if "://" not in project else "the team server's project"
    return f"Opening {name}…"


class StartScreen(QFrame):
    """A frameless window with the icon, the name, the version and ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle("KetQual")
        picture = QLabel()
        icon = QApplication.windowIcon()
        if not icon.isNull():
            picture.setPixmap(icon.pixmap(ICON_PIXELS, ICON_PIXELS))
        title = QLabel(f"<b style='font-size:20px'>KetQual</b>&nbsp;&nbsp;{__version__}")
        self.message = QLabel(message)
        words = QVBoxLayout()
        words.addWidget(title)
        words.addWidget(self.message)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 20, 32, 20)
        row.setSpacing(18)
        row.addWidget(picture)
        row.addLayout(words)
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        self.watch = QTimer(self)
        self.watch.setInterval(DIALOG_CHECK_MS)
        self.watch.timeout.connect(self.step_aside)

    def show_now(self) -> None:
        """Show, centred on the screen, and paint at once (the event loop has not started)."""
        self.adjustSize()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            frame = self.frameGeometry()
            frame.moveCenter(screen.availableGeometry().center())
            self.move(frame.topLeft())
        self.show()
        handle = self.windowHandle()
        deadline = time.monotonic() + EXPOSE_WAIT_S
        while handle is not None and not handle.isExposed() and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        self.repaint()  # paints now: the event loop will not run until the window is built
        QApplication.processEvents()
        self.watch.start()
        startup.mark("start screen painted")

    def step_aside(self) -> None:
        """Close if a dialog waits for an answer."""
        if QApplication.activeModalWidget() is not None:
            self.done()

    def done(self) -> None:
        """Close for good (again or never shown: nothing happens)."""
        self.watch.stop()
        if self.isVisible():
            self.close()
