"""The coded-passages window: every passage of the chosen codes across the project.

Tick codes (a theme brings its subthemes; untick the ones you do not want), choose a layer,
combine with a second code (AND overlapping, NOT, NEAR within N sentences), filter by
session, group, document kind, any attribute or words, and press Find. Each passage shows
with its context, focus group, participants, codes and memos; double-click (or Enter)
shows it in the document. A supervisor stars quotes for the theme report (S). Export the
list to docx (quotes with references), xlsx, CSV or JSON.

Searching and exporting run off the GUI thread through the operation runner.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.retrieval import PassageList, PassageQuery, RetrievedPassage
from ketqual.gui import files
from ketqual.gui.privacy.export_guard import run_export_in_background
from ketqual.gui.retrieval.passages_models import PASSAGE_ROLE, CodeChoiceModel, PassagesModel
from ketqual.gui.runner import OperationRunner
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.changes import Area, Change
from ketqual.ops.retrieval import passage_ops, star_ops
from ketqual.ops.retrieval.passage_ops import SearchOptions

EXPORT_FILTERS = {
    "Word document: quotes with references (*.docx)": "docx",
    "Excel workbook (*.xlsx)": "xlsx",
    "CSV (*.csv)": "csv",
    "JSON (*.json)": "json",
}
ANY = "(any)"
# Changes that can change which passages there are, or what they show.
RELEVANT = (Area.CODINGS, Area.CONSENSUS, Area.CODEBOOK, Area.ATTRIBUTES, Area.DOCUMENTS)


class PassagesWindow(QMainWindow):
    """Coded passages across the project.

    Args:
        runner: The app's operation runner for this project.
        viewer: The person using the app (a coder's name); blinding follows them.
        parent: Parent widget.

    Signals:
        openPassage(int, int, int, str): document id, start, end and layer name of a
            passage to show in the main window.
        found(object): a search finished with this :class:`PassageList`.
    """

    openPassage = Signal(int, int, int, str)  # noqa: N815 - Qt naming
    found = Signal(object)

    def __init__(self, runner: OperationRunner, viewer: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer.strip() or None
        self.options: SearchOptions | None = None
        self.result: PassageList | None = None
        self.query: PassageQuery | None = None
        self.job = None
        self._pending: PassageQuery | None = None
        self._preset_title = ""
        self.setWindowTitle("Coded passages")
        self.resize(1280, 720)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included
        self._build()
        runner.changed.connect(self._on_change)
        self._refresh_timer = QTimer(self, singleShot=True, interval=300)
        self._refresh_timer.timeout.connect(self._rerun)
        self.load_options()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.codes = CodeChoiceModel(self)
        self.code_tree = QTreeView()
        self.code_tree.setModel(self.codes)
        self.code_tree.setHeaderHidden(True)
        self.code_tree.setAccessibleName("Codes to retrieve")
        self.code_tree.setToolTip(
            "Tick the codes whose passages you want; a theme brings its subthemes"
        )

        self.layer_box = QComboBox(accessibleName="Layer")
        self.operator_box = QComboBox(accessibleName="Combine with")
        self.operator_box.addItem("nothing else", None)
        self.operator_box.addItem("AND (overlapping)", "and")
        self.operator_box.addItem("NOT (never overlapping)", "not")
        self.operator_box.addItem("NEAR (within sentences)", "near")
        self.other_box = QComboBox(accessibleName="Second code")
        self.within_spin = QSpinBox(accessibleName="Sentences apart")
        self.within_spin.setRange(0, passage_ops.MAX_WITHIN)
        self.within_spin.setValue(1)
        self.within_spin.setSuffix(" sentence(s)")
        self.operator_box.currentIndexChanged.connect(self._operator_changed)

        self.filter_boxes: dict[str, QComboBox] = {}
        self.attribute_box = QComboBox(accessibleName="Attribute")
        self.value_box = QComboBox(accessibleName="Attribute value")
        self.attribute_box.currentIndexChanged.connect(self._attribute_changed)
        self.contains_edit = QLineEdit(
            placeholderText="words in the passage", clearButtonEnabled=True
        )
        self.contains_edit.setAccessibleName("Text contains")
        self.contains_edit.returnPressed.connect(self.search)
        self.find_button = QPushButton("&Find")
        self.find_button.setDefault(True)
        self.find_button.clicked.connect(self.search)

        combine = QGroupBox("Combine")
        form = QFormLayout(combine)
        form.addRow("With:", self.operator_box)
        form.addRow("Code B:", self.other_box)
        form.addRow("Within:", self.within_spin)
        filters = QGroupBox("Filters")
        self.filter_form = QFormLayout(filters)
        self.filter_form.addRow("&Layer:", self.layer_box)
        for key, label in (("session", "Session"), ("group", "Group"), ("kind", "Kind")):
            box = QComboBox(accessibleName=label)
            self.filter_boxes[key] = box
            self.filter_form.addRow(f"{label}:", box)
        self.filter_form.addRow("Attribute:", self.attribute_box)
        self.filter_form.addRow("Value:", self.value_box)
        self.filter_form.addRow("Contains:", self.contains_edit)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(QLabel("<b>Codes</b>"))
        left_layout.addWidget(self.code_tree, 1)
        left_layout.addWidget(combine)
        left_layout.addWidget(filters)
        left_layout.addWidget(self.find_button)

        self.title = QLabel("Tick codes and press Find.")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("What is listed")
        self.message = message_label("Coded passages message")
        self.model = PassagesModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Coded passages")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((28, 130, 92, 100, 420, 210, 140)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Passage in context")
        self.star_button = QPushButton("&Star for the report")
        self.star_button.setToolTip("Star (or unstar) the quote for the theme report (S)")
        self.star_button.clicked.connect(self.toggle_star)
        self.open_button = QPushButton("Show in &document")
        self.open_button.clicked.connect(lambda: self._open_index(self.table.currentIndex()))
        self.export_button = QPushButton("&Export…")
        self.export_button.clicked.connect(self._ask_export)
        self.show_all_button = QPushButton("Show &all passages of these codes")
        self.show_all_button.clicked.connect(self.search)
        self.show_all_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.star_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_all_button)
        buttons.addWidget(self.export_button)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([440, 170])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 6, 6, 6)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.message)
        right_layout.addWidget(splitter, 1)
        right_layout.addLayout(buttons)

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setStretchFactor(1, 1)
        main.setSizes([300, 980])
        self.setCentralWidget(main)
        QShortcut(QKeySequence("S"), self.table, activated=self.toggle_star)
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.table,
            activated=lambda: self._open_index(self.table.currentIndex()),
        )
        QShortcut(QKeySequence.StandardKey.Refresh, self, activated=self._rerun)
        self._set_actions()

    # -- options ---------------------------------------------------------------------------

    def load_options(self) -> None:
        """Read codes, layers and attribute values (quick; on the GUI thread)."""
        options = self.runner.query(
            lambda p: passage_ops.search_options(p, viewer=self.viewer), parent=self
        )
        if options is None:
            return
        self.options = options
        self.codes.set_codes(options.codes)
        self.code_tree.expandAll()
        keep = self.layer_box.currentData()
        self.layer_box.clear()
        for name, label in options.layers:
            self.layer_box.addItem(label, name)
        self.layer_box.setCurrentIndex(max(self.layer_box.findData(keep), 0))
        keep = self.other_box.currentData()
        self.other_box.clear()
        for code in options.codes:
            self.other_box.addItem(options.labels[code.id], code.id)
        self.other_box.setCurrentIndex(max(self.other_box.findData(keep), 0))
        values = {key: vals for key, _label, vals in options.attributes}
        for key, box in self.filter_boxes.items():
            keep = box.currentText()
            box.clear()
            box.addItem(ANY)
            box.addItems(list(values.get(key, ())))
            box.setCurrentIndex(max(box.findText(keep), 0))
        keep = self.attribute_box.currentData()
        self.attribute_box.blockSignals(True)
        self.attribute_box.clear()
        self.attribute_box.addItem(ANY, None)
        for key, label, _vals in options.attributes:
            if key not in self.filter_boxes:
                self.attribute_box.addItem(label, key)
        self.attribute_box.setCurrentIndex(max(self.attribute_box.findData(keep), 0))
        self.attribute_box.blockSignals(False)
        self._attribute_changed()
        self._operator_changed()
        if not options.layers:
            self._show_message(
                "The project is blinded and you have no layer of your own to retrieve from; "
                "a supervisor can unblind it."
            )
        self._set_actions()

    @Slot()
    def _operator_changed(self) -> None:
        operator = self.operator_box.currentData()
        self.other_box.setEnabled(operator is not None)
        self.within_spin.setEnabled(operator == "near")

    @Slot()
    def _attribute_changed(self) -> None:
        key = self.attribute_box.currentData()
        self.value_box.clear()
        self.value_box.setEnabled(key is not None)
        if key is None or self.options is None:
            return
        for k, _label, values in self.options.attributes:
            if k == key:
                self.value_box.addItems(list(values))

    # -- searching -------------------------------------------------------------------------

    def current_query(self) -> PassageQuery | None:
        """The query the controls describe (``None`` when no code is ticked)."""
        codes = self.codes.chosen()
        if not codes:
            return None
        where = [
            (key, box.currentText())
            for key, box in self.filter_boxes.items()
            if box.currentText() and box.currentText() != ANY
        ]
        key = self.attribute_box.currentData()
        if key is not None and self.value_box.currentText():
            where.append((key, self.value_box.currentText()))
        operator = self.operator_box.currentData()
        return PassageQuery(
            codes=tuple(codes),
            include_subthemes=False,  # the ticks say exactly which codes
            layer=self.layer_box.currentData() or passage_ops.CONSENSUS,
            operator=operator,
            other=(self.other_box.currentData(),) if operator else (),
            within=self.within_spin.value(),
            where=tuple(where),
            contains=self.contains_edit.text(),
        )

    @Slot()
    def search(self) -> None:
        """Find the passages the controls describe."""
        query = self.current_query()
        if query is None:
            self._show_message("Tick at least one code.")
            return
        self.run_query(query)

    def run_query(self, query: PassageQuery, *, title: str = "") -> None:
        """Retrieve in the background and show the result (``title`` names a preset list,
        such as a crosstab cell)."""
        if self.job is not None:
            self._pending = query
            return
        self.query = query
        self._preset_title = title
        self.find_button.setEnabled(False)
        self.statusBar().showMessage("Finding passages…")
        viewer = self.viewer
        self.job = self.runner.run_in_background(
            lambda project, _progress: passage_ops.find_passages(project, query, viewer=viewer),
            parent=self,
            label="Finding coded passages…",
            on_done=self._show_result,
            on_error=self._search_failed,
            initiator=self,
        )

    def show_query(self, query: PassageQuery, title: str = "") -> None:
        """Show a given query's passages (the crosstab opens a cell this way) and tick its
        codes."""
        ids = [c for c in query.codes if isinstance(c, int)]
        if ids:
            self.codes.tick(ids)
            self.code_tree.expandAll()
        index = self.layer_box.findData(query.layer)
        if index >= 0:
            self.layer_box.setCurrentIndex(index)
        self.run_query(query, title=title)

    def _finish_job(self) -> None:
        self.job = None
        self.find_button.setEnabled(True)
        self.statusBar().clearMessage()
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self.run_query(pending)

    def _show_result(self, result: PassageList) -> None:
        self.result = result
        self.model.set_passages(result.passages)
        preset = self._preset_title
        self.title.setText(f"<b>{escape(preset or result.title())}</b>")
        self.show_all_button.setVisible(self.query is not None and self.query.only is not None)
        if result.message:
            self._show_message(result.message)
        else:
            self.message.hide()
        if result.passages:
            self.table.selectRow(0)
        else:
            self.detail.clear()
        self._set_actions()
        self.found.emit(result)
        self._finish_job()

    def _search_failed(self, message: str) -> None:
        self.result = None
        self.model.set_passages([])
        self.title.setText("No passages listed.")
        self._show_message(message)
        self._set_actions()
        self._finish_job()

    def _show_message(self, text: str) -> None:
        self.message.setText(text[:1].upper() + text[1:])
        self.message.show()

    @Slot(object, object)
    def _on_change(self, change: Change, initiator: object) -> None:
        if initiator is self or not change.touches(*RELEVANT):
            return
        if change.touches(Area.CODEBOOK, Area.ATTRIBUTES, Area.DOCUMENTS):
            self.load_options()
        if self.query is not None:
            self._refresh_timer.start()

    @Slot()
    def _rerun(self) -> None:
        if self.query is not None:
            self.run_query(self.query, title=self._preset_title)

    # -- one passage ----------------------------------------------------------------------

    def current_passage(self) -> RetrievedPassage | None:
        """The passage selected in the list."""
        index = self.table.currentIndex()
        return index.data(PASSAGE_ROLE) if index.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        p = current.data(PASSAGE_ROLE) if current.isValid() else None
        self._set_actions()
        if p is None:
            self.detail.clear()
            return
        facts = [
            f"<b>{escape(p.ref)}</b>",
            escape(p.document),
            f"line {p.line}",
        ]
        if p.participants:
            facts.append("participants: " + escape(", ".join(p.participants)))
        codes = "; ".join(escape(c) for c in p.codes)
        memos = "".join(f"<li>{escape(m)}</li>" for m in p.memos)
        self.detail.setHtml(
            f"<p>{' · '.join(facts)}{' · ★ starred' if p.starred else ''}</p>"
            f"<p><span style='color:#666'>{escape(p.before)}</span> "
            f"<b style='background:#fff3a8'>{escape(' '.join(p.text.split()))}</b> "
            f"<span style='color:#666'>{escape(p.after)}</span></p>"
            f"<p><b>Codes:</b> {codes}</p>"
            + (f"<p><b>Memos:</b></p><ul>{memos}</ul>" if memos else "")
        )

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        p = index.data(PASSAGE_ROLE) if index.isValid() else None
        if p is not None and self.result is not None:
            self.openPassage.emit(p.document_id, p.start, p.end, self.result.layer)

    @Slot()
    def toggle_star(self) -> None:
        """Star the selected quote for the theme report, or take its star away."""
        p = self.current_passage()
        if p is None:
            return
        if self.options is not None and not self.options.supervisor:
            self._show_message("Only a supervisor stars quotes for the theme report.")
            return
        row = self.table.currentIndex().row()
        change = self.runner.run(
            lambda project: star_ops.set_star(
                project,
                document_id=p.document_id,
                start=p.start,
                end=p.end,
                code_id=p.code_id,
                starred=not p.starred,
                by=self.viewer,
            ),
            parent=self,
            initiator=self,
        )
        if change is not None and change.details.get("changed"):
            self.model.replace(row, replace(p, starred=not p.starred))
            self._show_detail(self.table.currentIndex(), QModelIndex())
            self._set_actions()
            self.statusBar().showMessage(change.summary, 6000)

    def _set_actions(self) -> None:
        current = self.current_passage()
        has = current is not None
        self.star_button.setText(
            "Take the &star away"
            if current is not None and current.starred
            else "&Star for the report"
        )
        self.star_button.setEnabled(has and bool(self.options and self.options.supervisor))
        self.open_button.setEnabled(has)
        self.export_button.setEnabled(bool(self.result and self.result.passages))

    # -- export ----------------------------------------------------------------------------

    @Slot()
    def _ask_export(self) -> None:
        path, chosen = files.save_file(
            self, "Export coded passages", "coded-passages.docx", ";;".join(EXPORT_FILTERS)
        )
        if path:
            self.export_to(path, EXPORT_FILTERS.get(chosen))

    def export_to(self, path: str, fmt: str | None = None):
        """Write the listed passages (docx, xlsx, csv or json) in the background, after
        the identifier check (a supervisor may let a blocked export through)."""
        if self.result is None:
            return None
        path, fmt = files.with_format(path, fmt, passage_ops.FORMATS)
        result = self.result
        viewer = self.viewer
        return run_export_in_background(
            self.runner,
            lambda project, _progress, check: passage_ops.export_passages(
                project, result, path, fmt=fmt, actor=viewer, check=check
            ),
            who=viewer,
            parent=self,
            label="Writing the coded passages…",
            on_done=lambda change: self.statusBar().showMessage(
                f"Wrote {change.details['path']}", 10_000
            ),
            initiator=self,
        )

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().closeEvent(event)
