"""Importing files into a project: read, describe, split, pseudonymise, segment, store.

Each file is stored in its own transaction, so a file either arrives whole (with every
document split from it and all their units) or not at all, and one bad file never stops
the batch. Every outcome is reported per file in plain words.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ketqual.core import feedback, metadata, pseudonymise, splitting, units
from ketqual.core.model import DOCUMENT_KINDS, DocumentDraft, DocumentMeta, ImportRefused, Unit
from ketqual.core.records import DocumentRecord
from ketqual.io import readers, safety
from ketqual.ops.changes import default_actor
from ketqual.store.database import ProjectStore

log = logging.getLogger(__name__)

# Decides what to do with a file whose SHA-256 is already in the project:
# called with the path and the documents it matches; True = import it again.
DuplicatePolicy = Callable[[Path, list[DocumentRecord]], bool]
Progress = Callable[[int, int, str], None]

# Below these, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


@dataclass
class FileResult:
    """What happened to one file."""

    path: Path
    status: str  # imported | skipped | failed
    reason: str = ""
    document_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for a report."""
        if self.status == "imported":
            n = len(self.document_ids)
            extra = f" ({'; '.join(self.warnings)})" if self.warnings else ""
            return f"imported  {self.path.name}: {n} document{'s' if n != 1 else ''}{extra}"
        return f"{self.status:<9} {self.path.name}: {self.reason}"


@dataclass
class ImportReport:
    """Results of a batch, in the order the files were given."""

    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(1 for r in self.results if r.status == status)

    @property
    def document_ids(self) -> list[int]:
        """Every document stored by the batch."""
        return [d for r in self.results for d in r.document_ids]

    def summary(self) -> str:
        """A closing line such as ``3 imported, 1 skipped, 2 failed``."""
        text = ", ".join(f"{self.count(s)} {s}" for s in ("imported", "skipped", "failed"))
        return text + (" (cancelled)" if self.cancelled else "")


@dataclass(frozen=True)
class ImportOptions:
    """Choices that apply to every file of a batch (``None`` = infer per file)."""

    kind: str | None = None
    session: int | None = None
    group: int | None = None
    notetaker: str | None = None
    date: str | None = None
    split_combined: bool = True
    feedback_mapping: feedback.ColumnMapping | None = None


def skip_duplicates(_path: Path, _matches: list[DocumentRecord]) -> bool:
    """Duplicate policy: never import a file twice."""
    return False


def import_duplicates(_path: Path, _matches: list[DocumentRecord]) -> bool:
    """Duplicate policy: import it again anyway."""
    return True


