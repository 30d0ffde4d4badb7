"""A coder's codings to and from CSV, so work can be scripted, checked and restored.

Columns: document (title), document_uid, code (``Theme`` or ``Theme/Subtheme``), start,
end (code points, half-open), memo, text (the coded text, for checking by eye and so an
import can refuse rows whose offsets no longer point at the same words).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ketqual.core import positions
from ketqual.core.names import printable
from ketqual.io import csv_files
from ketqual.io.safety import MAX_FILE_BYTES
from ketqual.ops.changes import NOTHING, Change, default_actor
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import coding_ops
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.errors import OperationError
from ketqual.ops.privacy import outgoing
from ketqual.ops.team import coder_ops
from ketqual.store.database import ProjectStore

COLUMNS = ("document", "document_uid", "code", "start", "end", "memo", "text")
MAX_ERRORS_SHOWN = 10


@dataclass
class CsvCheck:
    """Problems found in a CSV before anything is written."""

    errors: list[str] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.errors.append(f"row {row}: {message}")


def export_codings(
    project: ProjectStore,
    coder: str,
    path: Path,
    *,
    viewer: str | None = None,
    check: outgoing.CheckOptions | None = None,
) -> Change:
    """Write one coder's codings to ``path`` (UTF-8 with BOM so Excel reads accents; a
    text that would read as a formula gets an apostrophe in front, which the import
    takes off again: ``ketqual.io.csv_files``).

    ``viewer`` is who asks; while the project is blinded only their own codings may be
    exported (the default viewer is the coder themself). What would be written is checked
    for identifiers first (``check``: see :mod:`ketqual.ops.privacy.outgoing`).
    """
    who = coder_ops.find_coder(project, coder)
    asker = coder_ops.find_coder(project, viewer) if viewer else who
    with project.read() as tx:
        coder_ops.check_may_view(tx, asker, [who.id])
        documents = {d.id: d for d in tx.documents.list()}
        codes = tx.codes.list()
        paths = {c.id: codebook_ops.code_path(codes, c) for c in codes}
        codings = tx.codings.list(coder_id=who.id)
        texts = {d: tx.documents.text(d) for d in {c.document_id for c in codings}}
    rows = [
        [
            documents[c.document_id].meta.title,
            documents[c.document_id].uid,
            paths[c.code_id],
            c.start,
            c.end,
            c.memo,
            texts[c.document_id][c.start : c.end],
        ]
        for c in codings
    ]
    outgoing.check_outgoing(
        project,
        what="codings CSV",
        destination=path,
        payload={"rows": rows},
        options=check,
        actor=asker.name,
    )
    try:
        csv_files.write_csv(path, COLUMNS, rows)
    except OSError as exc:
        raise OperationError(f"cannot write {path}: {exc.strerror or exc}") from None
    summary = f"Exported {len(codings)} codings of {who.name} to {path.name}"
    with project.transaction() as tx:
        tx.audit.record(asker.name, "codings.export", summary, {"coder": who.name})
    return Change("codings.export", summary, areas=NOTHING, details={"rows": len(codings)})


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise OperationError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
        raw = path.read_bytes()
    except OSError as exc:
        raise OperationError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OperationError(f"{path.name} is not UTF-8 text (save it as CSV UTF-8)") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [{k: csv_files.uncell(v or "") for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise OperationError(f"{path.name} is not a readable CSV file: {exc}") from None
    missing = {"code", "start", "end"} - set(reader.fieldnames or [])
    if missing or not ({"document", "document_uid"} & set(reader.fieldnames or [])):
        raise OperationError(
            f"{path.name} needs the columns {', '.join(COLUMNS)} "
            f"(found: {', '.join(reader.fieldnames or []) or 'none'})"
        )
    return rows


def import_codings(
    project: ProjectStore, coder: str, path: Path, *, actor: str | None = None
) -> Change:
    """Add the codings in a CSV to a coder's layer: all rows, or none when any is wrong.

    Documents are matched by ``document_uid``, else by title; codes by path. When the
    ``text`` column is filled it must equal the text at start-end, so a CSV made for a
    different version of a document is refused instead of coding the wrong words.
    """
    who = coder_ops.find_coder(project, coder)
    rows = _read_rows(path)
    with project.read() as tx:
        documents = tx.documents.list()
        codes = tx.codes.list()
    by_uid = {d.uid: d for d in documents}
    # Names are matched as the export wrote them: without control characters.
    by_title: dict[str, list] = {}
    for d in documents:
        by_title.setdefault(printable(d.meta.title).casefold(), []).append(d)
    by_path = {printable(codebook_ops.code_path(codes, c)).casefold(): c for c in codes}
    texts: dict[int, str] = {}
    check, wanted = CsvCheck(), []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        doc = by_uid.get((row.get("document_uid") or "").strip())
        if doc is None:
            matches = by_title.get((row.get("document") or "").strip().casefold(), [])
            if len(matches) != 1:
                why = "matches several documents" if matches else "is not in the project"
                check.add(number, f"document '{row.get('document', '')}' {why}")
                continue
            doc = matches[0]
        code = by_path.get((row.get("code") or "").strip().casefold())
        if code is None:
            check.add(number, f"no code called '{row.get('code', '')}'")
            continue
        try:
            start, end = int(row["start"]), int(row["end"])
        except (TypeError, ValueError):
            check.add(number, "start and end must be whole numbers")
            continue
        if doc.id not in texts:
            with project.read() as tx:
                texts[doc.id] = tx.documents.text(doc.id)
        quoted = row.get("text") or ""
        if not 0 <= start < end <= len(texts[doc.id]):
            check.add(number, f"span {start}-{end} is outside '{doc.meta.title}'")
        elif quoted and printable(texts[doc.id][start:end]) != quoted:
            text = texts[doc.id]
            check.add(
                number,
                f"at {start}-{end} of '{doc.meta.title}' the row expects "
                f"“{positions.brief(quoted)}” but the document has "
                f"“{positions.brief(text[start:end])}”; "
                + positions.likely_cause(text, start, end, quoted),
            )
        else:
            wanted.append(NewCoding(doc.id, code.id, start, end, row.get("memo") or ""))
    if check.errors:
        shown = check.errors[:MAX_ERRORS_SHOWN]
        more = len(check.errors) - len(shown)
        raise OperationError(
            f"nothing imported from {path.name}; fix these rows: "
            + "; ".join(shown)
            + (f"; and {more} more" if more else "")
        )
    if not wanted:
        raise OperationError(f"{path.name} has no codings")
    return coding_ops.add_codings(
        project,
        who.id,
        wanted,
        actor=actor or default_actor(),
        audit_summary=f"Imported codings for {who.name} from {path.name}",
    )
