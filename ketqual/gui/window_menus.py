"""The main window's menu bar (kept apart so the window's module stays about layout)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from ketqual.gui.team import server_dialog


def build_menus(window) -> None:
    """The menu bar: every action the window offers, with shortcuts."""

    def action(menu, text, slot, shortcut=None, checkable=False):
        act = QAction(text, window, checkable=checkable)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    file_menu = window.menuBar().addMenu("&File")
    action(file_menu, "&New project…", window.new_project_dialog, QKeySequence.StandardKey.New)
    action(file_menu, "&Open project…", window.open_project_dialog, QKeySequence.StandardKey.Open)
    action(file_menu, "Open &server project…", lambda: server_dialog.open_or_create(window))
    action(
        file_menu,
        "New project on a ser&ver…",
        lambda: server_dialog.open_or_create(window, create=True),
    )
    window.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    window.import_action = action(file_menu, "&Import files…", window.import_dialog, "Ctrl+I")
    window.export_codings_action = action(
        file_menu, "&Export my codings (CSV)…", window.menus.export_codings
    )
    window.import_codings_action = action(
        file_menu, "Import codings (CS&V)…", window.menus.import_codings
    )
    file_menu.addSeparator()
    packages = window.packages
    window.create_package_action = action(
        file_menu, "Create &coder package…", packages.create_package
    )
    window.merge_package_action = action(file_menu, "&Merge coder package…", packages.merge_package)
    window.return_package_action = action(
        file_menu, "Re&turn package to supervisor…", packages.return_package
    )
    file_menu.addSeparator()
    action(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

    edit_menu = window.menuBar().addMenu("&Edit")
    window.undo_action = window.coding.undo_stack.createUndoAction(window, "&Undo")
    window.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    window.redo_action = window.coding.undo_stack.createRedoAction(window, "&Redo")
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(window.redo_action)
    edit_menu.addSeparator()
    window.find_action = action(
        edit_menu, "&Find…", window.menus.show_search, QKeySequence.StandardKey.Find
    )
    edit_menu.addSeparator()
    window.snap_action = action(
        edit_menu, "Snap selections to &whole words", window.set_snap, checkable=True
    )
    window.snap_action.setChecked(window.text_view.snap_words)
    window.unit_click_action = action(
        edit_menu, "A click selects the whole &sentence", window.set_unit_click, checkable=True
    )
    window.unit_click_action.setChecked(window.text_view.click_selects_unit)

    doc_menu = window.menuBar().addMenu("&Document")
    window.edit_action = action(doc_menu, "&Edit details…", window.edit_document, "F2")
    window.split_action = action(doc_menu, "&Split at group headings", window.split_document)
    window.delete_action = action(doc_menu, "&Delete document…", window.delete_document)
    doc_menu.addSeparator()
    window.done_action = action(
        doc_menu, "&Mark done", window.menus.toggle_done, "Ctrl+D", checkable=True
    )

    codebook_menu = window.menuBar().addMenu("&Codebook")
    window.add_theme_action = action(codebook_menu, "&Add theme…", window.codebook.add_theme)
    window.suggest_action = action(codebook_menu, "&Suggest a change…", packages.suggest_change)
    codebook_menu.addSeparator()
    window.export_codebook_action = action(
        codebook_menu, "&Export as JSON…", window.export_codebook
    )
    window.import_codebook_action = action(
        codebook_menu, "&Import from JSON…", window.import_codebook
    )

    view_menu = window.menuBar().addMenu("&View")
    window.units_action = action(
        view_menu,
        "Show &sentence units",
        lambda on: window.text_view.set_show_units(on),
        "Ctrl+U",
        checkable=True,
    )
    window.layers_menu = view_menu.addMenu("&Layers shown")
    window.layers_menu.aboutToShow.connect(window.menus.fill_layers_menu)
    action(
        view_menu,
        "&Larger text",
        lambda: window.change_font(+1),
        QKeySequence.StandardKey.ZoomIn,
    )
    action(
        view_menu,
        "&Smaller text",
        lambda: window.change_font(-1),
        QKeySequence.StandardKey.ZoomOut,
    )

    project_menu = window.menuBar().addMenu("&Project")
    project_menu.setToolTipsVisible(True)  # says why supervisor-only items are greyed out
    window.switch_coder_action = action(project_menu, "&Switch coder…", window.menus.switch_coder)
    window.blinding_action = action(project_menu, "&Unblind project…", window.menus.toggle_blinding)
    project_menu.addSeparator()
    window.agreement_action = action(
        project_menu, "&Agreement between coders…", window.open_agreement, "Ctrl+Shift+A"
    )
    window.consensus_action = action(
        project_menu, "&Consensus review…", window.open_consensus, "Ctrl+Shift+R"
    )

    outputs_menu = window.menuBar().addMenu("&Outputs")
    window.network_action = action(
        outputs_menu, "Theme-overlap &network…", window.open_network, "Ctrl+Shift+N"
    )
    window.charting_action = action(
        outputs_menu, "&Framework matrices…", window.open_charting, "Ctrl+Shift+M"
    )

    help_menu = window.menuBar().addMenu("&Help")
    action(help_menu, "&Getting started", window.open_guide, QKeySequence.StandardKey.HelpContents)
    help_menu.addSeparator()
    action(help_menu, "&About KetQual", window.about)
    window.project_actions = [
        window.import_action,
        window.edit_action,
        window.split_action,
        window.delete_action,
        window.export_codebook_action,
        window.import_codebook_action,
        window.export_codings_action,
        window.import_codings_action,
        window.find_action,
        window.add_theme_action,
        window.switch_coder_action,
        window.blinding_action,
        window.agreement_action,
        window.consensus_action,
        window.network_action,
        window.charting_action,
    ]
    window.refresh_recent()
