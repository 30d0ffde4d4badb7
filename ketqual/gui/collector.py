"""Python's cycle collector, run on the GUI thread only.

Automatic collection runs in whichever thread happens to allocate when a threshold is
passed. When that is a runner's worker thread, a garbage cycle that holds a Qt object
(a closed dialog, a model) is deleted off its own thread, which can crash the app. While
the app runs, automatic collection is therefore off and a timer on the GUI thread collects,
generation by generation, as often as the thresholds would have asked for. Reference
counting frees everything that is not in a cycle, as always.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_installed: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    """Collects garbage cycles from a timer on the thread that made it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose thresholds (as set now) have been passed."""
        first, second, third = gc.get_count()
        limits = gc.get_threshold()
        if first > limits[0]:
            gc.collect(0)
            if second > limits[1]:
                gc.collect(1)
                if third > limits[2]:
                    gc.collect(2)


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Turn automatic collection off and collect on ``app``'s thread instead (once)."""
    global _installed
    if _installed is None:
        _installed = GuiThreadCollector(app)
    return _installed


def installed() -> GuiThreadCollector | None:
    """The collector made by :func:`collect_on_gui_thread`, if any."""
    return _installed
