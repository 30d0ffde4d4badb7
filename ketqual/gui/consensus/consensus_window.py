"""The consensus review window: work through every disagreement, decide, keep the trail.

Left, the queue with its filters; right, the passage as coder A and as coder B coded it,
what the consensus layer holds there now, and the decision bar. Everything is driven from
the keyboard: Ctrl+1 take A, Ctrl+2 take B, Ctrl+3 both, Ctrl+4 neither, Ctrl+E edit,
Ctrl+D defer, Ctrl+Z undo the decision, Alt+Down / Alt+Up next / previous. After a
decision the next open item comes up and the reason field is ready for typing.

Coders see the same window read-only (once the project is unblinded); the operations
refuse their decisions too, so hiding the buttons is a courtesy, not the check.

Everything goes through the main window's runner: decisions are quick operations whose
typed payload updates the queue row in place; starting or refreshing a review, codebook
decisions (which refresh every review) and agreement before/after run in the background.
Changes from other windows reach it through ``runner.changed``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.disagreements import KIND_LABELS, KINDS, is_nested
from ketqual.core.records import CoderRecord, QueueItem
from ketqual.gui import files
from ketqual.gui.consensus.consensus_dialogs import (
    CodebookDecisionDialog,
    EditDialog,
    NewReviewDialog,
)
from ketqual.gui.consensus.consensus_model import DecisionLogModel, QueueModel
from ketqual.gui.consensus.consensus_panels import AgreementPanel, DecisionBar, LogPanel
from ketqual.gui.consensus.consensus_passages import PassagePane, passage_html, side_title
from ketqual.gui.privacy.export_guard import run_export
from ketqual.gui.runner import Job, OperationRunner, Progress, sentence
from ketqual.gui.widgets import choice_combo, fit_to_screen, message_label, set_choices
from ketqual.ops import queries
from ketqual.ops.changes import Area, Change
from ketqual.ops.coding import coding_ops
from ketqual.ops.consensus import consensus_decisions, consensus_ops, decision_log
from ketqual.ops.consensus.consensus_decisions import Decided
from ketqual.ops.consensus.consensus_ops import (
    RESOLUTION_LABELS,
    QueueFilter,
    ReviewState,
    ReviewSynced,
)
from ketqual.ops.consensus.decision_log import AgreementFigure
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops

STATUS_FILTERS = (
    ("To do (open and deferred)", ("open", "deferred")),
    ("Open", ("open",)),
    ("Deferred", ("deferred",)),
    ("Resolved", ("resolved",)),
    ("All", ("open", "deferred", "resolved")),
)
SUPERVISOR_ONLY = (
    "Only a supervisor decides. Coders follow the meeting here; "
    "Project › Switch coder… in the main window changes who you are."
)
DECISIONS = (
    ("take_a", "Take &A", "Ctrl+1"),
    ("take_b", "Take &B", "Ctrl+2"),
    ("both", "B&oth", "Ctrl+3"),
    ("neither", "&Neither", "Ctrl+4"),
)
MORE_DECISIONS = (
    ("edit", "&Edit…", "Ctrl+E"),
    ("defer", "&Defer", "Ctrl+D"),
    ("undo", "&Undo decision", "Ctrl+Z"),
)


class ConsensusWindow(QMainWindow):
    """The consensus meeting for one project.

    Args:
        runner: The open project's runner (the main window's).
        viewer: Who is using the app (a supervisor decides; a coder reads).
        parent: Parent widget.

    Signals:
        openPassage(int, int, int): document id, start and end to show in the main window.
        decided(str): a decision was made (its summary).
        failed(str): something was refused; the message is also shown in the window.
    """

    openPassage = Signal(int, int, int)  # noqa: N815 - Qt naming
    decided = Signal(str)
    failed = Signal(str)

    def __init__(self, runner: OperationRunner, viewer: CoderRecord | None, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer
        self.state: ReviewState | None = None
        self._kinds: dict[str, int] = {}  # items of the review by kind (not obsolete)
        self._texts: dict[int, str] = {}
        # States just read by reload(), for the review it then shows (read once, not twice).
        self._fresh: dict[int, ReviewState] = {}
        # Items decided in this window, newest last: Undo decision takes back the last one.
        self.decided_items: list[int] = []
        self.setWindowTitle("Consensus review")
        self.resize(1360, 820)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included
        self.queue = QueueModel(self)
        self.log = DecisionLogModel(self)
        self._build()
        self._build_actions()
        runner.changed.connect(self._on_change)
        self.reload()

    # --- Building -----------------------------------------------------------------------

    def _build(self) -> None:
        self.reviews = QComboBox()
        self.reviews.setAccessibleName("Review")
        self.reviews.setMinimumWidth(280)
        self.reviews.currentIndexChanged.connect(self._review_chosen)
        self.new_button = QPushButton("New review…")
        self.new_button.clicked.connect(self.new_review)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Recompute the queue after coders or the codebook changed")
        self.refresh_button.clicked.connect(self.refresh)
        self.codebook_button = QPushButton("Codebook decision…")
        self.codebook_button.clicked.connect(self.codebook_decision)
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Progress")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(False)
        top = QHBoxLayout()
        for widget in (QLabel("Review:"), self.reviews, self.new_button, self.refresh_button):
            top.addWidget(widget)
        top.addStretch()
        top.addWidget(self.progress_label)
        top.addWidget(self.progress)
        top.addWidget(self.codebook_button)

        self.message = message_label("Consensus message")

        self.status_filter, self.kind_filter = QComboBox(), QComboBox()
        # theme, group and document: refilled from the project (a thousand documents)
        self.theme_filter, self.case_filter, self.document_filter = (
            choice_combo(),
            choice_combo(),
            choice_combo(),
        )
        for label, statuses in STATUS_FILTERS:
            self.status_filter.addItem(label, statuses)
        self.kind_filter.addItem("Any type", None)
        for kind in KINDS:
            self.kind_filter.addItem(KIND_LABELS[kind], kind)
        filters = QHBoxLayout()
        for name, combo in (
            ("Status", self.status_filter),
            ("Type", self.kind_filter),
            ("Theme", self.theme_filter),
            ("Group", self.case_filter),
            ("Document", self.document_filter),
        ):
            combo.setAccessibleName(f"{name} filter")
            combo.currentIndexChanged.connect(self._apply_filter)
            filters.addWidget(QLabel(name))
            filters.addWidget(combo, 1)

        self.showing = QLabel()
        self.showing.setAccessibleName("Showing")
        filters.addWidget(self.showing)
        self.table = QTableView()
        self.table.setModel(self.queue)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        # #, status, type and document as wide as they need; the two coders' codes share
        # the rest (elided, whole in their tooltips), so Coder B stays in view.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.queue.modelReset.connect(self._fit_columns)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.table.doubleClicked.connect(self._open_in_main)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Disagreement")
        self.pane_a, self.pane_b = PassagePane("Coder A"), PassagePane("Coder B")
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.addWidget(self.pane_a)
        panes.addWidget(self.pane_b)
        self.consensus_now = QLabel()
        self.consensus_now.setWordWrap(True)
        self.consensus_now.setAccessibleName("Consensus now")

        self.decision_bar = DecisionBar((*DECISIONS, *MORE_DECISIONS), lambda key: self.decide(key))
        self.reason, self.dissent = self.decision_bar.reason, self.decision_bar.dissent
        self.decision_buttons = self.decision_bar.buttons
        self.read_only = self.decision_bar.read_only

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(panes, 1)
        right_layout.addWidget(self.consensus_now)
        right_layout.addWidget(self.decision_bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([560, 800])

        review_tab = QWidget()
        review_layout = QVBoxLayout(review_tab)
        review_layout.addLayout(filters)
        review_layout.addWidget(split, 1)

        self.log_panel = LogPanel(self.log)
        self.log_view = self.log_panel.view
        self.log_view.doubleClicked.connect(self._open_logged_passage)
        self.log_panel.export_button.clicked.connect(self.export_log)
        self.agreement_panel = AgreementPanel()
        self.agreement_table = self.agreement_panel.table
        self.agreement_panel.compute_button.clicked.connect(self.compute_agreement)

        self.tabs = QTabWidget()
        self.tabs.addTab(review_tab, "Queue")
        self.tabs.addTab(self.log_panel, "Decision log")
        self.tabs.addTab(self.agreement_panel, "Agreement before / after")
        self._log_stale = True
        self.tabs.currentChanged.connect(self._load_log)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        def add(text: str, shortcut: str, slot) -> QAction:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        for key, label, shortcut in (*DECISIONS, *MORE_DECISIONS):
            add(label.replace("&", "").rstrip("…"), shortcut, lambda _=False, k=key: self.decide(k))
        add("Next", "Alt+Down", lambda: self.move(1))
        add("Previous", "Alt+Up", lambda: self.move(-1))

    # --- Loading ----------------------------------------------------------------------

    @property
    def is_supervisor(self) -> bool:
        """Whether the viewer may decide."""
        return self.viewer is not None and self.viewer.role == "supervisor"

    def reload(self, keep_review: int | None = None) -> None:
        """Read the reviews and show the chosen one (or the newest)."""
        self._texts.clear()
        viewer = self._viewer_id()
        states = self.runner.query(
            lambda p: consensus_ops.reviews(p, viewer=viewer), on_error=self._refuse
        )
        if states is None:
            self._set_enabled(False)
            return
        self.reviews.blockSignals(True)
        self.reviews.clear()
        for state in states:
            unit = "sentence units" if state.review.unit == "sentence" else "characters"
            label = f"{state.coder_a.name} and {state.coder_b.name} · {unit}"
            self.reviews.addItem(label, state.review.id)
        wanted = (
            keep_review if keep_review is not None else (states[-1].review.id if states else None)
        )
        self.reviews.setCurrentIndex(max(0, self.reviews.findData(wanted)))
        self.reviews.blockSignals(False)
        self._fresh = {state.review.id: state for state in states}
        self.new_button.setEnabled(self.is_supervisor)
        self.codebook_button.setEnabled(self.is_supervisor)
        only = "" if self.is_supervisor else SUPERVISOR_ONLY
        self.new_button.setToolTip(only)
        self.codebook_button.setToolTip(only)
        if not states:
            self.state = None
            self.queue.load(None, {}, {})
            self._set_enabled(False)
            self._show_item(None)
            hint = (
                "Start one with New review…" if self.is_supervisor else "A supervisor starts one."
            )
            self._refuse(f"No consensus review yet. {hint}")
            return
        self.message.hide()
        self._review_chosen()

    def _viewer_id(self) -> int | None:
        return self.viewer.id if self.viewer else None

    def _review_chosen(self, *_args) -> None:
        review_id = self.reviews.currentData()
        if review_id is None:
            return
        viewer = self._viewer_id()
        fresh, self._fresh = self._fresh.get(review_id), {}

        def read(project: Project):
            return (
                fresh
                if fresh is not None
                else consensus_ops.review_state(project, review_id, viewer=viewer),
                queries.code_records(project),
                queries.document_labels(project),
                queries.list_cases(project),
            )

        found = self.runner.query(read, on_error=self._refuse)
        if found is None:
            return
        self.state, codes, records, cases = found
        self._kinds = self.state.kind_counts()
        self._codes = {c.id: c for c in codes}
        self._parents = {c.id: c.parent_id for c in codes}
        documents = {d.id: d for d in records}
        self.pane_a.set_title(side_title("Coder A", self.state.coder_a.name))
        self.pane_b.set_title(side_title("Coder B", self.state.coder_b.name))
        self._fill_filters(documents, cases)
        for index in range(1, self.kind_filter.count()):
            kind = self.kind_filter.itemData(index)
            n = self._kinds.get(kind, 0)
            self.kind_filter.setItemText(index, f"{KIND_LABELS[kind]} ({n})")
        self._set_enabled(True)
        self.queue.load(self._page_reader(review_id), self._codes, documents, self._filter())
        self._select_after_filter(None)
        self._show_state()
        self._load_log()
        required = self.state.review.options.get("reason_required", [])
        needs = ", ".join(RESOLUTION_LABELS.get(r, r).lower() for r in required)
        self.reason.setPlaceholderText(
            f"Reason (required for {needs})" if needs else "Reason (optional)"
        )

    def _fill_filters(self, documents, cases) -> None:
        themes = [c for c in self._codes.values() if c.parent_id is None]
        themes.sort(key=lambda c: (c.sort_order, c.name))
        set_choices(self.theme_filter, [("Any theme", None), *((c.name, c.id) for c in themes)])
        set_choices(self.case_filter, [("Any group", None), *((c.name, c.id) for c in cases)])
        set_choices(
            self.document_filter,
            [("Any document", None), *((d.title, d.id) for d in documents.values())],
        )

    def _set_enabled(self, on: bool) -> None:
        decide = on and self.is_supervisor
        for button in self.decision_buttons.values():
            button.setEnabled(decide)
            button.setToolTip("" if self.is_supervisor else SUPERVISOR_ONLY)
        self.reason.setEnabled(decide)
        self.dissent.setEnabled(decide)
        self.refresh_button.setEnabled(decide)
        self.read_only.setVisible(on and not self.is_supervisor)

    def _page_reader(self, review_id: int):
        """How the queue model reads a page of this review (through the runner)."""
        viewer = self._viewer_id()

        def fetch(queue_filter: QueueFilter, offset: int, limit: int):
            return self.runner.query(
                lambda p: consensus_ops.queue_slice(
                    p, review_id, queue_filter, offset=offset, limit=limit, viewer=viewer
                ),
                on_error=self._refuse,
            )

        return fetch

    def _filter(self) -> QueueFilter:
        return QueueFilter(
            statuses=self.status_filter.currentData() or ("open", "deferred"),
            kind=self.kind_filter.currentData(),
            theme_id=self.theme_filter.currentData(),
            document_id=self.document_filter.currentData(),
            case_id=self.case_filter.currentData(),
        )

    def _fit_columns(self) -> None:
        """Widen #, status, type and document to what the rows read so far show. Measured
        once a filter, not by Qt's fit-to-contents, which asks every row for every role on
        each change (about 150 ms on opening a 17,000-item queue)."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        margin = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
        for column in range(4):
            texts = {self.queue.text(row, column) for row in range(len(self.queue.items))}
            widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
            self.table.setColumnWidth(column, max(widest + margin, header.sectionSizeHint(column)))

    def _apply_filter(self, *_args) -> None:
        current = self.current_item()
        self.queue.set_filter(self._filter())
        self._select_after_filter(current)

    def _select_after_filter(self, current: QueueItem | None) -> None:
        row = self.queue.row_of(current.id) if current else -1
        self.select_row(row if row >= 0 else 0)
        everything = sum(self._kinds.values())
        self.showing.setText(f"Showing {self.queue.total} of {everything}")

    def _update_progress(self) -> None:
        if self.state is None:
            return
        review_id = self.state.review.id
        state = self.runner.query(lambda p: consensus_ops.review_state(p, review_id))
        if state is None:
            return
        self.state = state
        self._show_state()

    def _show_state(self) -> None:
        """The progress line and bar from ``state`` (as last read)."""
        self.progress_label.setText(self.state.progress_text())
        self.progress.setRange(0, max(1, self.state.total))
        self.progress.setValue(self.state.resolved)

    def _load_log(self, *_args) -> None:
        """Read the log when its tab is shown (it can be long; the queue does not need it)."""
        if self.tabs.currentIndex() != 1:
            self._log_stale = True
            return
        self._log_stale = False
        viewer = self._viewer_id()
        rows = self.runner.query(
            lambda p: decision_log.decision_rows(p, viewer=viewer, passages=False),
            on_error=self._refuse,
        )
        if rows is not None:
            self.log.load(rows)
        self.log_view.scrollToBottom()

    # --- The current item ---------------------------------------------------------------

    def current_item(self) -> QueueItem | None:
        """The item selected in the queue."""
        index = self.table.currentIndex()
        return self.queue.item(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        """Select a queue row (and show its passage)."""
        if not 0 <= row < self.queue.rowCount():
            self._show_item(None)
            return
        index = self.queue.index(row, 0)
        before = self.table.currentIndex()
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if before.isValid() and before.row() == row:
            # the same row (its item may have changed): no currentRowChanged to show it
            self._show_item(self.queue.item(row))

    def move(self, step: int) -> None:
        """Go to the next (1) or previous (-1) row."""
        index = self.table.currentIndex()
        self.select_row((index.row() if index.isValid() else -1) + step)

    def _show_current(self, current, _previous) -> None:
        self._show_item(self.queue.item(current.row()) if current.isValid() else None)

    def _text(self, document_id: int) -> str:
        if document_id not in self._texts:
            text = self.runner.query(lambda p: queries.document_text(p, document_id))
            self._texts[document_id] = text or ""
        return self._texts[document_id]

    def _show_item(self, item: QueueItem | None) -> None:
        if item is None:
            self.heading.setText("<i>Nothing to show with these filters.</i>")
            self.pane_a.show_html("")
            self.pane_b.show_html("")
            self.consensus_now.setText("")
            return
        text = self._text(item.document_id)
        document = self.queue.documents.get(item.document_id)
        title = document.title if document else f"document {item.document_id}"
        status = item.status
        if item.status == "resolved" and item.resolution:
            status = f"resolved: {RESOLUTION_LABELS.get(item.resolution, item.resolution)}"
        kind = KIND_LABELS[item.kind]
        if item.kind == "different_code" and is_nested(
            item.codings_a, item.codings_b, self._parents
        ):
            kind += " (a theme against its own subtheme)"
        self.heading.setText(
            f"<b>{kind}</b> · disagreement {item.id} · {title}, "
            f"characters {item.start}–{item.end} · <i>{status}</i>"
        )
        label = self.queue.code_label
        self.pane_a.show_html(
            passage_html(text, item.start, item.end, item.codings_a, self._codes, label)
        )
        self.pane_b.show_html(
            passage_html(text, item.start, item.end, item.codings_b, self._codes, label)
        )
        self._show_consensus(item)

    def _show_consensus(self, item: QueueItem) -> None:
        viewer = self._viewer_id()
        codings = self.runner.query(
            lambda p: coding_ops.document_codings(
                p, item.document_id, viewer_id=viewer, layers=[None]
            ),
            on_error=self._refuse,
        )
        here = [c for c in codings or () if c.start < item.end and item.start < c.end]
        listed = "; ".join(f"{self.queue.code_label(c.code_id)} ({c.start}–{c.end})" for c in here)
        self.consensus_now.setText(f"<b>Consensus here now:</b> {listed or '<i>nothing</i>'}")

    # --- Deciding -----------------------------------------------------------------------

    def decide(self, key: str) -> None:
        """Take A/B, both, neither, edit or defer on the current item; undo takes back the
        last decision made in this window (whichever item is selected now)."""
        item = self.current_item()
        target = item.id if item is not None else None
        if key == "undo" and self.decided_items:
            target = self.decided_items[-1]  # even if the filter hides it now
        if target is None or not self.is_supervisor or self.state is None:
            return
        reason, dissent = self.reason.text(), self.dissent.text()
        who = self.viewer.id
        if key == "undo":
            change = self._run(
                lambda p: consensus_decisions.undo_decision(
                    p, target, supervisor=who, reason=reason
                )
            )
        elif key == "defer":
            change = self._run(
                lambda p: consensus_decisions.defer(p, item.id, supervisor=who, reason=reason)
            )
        else:
            edits = None
            if key == "edit":
                dialog = EditDialog(
                    item,
                    self._text(item.document_id),
                    list(self._codes.values()),
                    self.queue.code_label,
                    self,
                )
                if not dialog.exec():
                    return
                edits = dialog.edits()
            change = self._run(
                lambda p: consensus_decisions.resolve(
                    p, item.id, key, supervisor=who, reason=reason, dissent=dissent, edits=edits
                )
            )
        if change is None:
            return
        self.message.hide()
        if key == "undo":
            if self.decided_items and self.decided_items[-1] == target:
                self.decided_items.pop()
        else:
            self.decided_items.append(target)
        if isinstance(change.payload, Decided):
            decided = change.payload
            self.queue.set_status(decided.disagreement_id, decided.status, decided.resolution)
        self._update_progress()
        self._load_log()
        self.reason.clear()
        self.dissent.clear()
        self.decided.emit(change.summary)
        self.statusBar().showMessage(change.summary, 8000)
        row = self.queue.row_of(target)
        if key == "undo":
            self.select_row(row)
        else:
            following = self.queue.next_to_do(row)
            self.select_row(following if following >= 0 else row)
        self.reason.setFocus()

    def _run(self, operation) -> Change | None:
        return self.runner.run(operation, on_error=self._refuse, initiator=self)

    def _on_change(self, change: Change, initiator: object) -> None:
        """Another window changed something: show the queue as it is now."""
        if initiator is self or not self.isVisible():
            return
        if change.touches(Area.CONSENSUS, Area.CODEBOOK, Area.PROJECT, Area.DOCUMENTS):
            self.reload(keep_review=self.state.review.id if self.state else None)
        elif change.touches(Area.CODINGS) and (item := self.current_item()) is not None:
            self._show_consensus(item)

    # --- Review-level actions -------------------------------------------------------------

    def new_review(self) -> Job | None:
        """Start a review of two coders (supervisor only), in the background."""
        coders = self.runner.query(coder_ops.list_coders, on_error=self._refuse)
        if coders is None:
            return None
        dialog = NewReviewDialog([c for c in coders if c.role == "coder"] or coders, self)
        if not dialog.exec():
            return None
        values, who = dialog.values(), self.viewer.id
        return self.runner.run_in_background(
            lambda p, _progress: consensus_ops.start_review(p, supervisor=who, **values),
            **self._review_job("Comparing the two coders and building the queue…"),
        )

    def refresh(self) -> Job | None:
        """Recompute the queue of the current review, in the background."""
        if self.state is None:
            return None
        review_id, who = self.state.review.id, self.viewer.id
        return self.runner.run_in_background(
            lambda p, _progress: consensus_ops.refresh_review(p, review_id, supervisor=who),
            **self._review_job("Comparing the coders again…"),
        )

    def _review_job(self, label: str) -> dict:
        """How review-level work runs: in the background, then the queue is read again."""
        return {
            "parent": self,
            "label": label,
            "initiator": self,
            "on_done": self._review_changed,
            "on_error": self._refuse,
        }

    def _review_changed(self, change: Change) -> None:
        keep = self.state.review.id if self.state else None
        if isinstance(change.payload, ReviewSynced):
            keep = change.payload.review_id
        self.reload(keep_review=keep)
        self.statusBar().showMessage(change.summary, 12000)
        self.decided.emit(change.summary)

    def codebook_decision(self) -> Job | None:
        """Record a codebook change agreed in the meeting (supervisor only); every review
        is refreshed after it, in the background."""
        codes = sorted(self._codes.values(), key=lambda c: self.queue.code_label(c.id))
        dialog = CodebookDecisionDialog(codes, self.queue.code_label, self)
        if not dialog.exec():
            return None
        values = dialog.values()
        action = values.pop("action")
        review_id = self.state.review.id if self.state else None
        who = self.viewer.id
        return self.runner.run_in_background(
            lambda p, _progress: decision_log.codebook_decision(
                p, action, supervisor=who, review_id=review_id, **values
            ),
            **self._review_job("Changing the codebook and refreshing the reviews…"),
        )

    def export_log(self, path: str | None = None) -> Path | None:
        """Write the decision log to a CSV or Excel file (asks where when not given)."""
        if path is None:
            path, _ = files.save_file(
                self, "Export decision log", "decisions.xlsx", "Excel (*.xlsx);;CSV (*.csv)"
            )
            if not path:
                return None
        viewer, target = self._viewer_id(), Path(path)
        me = self.viewer.name if self.viewer else None
        written = run_export(
            self.runner,
            lambda p, check: decision_log.export_decisions(
                p, target, viewer=viewer, check=check, actor=me
            ),
            who=me,
            parent=self,
            on_error=self._refuse,
        )
        if written is not None:
            self.statusBar().showMessage(f"Decision log written to {written}", 8000)
        return written

    def compute_agreement(self) -> Job | None:
        """Show agreement before and after the meeting (computed in the background)."""
        if self.state is None:
            return None
        review_id, viewer = self.state.review.id, self._viewer_id()

        def work(project: Project, _progress: Progress) -> list[AgreementFigure]:
            return decision_log.negotiated_agreement(project, review_id, viewer=viewer)

        return self.runner.run_in_background(
            work,
            parent=self,
            label="Computing agreement before and after the meeting…",
            on_done=self.agreement_panel.show_figures,
            on_error=self._refuse,
        )

    def _open_in_main(self, index) -> None:
        item = self.queue.item(index.row())
        if item is not None:
            self.openPassage.emit(item.document_id, item.start, item.end)

    def _open_logged_passage(self, index) -> None:
        row = self.log.log[index.row()]
        by_uid = {d.uid: d.id for d in self.queue.documents.values()}
        document_id = by_uid.get(row.get("document_uid") or "")
        if document_id is not None and row.get("start") is not None:
            self.openPassage.emit(document_id, row["start"], row["end"])

    def _refuse(self, message: str) -> None:
        # Operations speak in lower-case clauses; a banner is a sentence.
        self.message.setText(sentence(message))
        self.message.show()
        self.failed.emit(message)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.runner.cancel_jobs(self)
        super().closeEvent(event)
