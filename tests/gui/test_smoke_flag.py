"""The smoke flag the installer checks the frozen app with, the app icon, the About box."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ketqual import __main__ as entry
from ketqual import __version__
from ketqual.gui import app
from ketqual.gui.help import about_dialog, licences

# What Qt's offscreen and minimal platforms print for any window with size constraints (they
# cannot pass hints to a window manager); installer/build.sh allows the same line.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints()"


def test_smoke_opens_the_demo_and_exits_zero(qapp, demo_path, capsys):
    assert app.run_app(["--smoke", str(demo_path)]) == 0
    assert capsys.readouterr() == ("", "")
    assert QApplication.topLevelWidgets() == [] or not any(
        w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_smoke_fails_on_a_project_it_cannot_open(qapp, tmp_path, capsys):
    missing = tmp_path / "missing.ketqual"
    assert app.run_app(["--smoke", str(missing)]) == 1
    err = capsys.readouterr().err
    # The error dialog was dismissed (not waited for) and its message reported.
    assert "was not found" in err and "could not open" in err


def test_smoke_fails_when_a_file_is_not_a_project(qapp, tmp_path, capsys):
    junk = tmp_path / "junk.ketqual"
    junk.write_text("not a database", encoding="utf-8")
    assert app.run_app(["--smoke", str(junk)]) == 1
    assert "could not open" in capsys.readouterr().err


def test_smoke_from_the_environment(qapp, demo_path, monkeypatch):
    monkeypatch.setenv("KETQUAL_SMOKE", "1")
    assert app.parse_args([str(demo_path)]).smoke
    monkeypatch.setenv("KETQUAL_SMOKE", "0")
    assert not app.parse_args([str(demo_path)]).smoke


def test_entry_point_routes_smoke_and_project_files_to_the_app(qapp, demo_path, monkeypatch):
    assert entry.main(["--smoke", str(demo_path)]) == 0
    # What a desktop's file association runs: `ketqual FILE.ketqual` opens the app.
    monkeypatch.setenv("KETQUAL_SMOKE", "1")
    assert entry.main([str(demo_path)]) == 0
    assert entry._is_app_start("Study.KETQUAL") and entry._is_app_start("coder-a.kqpkg")
    assert not entry._is_app_start("info")


def test_smoke_as_a_process_prints_nothing_and_leaves_settings_alone(demo_path, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run(
        [sys.executable, "-m", "ketqual", "--smoke", str(demo_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    stderr = [line for line in done.stderr.splitlines() if line != OFFSCREEN_NOISE]
    assert (done.returncode, done.stdout, stderr) == (0, "", [])
    assert not (tmp_path / "cfg").exists()  # nothing remembered: no recent project, no coder


QUIT_SOON = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ketqual.gui.app as app

def close_window():
    window = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
    window.close()  # as a person closes it: the project closes, the layout is remembered
    QApplication.instance().quit()

make = app.make_application

def make_and_close_soon():
    made = make()
    QTimer.singleShot(1000, close_window)
    return made

app.make_application = make_and_close_soon
from ketqual.__main__ import main
sys.argv = ["ketqual", "gui", sys.argv[1], "--coder", "Supervisor"]
code = main()
print("frozen", gc.get_freeze_count())
sys.exit(code)
"""


