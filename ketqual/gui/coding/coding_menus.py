"""The coding screen's menus and dialogs: identity, blinding, layers, context menus,
memos, search, and codings CSV in/out. Kept apart from the window's layout code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Slot
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu

from ketqual.core.records import CoderRecord
from ketqual.core.search import Hit
from ketqual.gui import files
from ketqual.gui.runner import Job, OperationRunner, Progress
from ketqual.gui.team.coder_dialog import CoderDialog
from ketqual.ops import queries
from ketqual.ops.coding import search_ops
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops


class CodingMenus:
    """Menus and dialogs of the coding screen for one window."""

    def __init__(self, window) -> None:
        self.w = window
        self.hits: list[Hit] = []
        self._query = ""
        self.search_job: Job | None = None  # while searching
        window.text_view.textMenuRequested.connect(self.text_menu)
        window.text_view.codingMenuRequested.connect(self.coding_menu)
        window.search.searchRequested.connect(self.start_search)
        window.search.hitActivated.connect(self.show_hit)
        window.search.codeAllRequested.connect(self.code_all_hits)

    # ----- identity and blinding -------------------------------------------------------------
    def choose_coder(self, runner: OperationRunner, name: str | None) -> CoderRecord | None:
        """The coder to work as: given, remembered on this machine, or asked for."""
        uid = runner.query(queries.project_uid, parent=self.w)
        if uid is None:
            return None
        key = f"coder/{uid}"
        if name:  # named on the command line: that person, created if new
            coder = runner.query(lambda p: coder_ops.lookup_coder(p, name), parent=self.w)
            if coder is None:
                added = runner.run(lambda p: coder_ops.add_coder(p, name), parent=self.w)
                if added is None or not isinstance(added.payload, coder_ops.CoderAdded):
                    return None
                coder = added.payload.coder
            if coder is not None:
                self.w.settings.setValue(key, coder.name)
            return coder
        remembered = self.w.settings.value(key)
        if remembered:  # unless renamed, or from another copy of the project: then ask
            coder = runner.query(lambda p: coder_ops.lookup_coder(p, str(remembered)))
            if coder is not None:
                return coder
        if not self.w.interactive:  # a screenshot run must never wait for a person
            coders = runner.query(coder_ops.list_coders, parent=self.w)
            return coders[0] if coders else None
        dialog = CoderDialog(runner, self.w, current=str(remembered) if remembered else None)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        self.w.settings.setValue(key, dialog.chosen.name)
        return dialog.chosen

    def update_identity(self) -> None:
        """Status-bar label and blinding menu text for who is coding."""
        coder, runner = self.w.coding.coder, self.w.runner
        state = runner.query(coder_ops.blinding, parent=self.w) if runner else None
        if coder is None or state is None:
            self.w.coder_label.setText("")
            return
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
        runner = self.w.runner
        if runner is None:
            return
        current = self.w.coding.coder.name if self.w.coding.coder else None
        dialog = CoderDialog(runner, self.w, current=current)
        if dialog.exec() and dialog.chosen is not None:
            uid = runner.query(queries.project_uid, parent=self.w)
            self.w.settings.setValue(f"coder/{uid}", dialog.chosen.name)
            self.w.coding.start(runner, dialog.chosen)
            self.w.refresh()
            if self.w.document_id is not None:
                self.w.select_document(self.w.document_id)

    def toggle_blinding(self) -> None:
        """A supervisor unblinds (or blinds again), giving a reason for the audit log."""
        runner, coder = self.w.runner, self.w.coding.coder
        if runner is None or coder is None:
            return
        state = runner.query(coder_ops.blinding, parent=self.w)
        if state is None:
            return
        unblind = not state.unblinded
        verb = "Unblind" if unblind else "Blind again"
        reason, ok = QInputDialog.getText(
            self.w,
            f"{verb} project",
            "Why? (kept in the audit log with your name and the time)",
        )
        if not ok:
            return
        if not unblind:  # back to one's own layer before the change is shown
            self.w.coding.layers = [coder.id]
        runner.run(
            lambda p: coder_ops.set_unblinded(
                p, by_coder_id=coder.id, unblinded=unblind, reason=reason
            ),
            parent=self.w,
            initiator=self.w,
        )

    def fill_layers_menu(self) -> None:
        """View › Layers shown: own layer always; others and consensus once unblinded."""
        menu, coding = self.w.layers_menu, self.w.coding
        menu.clear()
        if coding.coder is None:
            return
        coding.refresh_visible()  # someone may have unblinded since the last refresh
        visible = coding.visible_coders()
        state = self.w.runner.query(coder_ops.blinding, parent=self.w)
        unblinded = len(visible) > 1 or (state is not None and state.unblinded)
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
        if self.w.project is None or self.w.document_id is None:
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
        runner = self.w.runner
        if runner is None or (self.search_job is not None and self.search_job in runner.jobs):
            return  # one search at a time (a job of a project closed since is gone)
        current = self.w.document_id
        ids = None if everywhere else [current] if current else []
        self._query = query

        def search(project: Project, progress: Progress) -> tuple[list[tuple[Hit, str]], bool]:
            labels: list[str] = []
            hits, truncated = search_ops.search_documents(
                project,
                query,
                regex=regex,
                case_sensitive=case,
                document_ids=ids,
                cancelled=progress.cancelled,
                labels=labels,
            )
            return list(zip(hits, labels, strict=True)), truncated

        self.search_job = runner.run_in_background(
            search,
            parent=self.w,
            show_progress=False,
            on_done=self._show_results,
            on_error=self._search_failed,
        )

    def _search_failed(self, reason: str) -> None:
        self.search_job = None
        self.w.search.status.setText(reason)

    def _show_results(self, found: tuple[list[tuple[Hit, str]], bool]) -> None:
        """Show the hits (with the labels the search wrote) in the panel and the document."""
        self.search_job = None
        rows, truncated = found
        self.hits = [hit for hit, _ in rows]
        self.w.search.show_hits(rows, truncated)
        self.w.text_view.set_hits(self.hits_in(self.w.document_id))

    def hits_in(self, document_id: int | None) -> list[tuple[int, int]]:
        """The current search's hits in one document."""
        return [(h.start, h.end) for h in self.hits if h.document_id == document_id]

    @Slot(object)
    def show_hit(self, hit: Hit) -> None:
        """Open the hit's document and select the hit."""
        if hit is None:
            return
        if hit.document_id != self.w.document_id:
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
            from ketqual.gui.privacy.export_guard import run_export
            from ketqual.ops.coding import codings_io  # CSV checks: on first use

            run_export(
                self.w.runner,
                lambda p, check: codings_io.export_codings(p, coder.name, Path(path), check=check),
                who=coder.name,
                parent=self.w,
                initiator=self.w,
            )

    def import_codings(self) -> None:
        """Add codings from a CSV to this coder's layer (undoable)."""
        coder = self.w.coding.coder
        if coder is None:
            return
        path = files.open_file(self.w, "Import codings", "CSV (*.csv)")
        if path:
            from ketqual.ops.coding import codings_io

            self.w.coding.run_undoable(
                lambda p: codings_io.import_codings(p, coder.name, Path(path)),
                f"Import codings from {Path(path).name}",
            )