def import_files(
    project: ProjectStore,
    paths: Iterable[Path | str],
    options: ImportOptions | None = None,
    *,
    on_duplicate: DuplicatePolicy = skip_duplicates,
    names: Sequence[str] | dict[str, str | None] | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    actor: str | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import a batch of files; never raises for a bad file.

    Args:
        project: The open project.
        paths: Files to import (documents or feedback-sheet tables).
        options: Metadata overrides and choices for the batch.
        on_duplicate: Asked for each file already imported (same SHA-256).
        names: Participant names to add to the pseudonymisation key before importing.
        progress: Called as ``progress(done, total, file_name)``.
        cancelled: Polled between files; True stops the batch cleanly.
        actor: Who is importing (for the audit log).
        workers: Worker processes for reading and segmenting (``None`` = decide from the
            batch size and the machine; 0 = none).
    """
    options = options or ImportOptions()
    actor = actor or default_actor()
    if options.kind and options.kind not in DOCUMENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(DOCUMENT_KINDS)}")
    if names:
        add_pseudonyms(project, names, actor=actor)
    with project.read() as tx:
        key = tx.pseudonyms.key()
    paths = [Path(p) for p in paths]
    workers = _worker_count(paths) if workers is None else workers
    report = ImportReport()
    seen: dict[str, Path] = {}
    if workers <= 0:
        for index, path in enumerate(paths):
            if cancelled and cancelled():
                report.cancelled = True
                break
            if progress:
                progress(index, len(paths), path.name)
            source_sha, result = _check(project, path, on_duplicate, seen)
            if result is None:
                prepared = prepare_file(path, source_sha, options, key)
                result = _store(project, path, source_sha, prepared, actor)
            report.results.append(result)
    else:
        _import_pipelined(
            project,
            paths,
            options,
            key,
            on_duplicate,
            seen,
            actor,
            workers,
            report,
            progress,
            cancelled,
        )
    if progress and not report.cancelled:
        progress(len(paths), len(paths), "")
    return report


def _worker_count(paths: list[Path]) -> int:
    """Worker processes worth starting: none for small batches (a worker takes ~1 s to start)."""
    cpus = os.cpu_count() or 1
    if cpus < 2 or len(paths) < PARALLEL_MIN_FILES:
        return 0
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return min(2, cpus) if size >= PARALLEL_MIN_BYTES else 0


def _import_pipelined(
    project, paths, options, key, on_duplicate, seen, actor, workers, report, progress, cancelled
) -> None:
    """Read and segment in worker processes while this process stores, in the given order.

    Duplicate questions are all asked first (they need the database); then each file is
    stored in its own transaction as its prepared documents arrive.
    """
    context = multiprocessing.get_context("spawn")  # fork is unsafe next to Qt's threads
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_worker) as pool:
        hashed = [(path, *_hash(path)) for path in paths]
        with project.read() as tx:  # one query for the whole batch
            known = tx.documents.find_by_sha256_many(
                sha for _p, sha, failed in hashed if not failed
            )
        checked = [
            (path, sha, failed or _decide(path, sha, known.get(sha, []), on_duplicate, seen)[1])
            for path, sha, failed in hashed
        ]
        # A sliding window of jobs in flight keeps workers busy without holding the whole
        # batch's prepared documents in memory at once.
        window = 4 * workers
        futures: dict[int, Future | None] = {}
        submitted = 0

        def submit_up_to(limit: int) -> None:
            nonlocal submitted
            while submitted < min(limit, len(checked)):
                path, source_sha, result = checked[submitted]
                job = None if result else pool.submit(prepare_file, path, source_sha, options, key)
                futures[submitted] = job
                submitted += 1

        submit_up_to(window)
        for index, (path, source_sha, result) in enumerate(checked):
            if cancelled and cancelled():
                report.cancelled = True
                for pending in futures.values():
                    if pending is not None:
                        pending.cancel()
                break
            if progress:
                progress(index, len(paths), path.name)
            submit_up_to(index + 1 + window)
            job = futures.pop(index)
            if result is not None:
                report.results.append(result)
                continue
            try:
                prepared = job.result()
            except Exception as exc:  # a crashed worker fails this file, not the batch
                log.exception("worker failed on %s", path)
                prepared = Prepared(failure=f"unexpected error ({type(exc).__name__}: {exc})")
            report.results.append(_store(project, path, source_sha, prepared, actor))


def _warm_worker() -> None:
    units.get_sentencizer()


def add_pseudonyms(
    project: ProjectStore, names: Sequence[str] | dict[str, str], *, actor: str | None = None
) -> int:
    """Add participant names to the project's pseudonymisation key; returns how many were new."""
    actor = actor or default_actor()
    with project.transaction() as tx:
        # Existing pairs go in as explicit pseudonyms so new names continue the numbering.
        merged: dict[str, str | None] = dict(tx.pseudonyms.key())
        pairs = names.items() if isinstance(names, dict) else ((n, None) for n in names)
        for name, pseudonym in pairs:
            merged.setdefault(name, pseudonym)
        added = tx.pseudonyms.add(pseudonymise.build_key(merged))
        if added:
            tx.audit.record(
                actor,
                "pseudonyms.add",
                f"Added {added} names to the pseudonymisation key",
                {"count": added},
            )
    return added


@dataclass
class Prepared:
    """A file turned into documents with their units, or the reason it could not be."""

    documents: list[tuple[DocumentDraft, list[Unit]]] = field(default_factory=list)
    failure: str = ""


def prepare_file(
    path: Path, source_sha: str, options: ImportOptions, key: dict[str, str]
) -> Prepared:
    """Read, describe, split, pseudonymise and segment one file. Pure: no database.

    Runs in this process or in a worker process; never raises for a bad file.
    """
    try:
        drafts = [_pseudonymised(d, key) for d in _drafts(path, source_sha, options)]
        return Prepared([(d, units.segment(d.text)) for d in drafts])
    except Exception as exc:  # noqa: BLE001 - every failure becomes a reason for the user
        return Prepared(failure=_failure_reason(exc, path))


def _failure_reason(exc: BaseException, path: Path) -> str:
    if isinstance(exc, ImportRefused):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "the file was not found (moved or deleted?)"
    if isinstance(exc, PermissionError):
        return "permission denied: KetQual may not read this file"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file"
    if isinstance(exc, OSError):
        return f"could not read the file: {exc.strerror or exc}"
    # A reader bug must not stop the batch or lose the project.
    log.error("unexpected error importing %s", path, exc_info=exc)
    return f"unexpected error ({type(exc).__name__}: {exc}); nothing was stored"


def _hash(path: Path) -> tuple[str, FileResult | None]:
    try:
        return _file_sha256(path), None
    except Exception as exc:  # noqa: BLE001
        return "", FileResult(path, "failed", _failure_reason(exc, path))


def _check(
    project: ProjectStore, path: Path, on_duplicate: DuplicatePolicy, seen: dict[str, Path]
) -> tuple[str, FileResult | None]:
    """Hash a file and decide about duplicates: ``(sha, None)`` to go on, else a result."""
    source_sha, failed = _hash(path)
    if failed:
        return source_sha, failed
    with project.read() as tx:
        matches = tx.documents.find_by_sha256(source_sha)
    return _decide(path, source_sha, matches, on_duplicate, seen)


def _decide(
    path: Path,
    source_sha: str,
    matches: list[DocumentRecord],
    on_duplicate: DuplicatePolicy,
    seen: dict[str, Path],
) -> tuple[str, FileResult | None]:
    """Skip a file already in the project or earlier in the batch, unless the policy says so."""
    earlier = seen.get(source_sha)
    if (matches or earlier) and not on_duplicate(path, matches):
        if matches:
            titles = ", ".join(f"#{d.id} {d.meta.title}" for d in matches[:3])
            reason = f"already imported (same SHA-256 as {titles})"
        else:
            reason = f"already imported (same SHA-256 as {earlier.name}, earlier in this batch)"
        return source_sha, FileResult(path, "skipped", reason)
    seen[source_sha] = path
    return source_sha, None


def _store(
    project: ProjectStore, path: Path, source_sha: str, prepared: Prepared, actor: str
) -> FileResult:
    """Store one file's documents in one transaction: all of them or none."""
    if prepared.failure:
        return FileResult(path, "failed", prepared.failure)
    try:
        with project.transaction() as tx:
            ids = []
            for draft, draft_units in prepared.documents:
                case = tx.cases.ensure(draft.meta.session, draft.meta.group)
                ids.append(tx.documents.add(draft, draft_units, case.id if case else None).id)
            n = len(ids)
            summary = f"Imported {path.name} as {n} document{'s' if n != 1 else ''}"
            details = {"file": path.name, "sha256": source_sha, "document_ids": ids}
            tx.audit.record(actor, "document.import", summary, details)
    except Exception as exc:  # noqa: BLE001 - rolled back; the batch goes on
        return FileResult(path, "failed", _failure_reason(exc, path))
    warnings = sorted({w for d, _u in prepared.documents for w in d.warnings})
    return FileResult(path, "imported", document_ids=ids, warnings=warnings)


def _file_sha256(path: Path) -> str:
    # Checks size and that it is a regular file first: a pipe would block the hash forever.
    safety.check_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _drafts(path: Path, source_sha: str, options: ImportOptions) -> list[DocumentDraft]:
    suffix = path.suffix.lower()
    if suffix in readers.SUPPORTED_TABLE_EXTENSIONS:
        return _feedback_drafts(path, source_sha, options)
    extracted = readers.read_document(path)
    overrides = {
        "kind": options.kind,
        "session": options.session,
        "group": options.group,
        "notetaker": options.notetaker,
        "date": options.date,
    }
    meta, notes = metadata.infer_meta(path.name, extracted.text, **overrides)
    warnings = tuple(extracted.warnings) + tuple(notes)
    base = DocumentDraft(
        meta=meta,
        text=extracted.text,
        source_name=path.name,
        source_sha256=source_sha,
        source_format=extracted.format,
        encoding=extracted.encoding,
        warnings=warnings,
    )
    if not options.split_combined or options.group is not None:
        return [base]
    sections = splitting.find_group_sections(extracted.text, default_session=meta.session)
    if not sections:
        return [base]
    outside = splitting.uncovered_spans(extracted.text, sections)
    if outside:
        left = sum(b - a for a, b in outside)
        start = " ".join(extracted.text[outside[0][0] : outside[0][1]].split())[:40]
        warnings += (
            f"{left} characters outside the group sections were not imported "
            f"(starting “{start}…”); import without splitting to keep them",
        )
    drafts = []
    for section in sections:
        text = extracted.text[section.start : section.end]
        facts = metadata.infer_from_text(text)
        section_meta = DocumentMeta(
            title=metadata.make_title(section.session, section.group, meta.kind),
            kind=meta.kind,
            session=section.session,
            group=section.group,
            notetaker=facts.get("notetaker") or meta.notetaker,
            date=facts.get("date") or meta.date,
        ).merged(**{k: v for k, v in overrides.items() if k not in ("session", "group")})
        drafts.append(
            DocumentDraft(
                section_meta,
                text,
                path.name,
                source_sha,
                extracted.format,
                extracted.encoding,
                warnings + (f"split into {len(sections)} group documents",),
            )
        )
    return drafts


def _feedback_drafts(path: Path, source_sha: str, options: ImportOptions) -> list[DocumentDraft]:
    drafts: list[DocumentDraft] = []
    read = readers.read_table_detailed(path)
    tables = [t for t in read.tables if t.rows]
    if not tables:
        raise ImportRefused("the spreadsheet has no rows of data")
    for table in tables:
        mapping = options.feedback_mapping or feedback.guess_mapping(table.headers)
        if mapping is None:
            if len(tables) > 1:
                continue  # other sheets (a README, a tally) are not feedback
            raise ImportRefused(
                "cannot tell which columns hold the answers; map the columns "
                f"(headers are: {', '.join(h for h in table.headers if h)})"
            )
        try:
            drafts += feedback.feedback_documents(
                table, mapping, source_name=path.name, source_sha256=source_sha
            )
        except ValueError as exc:
            raise ImportRefused(str(exc)) from None
    if not drafts:
        raise ImportRefused(
            "no sheet has recognisable feedback columns (an Answer column at least)"
        )
    if read.encoding or read.warnings:
        drafts = [
            DocumentDraft(
                d.meta,
                d.text,
                d.source_name,
                d.source_sha256,
                d.source_format,
                read.encoding,
                tuple(read.warnings) + tuple(d.warnings),
            )
            for d in drafts
        ]
    if options.kind or options.notetaker or options.date:
        drafts = [
            DocumentDraft(
                d.meta.merged(kind=options.kind, notetaker=options.notetaker, date=options.date),
                d.text,
                d.source_name,
                d.source_sha256,
                d.source_format,
                d.encoding,
                d.warnings,
            )
            for d in drafts
        ]
    return drafts


def _pseudonymised(draft: DocumentDraft, key: dict[str, str]) -> DocumentDraft:
    if not key:
        return draft
    text, count = pseudonymise.pseudonymise(draft.text, key)
    if not count:
        return draft
    note = f"{count} name{'s' if count != 1 else ''} pseudonymised"
    return DocumentDraft(
        draft.meta,
        text,
        draft.source_name,
        draft.source_sha256,
        draft.source_format,
        draft.encoding,
        draft.warnings + (note,),
    )
