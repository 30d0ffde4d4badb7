"""The start screen the app paints while it loads (ketqual.gui.start_screen)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ketqual import __version__
from ketqual.gui import app, start_screen
from ketqual.gui.start_screen import StartScreen, opening_message


def test_the_message_names_the_project_being_opened():
    assert opening_message(None) == "Starting…"
    assert (
        opening_message("/home/ana/study/ketamine day.ketqual") == "Opening ketamine day.ketqual…"
    )
    assert opening_message("postgresql://ana@server/study") == "Opening the team server's project…"


def test_it_paints_at_once_centred_and_closes_for_good(qapp):
    screen = StartScreen("Opening demo.ketqual…")
    screen.show_now()
    assert screen.isVisible() and screen.watch.isActive()
    texts = [label.text() for label in screen.findChildren(type(screen.message))]
    assert "Opening demo.ketqual…" in texts and any(__version__ in t for t in texts)
    picture = screen.grab().toImage()
    assert not picture.isNull() and picture.width() > 200
    middle = QApplication.primaryScreen().availableGeometry().center()
    assert screen.frameGeometry().contains(middle)
    screen.done()
    assert not screen.isVisible() and not screen.watch.isActive()
    screen.done()  # again: nothing happens


def test_it_steps_aside_for_a_dialog_waiting_for_an_answer(qapp, monkeypatch):
    screen = StartScreen("Starting…")
    screen.show_now()
    screen.step_aside()
    assert screen.isVisible()  # no dialog: it stays
    box = QMessageBox(QMessageBox.Icon.Warning, "KetQual", "Something went wrong")
    monkeypatch.setattr(QApplication, "activeModalWidget", staticmethod(lambda: box))
    screen.step_aside()
    assert not screen.isVisible() and not screen.watch.isActive()


def test_the_program_shows_it_until_the_window_has_painted(qapp, demo_path, monkeypatch):
    shown: list[StartScreen] = []
    painted_before: list[bool] = []
    real_show_now = StartScreen.show_now

    def show_now(screen: StartScreen) -> None:
        real_show_now(screen)
        shown.append(screen)

    real_smoke = app.run_smoke

    def run_smoke(*args, **kwargs):
        painted_before.append(bool(shown) and shown[0].isVisible())
        return real_smoke(*args, **kwargs)

    monkeypatch.setattr(StartScreen, "show_now", show_now)
    monkeypatch.setattr(app, "run_smoke", run_smoke)
    assert app.run_app(["--smoke", str(demo_path)], start_screen=True) == 0
    assert painted_before == [True]  # on screen while the window was built
    assert len(shown) == 1 and not shown[0].isVisible()  # and gone after


def test_a_screenshot_or_a_test_shows_no_start_screen(qapp, demo_path, monkeypatch, tmp_path):
    made: list[object] = []
    monkeypatch.setattr(start_screen, "StartScreen", lambda *a: made.append(a))
    assert app.run_app(["--smoke", str(demo_path)]) == 0
    picture = tmp_path / "window.png"
    assert app.run_app([str(demo_path), "--screenshot", str(picture)], start_screen=True) == 0
    assert picture.exists() and made == []


def test_it_closes_when_the_start_fails(qapp, tmp_path, monkeypatch, capsys):
    shown: list[StartScreen] = []
    real_show_now = StartScreen.show_now
    monkeypatch.setattr(
        StartScreen, "show_now", lambda screen: (real_show_now(screen), shown.append(screen))
    )
    missing = tmp_path / "missing.ketqual"
    assert app.run_app(["--smoke", str(missing)], start_screen=True) == 1
    assert "could not open" in capsys.readouterr().err
    assert len(shown) == 1 and not shown[0].isVisible()
    assert not [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QWidget)
    ]