def test_the_app_as_the_program_remembers_its_layout_and_closes_the_project(demo_path, tmp_path):
    """The program ends without collecting its objects (``startup.before_exit``): the
    settings are written and the project closed before that, not by destructors."""
    project = tmp_path / "demo.ketqual"
    project.write_bytes(demo_path.read_bytes())
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    done = subprocess.run(
        [sys.executable, "-c", QUIT_SOON, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split("frozen")[-1]) > 10_000
    saved = "\n".join(p.read_text() for p in (tmp_path / "cfg").rglob("*.conf"))
    assert "geometry=" in saved and str(project) in saved
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["cfg", "demo.ketqual", "demo.ketqual-backups"]  # no -wal, no -shm


def test_window_icon_has_every_size(qapp):
    icon = app.app_icon()
    sizes = sorted(size.width() for size in icon.availableSizes())
    assert sizes == list(app.ICON_SIZES)
    app.make_application()
    assert not QApplication.windowIcon().isNull()


def test_about_box_shows_version_and_licences(qtbot):
    dialog = about_dialog.AboutDialog(__version__)
    qtbot.addWidget(dialog)
    assert f"KetQual {__version__}" in dialog.text.text()
    rows = {
        dialog.model.item(row, 0).text().lower(): dialog.model.item(row, 2).text()
        for row in range(dialog.model.rowCount())
    }
    assert rows["pyside6_essentials"].startswith("LGPL-3.0")
    assert rows["sqlalchemy"] == "MIT"
    assert rows["python"] == "PSF-2.0"
    dialog.show_component("SQLAlchemy")
    assert "Permission is hereby granted" in dialog.licence_text.toPlainText()
    dialog.show_component("PySide6_Essentials")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licence_text.toPlainText()


def test_bundled_licence_list_wins_over_metadata(tmp_path, monkeypatch):
    found = [licences.Component("Thing", "1.0", "MIT", ("text",))]
    paths = licences.write(tmp_path, found)
    assert [p.name for p in paths] == [licences.BUNDLED_JSON, licences.BUNDLED_TEXT]
    monkeypatch.setenv("KETQUAL_RESOURCES", str(tmp_path))
    assert licences.components() == found
    text = (tmp_path / licences.BUNDLED_TEXT).read_text(encoding="utf-8")
    assert "Thing  1.0" in text and "text" in text
    assert json.loads((tmp_path / licences.BUNDLED_JSON).read_text())[0]["licence"] == "MIT"


def test_collected_components_follow_requirements_and_extras():
    names = {c.name.lower().replace("_", "-") for c in licences.collect()}
    # Direct, transitive (spaCy -> thinc), and an extra's bracketed extra (psycopg[binary]).
    assert {"pyside6-essentials", "sqlalchemy", "thinc", "python"} <= names
    assert "psycopg-binary" in names
    # Development tools are not bundled, so not listed.
    assert not names & {"pytest", "hypothesis", "scikit-learn", "ruff"}


def test_licence_name_prefers_expression_then_short_field_then_classifier():
    class Meta(dict):
        def get_all(self, key):
            return self.get(key + "s")

    assert licences.licence_name(Meta({"License-Expression": "MIT"})) == "MIT"
    assert licences.licence_name(Meta({"License": "BSD"})) == "BSD"
    long_text = Meta(
        {
            "License": "Copyright...\n" * 40,
            "Classifiers": ["License :: OSI Approved :: MIT License"],
        }
    )
    assert licences.licence_name(long_text) == "MIT License"
    assert licences.licence_name(Meta({})) == "not stated"


def test_help_about_opens_the_dialog_without_blocking(window, qtbot):
    window.about()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, about_dialog.AboutDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()


def test_qt_for_python_comes_with_its_licence_texts():
    """PySide6's metadata names the LGPL without its text; KetQual ships LGPL-3.0 and the
    GPL-3.0 it builds on, so the About box and the bundled file can show them."""
    from ketqual.gui.help import licences

    found = {c.name.lower(): c for c in licences.collect()}
    pyside = found["pyside6_essentials"]
    assert "LGPL-3.0" in pyside.licence
    assert any("GNU LESSER GENERAL PUBLIC LICENSE" in text for text in pyside.texts)
    assert any("GNU GENERAL PUBLIC LICENSE" in text for text in pyside.texts)


def test_screenshot_fills_the_screen_and_leaves_settings_alone(demo_path, tmp_path, qapp):
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
                    | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
                ]
            }
        )
    )
    settings = tmp_path / "cfg" / "KetQual" / "KetQual.conf"
    settings.parent.mkdir(parents=True)
    settings.write_text(
        "[General]\nlast_project=/elsewhere/study.ketqual\n"
        "recent=/elsewhere/study.ketqual, /elsewhere/pilot.ketqual\n"
    )
    before = settings.read_bytes()
    picture = tmp_path / "shot.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "ketqual", "gui", str(demo_path), "--coder", "Coder A"]
        + ["--screenshot", str(picture)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1366, 768)  # the screen's size, not a fixed one
    # No recent project, last project or chosen coder remembered; the folder holds no more.
    assert settings.read_bytes() == before
    assert [p.name for p in settings.parent.iterdir()] == ["KetQual.conf"]


def test_screenshot_of_a_missing_project_says_so_at_once(qapp, tmp_path, capsys):
    """Nobody is there to close an error box in a screenshot run: it must not wait."""
    missing = tmp_path / "nowhere" / "study.ketqual"
    picture = tmp_path / "shot.png"
    assert app.run_app([str(missing), "--screenshot", str(picture)]) == 2
    assert "there is no project at" in capsys.readouterr().err
    assert not picture.exists()


def test_screenshot_of_a_project_from_a_newer_version_says_why_at_once(demo_path, tmp_path):
    """The refusal box for a project saved by a newer KetQual is dismissed, not waited for
    (it used to hang the run): the run ends with its message, the file left as it was."""
    import shutil
    import sqlite3

    newer = tmp_path / "newer.ketqual"
    shutil.copy(demo_path, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = newer.read_bytes()
    picture = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "ketqual", "gui", str(newer), "--screenshot", str(picture)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,  # a box waiting for nobody fails here, loudly
    )
    assert done.returncode == 2, done.stderr
    assert "saved by a newer version of KetQual (schema 9999)" in done.stderr
    assert not picture.exists() and newer.read_bytes() == before
