"""Coding in the window: who codes, which layers are shown, applying codes, undo/redo.

The controller keeps the codings of the open document in memory and updates them from
each operation's :class:`Change` rather than re-reading the project, so applying a code
to a document that already holds 10,000 codings repaints in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ketqual.core.records import CodeRecord, CoderRecord, CodingRecord
from ketqual.core.search import Hit
from ketqual.gui.coding.document_view import ShownCoding
from ketqual.gui.undo import OperationCommand
from ketqual.ops import queries
from ketqual.ops.changes import Change
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops

CONSENSUS = None  # the consensus layer's "coder id"


class CodingController(QObject):
    """State and actions of the coding screen, shared by menus, keys and drops.

    Signals:
        changed(object): a Change was applied (the window refreshes what it shows).
        failed(str): an operation was refused; the message is for the user.
    """

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.project = None
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
        self.my_counts: dict[int, int] = {}
        self.progress: dict = {"done": set(), "counts": {}}

    # ----- session ----------------------------------------------------------------------------
    def start(self, project, coder: CoderRecord) -> None:
        """Begin coding ``project`` as ``coder`` (only their own layer shown)."""
        self.project, self.coder = project, coder
        self.undo_stack.clear()
        self.layers = [coder.id]
        self.document_id = None
        self.shown = {}
        self.reload_codebook()
        self.reload_progress()

    def stop(self) -> None:
        """Forget the project (its undo history cannot outlive it)."""
        self.undo_stack.clear()
        self.project = self.coder = None
        self.layers, self.shown, self.document_id = [], {}, None

    def reload_codebook(self) -> None:
        """Re-read codes, coders and this coder's counts."""
        codes, _ = queries.list_codes(self.project)
        self.codes = {c.id: c for c in codes}
        self.paths = {c.id: codebook_ops.code_path(codes, c) for c in codes}
        self.coders = {c.id: c for c in coder_ops.list_coders(self.project)}
        self.my_counts = coding_ops.coding_counts(self.project, self.coder.id)
        self.refresh_visible()

    def reload_progress(self) -> None:
        """Re-read done marks and coding counts per document and coder."""
        self.progress = coding_ops.progress(self.project)

    def refresh_visible(self) -> None:
        """Re-read whose layers this user may see now (own only while blinded)."""
        if self.coder is None:
            self._visible = []
            return
        # Supervisors who do not code would only add an empty column.
        self._visible = [
            c
            for c in coder_ops.visible_layers(self.project, self.coder.id)
            if c.role == "coder" or c.id == self.coder.id
        ]

    def visible_coders(self) -> list[CoderRecord]:
        """Coders whose layers this user may see, as last read (no query: a hot path)."""
        return list(self._visible) if self.coder is not None else []

    def set_layers(self, layers: list[int | None]) -> None:
        """Choose the layers shown (refused for others' layers while blinded)."""
        self.layers = list(layers) or [self.coder.id]
        self.load_document(self.document_id)

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
        if document_id is None or self.project is None:
            return
        try:
            records = coding_ops.document_codings(
                self.project, document_id, viewer_id=self.coder.id, layers=self.layers
            )
        except OperationError as exc:  # blinded again by someone else: back to own layer
            self.layers = [self.coder.id]
            self.failed.emit(str(exc))
            records = coding_ops.document_codings(
                self.project, document_id, viewer_id=self.coder.id, layers=self.layers
            )
        self.shown = {c.id: c for c in records}

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
    def run(self, operation: Callable[[], Change], text: str = "") -> None:
        """Run an operation as one undoable step (errors go to ``failed``)."""
        self.undo_stack.push(
            OperationCommand(self.project, operation, self._apply, self.failed.emit, text)
        )

    def _apply(self, change: Change) -> None:
        self._absorb(change)
        self.changed.emit(change)

    def _absorb(self, change: Change) -> None:
        """Update in-memory state from a change, without re-reading the project."""
        d, me = change.details, self.coder.id if self.coder else None
        if change.codebook:
            self.reload_codebook()
            self.reload_progress()
            self.load_document(self.document_id)
            return
        counts = self.progress["counts"]
        if change.action in ("coding.add", "coding.restore"):
            for c in d["added"]:
                self._count(c, +1, counts, me)
                if c.document_id == self.document_id and c.coder_id in self.layers:
                    self._set_shown(c)
        elif change.action == "coding.remove":
            for c in d["removed"]:
                self._count(c, -1, counts, me)
                self._drop_shown(c.id)
        elif change.action == "coding.recode":
            for coding_id, code_id in d["new"].items():
                old = self.shown.get(coding_id)
                if old is not None:
                    self._set_shown(replace(old, code_id=code_id))
                if old is not None and old.coder_id == me:
                    self.my_counts[old.code_id] = self.my_counts.get(old.code_id, 1) - 1
                    self.my_counts[code_id] = self.my_counts.get(code_id, 0) + 1
        elif change.action == "coding.memo":
            old = self.shown.get(d["coding_id"])
            if old is not None:
                self._set_shown(replace(old, memo=d["memo"]))
        elif change.action == "document.done":
            self.reload_progress()

    def _count(self, c: CodingRecord, step: int, counts: dict, me: int | None) -> None:
        key = (c.document_id, c.coder_id)
        counts[key] = max(0, counts.get(key, 0) + step)
        if c.coder_id == me:
            self.my_counts[c.code_id] = max(0, self.my_counts.get(c.code_id, 0) + step)

    # ----- coding actions -----------------------------------------------------------------------
    def apply_code(self, code_id: int, span: tuple[int, int] | None) -> bool:
        """Code ``span`` of the open document with ``code_id`` in this user's layer."""
        if self.document_id is None or span is None:
            self.failed.emit("Select some text first, then choose a code.")
            return False
        code = self.codes.get(code_id)
        name = code.name if code else "code"
        coding = NewCoding(self.document_id, code_id, span[0], span[1])
        self.run(
            lambda: coding_ops.add_codings(self.project, self.coder.id, [coding]),
            f"Code with {name}",
        )
        return True

    def remove(self, coding_ids: list[int]) -> None:
        """Remove own codings."""
        mine = [i for i in coding_ids if self.is_mine(i)]
        if mine:
            self.run(
                lambda: coding_ops.remove_codings(self.project, mine, owner=self.coder.id),
                "Remove coding",
            )

    def recode(self, coding_ids: list[int], code_id: int) -> None:
        """Change own codings to another code."""
        mapping = {i: code_id for i in coding_ids if self.is_mine(i)}
        if mapping:
            self.run(
                lambda: coding_ops.recode_codings(self.project, mapping, owner=self.coder.id),
                "Change code",
            )

    def set_memo(self, coding_id: int, memo: str) -> None:
        """Write a memo on an own coding."""
        if self.is_mine(coding_id):
            self.run(
                lambda: coding_ops.set_memo(self.project, coding_id, memo, owner=self.coder.id),
                "Memo",
            )

    def set_done(self, done: bool) -> None:
        """Mark the open document done (or not) for this user."""
        if self.document_id is not None:
            document_id, coder_id = self.document_id, self.coder.id
            self.run(
                lambda: coding_ops.set_done(self.project, document_id, coder_id, done),
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
        path = self.paths.get(code_id, "code")
        self.run(
            lambda: coding_ops.add_codings(
                self.project,
                self.coder.id,
                codings,
                audit_summary=f"Coded all {len(codings)} hits of '{query}' with {path}",
            ),
            f"Code {len(codings)} hits with {path}",
        )
