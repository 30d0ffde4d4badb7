"""Coding in the window: who codes, which layers are shown, applying codes, undo/redo.

The controller keeps the codings of the open document in memory and updates them from
each operation's :class:`Change` (its typed payload) rather than re-reading the project,
so applying a code to a document that already holds 10,000 codings repaints in a few
milliseconds. Every operation goes through the window's runner; undoable ones through the
undo stack (:class:`~ketqual.gui.undo.OperationCommand`), which uses the same runner.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from ketqual.core.records import CodeRecord, CoderRecord, CodingRecord
from ketqual.core.search import Hit
from ketqual.gui.coding.document_view import ShownCoding
from ketqual.gui.runner import OperationRunner
from ketqual.gui.undo import OperationCommand
from ketqual.ops import queries
from ketqual.ops.changes import Area, Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.team import coder_ops
from ketqual.ops.undo_ops import Operation

CONSENSUS = None  # the consensus layer's "coder id"


class CodingController(QObject):
    """State and actions of the coding screen, shared by menus, keys and drops.

    The window calls :meth:`absorb` with every change the runner announces, then
    repaints from :meth:`take_delta`. Refusals are shown by the runner over ``window``.
    """

    def __init__(self, window: QWidget | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.undo_stack = QUndoStack(self)
        self.runner: OperationRunner | None = None
        self.coder: CoderRecord | None = None
        self.coders: dict[int, CoderRecord] = {}
        self._visible: list[CoderRecord] = []
        self.layers: list[int | None] = []
        self.codes: dict[int, CodeRecord] = {}
        self.paths: dict[int, str] = {}
        self.document_id: int | None = None
        self.shown: dict[int, CodingRecord] = {}
        self._drawn: dict[int, ShownCoding] = {}
        self._columns: dict[tuple[int | None, int], int] = {}
        self._delta: tuple[list[ShownCoding], list[ShownCoding]] | None = None
        self.shown_counts: dict[int, int] = {}  # codings per code in the layers shown
        self.progress: dict = {"done": set(), "counts": {}}

    # ----- session ----------------------------------------------------------------------------
    def start(self, runner: OperationRunner, coder: CoderRecord) -> None:
        """Begin coding the runner's project as ``coder`` (only their own layer shown)."""
        self.runner, self.coder = runner, coder
        self.undo_stack.clear()
        self.layers = [coder.id]
        self.document_id = None
        self.shown = {}
        self.reload_codebook()
        self.reload_progress()

    def stop(self) -> None:
        """Forget the project (its undo history cannot outlive it)."""
        self.undo_stack.clear()
        self.runner = self.coder = None
        self.layers, self.shown, self.document_id = [], {}, None

    def reload_codebook(self) -> None:
        """Re-read codes, coders and this coder's counts."""
        me = self.coder.id

        def read(project):
            codes, _ = queries.list_codes(project)
            coders = coder_ops.list_coders(project)
            return codes, coders, coding_ops.layer_counts(project, layers)

        layers = list(self.layers) or [me]
        found = self.runner.query(read, parent=self.window)
        if found is None:
            return
        codes, coders, self.shown_counts = found
        self.codes = {c.id: c for c in codes}
        self.paths = {c.id: codebook_ops.code_path(codes, c) for c in codes}
        self.coders = {c.id: c for c in coders}
        self.refresh_visible()

    def reload_progress(self) -> None:
        """Re-read done marks and coding counts per document and coder."""
        found = self.runner.query(coding_ops.progress, parent=self.window)
        self.progress = found or {"done": set(), "counts": {}}

    def refresh_visible(self) -> None:
        """Re-read whose layers this user may see now (own only while blinded)."""
        if self.coder is None or self.runner is None:
            self._visible = []
            return
        me = self.coder.id
        visible = self.runner.query(lambda p: coder_ops.visible_layers(p, me), parent=self.window)
        visible = visible or []
        # Supervisors who do not code would only add an empty column.
        self._visible = [c for c in visible if c.role == "coder" or c.id == me]

    def visible_coders(self) -> list[CoderRecord]:
        """Coders whose layers this user may see, as last read (no query: a hot path)."""
        return list(self._visible) if self.coder is not None else []

    def set_layers(self, layers: list[int | None]) -> None:
        """Choose the layers shown (refused for others' layers while blinded)."""
        self.layers = list(layers) or [self.coder.id]
        self.load_document(self.document_id)
        self.recount()

    def recount(self) -> None:
        """Re-read the codings per code in the layers shown."""
        layers = list(self.layers)
        counts = self.runner.query(lambda p: coding_ops.layer_counts(p, layers), parent=self.window)
        self.shown_counts = counts or {}

    def counted(self) -> str:
        """Which layers :attr:`shown_counts` counts, said for a tooltip."""
        if self.coder is None or self.layers in ([], [self.coder.id]):
            return "in your own layer"
        names = [self.layer_name(layer) for layer in self.layers]
        if len(names) == 1:
            return f"in the layer shown ({names[0]})"
        return "summed over the layers shown (" + " + ".join(names) + ")"

    def shortcut_code(self, key: str) -> int | None:
        """The active theme on number key ``key``."""
        for code in self.codes.values():
            if code.shortcut == key and code.active:
                return code.id
        return None

    # ----- the open document --------------------------------------------------------------------
    def load_document(self, document_id: int | None) -> None:
        """Read the codings of the shown layers for a document."""
        self.document_id = document_id
        self.shown, self._drawn, self._delta = {}, {}, None
        if document_id is None or self.runner is None:
            return
        me, refused = self.coder.id, []
        for attempt in (list(self.layers), [me]):
            records = self.runner.query(
                lambda p, layers=attempt: coding_ops.document_codings(
                    p, document_id, viewer_id=me, layers=layers
                ),
                on_error=refused.append,
            )
            if records is not None:
                break
            # Blinded again by someone else: say so, and go back to one's own layer.
            self.layers = [me]
            self.runner.show_error(refused[-1], parent=self.window)
        self.shown = {c.id: c for c in records or ()}

    def shown_codings(self) -> list[ShownCoding]:
        """The open document's codings as the view draws them, with stripe columns.

        Rebuilds the stripe columns (one per layer and code, in layer then codebook
        order) and the cache that :meth:`take_delta` updates afterwards.
        """
        order = {code_id: i for i, code_id in enumerate(self.codes)}
        layer_rank = {layer: i for i, layer in enumerate(self.layers)}
        keys = sorted(
            {(c.coder_id, c.code_id) for c in self.shown.values()},
            key=lambda k: (layer_rank.get(k[0], 99), order.get(k[1], 1 << 30)),
        )
        self._columns = {key: i for i, key in enumerate(keys)}
        self._drawn = {c.id: self._draw(c) for c in self.shown.values()}
        self._delta = ([], [])
        return list(self._drawn.values())

    def _draw(self, c: CodingRecord) -> ShownCoding:
        key = (c.coder_id, c.code_id)
        if key not in self._columns:  # a new stripe goes to the right of the others
            self._columns[key] = len(self._columns)
        code = self.codes.get(c.code_id)
        return ShownCoding(
            c,
            code.colour if code else "#888888",
            self.paths.get(c.code_id, "?"),
            self.layer_name(c.coder_id),
            self._columns[key],
        )

    def take_delta(self) -> tuple[list[ShownCoding], list[ShownCoding]] | None:
        """Codings to add to and remove from the view since the last call.

        ``None`` means the view must be rebuilt with :meth:`shown_codings` (after the
        codebook or the document changed).
        """
        delta = self._delta
        if delta is not None:
            self._delta = ([], [])
        return delta

    def _set_shown(self, coding: CodingRecord) -> None:
        old = self._drawn.pop(coding.id, None)
        self.shown[coding.id] = coding
        drawn = self._drawn[coding.id] = self._draw(coding)
        if self._delta is not None:
            if old is not None:
                self._delta[1].append(old)
            self._delta[0].append(drawn)

    def _drop_shown(self, coding_id: int) -> None:
        self.shown.pop(coding_id, None)
        old = self._drawn.pop(coding_id, None)
        if old is not None and self._delta is not None:
            self._delta[1].append(old)

    def layer_name(self, coder_id: int | None) -> str:
        """A layer's display name."""
        if coder_id is CONSENSUS:
            return "Consensus"
        coder = self.coders.get(coder_id)
        return coder.name if coder else f"coder {coder_id}"

    def is_mine(self, coding_id: int) -> bool:
        """Whether a shown coding belongs to this user's layer (only those can be edited)."""
        coding = self.shown.get(coding_id)
        return coding is not None and self.coder is not None and coding.coder_id == self.coder.id

    # ----- running operations ------------------------------------------------------------------
    def run_undoable(self, operation: Operation, text: str = "") -> None:
        """Run an operation as one undoable step (through the runner; refusals shown)."""
        if self.runner is None:
            return
        self.undo_stack.push(
            OperationCommand(self.runner, operation, text, parent=self.window, initiator=self)
        )

    def absorb(self, change: Change) -> None:
        """Update in-memory state from a change, without re-reading the project where the
        change's payload says enough (codings added, removed, recoded, memos, done marks).
        """
        if self.runner is None or self.coder is None:
            return
        if change.touches(Area.CODEBOOK, Area.PEOPLE, Area.PROJECT, Area.DOCUMENTS):
            self.reload_codebook()
            self.reload_progress()
            self.load_document(self.document_id)
            return
        if not change.touches(Area.CODINGS):
            return
        counts = self.progress["counts"]
        match change.payload:
            case coding_ops.CodingsAdded(records):
                for c in records:
                    self._count(c, +1, counts)
                    if c.document_id == self.document_id and c.coder_id in self.layers:
                        self._set_shown(c)
            case coding_ops.CodingsRemoved(records):
                for c in records:
                    self._count(c, -1, counts)
                    self._drop_shown(c.id)
            case coding_ops.CodingsRecoded(_previous, new):
                for coding_id, code_id in new.items():
                    old = self.shown.get(coding_id)
                    if old is not None:
                        self._set_shown(replace(old, code_id=code_id))
                    if old is not None and old.coder_id in self.layers:
                        counted = self.shown_counts
                        counted[old.code_id] = counted.get(old.code_id, 1) - 1
                        counted[code_id] = counted.get(code_id, 0) + 1
            case coding_ops.MemoWritten(coding_id, _previous, memo):
                old = self.shown.get(coding_id)
                if old is not None:
                    self._set_shown(replace(old, memo=memo))
            case coding_ops.DoneMarked():
                self.reload_progress()
            case _:  # codings changed in bulk (a consensus decision, a merge): read again
                self.reload_progress()
                self.load_document(self.document_id)
                self.recount()

    def _count(self, c: CodingRecord, step: int, counts: dict) -> None:
        key = (c.document_id, c.coder_id)
        counts[key] = max(0, counts.get(key, 0) + step)
        if c.coder_id in self.layers:
            self.shown_counts[c.code_id] = max(0, self.shown_counts.get(c.code_id, 0) + step)

    # ----- coding actions -----------------------------------------------------------------------
    def apply_code(self, code_id: int, span: tuple[int, int] | None) -> bool:
        """Code ``span`` of the open document with ``code_id`` in this user's layer."""
        if self.document_id is None or span is None:
            self.failed.emit("Select some text first, then choose a code.")
            return False
        code = self.codes.get(code_id)
        name = code.name if code else "code"
        coding, me = NewCoding(self.document_id, code_id, span[0], span[1]), self.coder.id
        self.run_undoable(lambda p: coding_ops.add_codings(p, me, [coding]), f"Code with {name}")
        return True

    def remove(self, coding_ids: list[int]) -> None:
        """Remove own codings."""
        mine, me = [i for i in coding_ids if self.is_mine(i)], self.coder.id
        if mine:
            self.run_undoable(
                lambda p: coding_ops.remove_codings(p, mine, owner=me), "Remove coding"
            )

    def recode(self, coding_ids: list[int], code_id: int) -> None:
        """Change own codings to another code."""
        mapping, me = {i: code_id for i in coding_ids if self.is_mine(i)}, self.coder.id
        if mapping:
            self.run_undoable(
                lambda p: coding_ops.recode_codings(p, mapping, owner=me), "Change code"
            )

    def set_memo(self, coding_id: int, memo: str) -> None:
        """Write a memo on an own coding."""
        if self.is_mine(coding_id):
            me = self.coder.id
            self.run_undoable(lambda p: coding_ops.set_memo(p, coding_id, memo, owner=me), "Memo")

    def set_done(self, done: bool) -> None:
        """Mark the open document done (or not) for this user."""
        if self.document_id is not None:
            document_id, coder_id = self.document_id, self.coder.id
            self.run_undoable(
                lambda p: coding_ops.set_done(p, document_id, coder_id, done),
                "Mark done" if done else "Mark not done",
            )

    def is_done(self) -> bool:
        """Whether this user marked the open document done."""
        if self.document_id is None or self.coder is None:
            return False
        return (self.document_id, self.coder.id) in self.progress["done"]

    def code_hits(self, hits: list[Hit], code_id: int, query: str) -> None:
        """Code every search hit with one code, as one undoable (and audited) step."""
        codings = [NewCoding(h.document_id, code_id, h.start, h.end) for h in hits]
        path, me = self.paths.get(code_id, "code"), self.coder.id
        self.run_undoable(
            lambda p: coding_ops.add_codings(
                p,
                me,
                codings,
                audit_summary=f"Coded all {len(codings)} hits of '{query}' with {path}",
            ),
            f"Code {len(codings)} hits with {path}",
        )
