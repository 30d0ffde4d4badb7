"""The Getting started guide: two clicks from an empty window, links that open places."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from ketqual.gui import texts


def test_guide_from_the_empty_window_and_help(window, qtbot):
    assert "href='guide'" in texts.welcome_html()
    window.show()
    window._on_welcome_link(QUrl("guide"))  # one click on the welcome page
    assert window.guide.isVisible()
    assert "Getting started" in window.guide.browser.toPlainText()
    window.guide.close()
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"
    )
    started = next(a for a in help_menu.actions() if "Getting started" in a.text())
    started.trigger()  # Help › Getting started
    assert window.guide.isVisible()


def test_guide_links_open_the_right_place(window, demo_path, qtbot):
    window.open_project(demo_path, coder="Coder A")
    window.open_guide()
    text = window.guide.browser.toPlainText()
    assert "you are here" in text and "Coder A:" in text
    opened = []
    window.guide.placeRequested.connect(opened.append)
    window.guide.browser.anchorClicked.emit(QUrl("place:code"))
    assert opened == ["code"]
    assert window.text_view.hasFocus() or window.focusWidget() is window.text_view


def test_empty_project_offers_import_and_guide(window, tmp_path):
    from tests.factories import make_project

    make_project(tmp_path).close()
    window.open_project(tmp_path / "study.ketqual", coder="Tester")
    assert window.centre.currentIndex() == 0
    html = window.welcome.toHtml()
    assert "no documents yet" in html and "Getting started" in html


def test_every_step_opens_a_place_the_window_knows(window, demo_path, monkeypatch):
    from ketqual.core import guide
    from ketqual.gui.tool_windows import PLACES

    for step in guide.steps(guide.ProjectState(0, (), 0, True)):
        assert step.place in PLACES, step.key
    window.open_project(demo_path, coder="Supervisor")
    window.open_guide()
    html = window.guide.browser.toHtml()
    assert "(optional)" in html and "place:votes" in html and "place:exchange" in html
    asked = []
    monkeypatch.setattr(window.exchange, "export_project", lambda: asked.append("qdpx"))
    window.guide.browser.anchorClicked.emit(QUrl("place:exchange"))
    assert asked == ["qdpx"]  # File › Export › REFI-QDA project
    window.guide.browser.anchorClicked.emit(QUrl("place:votes"))
    assert window.votes_window.isVisible()
    window.guide.browser.anchorClicked.emit(QUrl("place:passages"))
    assert window.passages.isVisible()
    window.runner.wait_all()
