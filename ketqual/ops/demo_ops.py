"""Building the demo project from the bundled, fictional consultation-day corpus."""

from __future__ import annotations

from pathlib import Path

from ketqual.io import readers
from ketqual.ops import import_ops, project_ops
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
    return project, report
