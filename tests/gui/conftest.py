"""GUI fixtures: a demo project built once per module, copied fresh for each test."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QSettings

from ketqual.ops import demo_ops


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-master") / "demo.ketqual"
    project, _report = demo_ops.build_demo(path, meeting=False)  # blinded, as coders see it
    project.close()
    return path


@pytest.fixture
def demo_path(demo_master, tmp_path):
    path = tmp_path / "demo.ketqual"
    shutil.copy(demo_master, path)
    return path


@pytest.fixture
def window(qtbot, tmp_path):
    from ketqual.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    qtbot.addWidget(win)
    yield win
    win.close_project()


@pytest.fixture(autouse=True)
def _collector(qapp):
    """As in the app: garbage cycles are collected on the GUI thread, never in a runner's
    worker thread (where deleting a Qt object can crash)."""
    from ketqual.gui.collector import collect_on_gui_thread

    collect_on_gui_thread(qapp)
