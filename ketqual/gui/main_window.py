"""The main window: documents on the left, the document in the middle, the codebook right.

The window makes one :class:`~ketqual.gui.runner.OperationRunner` per open project and hands
it to every window it opens; every change any window makes comes back through
``runner.changed``, and :meth:`MainWindow.on_change` refreshes only what it touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ketqual import __version__
from ketqual.gui import files, texts, window_menus
from ketqual.gui.codebook.codebook_pane import CodebookPane
from ketqual.gui.coding.coding_controller import CodingController
from ketqual.gui.coding.coding_menus import CodingMenus
from ketqual.gui.coding.document_view import DocumentView
from ketqual.gui.coding.documents_model import DOCUMENT_ID_ROLE, DocumentsModel
from ketqual.gui.coding.documents_table import DocumentsTable
from ketqual.gui.coding.search_panel import SearchPanel
from ketqual.gui.exchange.exchange_actions import ExchangeActions
from ketqual.gui.importing.import_flow import ImportFlow
from ketqual.gui.runner import OperationRunner
from ketqual.gui.team.package_actions import PackageActions
from ketqual.gui.tool_windows import ToolWindows
from ketqual.gui.widgets import fit_to_screen
from ketqual.ops import guide_ops, project_ops, queries
from ketqual.ops.changes import Area, Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops, server_ops

if TYPE_CHECKING:  # the import operations load at the first import of files
    from ketqual.ops.importing import import_ops
# The document dialog and the document operations (edit, split, delete) load at first use.

PROJECT_FILTER = "KetQual projects (*.ketqual)"
MAX_RECENT = 8


class MainWindow(ToolWindows, QMainWindow):
    """KetQual's main window. Holds the open project's runner; every change goes through it.

    Attributes:
        runner: The runner of the open project (``None`` while no project is open).
        document_id: The document shown (``None`` for none).
    """

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.persist_layout = True  # off for throw-away windows (screenshots)
        self.interactive = True  # off for screenshots: never open a dialog that waits
        self.runner: OperationRunner | None = None
        self.document_id: int | None = None
        self.font_size = int(self.settings.value("view/font_size", 12))
        self.imports = ImportFlow(self)
        self.agreement = None  # the agreement window, once opened
        self.consensus = None  # the consensus review window, once opened
        self.network = None  # the theme-overlap network window, once opened
        self.charting = None  # the framework matrices window, once opened
        self.privacy = None  # the identifier review, once opened
        self.privacy_runner = None
        self.coding = CodingController(self)
        self.setWindowTitle("KetQual")
        self.resize(1280, 800)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included
        self._build_panes()
        self.menus = CodingMenus(self)
        self.packages = PackageActions(self)
        self.exchange = ExchangeActions(self)
        window_menus.build_menus(self)
        self._restore_layout()
        self._show_welcome()

    # ----- layout -------------------------------------------------------------------------
    def _build_panes(self) -> None:
        self.documents_model = DocumentsModel(self)
        self.documents_proxy = QSortFilterProxyModel(self)
        self.documents_proxy.setSourceModel(self.documents_model)
        self.documents_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.documents_proxy.setFilterKeyColumn(-1)
        self.filter_edit = QLineEdit(placeholderText="Filter documents…", clearButtonEnabled=True)
        self.filter_edit.setAccessibleName("Filter documents")
        self.filter_edit.textChanged.connect(self.documents_proxy.setFilterFixedString)
        self.documents_view = DocumentsTable()  # fits its columns to its width
        self.documents_view.setAccessibleName("Documents")
        self.documents_view.setModel(self.documents_proxy)
        self.documents_view.setSortingEnabled(True)
        self.documents_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.documents_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.documents_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.documents_view.verticalHeader().hide()
        self.documents_view.setWordWrap(False)
        rows = self.documents_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.documents_view.fontMetrics().height() + 8)
        self.documents_view.selectionModel().currentRowChanged.connect(self._on_document_selected)
        self.documents_view.doubleClicked.connect(lambda _index: self.edit_document())
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(QLabel("<b>Documents</b>"))
        left_layout.addWidget(self.filter_edit)
        left_layout.addWidget(self.documents_view)

        self.document_header = QLabel()
        self.document_header.setWordWrap(True)
        self.document_header.setTextFormat(Qt.TextFormat.RichText)
        self.text_view = DocumentView()
        self.text_view.snap_words = self.settings.value("coding/snap_words", True, type=bool)
        self.text_view.click_selects_unit = self.settings.value(
            "coding/click_selects_sentence", False, type=bool
        )
        self.text_view.shortcutPressed.connect(self.code_with_key)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(6, 6, 6, 6)
        middle_layout.addWidget(self.document_header)
        middle_layout.addWidget(self.text_view)
        self.welcome = QTextBrowser()
        self.welcome.setOpenLinks(False)
        self.welcome.anchorClicked.connect(self._on_welcome_link)
        self.welcome.setAccessibleName("Welcome")
        self.centre = QStackedWidget()
        self.centre.addWidget(self.welcome)
        self.centre.addWidget(middle)

        self.codebook = CodebookPane(self.coding.run_undoable)
        self.codebook.codeActivated.connect(self.code_selection)
        self.codebook.tree.selectionDropped.connect(self.code_selection)
        self.codebook_model = self.codebook.model
        self.codebook_view = self.codebook.tree
        self.code_details = self.codebook.details
        right = self.codebook

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(right)
        self.splitter.setSizes([430, 520, 330])
        self.setCentralWidget(self.splitter)
        self.search = SearchPanel()
        self.search_dock = QDockWidget("Search", self)
        self.search_dock.setObjectName("search")
        self.search_dock.setWidget(self.search)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.search_dock.hide()
        self.coder_label = QLabel()
        self.coder_label.setAccessibleName("Who is coding")
        self.statusBar().addPermanentWidget(self.coder_label)
        self._apply_font_size()

    @property
    def project(self) -> Project | None:
        """The open project (its runner's), or ``None``."""
        return self.runner.project if self.runner is not None else None

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        docks = self.settings.value("window/state")
        if docks is not None:
            self.restoreState(docks)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.runner is not None and self.runner.jobs_of(self):  # an import or a search
            event.ignore()
            return
        if self.persist_layout:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/splitter", self.splitter.saveState())
            self.settings.setValue("window/state", self.saveState())
            self.settings.setValue("view/font_size", self.font_size)
        self.close_project()
        super().closeEvent(event)

    # ----- project lifecycle ---------------------------------------------------------------
    def open_project(self, path: str | Path, coder: str | None = None) -> bool:
        """Open a project file as ``coder`` (asked for when not given or remembered).

        Errors are shown, never raised. Returns False when nothing was opened.
        """
        if server_ops.is_server_url(path):  # password from the keyring, or asked
            from ketqual.gui.team import server_dialog  # only for server projects

            project = server_dialog.open_url(self, str(path))
            if project is None:
                return False
        else:
            path = self.packages.working_path(path)  # a coder package opens as its working copy
            if path is None:
                return False
            target = str(path)
            project = OperationRunner.attempt(
                lambda: project_ops.open_project(target), parent=self, title="Cannot open project"
            )
            if project is None:
                return False
        if not self.set_project(project, coder):
            return False
        self.remember(project.location)  # a server URL without its password
        return True

    def set_project(self, project: Project, coder: str | None = None) -> bool:
        """Work on an opened ``project`` as ``coder`` (asked for when not given or
        remembered): its runner is made here and handed to every window."""
        self.close_project()
        runner = OperationRunner(project, self)
        identity = self.menus.choose_coder(runner, coder)
        if identity is None:
            runner.close()
            runner.deleteLater()
            self.statusBar().showMessage("Nobody chose who is coding, so the project was closed")
            return False
        self.runner = runner
        runner.changed.connect(self.on_change)
        self.codebook.runner = runner
        self.coding.start(runner, identity)
        self.setWindowTitle(f"{self._project_name()} – KetQual")
        self.refresh()
        if self.documents_proxy.rowCount():
            self.documents_view.selectRow(0)
        else:
            self.show_document(None)
        if identity.role == "supervisor":
            self._show_supervisor_layers()
        self.offer_key_move()  # an old project's key table: a supervisor is asked once
        return True

    def _show_supervisor_layers(self) -> None:
        """A supervisor sees the coders' work, not their own empty layer: the consensus
        once it exists, else every coder side by side (only once unblinded)."""
        found = self.runner.query(
            lambda p: (coder_ops.blinding(p).unblinded, guide_ops.workflow_state(p)), parent=self
        )
        if found is None or not found[0]:
            return
        state = found[1]
        if state.consensus_codings:
            self.show_layers(["consensus"])
        elif state.coders:
            self.show_layers([c.name for c in state.coders])

    def close_project(self) -> None:
        """Close the open project (everything is already saved)."""
        if self.agreement is not None:
            self.agreement.close()
            self.agreement = None
        if self.consensus is not None:
            self.consensus.close()
            self.consensus = None
        if self.network is not None:
            self.network.close()
            self.network = None
        for attribute in ("agreement", "charting", "privacy"):
            if getattr(self, attribute) is not None:
                getattr(self, attribute).close()
                setattr(self, attribute, None)
        self.privacy_runner = None
        self.coding.stop()
        if self.runner is not None:
            self.runner.changed.disconnect(self.on_change)
            self.runner.close()
            self.runner.deleteLater()
            self.runner = None
            self.codebook.runner = None
        self.document_id = None
        self.update_actions()

    def _project_name(self) -> str:
        return self.runner.query(queries.project_name, parent=self) or "" if self.runner else ""

    def refresh(self) -> None:
        """Reload documents and codebook from the project."""
        if self.runner is None:
            return
        current = self.document_id
        self._reload_documents()
        self.coding.reload_codebook()
        self.coding.reload_progress()
        self._show_codebook()
        self._show_progress()
        if current is not None:
            self.select_document(current)
        self.menus.update_identity()
        self.update_actions()
        n = self.documents_model.rowCount()
        if n:
            self.centre.setCurrentIndex(1)
        else:  # an empty project: say what to do first, with the guide one click away
            self.welcome.setHtml(texts.empty_project_html())
            self.centre.setCurrentIndex(0)
        note = ""
        if self.packages.in_package:  # say so, or a coder wonders why the codebook is locked
            note = " · coder package: code and write memos; documents and codebook are read-only"
            self.setWindowTitle(f"{self._project_name()} (coder package) – KetQual")
        self.statusBar().showMessage(
            f"{n} document{'s' if n != 1 else ''} · {len(self.coding.codes)} codes · "
            f"{self.runner.location}{note}"
        )

    def _reload_documents(self) -> None:
        rows = self.runner.query(queries.list_documents, parent=self) if self.runner else None
        self.documents_model.set_documents(rows or [])

    def _show_codebook(self) -> None:
        self.codebook.set_codes(
            list(self.coding.codes.values()), self.coding.shown_counts, self.coding.counted()
        )
        self.search.set_codes(
            [(i, self.coding.paths[i]) for i, c in self.coding.codes.items() if c.active]
        )

    def _show_progress(self) -> None:
        state = self.coding.progress
        # A supervisor who codes nothing gets no empty column (the coders' need the room).
        working = {coder for _doc, coder in state["counts"]} | {c for _doc, c in state["done"]}
        coders = [
            c for c in self.coding.visible_coders() if c.role != "supervisor" or c.id in working
        ]
        self.documents_model.set_progress(coders, state["done"], state["counts"])

    def update_actions(self) -> None:
        """Turn the menu actions on or off for the project and document open now."""
        for act in self.project_actions:
            act.setEnabled(self.project is not None)
        has_doc = self.project is not None and self.document_id is not None
        for act in (self.edit_action, self.split_action, self.delete_action, self.done_action):
            act.setEnabled(has_doc)
        self.done_action.setChecked(self.coding.is_done())
        self.packages.update_actions()

    def _show_welcome(self) -> None:
        self.welcome.setHtml(texts.welcome_html())
        self.centre.setCurrentIndex(0)
        self.update_actions()

    def _on_welcome_link(self, url) -> None:
        {
            "new": self.new_project_dialog,
            "open": self.open_project_dialog,
            "guide": self.open_guide,
            "import": self.import_dialog,
        }.get(url.toString(), lambda: None)()

    def new_project_dialog(self) -> None:
        path, _ = files.save_file(self, "New project", "", PROJECT_FILTER)
        if not path:
            return
        project = OperationRunner.attempt(
            lambda: project_ops.new_project(path), parent=self, title="Cannot create project"
        )
        if project is not None and self.set_project(project):
            self.remember(project.location)

    def open_project_dialog(self) -> None:
        path = files.open_file(
            self, "Open project", PROJECT_FILTER + ";;Coder packages (*.kqpkg);;All files (*)"
        )
        if path:
            self.open_project(path)

    def remember(self, path: str) -> None:
        """Put a project's location at the top of File › Open recent."""
        recent = [p for p in self.recent_projects() if p != path]
        self.settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self.settings.setValue("last_project", path)
        self.refresh_recent()

    def recent_projects(self) -> list[str]:
        """The remembered projects, newest first (an INI file gives one path back as a string)."""
        recent = self.settings.value("recent", []) or []
        return [recent] if isinstance(recent, str) else list(recent)

    def refresh_recent(self) -> None:
        """Fill File › Open recent from the settings."""
        self.recent_menu.clear()
        recent = self.recent_projects()
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
        self.recent_menu.setEnabled(bool(recent))

    # ----- documents -----------------------------------------------------------------------
    def select_document(self, document_id: int) -> None:
        """Select and show a document by id."""
        row = self.documents_model.row_of(document_id)
        if row is None:
            return
        proxy_index = self.documents_proxy.mapFromSource(self.documents_model.index(row, 0))
        self.documents_view.setCurrentIndex(proxy_index)
        self.documents_view.scrollTo(proxy_index)
        self.show_document(document_id)

    def _on_document_selected(self, current, _previous) -> None:
        self.show_document(current.data(DOCUMENT_ID_ROLE) if current.isValid() else None)

    def show_document(self, document_id: int | None) -> None:
        """Show a document (its text, units and codings) without changing the list."""
        self.document_id = document_id
        if document_id is None or self.runner is None:
            self.document_header.setText(
                "<i>No document selected. Import notes with File › Import files (Ctrl+I).</i>"
            )
            self.coding.load_document(None)
            self.text_view.set_text("", [])
            self.text_view.set_codings([])
            self.update_actions()
            return
        record = self.documents_model.record_of(document_id)
        if record is not None:
            self.document_header.setText(texts.document_header_html(record))
        shown = self.runner.query(
            lambda p: (
                queries.document_text(p, document_id),
                queries.document_units(p, document_id, "sentence"),
            ),
            parent=self,
        )
        text, units = shown if shown is not None else ("", [])
        self.text_view.set_text(text, units)
        self.coding.load_document(document_id)
        self.text_view.set_codings(self.coding.shown_codings())
        self.text_view.set_hits(self.menus.hits_in(document_id))
        self.update_actions()

    # ----- coding ---------------------------------------------------------------------------
    def code_with_key(self, key: str) -> None:
        """Code the selection with the theme on number key ``key``."""
        code_id = self.coding.shortcut_code(key)
        if code_id is None:
            self.statusBar().showMessage(f"No theme is on key {key}", 5000)
            return
        self.code_selection(code_id)

    def code_selection(self, code_id: int) -> None:
        """Code the document's selection with ``code_id`` (double-click, drop, key, menu)."""
        if self.coding.apply_code(code_id, self.text_view.selected_span()):
            self.codebook.select_code(code_id)
            # Drop the selection so the new highlight shows at once.
            cursor = self.text_view.textCursor()
            cursor.clearSelection()
            self.text_view.setTextCursor(cursor)

    @Slot(object, object)
    def on_change(self, change: Change, initiator: object) -> None:
        """Show what an operation changed, from whichever window it came: only the parts
        of this window the change touched."""
        if self.runner is None:
            return
        ours = initiator is self or initiator is self.coding
        if change.touches(Area.PROJECT):  # blinding: whose layers may be shown changed
            self.refresh()
            self.show_document(self.document_id)
            if ours or initiator is None:
                self.statusBar().showMessage(change.summary, 8000)
            return
        self.coding.absorb(change)
        if change.touches(Area.DOCUMENTS):
            self._documents_changed(change if ours else None)
        elif ours and change.documents and self.document_id not in change.documents:
            # Undo or redo of work in another document: go there so the effect is seen.
            self.select_document(change.documents[0])
        elif change.touches(Area.CODINGS, Area.CODEBOOK, Area.PEOPLE, Area.PROJECT):
            delta = self.coding.take_delta()
            if delta is None:
                self.text_view.set_codings(self.coding.shown_codings())
            else:
                self.text_view.update_codings(*delta)
        if change.touches(Area.CODEBOOK, Area.PEOPLE, Area.PROJECT):
            self._show_codebook()
            self.menus.update_identity()
        elif change.touches(Area.CODINGS):
            self.codebook.model.set_counts(self.coding.shown_counts)
        if change.touches(Area.CODINGS, Area.DOCUMENTS, Area.PEOPLE, Area.PROJECT):
            self._show_progress()
        self.update_actions()
        if ours or initiator is None:
            self.statusBar().showMessage(change.summary, 8000)

    def _documents_changed(self, change: Change | None) -> None:
        """Re-read the documents list and show the document this window's change is about
        (an edited or split one), else the one shown before if it is still there."""
        current = self.document_id
        self._reload_documents()
        self._show_progress()
        about = change.documents[:1] if change is not None else ()
        for wanted in (*about, current):
            if wanted is not None and self.documents_model.row_of(wanted) is not None:
                self.select_document(wanted)
                return
        self.show_document(None)

    def show_layers(self, names: list[str]) -> None:
        """Show these coders' layers ("Consensus" for the consensus layer)."""
        if self.runner is None:
            return

        def layers_of(project: Project) -> list[int | None]:
            return [
                None if name.casefold() == "consensus" else coder_ops.find_coder(project, name).id
                for name in names
            ]

        layers = self.runner.query(layers_of, parent=self)
        if layers is None:
            return
        self.coding.set_layers(layers)
        self.text_view.set_codings(self.coding.shown_codings())
        self._show_codebook()

    def set_snap(self, on: bool) -> None:
        """Edit › Snap selections to whole words."""
        self.text_view.snap_words = on
        self.settings.setValue("coding/snap_words", on)

    def set_unit_click(self, on: bool) -> None:
        """Edit › A click selects the whole sentence."""
        self.text_view.click_selects_unit = on
        self.settings.setValue("coding/click_selects_sentence", on)

    def current_record(self):
        """The shown document's record (``None`` for none)."""
        return self.documents_model.record_of(self.document_id)

    def _run(self, operation) -> None:
        if self.runner is not None:
            self.runner.run(operation, parent=self, initiator=self)

    def edit_document(self) -> None:
        """Document › Edit details."""
        record = self.current_record()
        if record is None:
            return
        from ketqual.gui.coding.document_dialog import DocumentDialog
        from ketqual.ops.importing import document_ops

        dialog = DocumentDialog(record, self)
        if dialog.exec() and dialog.changes():
            fields = dialog.changes()
            self._run(lambda p: document_ops.update_document(p, record.id, **fields))

    def split_document(self) -> None:
        """Document › Split at group headings."""
        from ketqual.ops.importing import document_ops

        record = self.current_record()
        if record is not None:
            self._run(lambda p: document_ops.split_document(p, record.id))

    def delete_document(self) -> None:
        """Document › Delete document (asks first)."""
        record = self.current_record()
        if record is None:
            return
        answer = QMessageBox.question(
            self, "Delete document", f"Delete '{record.meta.title}' from the project?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            from ketqual.ops.importing import document_ops

            self._run(lambda p: document_ops.delete_document(p, record.id, confirm=True))

    # ----- import ---------------------------------------------------------------------------
    def import_dialog(self) -> None:
        """Ask for files and options, then import them off the GUI thread."""
        self.imports.ask()

    def start_import(
        self, files: list[Path], options: import_ops.ImportOptions, reimport: bool = False
    ) -> None:
        """Import ``files`` in a worker thread with a progress dialog and cancel button."""
        self.imports.start(files, options, reimport)

    # ----- codebook -------------------------------------------------------------------------
    def export_codebook(self) -> None:
        path, _ = files.save_file(self, "Export codebook", "codebook.json", "Codebook (*.json)")
        if path and self.runner is not None:
            from ketqual.gui.privacy.export_guard import run_export

            me = self.coding.coder.name if self.coding.coder else None
            written = run_export(
                self.runner,
                lambda p, check: codebook_ops.export_codebook(p, Path(path), check=check, actor=me),
                who=me,
                parent=self,
            )
            if written is not None:
                self.statusBar().showMessage(f"Codebook written to {written}", 8000)

    def import_codebook(self) -> None:
        """Codebook › Import from JSON."""
        path = files.open_file(self, "Import codebook", "Codebook (*.json)")
        if path:
            self._run(lambda p: codebook_ops.import_codebook(p, Path(path)))

    # ----- view -----------------------------------------------------------------------------
    def change_font(self, step: int) -> None:
        """View › Larger / Smaller text."""
        self.font_size = max(8, min(32, self.font_size + step))
        self._apply_font_size()

    def _apply_font_size(self) -> None:
        font = self.text_view.font()
        font.setPointSize(self.font_size)
        self.text_view.setFont(font)

    def about(self) -> None:
        from ketqual.gui.help.about_dialog import AboutDialog  # reads licence metadata: on demand

        dialog = AboutDialog(__version__, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
