"""Help › Getting started: the workflow as steps, where this project is, and a way there.

The steps and their status come from :mod:`ketqual.core.guide`; this window only shows
them. Each step names who does it (a coder or the supervisor) and has a link that opens
the right place in the app.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ketqual.core import guide
from ketqual.gui.widgets import fit_to_screen

WHO_LABEL = {guide.CODER: "Each coder", guide.SUPERVISOR: "The supervisor"}
NOT_YOURS = {guide.CODER: " (the coders do this)", guide.SUPERVISOR: " (your supervisor does this)"}
INTRO = (
    "<p>KetQual follows a framework analysis done by a team: two (or more) coders code the "
    "same notes without seeing each other's work, then the supervisor compares them and "
    "the team agrees a consensus, which the outputs are drawn from.</p>"
)
NO_PROJECT = (
    "<p><b>Start here:</b> <a href='place:new'>create a new project</a> or "
    "<a href='place:open'>open one</a>. To look around first, build the demo from a "
    "terminal with <code>ketqual demo demo.ketqual</code> and open it.</p>"
)


def guide_html(state: guide.ProjectState | None, role: str | None) -> str:
    """The guide as HTML: the steps, the current one marked, links to each place."""
    parts = ["<h2>Getting started</h2>", INTRO]
    if state is None:
        parts.append(NO_PROJECT)
        all_steps = guide.steps(guide.ProjectState(0, (), 0, True))
        current = None
    else:
        all_steps = guide.steps(state)
        current = guide.current_step(state).key
    parts.append("<ol>")
    for step in all_steps:
        mark = "✔ " if step.done else ""
        title = escape(step.title) + (" (optional)" if step.optional else "")
        if step.key == current:
            title = f"<span style='background:#FFF3C4'>{title} ← you are here</span>"
        who = WHO_LABEL.get(step.who, "Everyone")
        yours = role is None or role == step.who
        link = (
            f" <a href='place:{step.place}'>Take me there</a>"
            if yours and state is not None
            else ""
        )
        not_yours = "" if yours else NOT_YOURS.get(step.who, "")
        parts.append(
            f"<li><p><b>{mark}{title}</b><br>"
            f"<i>{who}{not_yours}.</i> {escape(step.how.rstrip('.…'))}.{link}<br>"
            f"<span style='color:#555'>{escape(step.status) if state is not None else ''}"
            "</span></p></li>"
        )
    parts.append("</ol>")
    parts.append(
        "<p>Everything stays on this computer (or your team's server): KetQual makes no "
        "network connections.</p>"
    )
    return "".join(parts)


class GuideWindow(QDialog):
    """The Getting started guide (not modal: it can stay open while working).

    Signals:
        placeRequested(str): a step's link was followed; the main window opens that place.
    """

    placeRequested = Signal(str)

    def __init__(
        self,
        state_of_project: Callable[[], guide.ProjectState | None],
        role: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Getting started with KetQual")
        self.setAccessibleName("Getting started guide")
        self._state_of_project = state_of_project
        self.role = role
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Workflow steps")
        self.browser.anchorClicked.connect(self._follow)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 720)
        fit_to_screen(self)
        self.refresh()

    def refresh(self) -> None:
        """Re-read where the project is (after any change)."""
        self.state = self._state_of_project()
        self.browser.setHtml(guide_html(self.state, self.role))

    def _follow(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("place:"):
            self.placeRequested.emit(text.removeprefix("place:"))
