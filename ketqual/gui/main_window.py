"""The main window: documents on the left, the document in the middle, the codebook right."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QSortFilterProxyModel, Qt, QThread, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ketqual import __version__
from ketqual.gui import texts
from ketqual.gui.codebook_model import CodebookModel
from ketqual.gui.document_dialog import DocumentDialog
from ketqual.gui.documents_model import DOCUMENT_ID_ROLE, DocumentsModel
from ketqual.gui.import_dialogs import ImportOptionsDialog, ImportResultsDialog
from ketqual.gui.import_worker import ImportWorker
from ketqual.gui.offsets import OffsetMap
from ketqual.ops import codebook_ops, document_ops, import_ops, project_ops, queries
from ketqual.ops.errors import OperationError

FILE_FILTER = (
    "Notes and feedback (*.txt *.md *.docx *.odt *.rtf *.pdf *.csv *.tsv *.xlsx);;All files (*)"
)
PROJECT_FILTER = "KetQual projects (*.ketqual)"
MAX_RECENT = 8


class MainWindow(QMainWindow):
    """KetQual's main window. Holds the open project; every change goes through ``ops``."""

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.persist_layout = True  # off for throw-away windows (screenshots)
        self.project = None
        self._document_id: int | None = None
        self._font_size = int(self.settings.value("view/font_size", 12))
        self._thread: QThread | None = None
        self._import = None  # (worker, thread, progress dialog, options) while importing
        self.setWindowTitle("KetQual")
        self.resize(1280, 800)
        self._build_panes()
        self._build_menus()
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
        self.documents_view = QTableView()
        self.documents_view.setAccessibleName("Documents")
        self.documents_view.setModel(self.documents_proxy)
        self.documents_view.setSortingEnabled(True)
        self.documents_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.documents_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.documents_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.documents_view.verticalHeader().hide()
        self.documents_view.setWordWrap(False)
        header = self.documents_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
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
        self.text_view = QPlainTextEdit(readOnly=True)
        self.text_view.setAccessibleName("Document text")
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
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

        self.codebook_model = CodebookModel(self)
        self.codebook_view = QTreeView()
        self.codebook_view.setAccessibleName("Codebook")
        self.codebook_view.setModel(self.codebook_model)
        self.codebook_view.setUniformRowHeights(True)
        self.codebook_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.codebook_view.header().setStretchLastSection(False)
        self.codebook_view.selectionModel().currentChanged.connect(self._on_code_selected)
        self.code_details = QTextBrowser()
        self.code_details.setAccessibleName("Code definition")
        self.code_details.setHtml(texts.CODE_HINT)
        right = QSplitter(Qt.Orientation.Vertical)
        codebook_box = QWidget()
        codebook_layout = QVBoxLayout(codebook_box)
        codebook_layout.setContentsMargins(0, 6, 6, 0)
        codebook_layout.addWidget(QLabel("<b>Codebook</b>"))
        codebook_layout.addWidget(self.codebook_view)
        right.addWidget(codebook_box)
        right.addWidget(self.code_details)
        right.setSizes([480, 260])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.centre)
        self.splitter.addWidget(right)
        self.splitter.setSizes([430, 520, 330])
        self.setCentralWidget(self.splitter)
        self._apply_font_size()

    def _build_menus(self) -> None:
        def action(menu, text, slot, shortcut=None, checkable=False):
            act = QAction(text, self, checkable=checkable)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file_menu = self.menuBar().addMenu("&File")
        action(file_menu, "&New project…", self.new_project_dialog, QKeySequence.StandardKey.New)
        action(file_menu, "&Open project…", self.open_project_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        file_menu.addSeparator()
        self.import_action = action(file_menu, "&Import files…", self.import_dialog, "Ctrl+I")
        file_menu.addSeparator()
        action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        doc_menu = self.menuBar().addMenu("&Document")
        self.edit_action = action(doc_menu, "&Edit details…", self.edit_document, "F2")
        self.split_action = action(doc_menu, "&Split at group headings", self.split_document)
        self.delete_action = action(doc_menu, "&Delete document…", self.delete_document)

        codebook_menu = self.menuBar().addMenu("&Codebook")
        self.export_codebook_action = action(
            codebook_menu, "&Export as JSON…", self.export_codebook
        )
        self.import_codebook_action = action(
            codebook_menu, "&Import from JSON…", self.import_codebook
        )

        view_menu = self.menuBar().addMenu("&View")
        self.units_action = action(
            view_menu, "Show &sentence units", self._show_document_text, "Ctrl+U", checkable=True
        )
        action(
            view_menu,
            "&Larger text",
            lambda: self._change_font(+1),
            QKeySequence.StandardKey.ZoomIn,
        )
        action(
            view_menu,
            "&Smaller text",
            lambda: self._change_font(-1),
            QKeySequence.StandardKey.ZoomOut,
        )

        help_menu = self.menuBar().addMenu("&Help")
        action(help_menu, "&About KetQual", self.about)
        self._project_actions = [
            self.import_action,
            self.edit_action,
            self.split_action,
            self.delete_action,
            self.export_codebook_action,
            self.import_codebook_action,
        ]
        self._refresh_recent()

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._thread is not None:
            event.ignore()
            return
        if self.persist_layout:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/splitter", self.splitter.saveState())
            self.settings.setValue("view/font_size", self._font_size)
        self.close_project()
        super().closeEvent(event)

    # ----- project lifecycle ---------------------------------------------------------------
    def open_project(self, path: str | Path) -> bool:
        """Open a project file; errors are shown, never raised."""
        try:
            project = project_ops.open_project(str(path))
        except OperationError as exc:
            QMessageBox.warning(self, "Cannot open project", str(exc))
            return False
        self._set_project(project)
        self._remember(str(path))
        return True

    def _set_project(self, project) -> None:
        self.close_project()
        self.project = project
        self.setWindowTitle(f"{queries.project_name(project)} – KetQual")
        self.refresh()
        self.centre.setCurrentIndex(1)
        if self.documents_proxy.rowCount():
            self.documents_view.selectRow(0)
        else:
            self._show_document(None)

    def close_project(self) -> None:
        """Close the open project (everything is already saved)."""
        if self.project is not None:
            self.project.close()
            self.project = None
        self._document_id = None
        self._update_actions()

    def refresh(self) -> None:
        """Reload documents and codebook from the project."""
        if self.project is None:
            return
        current = self._document_id
        self.documents_model.set_documents(queries.list_documents(self.project))
        codes, counts = queries.list_codes(self.project)
        self.codebook_model.set_codes(codes, counts)
        self.codebook_view.expandAll()
        self.codebook_view.resizeColumnToContents(1)
        self.codebook_view.resizeColumnToContents(2)
        if current is not None:
            self.select_document(current)
        n = self.documents_model.rowCount()
        self.statusBar().showMessage(
            f"{n} document{'s' if n != 1 else ''} · {len(codes)} codes · {self.project.location}"
        )
        self._update_actions()

    def _update_actions(self) -> None:
        for act in self._project_actions:
            act.setEnabled(self.project is not None)
        has_doc = self.project is not None and self._document_id is not None
        for act in (self.edit_action, self.split_action, self.delete_action):
            act.setEnabled(has_doc)

    def _show_welcome(self) -> None:
        self.welcome.setHtml(texts.welcome_html())
        self.centre.setCurrentIndex(0)
        self._update_actions()

    def _on_welcome_link(self, url) -> None:
        {"new": self.new_project_dialog, "open": self.open_project_dialog}.get(
            url.toString(), lambda: None
        )()

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", "", PROJECT_FILTER)
        if not path:
            return
        try:
            project = project_ops.new_project(path)
        except OperationError as exc:
            QMessageBox.warning(self, "Cannot create project", str(exc))
            return
        self._set_project(project)
        self._remember(project.location)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", PROJECT_FILTER + ";;All files (*)"
        )
        if path:
            self.open_project(path)

    def _remember(self, path: str) -> None:
        recent = [p for p in (self.settings.value("recent", []) or []) if p != path]
        self.settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self.settings.setValue("last_project", path)
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.value("recent", []) or []
        if isinstance(recent, str):
            recent = [recent]
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
        self._show_document(document_id)

    def _on_document_selected(self, current, _previous) -> None:
        self._show_document(current.data(DOCUMENT_ID_ROLE) if current.isValid() else None)

    def _show_document(self, document_id: int | None) -> None:
        self._document_id = document_id
        self._update_actions()
        if document_id is None or self.project is None:
            self.document_header.setText(
                "<i>No document selected. Import notes with File › Import files (Ctrl+I).</i>"
            )
            self.text_view.clear()
            return
        record = self.documents_model.record_of(document_id)
        if record is not None:
            self.document_header.setText(texts.document_header_html(record))
        self._show_document_text()

    def _show_document_text(self) -> None:
        if self._document_id is None or self.project is None:
            return
        text = queries.document_text(self.project, self._document_id)
        self.text_view.setPlainText(text)
        selections = []
        if self.units_action.isChecked():
            offsets = OffsetMap(text)
            shades = (QColor("#E8EEF7"), QColor("#F7F0E0"))
            units = queries.document_units(self.project, self._document_id, "sentence")
            for i, unit in enumerate(units):
                selection = QTextEdit.ExtraSelection()
                fmt = QTextCharFormat()
                fmt.setBackground(shades[i % 2])
                selection.format = fmt
                cursor = QTextCursor(self.text_view.document())
                cursor.setPosition(offsets.to_qt(unit.start))
                cursor.setPosition(offsets.to_qt(unit.end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
        self.text_view.setExtraSelections(selections)

    def _current_record(self):
        return self.documents_model.record_of(self._document_id)

    def edit_document(self) -> None:
        record = self._current_record()
        if record is None:
            return
        dialog = DocumentDialog(record, self)
        if dialog.exec() and dialog.changes():
            self._run(
                lambda: document_ops.update_document(self.project, record.id, **dialog.changes())
            )

    def split_document(self) -> None:
        record = self._current_record()
        if record is not None:
            self._run(lambda: document_ops.split_document(self.project, record.id))

    def delete_document(self) -> None:
        record = self._current_record()
        if record is None:
            return
        answer = QMessageBox.question(
            self, "Delete document", f"Delete '{record.meta.title}' from the project?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._document_id = None
            self._run(lambda: document_ops.delete_document(self.project, record.id, confirm=True))

    def _run(self, operation) -> None:
        """Run an operation, show its error if it fails, refresh, report its summary."""
        try:
            change = operation()
        except OperationError as exc:
            QMessageBox.warning(self, "Not done", str(exc))
            return
        self.refresh()
        if change.documents and self.documents_model.row_of(change.documents[0]) is not None:
            self.select_document(change.documents[0])
        self.statusBar().showMessage(change.summary, 8000)

    # ----- import ---------------------------------------------------------------------------
    def import_dialog(self) -> None:
        if self.project is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Import files", "", FILE_FILTER)
        if not paths:
            return
        files = [Path(p) for p in paths]
        options = ImportOptionsDialog(files, self)
        if options.exec():
            self.start_import(files, options.options())

    def start_import(
        self, files: list[Path], options: import_ops.ImportOptions, reimport: bool = False
    ) -> None:
        """Import ``files`` in a worker thread with a progress dialog and cancel button."""
        progress = QProgressDialog("Importing…", "Cancel", 0, len(files), self)
        progress.setWindowTitle("Import")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        worker = ImportWorker(self.project.location, files, options, reimport)
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Bound slots of this window (a GUI-thread object): Qt queues the calls to the GUI
        # thread. Lambdas here would run in the worker thread and touch widgets from there.
        worker.progress.connect(self._on_import_progress)
        worker.finished.connect(self._on_import_finished)
        worker.failed.connect(self._on_import_failed)
        progress.canceled.connect(worker.cancel)
        self._import = (worker, thread, progress, options)
        self._thread = thread
        thread.start()

    @Slot(int, int, str)
    def _on_import_progress(self, done: int, total: int, name: str) -> None:
        _worker, _thread, progress, _options = self._import
        progress.setValue(done)
        if name:
            progress.setLabelText(f"Importing {name}…")

    def _end_import(self) -> import_ops.ImportOptions:
        _worker, thread, progress, options = self._import
        progress.close()
        thread.quit()
        thread.wait()
        self._thread = None
        self._import = None
        return options

    @Slot(object)
    def _on_import_finished(self, report: import_ops.ImportReport) -> None:
        options = self._end_import()
        self.refresh()
        if report.document_ids:
            self.select_document(report.document_ids[0])
        self.last_import_report = report
        dialog = ImportResultsDialog(report, self)
        if dialog.exec() and dialog.duplicates:
            self.start_import(dialog.duplicates, options, reimport=True)

    @Slot(str)
    def _on_import_failed(self, reason: str) -> None:
        self._end_import()
        QMessageBox.warning(self, "Import failed", reason)

    # ----- codebook -------------------------------------------------------------------------
    def _on_code_selected(self, current, _previous) -> None:
        code = self.codebook_model.code_at(current)
        self.code_details.setHtml(texts.code_details_html(code) if code else texts.CODE_HINT)

    def export_codebook(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export codebook", "codebook.json", "Codebook (*.json)"
        )
        if path:
            try:
                codebook_ops.export_codebook(self.project, Path(path))
            except OSError as exc:
                QMessageBox.warning(self, "Export failed", str(exc))
                return
            self.statusBar().showMessage(f"Codebook written to {path}", 8000)

    def import_codebook(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import codebook", "", "Codebook (*.json)")
        if path:
            self._run(lambda: codebook_ops.import_codebook(self.project, Path(path)))

    # ----- view -----------------------------------------------------------------------------
    def _change_font(self, step: int) -> None:
        self._font_size = max(8, min(32, self._font_size + step))
        self._apply_font_size()

    def _apply_font_size(self) -> None:
        font = self.text_view.font()
        font.setPointSize(self._font_size)
        self.text_view.setFont(font)

    def about(self) -> None:
        QMessageBox.about(self, "About KetQual", texts.about_html(__version__))
