"""Importing files into a project: read, describe, split, screen for identifiers, segment,
store.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ketqual.core import units
from ketqual.core.model import DOCUMENT_KINDS
from ketqual.core.privacy import kinds, screening
from ketqual.core.privacy.roster import ParsedLine, parse_roster
from ketqual.core.records import DocumentRecord
from ketqual.io import safety
from ketqual.ops.attributes import attribute_ops
from ketqual.ops.changes import NOTHING, Area, Change, default_actor
from ketqual.ops.errors import OperationError
from ketqual.ops.importing.import_prepare import (
    ImportOptions,
    Prepared,
    failure_reason,
    prepare_file,
)
from ketqual.ops.privacy.key_ops import KeySession
from ketqual.ops.team import package_guard
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

    @property
    def change(self) -> Change:
        """What the batch changed, for windows to refresh: the documents it stored, with
        their attributes (feedback sheets) and the identifiers found in them."""
        ids = tuple(self.document_ids)
        areas = {Area.DOCUMENTS, Area.ATTRIBUTES, Area.PRIVACY} if ids else NOTHING
        return Change("import.files", f"Import: {self.summary()}", areas=areas, documents=ids)


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
    names: str | Sequence[str] | Mapping[str, str | None] | None = None,
    key: KeySession | None = None,
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
        names: People (and places) to add to the key file before importing: roster text
            (see :mod:`ketqual.core.privacy.roster`), a list of names, or names mapped to
            explicit pseudonyms. Needs ``key``.
        key: The opened key file. Its roster's names are replaced at import, in the text
            and the metadata; without it (and always, for anything else) suggestions are
            kept for review.
        progress: Called as ``progress(done, total, file_name)``.
        cancelled: Polled between files; True stops the batch cleanly.
        actor: Who is importing (for the audit log).
        workers: Worker processes for reading and segmenting (``None`` = decide from the
            batch size and the machine; 0 = none).
    """
    options = options or ImportOptions()
    actor = actor or default_actor()
    with project.read() as tx:
        package_guard.refuse_in_package(tx)
    if options.kind and options.kind not in DOCUMENT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(DOCUMENT_KINDS)}")
    if names:
        add_pseudonyms(project, names, key=key, actor=actor)
    plan = screening.DetectionPlan(tuple(key.entries) if key is not None else ())
    files = [Path(p) for p in paths]
    workers = _worker_count(files) if workers is None else workers
    report = ImportReport()
    seen: dict[str, Path] = {}
    if workers <= 0:
        for index, path in enumerate(files):
            if cancelled and cancelled():
                report.cancelled = True
                break
            if progress:
                progress(index, len(files), path.name)
            source_sha, result = _check(project, path, on_duplicate, seen)
            if result is None:
                prepared = prepare_file(path, source_sha, options, plan)
                result = _store(project, path, source_sha, prepared, actor)
            report.results.append(result)
    else:
        _import_pipelined(
            project,
            files,
            options,
            plan,
            on_duplicate,
            seen,
            actor,
            workers,
            report,
            progress,
            cancelled,
        )
    if progress and not report.cancelled:
        progress(len(files), len(files), "")
    _record_detection(project, report, key, actor)
    return report


def _record_detection(project: ProjectStore, report: ImportReport, key, actor: str) -> None:
    """One audit event for the batch's detection run (counts, never the words)."""
    if not report.document_ids:
        return
    with project.transaction() as tx:
        counts: dict[str, int] = {}
        for hit in tx.identifiers.list(document_ids=report.document_ids):
            counts[hit.status] = counts.get(hit.status, 0) + 1
        tx.audit.record(
            actor,
            "privacy.detect",
            f"Looked for identifiers in {len(report.document_ids)} imported documents: "
            f"{counts.get('applied', 0)} names replaced, {counts.get('pending', 0)} to review",
            {
                "documents": len(report.document_ids),
                "replaced": counts.get("applied", 0),
                "pending": counts.get("pending", 0),
                "roster": key is not None,
                "key_file": key.path.name if key is not None else None,
            },
        )


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
    project, paths, options, plan, on_duplicate, seen, actor, workers, report, progress, cancelled
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
                job = None if result else pool.submit(prepare_file, path, source_sha, options, plan)
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
            if result is not None or job is None:
                report.results.append(result or FileResult(path, "failed", "not read"))
                continue
            try:
                prepared = job.result()
            except Exception as exc:  # a crashed worker fails this file, not the batch
                log.exception("worker failed on %s", path)
                prepared = Prepared(failure=f"unexpected error ({type(exc).__name__}: {exc})")
            report.results.append(_store(project, path, source_sha, prepared, actor))


