"""The main window's tool windows: agreement, consensus review, network and matrices.

A mixin of :class:`~ketqual.gui.main_window.MainWindow`: each window opens on demand (its
module imported only then, to keep start-up fast) with the main window's runner, and the
passages they point at are shown in the main window's document view. What a window changes
reaches the others through ``runner.changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Slot

# ``ketqual gui --open NAME`` and the guide's links: the method that opens each place, and
# the attribute holding the window it opens (None for actions without a window of their own).
PLACES: dict[str, tuple[str, str | None]] = {
    "guide": ("open_guide", "guide"),
    "agreement": ("open_agreement", "agreement"),
    "consensus": ("open_consensus", "consensus"),
    "network": ("open_network", "network"),
    "framework": ("open_charting", "charting"),
    "import": ("import_dialog", None),
    "unblind": ("unblind_from_guide", None),
    "return_package": ("return_package_from_guide", None),
    "code": ("focus_coding", None),
    "new": ("new_project_dialog", None),
    "open": ("open_project_dialog", None),
}


class ToolWindows:
    """Opening the tool windows and showing what they point at (mixed into MainWindow)."""

    def open_place(self, name: str):
        """Open a place by name (see :data:`PLACES`); returns its window, if it has one."""
        if name not in PLACES:
            return None
        method, attribute = PLACES[name]
        getattr(self, method)()
        return getattr(self, attribute, None) if attribute else None

    def open_guide(self) -> None:
        """Help › Getting started: the workflow and where this project is in it."""
        from ketqual.gui.help.guide_window import GuideWindow  # only when asked for
        from ketqual.ops import guide_ops

        guide = getattr(self, "guide", None)
        if guide is not None and guide.isVisible():
            guide.refresh()
            guide.raise_()
            return
        coder = self.coding.coder if self.runner is not None else None
        self.guide = GuideWindow(
            lambda: self.runner.query(guide_ops.workflow_state) if self.runner else None,
            coder.role if coder is not None else None,
            self,
        )
        self.guide.placeRequested.connect(self.open_place)
        self.guide.show()

    def focus_coding(self) -> None:
        """The coding screen: the document text takes the keyboard."""
        self.raise_()
        self.activateWindow()
        self.text_view.setFocus()

    def unblind_from_guide(self) -> None:
        """Project › Unblind, offered by the guide to supervisors."""
        self.menus.toggle_blinding()

    def return_package_from_guide(self) -> None:
        """File › Return package, offered by the guide in a coder package."""
        self.packages.return_package()

    def open_agreement(self) -> None:
        """Open the agreement window for this project (computes off the GUI thread)."""
        if self.runner is None:
            return
        from ketqual.gui.agreement.agreement_window import AgreementWindow  # only when asked for

        coder = self.coding.coder.name if self.coding.coder else ""
        self.agreement = AgreementWindow(self.runner, coder, self)
        self.agreement.openDocument.connect(self.show_agreement_cell)
        self.agreement.show()

    def open_consensus(self) -> None:
        """Open the consensus review window (a supervisor decides; coders follow)."""
        if self.runner is None:
            return
        from ketqual.gui.consensus.consensus_window import ConsensusWindow  # only when asked for

        self.consensus = ConsensusWindow(self.runner, self.coding.coder, self)
        self.consensus.openPassage.connect(self.show_review_passage)
        self.consensus.show()

    @Slot(int, int, int)
    def show_review_passage(self, document_id: int, start: int, end: int) -> None:
        """Show a passage of the consensus review with both coders' layers and the consensus."""
        state = getattr(self.consensus, "state", None)
        if state is not None:
            self.show_layers([state.coder_a.name, state.coder_b.name, "consensus"])
        self.show_passage(document_id, start, end)

    def open_network(self) -> None:
        """Open the theme-overlap network window for this project."""
        if self.runner is None:
            return
        from ketqual.gui.network.network_window import NetworkWindow  # only when asked for

        coder = self.coding.coder.name if self.coding.coder else ""
        self.network = NetworkWindow(self.runner, coder, self)
        self.network.show()

    @Slot(int, int)
    def show_agreement_cell(self, document_id: int, code_id: int) -> None:
        """A heatmap cell was clicked: show that document with every compared layer."""
        result = getattr(self.agreement, "result", None)
        if result is not None:
            self.show_layers(list(result.layer_names))
        self.select_document(document_id)
        self.codebook.select_code(code_id)
        self.raise_()
        self.activateWindow()

    def open_charting(self) -> None:
        """Open the framework matrices (charting) window for this project."""
        if self.runner is None:
            return
        if self.charting is not None and self.charting.isVisible():
            self.charting.raise_()
            return
        from ketqual.gui.framework.framework_window import FrameworkWindow  # only when asked for

        coder = self.coding.coder.name if self.coding.coder else ""
        self.charting = FrameworkWindow(self.runner, coder, self)
        self.charting.openPassage.connect(self.show_passage)
        self.charting.show()

    @Slot(int, int, int)
    def show_passage(self, document_id: int, start: int, end: int) -> None:
        """Show a passage: select its document, then its text (code points)."""
        self.select_document(document_id)
        self.text_view.select_span(start, end)
        self.raise_()
        self.activateWindow()
