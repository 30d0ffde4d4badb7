"""Open every window and dialog at one screen size and list what does not fit.

Run as ``python -m tests.gui.fit_check WIDTHxHEIGHT OUT.json [SHOTS_DIR]`` with the offscreen
platform; ``test_fit_screen.py`` runs it at 1366×768 and 1280×720 (each run needs its own
process: the screen size is fixed when Qt starts). A window fits when its frame lies inside
the screen's available area and every visible button lies inside the window (a button in a
scroll area counts when the scroll area itself is inside).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def configure(size: str) -> None:
    width, height = (int(v) for v in size.split("x"))
    config = Path(tempfile.mkdtemp()) / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def problems_of(widget) -> list[str]:
    """What of ``widget`` (a top-level window) lies outside the screen or the window."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea

    found = []
    area = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    if frame.width() > area.width() or frame.height() > area.height():
        found.append(f"window {frame.width()}x{frame.height()} is larger than the screen")
    inside = widget.rect()
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisibleTo(widget) or button.width() == 0:
            continue
        parent = button.parentWidget()
        scrolled = False
        while parent is not None and parent is not widget:
            if isinstance(parent, QAbstractScrollArea):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        top_left = button.mapTo(widget, button.rect().topLeft())
        bottom_right = button.mapTo(widget, button.rect().bottomRight())
        if not (inside.contains(top_left) and inside.contains(bottom_right)):
            label = button.text() or button.accessibleName() or button.objectName() or "?"
            found.append(f"button {label!r} is outside the window")
    return found


def main(argv: list[str]) -> int:
    size, out = argv[0], Path(argv[1])
    shots = Path(argv[2]) if len(argv) > 2 else None
    configure(size)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from ketqual.gui.main_window import MainWindow
    from ketqual.gui.tool_windows import PLACES
    from ketqual.ops import demo_ops

    report: dict[str, list[str]] = {}
    folder = Path(tempfile.mkdtemp())
    project, _ = demo_ops.build_demo(folder / "demo.ketqual", meeting=True)
    project.close()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.persist_layout = False
    window.interactive = False
    window.show()
    window.open_project(folder / "demo.ketqual", coder="Supervisor")

    def settle(ms: int = 600) -> None:
        import time

        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def check(name: str, widget) -> None:
        widget.show()
        settle()
        report[name] = problems_of(widget)
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            widget.grab().save(str(shots / f"{name}-{size}.png"))

    check("main", window)
    for place, (_method, attribute) in sorted(PLACES.items()):
        if attribute is None:
            continue
        opened = window.open_place(place)
        if opened is not None:
            check(place, opened)
            opened.close()
    for name, dialog in dialogs(window):
        check(name, dialog)
        dialog.close()
    window.close_project()
    window.close()
    out.write_text(json.dumps(report, indent=1))
    return 0


def dialogs(window):
    """Every dialog a person meets, built as the app builds them."""
    from ketqual.gui.codebook.codebook_pane import CodeDefinitionDialog
    from ketqual.gui.coding.document_dialog import DocumentDialog
    from ketqual.gui.consensus.consensus_dialogs import (
        CodebookDecisionDialog,
        EditDialog,
        NewReviewDialog,
    )
    from ketqual.gui.exchange.exchange_dialogs import ExportDialog, ImportSummaryDialog
    from ketqual.gui.help.about_dialog import AboutDialog
    from ketqual.gui.importing.import_dialogs import ImportOptionsDialog
    from ketqual.gui.team.coder_dialog import CoderDialog
    from ketqual.gui.team.server_dialog import ServerDialog
    from ketqual.ops import queries
    from ketqual.ops.consensus import consensus_ops
    from ketqual.ops.exchange import qdpx_import
    from ketqual.ops.team import coder_ops

    project = window.project
    codes, _counts = queries.list_codes(project)
    names = {c.id: c.name for c in codes}
    documents = queries.list_documents(project)
    yield (
        "import-options",
        ImportOptionsDialog(
            [Path("S1_G1_scribe.txt")], window, runner=window.runner, actor="Supervisor"
        ),
    )
    yield "coder", CoderDialog(window.runner, window)
    yield "server", ServerDialog(window)
    yield "about", AboutDialog("0", window)
    yield "code-definition", CodeDefinitionDialog(codes[0], window)
    yield "document-details", DocumentDialog(documents[0].record, window)
    yield "new-review", NewReviewDialog(coder_ops.list_coders(project), window)
    [review] = consensus_ops.reviews(project, viewer="Supervisor")
    item = consensus_ops.queue_items(project, review.review.id, viewer="Supervisor")[0]
    text = queries.document_text(project, item.document_id)
    yield "edit-consensus", EditDialog(item, text, codes, names.get, window)
    from ketqual.gui.attributes.attributes_window import AttributeDialog
    from ketqual.gui.importing.feedback_mapping_dialog import FeedbackMappingDialog

    yield "attribute", AttributeDialog("participant", window)
    headers = ("Session", "Group", "Participant", "Age", "What worried you most?", "Hopes")
    yield "feedback-mapping", FeedbackMappingDialog("feedback.xlsx", headers, window)
    yield "codebook-decision", CodebookDecisionDialog(codes, names.get, window)
    layers = ["Coder A", "Coder B", "Supervisor", "Consensus"]
    yield "exchange-export", ExportDialog(layers, blinded=False, parent=window)
    sample = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "samples"
    plan = qdpx_import.read_qdpx(sample / "refi-spec-example3_atlasti-8-mac_TestProject.qdpx")
    yield "exchange-import-summary", ImportSummaryDialog(plan.summary, parent=window)
    from ketqual.gui.privacy.key_dialogs import PassphraseDialog

    yield (
        "key-passphrase",
        PassphraseDialog(
            "New key file", "Choose a passphrase for the key file.", confirm=True, parent=window
        ),
    )
    from ketqual.gui.privacy.export_guard import BlockedExportDialog, ReasonDialog

    found = "\n".join(f"  rows[{n}].memo: “07700 900{n:03d}” – phone number" for n in range(12))
    blocked = (
        "the framework matrices were not written: it holds 14 possible identifiers; review "
        "them (Privacy › Review identifiers), or a supervisor can let them through with a "
        f"reason:\n{found}\n  … and 2 more"
    )
    yield "export-blocked", BlockedExportDialog(blocked, may_override=True, parent=window)
    yield "export-blocked-coder", BlockedExportDialog(blocked, may_override=False, parent=window)
    yield "export-reason", ReasonDialog(window)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
