"""Autosave: a coding shown as done survives the process being killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.team import coder_ops

ROOT = Path(__file__).resolve().parents[2]

CODER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from ketqual.gui.app import make_application
    app = make_application()
    from ketqual.gui.main_window import MainWindow
    window = MainWindow(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    assert window.open_project(sys.argv[1], coder="Crash Tester")
    text = window.text_view.text
    start = text.index("Topic")
    window.text_view.select_span(start, start + 5)
    QTest.keyClick(window.text_view, Qt.Key.Key_3)
    app.processEvents()
    print("CODED", flush=True)
    time.sleep(600)  # killed long before this ends
    """
)


def test_coding_survives_kill_9(demo_path, tmp_path):
    errors = tmp_path / "stderr.txt"
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-c", CODER_SCRIPT, str(demo_path), str(tmp_path / "s.ini")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as process,
    ):
        try:
            line = process.stdout.readline()
        finally:
            os.kill(process.pid, signal.SIGKILL)  # no close, no flush, no goodbye
            process.wait(timeout=30)
    assert line.strip() == "CODED", errors.read_text()
    project = project_ops.open_project(demo_path, backup=False)
    try:
        coder = coder_ops.find_coder(project, "Crash Tester")
        counts = coding_ops.coding_counts(project, coder.id)
        assert sum(counts.values()) == 1
    finally:
        project.close()
