"""Building the demo project from the bundled, fictional consultation-day corpus."""

from __future__ import annotations

from pathlib import Path

from ketqual.core.demo_coding import plan_demo_codings
from ketqual.io import readers
from ketqual.ops import codebook_ops, coder_ops, coding_ops, import_ops, project_ops
from ketqual.ops.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.resources import demo_dir
from ketqual.store.database import ProjectStore


def demo_files() -> list[Path]:
    """The demo corpus files in import order (notes first, then feedback sheets)."""
    folder = demo_dir()
    importable = readers.SUPPORTED_DOCUMENT_EXTENSIONS + readers.SUPPORTED_TABLE_EXTENSIONS
    files = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix.lower() in importable and p.name.lower() != "readme.md"
    ]
    if not files:
        raise OperationError(f"the demo corpus is missing from {folder}")
    tables = [p for p in files if p.suffix.lower() in readers.SUPPORTED_TABLE_EXTENSIONS]
    return [p for p in files if p not in tables] + tables


def build_demo(
    target: str | Path, *, actor: str = "demo"
) -> tuple[ProjectStore, import_ops.ImportReport]:
    """Create a project at ``target`` with the default codebook and the demo corpus imported."""
    project = project_ops.new_project(target, name="Ketamine consultation day (demo)", actor=actor)
    report = import_ops.import_files(project, demo_files(), actor=actor)
    failed = [r for r in report.results if r.status != "imported"]
    if failed:
        raise OperationError(
            "the demo corpus did not import cleanly: " + "; ".join(r.line() for r in failed)
        )
    add_demo_coders(project, actor=actor)
    return project, report


DEMO_SUPERVISOR = "Supervisor"


def add_demo_coders(project: ProjectStore, *, actor: str = "demo") -> dict[str, int]:
    """Give the demo its two coders' independent codings (and a supervisor to unblind).

    The codings come from ``resources/demo/codings.json``: one careful reading of the
    corpus, with each coder's believable departures from it written down. Returns the
    number of codings per coder name.
    """
    with project.read() as tx:
        documents = tx.documents.list()
        texts = {
            (d.meta.session, d.meta.group, d.meta.kind): tx.documents.text(d.id)
            for d in documents
            if d.meta.session is not None and d.meta.group is not None
        }
        ids = {(d.meta.session, d.meta.group, d.meta.kind): d.id for d in documents}
        codes = tx.codes.list()
    by_path = {codebook_ops.code_path(codes, c): c.id for c in codes}
    plan_file = demo_dir() / "codings.json"
    try:
        planned = plan_demo_codings(plan_file.read_text(encoding="utf-8"), texts)
    except (OSError, ValueError) as exc:
        raise OperationError(f"the demo codings in {plan_file} cannot be used: {exc}") from None
    counts: dict[str, int] = {}
    for name in sorted({p.coder for p in planned}):
        coder_id = coder_ops.add_coder(project, name, actor=actor).details["coder_id"]
        mine = [
            NewCoding(
                ids[(p.session, p.group, p.kind)], by_path[p.code_path], p.start, p.end, p.memo
            )
            for p in planned
            if p.coder == name
        ]
        change = coding_ops.add_codings(project, coder_id, mine, actor=actor)
        counts[name] = len(change.details["added"])
    coder_ops.add_coder(project, DEMO_SUPERVISOR, role="supervisor", actor=actor)
    return counts
