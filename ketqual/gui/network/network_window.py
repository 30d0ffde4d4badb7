"""The theme-overlap network window: the figure, the edges to review, the co-occurrence table.

Choose the layer (the consensus, or a coder's for comparison), the unit, the measure and
the threshold; the network is computed at once (a 50,000-coding project takes a fraction
of a second). Drag boxes to arrange them (positions are saved in the project), zoom with
Ctrl+wheel or +/-, accept, reject or draw edges (each decision is stored with who and
when), and export the figure, the graph or the table. Everything goes through the main
window's runner; a change to the codings or the codebook made elsewhere recomputes the
figure (now if the window is active, else when it next is).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ketqual.gui import files
from ketqual.gui.network.network_models import CooccurrenceModel
from ketqual.gui.network.network_panels import EdgePanel, NetworkControls
from ketqual.gui.network.network_scene import NetworkCanvas, NetworkScene
from ketqual.gui.privacy.export_guard import run_export
from ketqual.gui.runner import OperationRunner, sentence
from ketqual.gui.votes.theme_votes_panel import ThemeVotesPanel
from ketqual.gui.widgets import fit_to_screen, message_label
from ketqual.ops.changes import Area, Change
from ketqual.ops.network import network_edge_ops, network_ops
from ketqual.ops.network.network_view import NetworkView
from ketqual.ops.project_ops import Project
from ketqual.ops.team import coder_ops
from ketqual.render.network.export import figure_note, figure_places, write_picture
from ketqual.render.network.geometry import lay_out

# Filter -> (format, kind): kind "network" for export_network, "table" for the table.
EXPORT_FILTERS = {
    "PDF figure (*.pdf)": ("pdf", "network"),
    "SVG figure (*.svg)": ("svg", "network"),
    "PNG figure, 300 dpi (*.png)": ("png", "network"),
    "GraphML for Gephi, Cytoscape, igraph, R (*.graphml)": ("graphml", "network"),
    "GEXF for Gephi (*.gexf)": ("gexf", "network"),
    "Edge list (*.csv)": ("csv", "network"),
    "Co-occurrence table, Excel (*.xlsx)": ("xlsx", "table"),
    "Co-occurrence table, CSV (*.csv)": ("csv", "table"),
}
# What the figure is computed from: a change to any of these recomputes it.
SHOWN = (Area.CODINGS, Area.CODEBOOK, Area.OUTPUTS, Area.PEOPLE, Area.PROJECT, Area.DOCUMENTS)


class NetworkWindow(QMainWindow):
    """The theme-overlap network of one project.

    Args:
        runner: The open project's runner (the main window's).
        viewer_name: The coder using the app (a blinded project shows only their layer).
        parent: Parent widget.

    Signals:
        computed(): the figure and tables show a new computation.
        failed(str): an action was refused; the message is also shown.
        exported(str): a file was written.
    """

    computed = Signal()
    failed = Signal(str)
    exported = Signal(str)

    def __init__(self, runner: OperationRunner, viewer_name: str, parent=None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.viewer = viewer_name.strip() or None
        self._stale = False
        self.view: NetworkView | None = None
        self.setWindowTitle("Theme-overlap network")
        self.resize(1280, 820)
        fit_to_screen(self)  # a 1366×768 laptop, task bar included

        self.controls = NetworkControls()
        self.message = message_label("Network message")
        self.status = QLabel()
        self.status.setAccessibleName("Network status")
        self.status.setWordWrap(True)
        self.scene = NetworkScene(self)
        self.canvas = NetworkCanvas(self.scene)
        self.edges = EdgePanel()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.canvas)
        # The votes beside the themes: a clicked box shows its theme's votes.
        self.votes = ThemeVotesPanel(runner)
        side = QTabWidget()
        side.addTab(self.edges, "&Edges")
        side.addTab(self.votes, "&Votes")
        self.side_tabs = side
        splitter.addWidget(side)
        self.scene.selectionChanged.connect(self._theme_chosen)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([860, 420])

        self.table_model = CooccurrenceModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Co-occurrence table")
        self.table.setModel(self.table_model)
        self.table_show = QComboBox()
        self.table_show.setAccessibleName("Table shows")
        self.table_show.addItem("Co-occurrences (n12)", "count")
        self.table_show.addItem("The chosen measure", "measure")
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show"))
        row.addWidget(self.table_show)
        row.addWidget(QLabel("(diagonal: each theme's n)"))
        row.addStretch(1)
        table_layout.addLayout(row)
        table_layout.addWidget(self.table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(splitter, "&Network")
        self.tabs.addTab(table_page, "Co-occurrence &table")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.controls)
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.controls.changed.connect(self.compute)
        self.controls.fit_button.clicked.connect(self.canvas.fit)
        self.controls.reset_button.clicked.connect(self.reset_layout)
        self.controls.export_button.clicked.connect(self._ask_export)
        self.scene.boxesMoved.connect(self.save_layout)
        self.edges.decide.connect(self.decide)
        self.edges.draw.connect(self.draw_edge)
        self.edges.table.selectionModel().selectionChanged.connect(self._highlight)
        self.table_show.currentIndexChanged.connect(self._show_table)
        runner.changed.connect(self._on_change)
        self._load_layers()

    @Slot()
    def _theme_chosen(self) -> None:
        """A box was clicked: its theme's votes come up in the side panel."""
        boxes = [item for item in self.scene.selectedItems() if hasattr(item, "geometry")]
        if boxes:
            self.votes.show_theme(boxes[0].geometry.box.code_id)

    def _load_layers(self) -> None:
        """Offer the layers this viewer may see, then compute the first."""
        found = self.runner.query(
            lambda p: (coder_ops.list_coders(p), coder_ops.blinding(p).unblinded),
            on_error=self._show_message,
        )
        if found is None:
            return
        coders, unblinded = found
        if unblinded:
            items = [("Consensus", network_ops.CONSENSUS)]
            items += [(c.name, c.name) for c in coders]
            current = network_ops.CONSENSUS
        else:
            # Blinded: only the viewer's own layer may be shown.
            own = [
                c
                for c in coders
                if c.role == "coder" and self.viewer and c.name.casefold() == self.viewer.casefold()
            ]
            items = [(c.name, c.name) for c in own]
            current = own[0].name if own else None
            if not own:
                self._show_message(
                    "The project is blinded: a supervisor must unblind it before the "
                    "network of the consensus or of a coder is drawn."
                )
        self.controls.set_layers(items, current)
        if items:
            self.compute()

    # -- computing ----------------------------------------------------------------------

    @Slot()
    def compute(self) -> None:
        """Compute the network for the current choices and show it."""
        choice = self.controls.choice()
        if choice["layer"] is None:
            return
        self._stale = False
        viewer, refused = self.viewer, []
        view = self.runner.query(
            lambda p: network_ops.compute_network(p, viewer=viewer, **choice),
            on_error=refused.append,
        )
        if view is None:
            self._show_view(None)
            self._show_message(refused[0] if refused else "the network could not be drawn")
            return
        self.message.hide()
        self._show_view(view)
        self.computed.emit()

    def _on_change(self, change: Change, initiator: object) -> None:
        """Codings, codes or edges changed elsewhere: draw the network again (now if the
        window is active, else when it next is)."""
        if initiator is self or self.view is None or not change.touches(*SHOWN):
            return
        self._stale = True
        if self.isActiveWindow():
            self.compute()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.compute()
        super().changeEvent(event)

    def _show_view(self, view: NetworkView | None) -> None:
        first = self.view is None
        self.view = view
        self.controls.export_button.setEnabled(view is not None)
        self.edges.set_view(view)
        self._show_table()
        if view is None:
            self.scene.clear()
            self.scene.boxes, self.scene.edges = {}, []
            self.status.setText("")
            return
        self.controls.set_theme_names([t.name for t in view.result.themes])
        figure = view.figure
        if not first and self.scene.boxes and not figure.positions:
            # Deciding an edge must not rearrange every box: keep the boxes where they are
            # (Reset layout computes a fresh arrangement).
            figure = dataclasses.replace(figure, positions=self.scene.positions())
        self.scene.show_figure(lay_out(figure))
        what = "accepted edges" if view.basis == "accepted" else "candidate edges"
        note = figure_note(view.figure)
        self.status.setText(
            f"{view.layer_label[:1].upper()}{view.layer_label[1:]}: "
            f"{len(view.themes)} of {len(view.result.themes)} themes, "
            f"{len(view.shown)} {what} shown"
            + (f". {view.caveat}" if view.caveat else "")
            + (f". To print: {note}." if note else "")
        )
        if first or self.canvas.auto_fit:  # kept fitted until the user zooms
            self.canvas.fit()

    @Slot()
    def _show_table(self) -> None:
        self.table_model.set_view(self.view, self.table_show.currentData())
        self.table.resizeColumnsToContents()

    @Slot()
    def _highlight(self) -> None:
        self.scene.highlight(set(self.edges.selected()))

    def _show_message(self, message: str) -> None:
        self.message.setText(sentence(message))
        self.message.show()
        self.failed.emit(message)

    # -- decisions and layout -----------------------------------------------------------

    @Slot(str)
    def decide(self, what: str) -> None:
        """Accept, reject or undecide the selected edges, then recompute."""
        if self.view is None:
            return
        pairs = self.edges.selected()
        if not pairs:
            self._show_message("select one or more edges in the list first")
            return
        view, actor = self.view, self.viewer
        for source, target in pairs:
            if what == "remove":
                done = self._run(
                    lambda p, s=source, t=target: network_edge_ops.remove_edge(p, s, t, actor=actor)
                )
            else:
                done = self._run(
                    lambda p, s=source, t=target: network_edge_ops.decide_edge(
                        p, view, s, t, what, actor=actor
                    )
                )
            if done is None:
                break
        self.compute()

    def _run(self, operation) -> Change | None:
        return self.runner.run(operation, on_error=self._show_message, initiator=self)

    @Slot(int, int, bool)
    def draw_edge(self, source: int, target: int, directed: bool) -> None:
        """Add an edge by hand between two themes."""
        layer, actor = (self.view.layer if self.view else None), self.viewer
        drawn = self._run(
            lambda p: network_edge_ops.draw_edge(
                p, source, target, directed=directed, layer=layer, actor=actor
            )
        )
        if drawn is not None:
            self.compute()

    @Slot(dict)
    def save_layout(self, positions: dict) -> None:
        """Keep the boxes where the analyst put them."""
        if self._run(lambda p: network_ops.save_layout(p, positions)) is not None:
            self.status.setText("Box positions saved in the project")

    @Slot()
    def reset_layout(self) -> None:
        """Go back to the automatic layout."""
        actor = self.viewer
        if self._run(lambda p: network_ops.reset_layout(p, actor=actor)) is not None:
            self.scene.boxes = {}  # a fresh arrangement, not the boxes where they are
            self.compute()
            self.canvas.fit()

    # -- export -------------------------------------------------------------------------

    @Slot()
    def _ask_export(self) -> None:
        if self.view is None:
            return
        path, chosen = files.save_file(
            self, "Export the network", "theme-network.pdf", ";;".join(EXPORT_FILTERS)
        )
        if path:
            fmt, kind = EXPORT_FILTERS.get(chosen, (None, "network"))
            self.export_to(path, fmt, kind)

    def export_to(self, path: str, fmt: str | None = None, kind: str = "network") -> bool:
        """Write the figure, graph or table; a typed suffix wins over ``fmt``.

        Args:
            path: The file to write (``.fmt`` is appended when it has no known suffix).
            fmt: The format chosen in the dialog.
            kind: ``network`` (figure, graph, edge list) or ``table`` (co-occurrence).

        Returns:
            Whether the file was written (``exported`` or ``failed`` is emitted too).
        """
        if self.view is None:
            return False
        known = network_ops.TABLE_FORMATS if kind == "table" else network_ops.NETWORK_FORMATS
        path, fmt = files.with_format(path, fmt, known)
        view, actor = self.view, self.viewer

        def export(project: Project, check) -> object:
            if kind == "table":
                return network_ops.export_cooccurrence(
                    project, view, path, fmt=fmt, actor=actor, check=check
                )
            return network_ops.export_network(
                project,
                view,
                path,
                fmt=fmt,
                picture_writer=write_picture,
                layout=figure_places,
                actor=actor,
                check=check,
            )

        written = run_export(
            self.runner, export, who=actor, parent=self, on_error=self._show_message
        )
        if written is None:
            return False
        self.status.setText(f"Wrote {path}")
        self.exported.emit(path)
        return True
