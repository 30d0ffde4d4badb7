"""The main window's tool windows: agreement, consensus review, network, matrices, coded
passages, crosstabs, attributes, and the theme report.

A mixin of :class:`~ketqual.gui.main_window.MainWindow`: each window opens on demand (its
module imported only then, to keep start-up fast) with the main window's runner, and the
passages they point at are shown in the main window's document view. What a window changes
reaches the others through ``runner.changed``.
"""

from __future__ import annotations

from PySide6.QtCore import Slot

from ketqual.gui import files
from ketqual.gui.places import PLACES  # ``ketqual gui --open NAME`` and the guide's links


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

    def export_exchange_from_guide(self) -> None:
        """File › Export › REFI-QDA project, offered by the guide."""
        self.exchange.export_project()

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

    def open_votes(self) -> None:
        """Open the votes window: voting questions beside the themes, figures and tables."""
        if self.project is None:
            return
        existing = getattr(self, "votes_window", None)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return
        from ketqual.gui.votes.votes_window import VotesWindow  # only when asked for

        self.votes_window = VotesWindow(self.runner, self._viewer_name(), self)
        self.votes_window.show()

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

    def _privacy_runner(self):
        """The app's operation runner (made here until the window holds one)."""
        runner = getattr(self, "runner", None)
        if runner is None or runner.project is not self.project:
            from ketqual.gui.runner import OperationRunner

            runner = OperationRunner(self.project, self)
            runner.changed.connect(lambda change, _who: self.refresh())
            self.privacy_runner = runner
        return runner

    def open_privacy(self) -> None:
        """Open the identifier review and the key file (Privacy › Review identifiers)."""
        if self.project is None:
            return
        if self.privacy is not None and self.privacy.isVisible():
            self.privacy.raise_()
            return
        from ketqual.gui.privacy.privacy_window import PrivacyWindow  # only when asked for

        coder = self.coding.coder.name if self.coding.coder else ""
        self.privacy = PrivacyWindow(self._privacy_runner(), coder, self)
        self.privacy.show()

    def offer_key_move(self, asked: bool = False) -> None:
        """A supervisor opening a project that still holds an old key table is offered to
        move it out into a key file (Privacy › Move the old key out…, at any time)."""
        coder = self.coding.coder
        if self.project is None or coder is None or coder.role != "supervisor":
            return
        from ketqual.gui.privacy import key_dialogs
        from ketqual.ops.privacy import key_ops

        runner = self._privacy_runner()
        status = runner.query(key_ops.key_status, parent=self) or {}
        count = status.get("legacy_names", 0)
        if not count and asked:
            self.statusBar().showMessage("This project holds no old key table to move.", 8000)
        if not count or not self.interactive:
            return
        if not key_dialogs.confirm_key_move(self, count):
            return
        path = key_dialogs.choose_key_file(self, new=True, suggested="project-key.kqkey")
        if path is None:
            return
        passphrase = key_dialogs.ask_passphrase(
            self,
            "Key file passphrase",
            "Choose a passphrase for the key file (or give the passphrase of an existing "
            "key file of this project, to add to it).",
            confirm=not path.exists(),
        )
        if passphrase is None:
            return
        change = runner.run(
            lambda p: key_ops.move_key_out(p, path, passphrase, supervisor=coder.name),
            parent=self,
        )
        if change is not None:
            self.statusBar().showMessage(change.summary, 10000)

    @Slot(int, int, int)
    def show_passage(self, document_id: int, start: int, end: int) -> None:
        """Show a passage: select its document, then its text (code points)."""
        self.select_document(document_id)
        self.text_view.select_span(start, end)
        self.raise_()
        self.activateWindow()

    # -- retrieval and attributes (through the one operation runner) ---------------------

    def _viewer_name(self) -> str:
        return self.coding.coder.name if self.coding.coder else ""

    def open_passages(self, query=None, title: str = ""):
        """Open the coded-passages window (on ``query`` when given: a crosstab cell)."""
        if self.project is None:
            return None
        from ketqual.gui.retrieval.passages_window import PassagesWindow  # only when asked for

        window = getattr(self, "passages", None)
        if window is None or window.runner.project is not self.project:
            window = PassagesWindow(self.runner, self._viewer_name(), self)
            window.openPassage.connect(self.show_layer_passage)
            self.passages = window
        window.show()
        window.raise_()
        if query is not None:
            window.show_query(query, title)
        return window

    def open_crosstab(self):
        """Open the crosstab window; a clicked cell opens its passages."""
        if self.project is None:
            return None
        from ketqual.gui.retrieval.crosstab_window import CrosstabWindow  # only when asked for

        window = getattr(self, "crosstab", None)
        if window is None or window.runner.project is not self.project:
            window = CrosstabWindow(self.runner, self._viewer_name(), self)
            window.openCell.connect(self.open_passages)
            self.crosstab = window
        window.show()
        window.raise_()
        return window

    def open_attributes(self):
        """Open the attributes window (participants, documents, focus groups)."""
        if self.project is None:
            return None
        from ketqual.gui.attributes.attributes_window import AttributesWindow  # on demand

        window = getattr(self, "attributes", None)
        if window is None or window.runner.project is not self.project:
            window = AttributesWindow(self.runner, self._viewer_name(), self)
            window.openPassage.connect(self.show_passage)
            self.attributes = window
        window.show()
        window.raise_()
        return window

    @Slot(int, int, int, str)
    def show_layer_passage(self, document_id: int, start: int, end: int, layer: str) -> None:
        """Show a retrieved passage with the layer it was retrieved from."""
        coder = self.coding.coder.name if self.coding.coder else None
        if layer.casefold() == "consensus" or layer != coder:
            self.show_layers([layer])
        self.show_passage(document_id, start, end)

    def export_theme_report(self, path: str | None = None):
        """Outputs › Theme report: ask where, then write it off the GUI thread."""
        if self.project is None:
            return None

        from ketqual.gui.privacy.export_guard import run_export_in_background
        from ketqual.ops.retrieval import report_ops

        if path is None:
            path, chosen = files.save_file(
                self,
                "Theme report",
                "theme-report.docx",
                "Word document (*.docx);;Web page (*.html)",
            )
            if not path:
                return None
            if not path.lower().endswith((".docx", ".html", ".htm")):
                path += ".html" if "html" in chosen else ".docx"
        viewer = self._viewer_name() or None
        return run_export_in_background(
            self.runner,
            lambda p, _progress, check: report_ops.export_theme_report(
                p, path, viewer=viewer, actor=viewer, check=check
            ),
            who=viewer,
            parent=self,
            label="Writing the theme report…",
            on_done=lambda change: self.statusBar().showMessage(
                f"Wrote {change.details['path']}", 10_000
            ),
        )
