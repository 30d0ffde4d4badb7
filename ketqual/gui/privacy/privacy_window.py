"""The identifier review: every suggestion in its context, decided one by one or per name.

The top bar holds the key file (open or new, and adding a roster to it); without the key
file the review still works, but replacing needs it, since it holds the tokens. "Find
identifiers" looks through the documents that have no codings yet (off the GUI thread);
"Replace accepted" rewrites them with their tokens. On the left the suggestions, filtered
by decision; on the right the document with the suggestion highlighted, replaced words
shown as tokens in their own colour, and the decision buttons. Selecting words in the
document and pressing "Add as identifier" adds one the detector missed.

Keys: Ctrl+1 accept, Ctrl+2 not an identifier, Ctrl+3 undecide, Ctrl+Shift+1 accept every
one of this name, Alt+Down / Alt+Up next and previous.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.privacy import kinds
from ketqual.gui import files
from ketqual.gui.offsets import OffsetMap
from ketqual.gui.privacy import key_dialogs
from ketqual.gui.privacy.identifiers_model import ROW_ROLE, IdentifiersModel
from ketqual.gui.runner import OperationRunner
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.changes import Area, Change
from ketqual.ops.privacy import key_ops, review_ops
from ketqual.ops.privacy.key_ops import KeySession

FILTERS = (
    ("To decide", ("pending",)),
    ("Accepted, not yet replaced", ("accepted",)),
    ("Not identifiers", ("rejected",)),
    ("Replaced", ("applied",)),
    ("All", None),
)
HIT_BACKGROUND = QColor("#EECC66")  # Paul Tol: the suggestion looked at
OTHER_BACKGROUND = QColor("#FFF2CC")  # other suggestions in the document
TOKEN_BACKGROUND = QColor("#BBCCEE")  # text already replaced: visibly a token
TOKEN_FOREGROUND = QColor("#004488")


class PrivacyWindow(QMainWindow):
    """Review identifiers and manage the key file.

    Args:
        runner: The app's operation runner for this project.
        actor: Who is reviewing (for the audit log).
        parent: The main window.
    """

    openDocument = Signal(int)  # noqa: N815 - Qt signal naming

    def __init__(self, runner: OperationRunner, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.actor = actor
        self.document_id: int | None = None
        self.field = "text"
        self.value = ""
        self.setWindowTitle("Identifiers and the key file – KetQual")
        self.resize(1280, 720)
        self._build()
        fit_to_screen(self)
        self._shortcuts()
        runner.changed.connect(self._on_change)
        self.refresh()

    # ----- layout -----------------------------------------------------------------------
    def _build(self) -> None:
        self.key_label = QLabel()
        self.key_label.setAccessibleName("Key file")
        self.open_key_button = QPushButton("Open key file…")
        self.open_key_button.clicked.connect(self.open_key)
        self.new_key_button = QPushButton("New key file…")
        self.new_key_button.clicked.connect(self.new_key)
        self.roster_button = QPushButton("Add a roster…")
        self.roster_button.setToolTip(
            "People and places to look for: one per line, nicknames after '|', "
            "a kind before ':' (carer:, staff:, place:)"
        )
        self.roster_button.clicked.connect(self.add_roster)
        self.find_button = QPushButton("Find identifiers")
        self.find_button.setToolTip("Look through every document that has no codings yet")
        self.find_button.clicked.connect(self.find_identifiers)
        self.apply_button = QPushButton("Replace accepted")
        self.apply_button.setToolTip("Replace accepted suggestions by their tokens")
        self.apply_button.clicked.connect(self.apply)
        self.key_label.setWordWrap(True)
        top = QHBoxLayout()
        for button in (
            self.open_key_button,
            self.new_key_button,
            self.roster_button,
            self.find_button,
            self.apply_button,
        ):
            top.addWidget(button)
        top.addStretch(1)

        self.filter = QComboBox()
        self.filter.setAccessibleName("Show suggestions")
        for label, _statuses in FILTERS:
            self.filter.addItem(label)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.count_label = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show:"))
        filters.addWidget(self.filter)
        filters.addWidget(self.count_label, 1)

        self.model = IdentifiersModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Suggestions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        # Decision, document (its short title), kind and rule as wide as they need, the
        # words at a fixed width (elided; the tooltip shows them in context), and the
        # reason the rest.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 110)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table)

        self.document = QComboBox()
        self.document.setAccessibleName("Document")
        self.document.activated.connect(self._on_document_chosen)
        self.where_label = QLabel()
        self.where_label.setWordWrap(True)
        self.where_label.setMinimumHeight(2 * self.where_label.fontMetrics().lineSpacing() + 4)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Document text")
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.accept_button = QPushButton("Accept (Ctrl+1)")
        self.accept_button.clicked.connect(lambda: self.decide("accept"))
        self.reject_button = QPushButton("Not an identifier (Ctrl+2)")
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.undecide_button = QPushButton("Undecide (Ctrl+3)")
        self.undecide_button.clicked.connect(lambda: self.decide("undecide"))
        self.alike_button = QPushButton("Accept all of this name")
        self.alike_button.clicked.connect(self.accept_alike)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of identifier")
        for kind in kinds.KINDS:
            self.kind.addItem(kinds.label(kind), kind)
        self.kind_button = QPushButton("Set kind")
        self.kind_button.setToolTip("Change the kind of the chosen suggestion (and accept it)")
        self.kind_button.clicked.connect(self.set_kind)
        self.add_button = QPushButton("Add selected words as identifier")
        self.add_button.setToolTip("Select words in the document first")
        self.add_button.clicked.connect(self.add_selection)
        decisions = QHBoxLayout()
        for button in (self.accept_button, self.reject_button, self.undecide_button):
            decisions.addWidget(button)
        more = QHBoxLayout()
        more.addWidget(self.alike_button)
        more.addStretch(1)
        more.addWidget(QLabel("Kind:"))
        more.addWidget(self.kind)
        more.addWidget(self.kind_button)
        more.addWidget(self.add_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.document)
        right_layout.addWidget(self.where_label)
        right_layout.addWidget(self.text, 1)
        right_layout.addLayout(decisions)
        right_layout.addLayout(more)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([600, 660])
        self.message = message_label("Messages")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.key_label)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

    def _shortcuts(self) -> None:
        for keys, slot in (
            ("Ctrl+1", lambda: self.decide("accept")),
            ("Ctrl+2", lambda: self.decide("reject")),
            ("Ctrl+3", lambda: self.decide("undecide")),
            ("Ctrl+Shift+1", self.accept_alike),
            ("Alt+Down", lambda: self._step(+1)),
            ("Alt+Up", lambda: self._step(-1)),
        ):
            QShortcut(QKeySequence(keys), self, activated=slot)

    # ----- showing ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the suggestions, the documents and the key's state."""
        statuses = FILTERS[self.filter.currentIndex()][1]
        current = self._current()
        rows = self.runner.query(
            lambda p: review_ops.review_rows(p, statuses=statuses), parent=self
        )
        choices = self.runner.query(review_ops.documents, parent=self) or []
        counts = self.runner.query(review_ops.counts, parent=self) or {}
        status = self.runner.query(key_ops.key_status, parent=self) or {}
        self.model.set_rows(rows or [])
        self.document.blockSignals(True)
        self.document.clear()
        for choice in choices:
            extra = " (coded: text fixed)" if choice.coded else ""
            waiting = f" – {choice.pending} to decide" if choice.pending else ""
            self.document.addItem(f"{choice.title}{waiting}{extra}", choice.id)
        self.document.blockSignals(False)
        self.count_label.setText(
            ", ".join(
                f"{counts.get(s, 0)} {label}"
                for s, label in (
                    ("pending", "to decide"),
                    ("accepted", "accepted"),
                    ("rejected", "not identifiers"),
                    ("applied", "replaced"),
                )
            )
        )
        self._show_key_state(status)
        row = self.model.row_of(current.hit.id) if current else None
        if row is None and self.model.rows:
            row = 0
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        elif self.document.count():
            self._show_document(self.document.itemData(0), "text", None)
        self._update_buttons()

    def _show_key_state(self, status: dict) -> None:
        if self.key is not None:
            text = (
                f"Key file <b>{self.key.path.name}</b> is open ({len(self.key.entries)} "
                "people, places and values): the roster's names are looked for, and "
                "replacing gives each identifier its token."
            )
        elif status.get("key_file"):
            text = (
                f"Key file: <b>{status['key_file']}</b> (not open). Open it to look for the "
                "roster's names and to replace accepted suggestions."
            )
        else:
            text = "No key file yet: make one to hold the roster and the tokens, apart from the project."
        if status.get("legacy_names"):
            text += (
                f"<br><b>This project still holds {status['legacy_names']} names in its old "
                "key table:</b> a supervisor should move them to a key file."
            )
        self.key_label.setText(text)
        self.roster_button.setEnabled(self.key is not None)
        self.apply_button.setEnabled(True)

    def _current(self) -> review_ops.ReviewRow | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _selected(self) -> list[review_ops.ReviewRow]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        chosen = [self.model.rows[r] for r in sorted(rows)]
        current = self._current()
        return chosen or ([current] if current else [])

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ROW_ROLE) if current.isValid() else None
        if row is None:
            return
        self._show_document(row.hit.document_id, row.hit.field, row)
        index = self.document.findData(row.hit.document_id)
        if index >= 0:
            self.document.setCurrentIndex(index)
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.hit.kind)))
        self._update_buttons()

    def _on_document_chosen(self, index: int) -> None:
        self._show_document(self.document.itemData(index), "text", None)

    def _show_document(self, document_id: int | None, field: str, row) -> None:
        if document_id is None:
            return
        value = self.runner.query(
            lambda p: review_ops.field_value(p, document_id, field), parent=self
        )
        if value is None:
            return
        self.document_id, self.field, self.value = document_id, field, value
        self.text.setPlainText(value)
        offsets = OffsetMap(value)
        selections = []
        for match in kinds.TOKEN_RE.finditer(value):
            selections.append(
                self._selection(offsets, match.start(), match.end(), TOKEN_BACKGROUND, True)
            )
        same_doc = [
            r.hit
            for r in self.model.rows
            if r.hit.document_id == document_id and r.hit.field == field
            and r.hit.status in ("pending", "accepted")
        ]  # fmt: skip
        for hit in same_doc:
            selections.append(self._selection(offsets, hit.start, hit.end, OTHER_BACKGROUND))
        where = "the document's text" if field == "text" else f"its {field.replace('_', ' ')}"
        if row is not None:
            hit = row.hit
            selections.append(self._selection(offsets, hit.start, hit.end, HIT_BACKGROUND))
            cursor = self.text.textCursor()
            cursor.setPosition(offsets.to_qt(hit.start))
            self.text.setTextCursor(cursor)
            self.text.centerCursor()
            sure = "sure" if hit.certain else "for review"
            token = f"; its token: {hit.token}" if hit.token else ""
            coded = (
                " This document has codings: its text keeps these words (see the help)."
                if row.coded and field == "text"
                else ""
            )
            self.where_label.setText(
                f"In {where} of <b>{row.document}</b>: {kinds.label(hit.kind)} ({sure}), "
                f"{hit.reason}{token}.{coded}"
            )
        else:
            self.where_label.setText(f"Showing {where}; select words to add an identifier.")
        self.text.setExtraSelections(selections)

    def _selection(self, offsets: OffsetMap, start: int, end: int, colour, bold=False):
        selection = QTextEdit.ExtraSelection()
        cursor = self.text.textCursor()
        cursor.setPosition(offsets.to_qt(start))
        cursor.setPosition(offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        if bold:
            fmt.setForeground(TOKEN_FOREGROUND)
            fmt.setFontWeight(700)
        selection.format = fmt
        return selection

    def _update_buttons(self) -> None:
        row = self._current()
        open_hit = row is not None and row.hit.status != "applied"
        for button in (self.accept_button, self.reject_button, self.undecide_button):
            button.setEnabled(open_hit)
        self.alike_button.setEnabled(open_hit)
        self.kind_button.setEnabled(open_hit)

    def _step(self, direction: int) -> None:
        index = self.table.selectionModel().currentIndex()
        row = (index.row() if index.isValid() else -1) + direction
        if 0 <= row < self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _on_change(self, change: Change, _initiator) -> None:
        if change.touches(Area.PRIVACY, Area.DOCUMENTS):
            self.refresh()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ----- decisions --------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        """Accept, reject or undecide the chosen suggestions, then move to the next one."""
        rows = [r for r in self._selected() if r.hit.status != "applied"]
        if not rows:
            return
        index = self.table.selectionModel().currentIndex().row()
        ids = [r.hit.id for r in rows]
        change = self.runner.run(
            lambda p: review_ops.decide(p, ids, decision, actor=self.actor),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self._say(change.summary)
            self.refresh()
            self._step_to(index)

    def _step_to(self, row: int) -> None:
        if self.model.rowCount():
            row = min(max(row, 0), self.model.rowCount() - 1)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def accept_alike(self) -> None:
        """Accept every pending suggestion of the chosen one's name."""
        row = self._current()
        if row is None:
            return
        change = self.runner.run(
            lambda p: review_ops.accept_all_like(p, row.hit.id, actor=self.actor),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self._say(change.summary)
            self.refresh()

    def set_kind(self) -> None:
        """Give the chosen suggestion another kind (accepting it)."""
        row = self._current()
        if row is None:
            return
        kind = self.kind.currentData()
        change = self.runner.run(
            lambda p: review_ops.edit_hit(p, row.hit.id, kind=kind, actor=self.actor),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self._say(change.summary)
            self.refresh()

    def add_selection(self) -> None:
        """Add the words selected in the document as an identifier of the chosen kind."""
        cursor = self.text.textCursor()
        if self.document_id is None or not cursor.hasSelection():
            self._say("Select the words in the document first.")
            return
        offsets = OffsetMap(self.value)
        start = offsets.from_qt(cursor.selectionStart())
        end = offsets.from_qt(cursor.selectionEnd())
        kind, doc, field = self.kind.currentData(), self.document_id, self.field
        change = self.runner.run(
            lambda p: review_ops.add_hit(p, doc, start, end, kind, field=field, actor=self.actor),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self._say(change.summary)
            self.refresh()

    # ----- finding and replacing ------------------------------------------------------------
    def find_identifiers(self) -> None:
        """Look for identifiers in the documents without codings, off the GUI thread."""
        key, actor = self.key, self.actor

        def work(project, progress):
            return review_ops.detect_identifiers(project, key=key, actor=actor, progress=progress)

        self.runner.run_in_background(
            work,
            parent=self,
            label="Looking for identifiers…",
            on_done=lambda change: self._say(change.summary),
            initiator=self,
        )

    def apply(self) -> None:
        """Replace accepted suggestions (the key file is needed for the tokens)."""
        if self.key is None and not self.open_key():
            return
        key = self.key
        change = self.runner.run(
            lambda p: review_ops.apply_replacements(p, key, actor=self.actor),
            parent=self,
            initiator=self,
        )
        if change is not None:
            self._say(change.summary)
            self.refresh()

    # ----- the key file -------------------------------------------------------------------
    @property
    def key(self) -> KeySession | None:
        """The project's key file, open for the session (shared with the import dialog)."""
        return self.runner.key

    @key.setter
    def key(self, session: KeySession | None) -> None:
        self.runner.key = session

    def open_key(self) -> bool:
        """Open the project's key file (asks where it is and its passphrase)."""
        key = key_dialogs.open_key_file(self, self.runner, self.actor)
        if key is None:
            return False
        self._say(f"Opened {key.path.name}.")
        self.refresh()
        return True

    def new_key(self) -> None:
        """Make a key file for the project."""
        key = key_dialogs.new_key_file(self, self.runner, self.actor)
        if key is not None:
            self._say(f"Made {key.path.name}. Add a roster of the people and places to look for.")
            self.refresh()

    def add_roster(self) -> None:
        """Add people and places from a roster file to the open key file."""

        if self.key is None:
            return
        path = files.open_file(self, "Roster", "Text files (*.txt);;All files (*)")
        if not path:
            return
        try:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            self._say(f"Cannot read {path}: {exc}")
            return
        key = self.key
        change = self.runner.run(
            lambda p: key_ops.add_roster(p, key, text, actor=self.actor), parent=self
        )
        if change is not None:
            self._say(change.summary + ". Press “Find identifiers” to look for them.")
            self.refresh()