def _warm_worker() -> None:
    units.get_sentencizer()


def roster_lines(names: str | Sequence[str] | Mapping[str, str | None]) -> list[ParsedLine]:
    """Names given to import as roster lines: roster text, a list, or name -> pseudonym."""
    if isinstance(names, str):
        try:
            return parse_roster(names)
        except ValueError as exc:
            raise OperationError(f"the names file: {exc}") from None
    pairs = names.items() if isinstance(names, dict) else ((n, None) for n in names)
    out = []
    for name, pseudonym in pairs:
        name = " ".join(str(name).split())
        if name:
            token = kinds.explicit_token(str(pseudonym)) if pseudonym else None
            out.append(ParsedLine("participant", [name], [], token))
    return out


def add_pseudonyms(
    project: ProjectStore,
    names: str | Sequence[str] | Mapping[str, str | None],
    *,
    key: KeySession | None = None,
    actor: str | None = None,
) -> int:
    """Add people to the key file's roster (never to the project); returns how many were new.

    Raises:
        OperationError: no key file was given (names must be kept apart from the project),
            inside a coder package, or a bad roster line.
    """
    actor = actor or default_actor()
    with project.read() as tx:
        package_guard.refuse_in_package(tx)
    if key is None:
        raise OperationError(
            "participants' names are kept in a key file, apart from the project: "
            "give the key file (--key FILE.kqkey) to import with names"
        )
    before = len(key.data.entries)
    try:
        key.data.add_roster(roster_lines(names))
    except ValueError as exc:
        raise OperationError(f"the names: {exc}") from None
    added = len(key.data.entries) - before
    key.save()
    with project.transaction() as tx:
        tx.audit.record(
            actor,
            "privacy.key.add",
            f"Added {added} names to the key file {key.path.name}",
            {"count": added, "file": key.path.name},
        )
    return added


def _hash(path: Path) -> tuple[str, FileResult | None]:
    try:
        return _file_sha256(path), None
    except Exception as exc:  # noqa: BLE001
        return "", FileResult(path, "failed", failure_reason(exc, path))


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
            titles = ", ".join(f"'{d.meta.title}'" for d in matches[:3])
            reason = f"already imported: the same file is in the project as {titles}"
        else:
            name = earlier.name if earlier else path.name
            reason = f"already imported: the same file as {name}, earlier in this batch"
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
            replaced = to_review = 0
            per_document: set[str] = set()  # each document's screening notes
            found = prepared.identifiers or [([], [])] * len(prepared.documents)
            for (draft, draft_units), (applied, pending) in zip(
                prepared.documents, found, strict=True
            ):
                per_document.update(screening.screening_notes(len(applied), len(pending)))
                case = tx.cases.ensure(draft.meta.session, draft.meta.group)
                doc_id = tx.documents.add(draft, draft_units, case.id if case else None).id
                ids.append(doc_id)
                tx.identifiers.add(doc_id, applied, status="applied", actor=actor)
                tx.identifiers.add(doc_id, pending)
                replaced, to_review = replaced + len(applied), to_review + len(pending)
            n = len(ids)
            kept = attribute_ops.keep_feedback_attributes(
                tx,
                prepared.participant_attributes,
                dict(zip(ids, prepared.owners + [None] * n, strict=False)),
            )
            # the file's own name may hold a name: the stored (screened) source name is used
            name = prepared.documents[0][0].source_name if prepared.documents else path.name
            summary = f"Imported {name} as {n} document{'s' if n != 1 else ''}"
            details = {
                "file": name,
                "sha256": source_sha,
                "document_ids": ids,
                "names_replaced": replaced,
                "identifiers_to_review": to_review,
            }
            tx.audit.record(actor, "document.import", summary, details)
    except Exception as exc:  # noqa: BLE001 - rolled back; the batch goes on
        return FileResult(path, "failed", failure_reason(exc, path))
    others = {w for d, _u in prepared.documents for w in d.warnings} - per_document
    # The file's totals, names replaced before those to review (a feedback sheet's
    # documents each have their own counts; sorted, they came in either order).
    warnings = sorted(others | set(kept)) + list(screening.screening_notes(replaced, to_review))
    return FileResult(path, "imported", document_ids=ids, warnings=warnings)


def _file_sha256(path: Path) -> str:
    # Checks size and that it is a regular file first: a pipe would block the hash forever.
    safety.check_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
