"""The main window's menu bar (kept apart so the window's module stays about layout)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence


def _server_project(window, *, create: bool = False) -> None:
    # The server dialog (and the operations behind it) load when first asked for.
    from ketqual.gui.team import server_dialog

    server_dialog.open_or_create(window, create=create)


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
    action(file_menu, "Open &server project…", lambda: _server_project(window))
    action(
        file_menu,
        "New project on a ser&ver…",
        lambda: _server_project(window, create=True),
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
    exchange = window.exchange  # REFI-QDA: NVivo, ATLAS.ti, MAXQDA, QualCoder
    export_menu = file_menu.addMenu("E&xport")
    window.export_qdpx_action = action(
        export_menu, "REFI-QDA &project (.qdpx)…", exchange.export_project
    )
    window.export_qdc_action = action(
        export_menu, "REFI-QDA &codebook (.qdc)…", exchange.export_codebook
    )
    import_menu = file_menu.addMenu("Im&port")
    window.import_qdpx_action = action(
        import_menu, "REFI-QDA &project (.qdpx) as a new project…", exchange.import_project
    )
    window.import_qdc_action = action(
        import_menu, "REFI-QDA &codebook (.qdc) into this project…", exchange.import_codebook
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
    window.attributes_action = action(
        project_menu, "A&ttributes…", window.open_attributes, "Ctrl+Shift+B"
    )

    outputs_menu = window.menuBar().addMenu("&Outputs")
    window.network_action = action(
        outputs_menu, "Theme-overlap &network…", window.open_network, "Ctrl+Shift+N"
    )
    window.charting_action = action(
        outputs_menu, "&Framework matrices…", window.open_charting, "Ctrl+Shift+M"
    )
    window.votes_action = action(
        outputs_menu, "&Votes beside the themes…", window.open_votes, "Ctrl+Shift+V"
    )
    outputs_menu.addSeparator()
    window.passages_action = action(
        outputs_menu, "Coded &passages…", lambda: window.open_passages(), "Ctrl+Shift+P"
    )
    window.crosstab_action = action(
        outputs_menu, "&Crosstabs…", window.open_crosstab, "Ctrl+Shift+X"
    )
    window.report_action = action(
        outputs_menu, "&Theme report…", lambda: window.export_theme_report()
    )

    privacy_menu = window.menuBar().addMenu("P&rivacy")
    window.privacy_action = action(
        privacy_menu,
        "Review &identifiers and the key file…",
        window.open_privacy,
        "Ctrl+Shift+I",
    )
    window.key_move_action = action(
        privacy_menu,
        "&Move an old key out of the project…",
        lambda: window.offer_key_move(asked=True),
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
        window.export_qdpx_action,
        window.export_qdc_action,
        window.import_qdc_action,
        window.find_action,
        window.add_theme_action,
        window.switch_coder_action,
        window.blinding_action,
        window.agreement_action,
        window.consensus_action,
        window.network_action,
        window.charting_action,
        window.attributes_action,
        window.passages_action,
        window.crosstab_action,
        window.report_action,
        window.votes_action,
        window.privacy_action,
        window.key_move_action,
    ]
    window.refresh_recent()
