"""The coding screen's menus and dialogs: identity, blinding, layers, context menus,
memos, search, and codings CSV in/out. Kept apart from the window's layout code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QThread, Slot
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QMessageBox

from ketqual.core.records import CoderRecord
from ketqual.core.search import Hit
from ketqual.gui import files
from ketqual.gui.coding.search_panel import SearchWorker
from ketqual.gui.team.coder_dialog import CoderDialog
from ketqual.ops import queries
from ketqual.ops.coding import codings_io
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops


class CodingMenus:
    """Menus and dialogs of the coding screen for one window."""

    def __init__(self, window) -> None:
        self.w = window
        self.hits: list[Hit] = []
        self._query = ""
        self._search = None  # (worker, thread) while searching
        window.text_view.textMenuRequested.connect(self.text_menu)
        window.text_view.codingMenuRequested.connect(self.coding_menu)
        window.search.searchRequested.connect(self.start_search)
        window.search.hitActivated.connect(self.show_hit)
        window.search.codeAllRequested.connect(self.code_all_hits)

    # ----- identity and blinding -------------------------------------------------------------
    def choose_coder(self, project, name: str | None) -> CoderRecord | None:
        """The coder to work as: given, remembered on this machine, or asked for."""
        key = f"coder/{queries.project_uid(project)}"
        if name:  # named on the command line: that person, created if new
            try:
                coder = coder_ops.find_coder(project, name)
            except OperationError:
                try:
                    coder_id = coder_ops.add_coder(project, name).details["coder_id"]
                except OperationError as exc:
                    QMessageBox.warning(self.w, "Cannot add coder", str(exc))
                    return None
                coder = coder_ops.find_coder(project, coder_id)
            self.w.settings.setValue(key, coder.name)
            return coder
        remembered = self.w.settings.value(key)
        if remembered:
            try:
                return coder_ops.find_coder(project, str(remembered))
            except OperationError:
                pass  # renamed or from another copy of the project: ask
        if not self.w.interactive:  # a screenshot run must never wait for a person
            coders = coder_ops.list_coders(project)
            return coders[0] if coders else None
        dialog = CoderDialog(project, self.w, current=str(remembered) if remembered else None)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        self.w.settings.setValue(key, dialog.chosen.name)
        return dialog.chosen

    def update_identity(self) -> None:
        """Status-bar label and blinding menu text for who is coding."""
        coder = self.w.coding.coder
        if coder is None or self.w.project is None:
            self.w.coder_label.setText("")
            return
        state = coder_ops.blinding(self.w.project)
        blind = "unblinded" if state.unblinded else "blinded"
        self.w.coder_label.setText(f"Coding as <b>{coder.name}</b> ({coder.role}) · {blind}")
        self.w.blinding_action.setText(
            "&Blind project again…" if state.unblinded else "&Unblind project…"
        )
        supervisor = coder.role == "supervisor"
        self.w.blinding_action.setEnabled(supervisor)
        self.w.blinding_action.setToolTip(
            "Blinding is the supervisor's decision"
            if supervisor
            else "Only a supervisor can unblind the project (Project › Switch coder… to be one)"
        )

    def switch_coder(self) -> None:
        """Work as someone else (the choice is remembered on this machine)."""
        if self.w.project is None:
            return
        current = self.w.coding.coder.name if self.w.coding.coder else None
        dialog = CoderDialog(self.w.project, self.w, current=current)
        if dialog.exec() and dialog.chosen is not None:
            self.w.settings.setValue(
                f"coder/{queries.project_uid(self.w.project)}", dialog.chosen.name
            )
            self.w.coding.start(self.w.project, dialog.chosen)
            self.w.refresh()
            if self.w._document_id is not None:
                self.w.select_document(self.w._document_id)

    def toggle_blinding(self) -> None:
        """A supervisor unblinds (or blinds again), giving a reason for the audit log."""
        project, coder = self.w.project, self.w.coding.coder
        if project is None or coder is None:
            return
        unblind = not coder_ops.blinding(project).unblinded
        verb = "Unblind" if unblind else "Blind again"
        reason, ok = QInputDialog.getText(
            self.w,
            f"{verb} project",
            "Why? (kept in the audit log with your name and the time)",
        )
        if not ok:
            return
        try:
            change = coder_ops.set_unblinded(
                project, by_coder_id=coder.id, unblinded=unblind, reason=reason
            )
        except OperationError as exc:
            QMessageBox.warning(self.w, "Not done", str(exc))
            return
        if not unblind:
            self.w.coding.layers = [coder.id]
        self.w.refresh()
        self.w._show_document(self.w._document_id)
        self.w.statusBar().showMessage(change.summary, 8000)

    def fill_layers_menu(self) -> None:
        """View › Layers shown: own layer always; others and consensus once unblinded."""
        menu, coding = self.w.layers_menu, self.w.coding
        menu.clear()
        if coding.coder is None:
            return
        coding.refresh_visible()  # someone may have unblinded since the last refresh
        visible = coding.visible_coders()
        unblinded = len(visible) > 1 or coder_ops.blinding(self.w.project).unblinded
        choices: list[tuple[str, int | None]] = [(c.name, c.id) for c in visible]
        if unblinded:
            choices.append(("Consensus", None))
        for label, layer in choices:
            act = menu.addAction(label)
            act.setCheckable(True)
            act.setChecked(layer in coding.layers)
            act.triggered.connect(lambda on, layer=layer: self._toggle_layer(layer, on))
        if not unblinded:
            note = menu.addAction("(blinded: other coders' layers are hidden)")
            note.setEnabled(False)

    def _toggle_layer(self, layer: int | None, on: bool) -> None:
        layers = [x for x in self.w.coding.layers if x != layer] + ([layer] if on else [])
        self.w.coding.set_layers(layers)
        self.w.text_view.set_codings(self.w.coding.shown_codings())

    def toggle_done(self, done: bool) -> None:
        """Mark the open document done / not done for this coder."""
        self.w.coding.set_done(done)

    # ----- context menus ----------------------------------------------------------------------
    def _code_menu(self, parent: QMenu, title: str, slot) -> None:
        sub = parent.addMenu(title)
        coding = self.w.coding
        themes = [c for c in coding.codes.values() if c.parent_id is None and c.active]
        for theme in themes:
            children = [c for c in coding.codes.values() if c.parent_id == theme.id and c.active]
            key = f"\t{theme.shortcut}" if theme.shortcut else ""
            if children:
                theme_menu = sub.addMenu(theme.name)
                theme_menu.addAction(f"{theme.name} (theme){key}").triggered.connect(
                    lambda _c=False, i=theme.id: slot(i)
                )
                for child in children:
                    theme_menu.addAction(child.name).triggered.connect(
                        lambda _c=False, i=child.id: slot(i)
                    )
            else:
                sub.addAction(theme.name + key).triggered.connect(
                    lambda _c=False, i=theme.id: slot(i)
                )

    def _add_coding_items(self, menu: QMenu, coding_ids: list[int]) -> None:
        coding = self.w.coding
        for coding_id in coding_ids:
            record = coding.shown.get(coding_id)
            if record is None:
                continue
            label = (
                f"{coding.paths.get(record.code_id, '?')} · {coding.layer_name(record.coder_id)}"
            )
            sub = menu.addMenu(label)
            sub.setEnabled(coding.is_mine(coding_id))
            sub.addAction("Select its text").triggered.connect(
                lambda _c=False, r=record: self.w.text_view.select_span(r.start, r.end)
            )
            sub.addAction("Memo…").triggered.connect(lambda _c=False, i=coding_id: self.memo(i))
            self._code_menu(
                sub, "Change code to", lambda code, i=coding_id: coding.recode([i], code)
            )
            sub.addAction("Remove coding").triggered.connect(
                lambda _c=False, i=coding_id: coding.remove([i])
            )

    @Slot(int, QPoint)
    def text_menu(self, position: int, global_pos: QPoint) -> None:
        """Right-click in the text: code the selection, or act on codings under the mouse."""
        if self.w.project is None or self.w._document_id is None:
            return
        menu = QMenu(self.w)
        span = self.w.text_view.selected_span()
        if span is not None:
            self._code_menu(menu, "Code selection with", self.w.code_selection)
        here = [s.coding.id for s in self.w.text_view.codings_at(position)]
        if here:
            menu.addSeparator()
            self._add_coding_items(menu, here)
        menu.addSeparator()
        menu.addAction(self.w.text_view.createStandardContextMenu().actions()[0])
        menu.exec(global_pos)

    @Slot(list, QPoint)
    def coding_menu(self, coding_ids: list[int], global_pos: QPoint) -> None:
        """Right-click on a coding stripe."""
        menu = QMenu(self.w)
        self._add_coding_items(menu, coding_ids)
        if not menu.isEmpty():
            menu.exec(global_pos)

    def memo(self, coding_id: int) -> None:
        """Write or edit the memo of one of this coder's codings."""
        record = self.w.coding.shown.get(coding_id)
        if record is None:
            return
        quote = self.w.text_view.text[record.start : record.end]
        short = quote if len(quote) < 80 else quote[:77] + "…"
        text, ok = QInputDialog.getMultiLineText(self.w, "Memo", f"Memo on “{short}”:", record.memo)
        if ok and text.strip() != record.memo:
            self.w.coding.set_memo(coding_id, text)

    # ----- search ------------------------------------------------------------------------------
    def show_search(self) -> None:
        """Show the search panel with the selection (if short) as the query."""
        self.w.search_dock.show()
        span = self.w.text_view.selected_span()
        if span and span[1] - span[0] < 80:
            self.w.search.query.setText(self.w.text_view.text[span[0] : span[1]])
        self.w.search.query.setFocus()
        self.w.search.query.selectAll()

    @Slot(str, bool, bool, bool)
    def start_search(self, query: str, regex: bool, case: bool, everywhere: bool) -> None:
        """Search off the GUI thread (a big project must not freeze the window)."""
        if self.w.project is None or self._search is not None:
            return
        ids = None if everywhere else [self.w._document_id] if self.w._document_id else []
        self._query = query
        worker = SearchWorker(self.w.project.location, query, regex, case, ids)
        thread = QThread(self.w)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.finished.connect(self.w._on_search_finished)
        worker.failed.connect(self.w._on_search_failed)
        self._search = (worker, thread)
        thread.start()

    def end_search(self) -> None:
        """Stop the search thread (called from the window's slots)."""
        _worker, thread = self._search
        thread.quit()
        thread.wait()
        self._search = None

    def finish_search(self, rows: list[tuple[Hit, str]], truncated: bool) -> None:
        """Show the hits (with the labels the worker wrote) in the panel and the document."""
        self.end_search()
        self.hits = [hit for hit, _ in rows]
        self.w.search.show_hits(rows, truncated)
        self.w.text_view.set_hits(self.hits_in(self.w._document_id))

    def hits_in(self, document_id: int | None) -> list[tuple[int, int]]:
        """The current search's hits in one document."""
        return [(h.start, h.end) for h in self.hits if h.document_id == document_id]

    @Slot(object)
    def show_hit(self, hit: Hit) -> None:
        """Open the hit's document and select the hit."""
        if hit is None:
            return
        if hit.document_id != self.w._document_id:
            self.w.select_document(hit.document_id)
        self.w.text_view.select_span(hit.start, hit.end)

    @Slot(int)
    def code_all_hits(self, code_id: int) -> None:
        """Code every hit listed with one code (one undoable step)."""
        if self.hits:
            self.w.coding.code_hits(self.hits, code_id, self._query)

    # ----- codings CSV -------------------------------------------------------------------------
    def export_codings(self) -> None:
        """Save this coder's codings as CSV."""
        coder = self.w.coding.coder
        if coder is None:
            return
        path, _ = files.save_file(
            self.w, "Export my codings", f"{coder.name} codings.csv", "CSV (*.csv)"
        )
        if path:
            try:
                change = codings_io.export_codings(self.w.project, coder.name, Path(path))
            except OperationError as exc:
                QMessageBox.warning(self.w, "Export failed", str(exc))
                return
            self.w.statusBar().showMessage(change.summary, 8000)

    def import_codings(self) -> None:
        """Add codings from a CSV to this coder's layer (undoable)."""
        coder = self.w.coding.coder
        if coder is None:
            return
        path = files.open_file(self.w, "Import codings", "CSV (*.csv)")
        if path:
            self.w.coding.run(
                lambda: codings_io.import_codings(self.w.project, coder.name, Path(path)),
                f"Import codings from {Path(path).name}",
            )
