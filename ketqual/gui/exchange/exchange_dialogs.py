"""The two questions of the REFI-QDA exchange: which layers go out (export), and whether to
go ahead with what an import brings in and leaves behind (import)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ketqual.core.exchange import ImportSummary

CONSENSUS = "Consensus"
NOT_EXPORTED = (
    "Not exported (the standard has no place for them): consensus decisions and the review "
    "queue, framework-matrix summaries, the theme-overlap network, documents marked done, "
    "the audit log. The pseudonymisation key never leaves KetQual."
)
POSITION_LABELS = (
    ("auto", "Detect from the texts"),
    ("codepoints", "Characters (the standard)"),
    ("utf16", "UTF-16 units (NVivo)"),
)


class ExportDialog(QDialog):
    """Choose the coders' layers (and the consensus layer) a ``.qdpx`` carries."""

    def __init__(
        self,
        layers: list[str],
        *,
        blinded: bool,
        codings: dict[str, int] | None = None,
        parent: QWidget | None = None,
    ):
        """``codings``: how many codings each layer holds (when known): only layers with
        codings are ticked at first, and an empty one says so."""
        super().__init__(parent)
        self.setWindowTitle("Export as a REFI-QDA project")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A .qdpx project, in the REFI-QDA exchange format that NVivo, ATLAS.ti, MAXQDA "
            "and QualCoder read. It holds the documents, the codebook, the codings of the "
            "layers ticked below, memos and focus groups (as cases)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if blinded:
            note = QLabel("<b>The project is blinded:</b> only your own codings and memos go out.")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.boxes: list[QCheckBox] = []
        for name in layers:
            text = name
            if name == CONSENSUS:
                text = "Consensus layer (goes out as a user named “Consensus”)"
            empty = codings is not None and not codings.get(name)
            if empty:
                text += " (no codings)"
            box = QCheckBox(text)
            box.setChecked(not empty)
            box.setProperty("layer", name)
            box.setAccessibleName(f"Export the layer of {name}")
            self.boxes.append(box)
            layout.addWidget(box)
        if not layers:
            layout.addWidget(QLabel("No coder's codings can go out: only documents and codebook."))
        missing = QLabel(NOT_EXPORTED)
        missing.setWordWrap(True)
        missing.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(missing)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def layers(self) -> list[str]:
        """The layers ticked."""
        return [str(box.property("layer")) for box in self.boxes if box.isChecked()]


def summary_html(summary: ImportSummary) -> str:
    """The import summary as rich text: what comes in, what is left behind, notes."""
    parts = [f"<p><b>{escape(summary.file_name)}</b>"]
    if summary.origin:
        parts.append(f" <span>written by {escape(summary.origin)}</span>")
    parts.append("</p><p><b>Brings in</b></p><ul>")
    parts += [f"<li>{escape(line)}</li>" for line in summary.brought or ["nothing"]]
    parts.append("</ul>")
    if summary.lost:
        parts.append("<p><b>Cannot bring in</b> (KetQual has no place for these):</p><ul>")
        parts += [f"<li>{escape(line)}</li>" for line in summary.lost]
        parts.append("</ul>")
    else:
        parts.append("<p>Nothing in the file is left behind.</p>")
    if summary.notes:
        parts.append("<p><b>Notes</b></p><ul>")
        parts += [f"<li>{escape(line)}</li>" for line in summary.notes]
        parts.append("</ul>")
    return "".join(parts)


class ImportSummaryDialog(QDialog):
    """Shows what a REFI-QDA import brings in and leaves behind, before it is stored.

    ``reread`` is set (and the dialog rejected) when the person picks another way of
    reading positions: the file is then read again and the dialog shown anew.
    """

    def __init__(self, summary: ImportSummary, unit: str = "auto", parent: QWidget | None = None):
        super().__init__(parent)
        self.reread: str | None = None
        self.setWindowTitle("Import a REFI-QDA project")
        layout = QVBoxLayout(self)
        view = QTextBrowser()
        view.setAccessibleName("What the import brings in and leaves behind")
        view.setHtml(summary_html(summary))
        layout.addWidget(view)
        row = QHBoxLayout()
        label = QLabel("Positions in the file count:")
        self.positions = QComboBox()
        self.positions.setAccessibleName("How the other tool counted positions")
        label.setBuddy(self.positions)
        for value, text in POSITION_LABELS:
            self.positions.addItem(text, value)
        self.positions.setCurrentIndex([v for v, _ in POSITION_LABELS].index(unit))
        again = QPushButton("&Read again")
        again.setToolTip("Read the file again, counting positions the way chosen here")
        again.clicked.connect(self._read_again)
        row.addWidget(label)
        row.addWidget(self.positions, 1)
        row.addWidget(again)
        layout.addLayout(row)
        note = QLabel("Nothing is stored until you choose Import.")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        go = buttons.addButton(
            "Import the rest…" if summary.lost else "Import…",
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        go.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def _read_again(self) -> None:
        self.reread = str(self.positions.currentData())
        self.reject()
