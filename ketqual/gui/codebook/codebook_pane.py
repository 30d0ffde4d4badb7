"""The codebook pane: the theme tree (a drop target for selections) and its editing menu.

Every edit goes through the window's undo stack as a codebook operation, so it is
audited, snapshotted and undoable like a coding.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.records import CodeRecord
from ketqual.gui import texts
from ketqual.gui.codebook.codebook_model import CODE_ID_ROLE, CodebookModel
from ketqual.gui.runner import OperationRunner
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.undo_ops import Operation

SPAN_MIME = "application/x-ketqual-selection"


class CodebookTree(QTreeView):
    """The tree; text dragged from the document and dropped on a code codes it."""

    selectionDropped = Signal(int)  # code id

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setAccessibleName("Codebook")
        self.setUniformRowHeights(True)

    def _accepts(self, event) -> bool:
        # Only text dragged out of our own document view is a coding gesture.
        return event.source() is not None and event.mimeData().hasText()

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if self._accepts(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        index = self.indexAt(event.position().toPoint())
        if self._accepts(event) and index.isValid():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        index = self.indexAt(event.position().toPoint())
        if not (self._accepts(event) and index.isValid()):
            event.ignore()
            return
        code_id = index.siblingAtColumn(0).data(CODE_ID_ROLE)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()  # the document keeps its text: this is coding, not moving
        self.selectionDropped.emit(int(code_id))


class CodeDefinitionDialog(QDialog):
    """Edit a code's definition, include/exclude notes and example."""

    FIELDS = (
        ("definition", "Definition"),
        ("include", "Use when"),
        ("exclude", "Do not use when"),
        ("example", "Example"),
    )

    def __init__(self, code: CodeRecord, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Define '{code.name}'")
        self.code = code
        self.edits: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for key, label in self.FIELDS:
            edit = QPlainTextEdit(getattr(code, key))
            edit.setAccessibleName(label)
            edit.setTabChangesFocus(True)
            self.edits[key] = edit
            form.addRow(label, edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def changes(self) -> dict[str, str]:
        """Fields whose text changed."""
        return {
            key: edit.toPlainText().strip()
            for key, edit in self.edits.items()
            if edit.toPlainText().strip() != getattr(self.code, key)
        }


class CodebookPane(QSplitter):
    """Tree above, the selected code's definition below.

    ``run_undoable`` is the window's way of running an undoable operation (through its
    runner and undo stack); ``runner`` is set while a project is open.
    """

    codeActivated = Signal(int)  # double-click: code the selection with this code

    def __init__(self, run_undoable: Callable[[Operation, str], None], parent=None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.run_undoable = run_undoable
        self.runner: OperationRunner | None = None
        self.model = CodebookModel(self)
        self.tree = CodebookTree()
        self.tree.setModel(self.model)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Code definition")
        self.details.setHtml(texts.CODE_HINT)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 6, 0)
        layout.addWidget(QLabel("<b>Codebook</b>"))
        layout.addWidget(self.tree)
        self.addWidget(box)
        self.addWidget(self.details)
        self.setSizes([480, 260])

    def set_codes(
        self, codes: list[CodeRecord], counts: dict[int, int], counted: str = "in your own layer"
    ) -> None:
        """Show the codebook with coding counts (``counted`` says in which layers); keeps
        the current code."""
        current = self.current_code()
        self.model.set_codes(codes, counts, counted)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(1)
        self.tree.resizeColumnToContents(2)
        if current is not None:
            self.select_code(current.id)

    def current_code(self) -> CodeRecord | None:
        """The code selected in the tree."""
        return self.model.code_at(self.tree.currentIndex())

    def select_code(self, code_id: int) -> None:
        """Select a code and show its definition."""
        index = self.model.index_of(code_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def _on_current(self, current, _previous) -> None:
        code = self.model.code_at(current)
        self.details.setHtml(texts.code_details_html(code) if code else texts.CODE_HINT)

    def _on_double_click(self, index) -> None:
        code = self.model.code_at(index)
        if code is not None:
            self.codeActivated.emit(code.id)

    # ----- editing --------------------------------------------------------------------------
    def _menu(self, point) -> None:
        if self.runner is None:
            return
        code = self.model.code_at(self.tree.indexAt(point))
        menu = QMenu(self)

        def add(text: str, slot, enabled: bool = True) -> QAction:
            act = menu.addAction(text)
            act.triggered.connect(slot)
            act.setEnabled(enabled)
            return act

        add("Add theme…", self.add_theme)
        if code is not None:
            add("Add subtheme…", lambda: self.add_subtheme(code), code.parent_id is None)
            menu.addSeparator()
            add("Rename…", lambda: self.rename(code))
            add("Colour…", lambda: self.recolour(code))
            add("Definition…", lambda: self.define(code))
            add("Merge into…", lambda: self.merge(code))
            menu.addSeparator()
            if code.active:
                add("Retire", lambda: self._retire(code, True))
            else:
                add("Restore", lambda: self._retire(code, False))
            add("Delete…", lambda: self.delete(code))
        menu.exec(self.tree.viewport().mapToGlobal(point))

    def add_theme(self) -> None:
        name, ok = QInputDialog.getText(self, "Add theme", "Name of the new theme:")
        if ok and name.strip():
            self.run_undoable(lambda p: codebook_ops.add_code(p, name), f"Add theme '{name}'")

    def add_subtheme(self, parent: CodeRecord) -> None:
        name, ok = QInputDialog.getText(self, "Add subtheme", f"New subtheme of '{parent.name}':")
        if ok and name.strip():
            self.run_undoable(
                lambda p: codebook_ops.add_code(p, name, parent_id=parent.id),
                f"Add subtheme '{name}'",
            )

    def rename(self, code: CodeRecord) -> None:
        name, ok = QInputDialog.getText(self, "Rename code", "New name:", text=code.name)
        if ok and name.strip() and name.strip() != code.name:
            self.run_undoable(
                lambda p: codebook_ops.rename_code(p, code.id, name), f"Rename {code.name}"
            )

    def recolour(self, code: CodeRecord) -> None:
        colour = QColorDialog.getColor(QColor(code.colour), self, f"Colour of '{code.name}'")
        if colour.isValid() and colour.name().upper() != code.colour.upper():
            self.run_undoable(
                lambda p: codebook_ops.recolour_code(p, code.id, colour.name()),
                f"Recolour {code.name}",
            )

    def define(self, code: CodeRecord) -> None:
        dialog = CodeDefinitionDialog(code, self)
        if dialog.exec() and dialog.changes():
            fields = dialog.changes()
            self.run_undoable(
                lambda p: codebook_ops.update_code(p, code.id, **fields),
                f"Define {code.name}",
            )

    def merge(self, code: CodeRecord) -> None:
        codes = self.model.codes()
        choices = [c for c in codes if c.id != code.id and c.parent_id != code.id]
        labels = [codebook_ops.code_path(codes, c) for c in choices]
        label, ok = QInputDialog.getItem(
            self, "Merge code", f"Merge '{code.name}' (and its codings) into:", labels, 0, False
        )
        if ok and label:
            target = choices[labels.index(label)]
            self.run_undoable(
                lambda p: codebook_ops.merge_codes(p, code.id, target.id),
                f"Merge {code.name} into {target.name}",
            )

    def _retire(self, code: CodeRecord, retired: bool) -> None:
        self.run_undoable(
            lambda p: codebook_ops.retire_code(p, code.id, retired=retired),
            ("Retire " if retired else "Restore ") + code.name,
        )

    def delete(self, code: CodeRecord) -> None:
        answer = QMessageBox.question(
            self,
            "Delete code",
            f"Delete '{code.name}', its subthemes and every coding made with them? "
            "(Edit › Undo brings them back during this session; Retire keeps the codings.)",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.run_undoable(
                lambda p: codebook_ops.delete_code(p, code.id, confirm=True),
                f"Delete {code.name}",
            )
