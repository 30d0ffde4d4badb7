"""The pure half of importing: turn one file into documents with their units.

Read, describe (metadata), split combined notes, screen for identifiers (the roster's
names replaced, other suggestions kept for review) and segment; no database, so it runs
in the importing process or in a worker process alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from ketqual.core import feedback, metadata, splitting, units
from ketqual.core.model import DocumentDraft, ImportRefused, Unit
from ketqual.core.privacy import screening
from ketqual.core.privacy.hits import Hit
from ketqual.io import readers

log = logging.getLogger(__name__)


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


@dataclass
class Prepared:
    """A file turned into documents with their units, or the reason it could not be.

    A feedback sheet also brings its other columns as participant attributes
    (``participant_attributes``: label -> column -> value) and, laid out one document per
    participant, whose each document is (``owners``, parallel to ``documents``).
    """

    documents: list[tuple[DocumentDraft, list[Unit]]] = field(default_factory=list)
    failure: str = ""
    participant_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    owners: list[str | None] = field(default_factory=list)
    # per document (same order): the replacements made and the suggestions to review
    identifiers: list[tuple[list[Hit], list[Hit]]] = field(default_factory=list)


def prepare_file(
    path: Path,
    source_sha: str,
    options: ImportOptions,
    plan: screening.DetectionPlan | None = None,
) -> Prepared:
    """Read, describe, split, screen and segment one file. Pure: no database.

    Runs in this process or in a worker process; never raises for a bad file.
    """
    try:
        detector = screening.detector_for(plan or screening.DetectionPlan())
        extra: dict = {}
        if path.suffix.lower() in readers.SUPPORTED_TABLE_EXTENSIONS:
            sheet = _feedback_sheet(path, source_sha, options)
            found = sheet.drafts
            # Kept columns go through the same screening as the text (roster names replaced).
            attributes = {
                label: {k: screening.screen_value(v, detector).value for k, v in values.items()}
                for label, values in sheet.participant_attributes.items()
            }
            extra = {"participant_attributes": attributes, "owners": sheet.owners}
        else:
            found = _drafts(path, source_sha, options)
        prepared = Prepared(**extra)
        for draft in found:
            screened, applied, pending = screening.screen_draft(draft, detector)
            prepared.documents.append((screened, units.segment(screened.text)))
            prepared.identifiers.append((applied, pending))
        return prepared
    except Exception as exc:  # noqa: BLE001 - every failure becomes a reason for the user
        return Prepared(failure=failure_reason(exc, path))


def failure_reason(exc: BaseException, path: Path) -> str:
    """One line for the user saying why ``path`` could not be imported."""
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


def _drafts(path: Path, source_sha: str, options: ImportOptions) -> list[DocumentDraft]:
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
    # Explicit choices for the batch still win over what each section's header says.
    chosen = {k: v for k, v in overrides.items() if k not in ("session", "group")}
    note = (f"split into {len(sections)} group documents",)
    drafts = [
        replace(
            base,
            meta=splitting.section_meta(meta, section, extracted.text).merged(**chosen),
            text=extracted.text[section.start : section.end],
            warnings=warnings + note,
        )
        for section in sections
    ]
    return drafts


def _feedback_sheet(path: Path, source_sha: str, options: ImportOptions) -> feedback.FeedbackImport:
    drafts: list[DocumentDraft] = []
    owners: list[str | None] = []
    attributes: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    read = readers.read_table_detailed(path)
    tables = [t for t in read.tables if t.rows]
    if not tables:
        raise ImportRefused("the spreadsheet has no rows of data")
    for table in tables:
        mapping = options.feedback_mapping or feedback.guess_mapping(table.headers)
        if mapping is None:
            if len(tables) > 1:
                continue  # other sheets (a README, a tally) are not feedback
            raise ImportRefused(unmapped_reason(table.headers))
        try:
            sheet = feedback.feedback_sheet(
                table, mapping, source_name=path.name, source_sha256=source_sha
            )
        except ValueError as exc:
            raise ImportRefused(str(exc)) from None
        drafts += sheet.drafts
        owners += sheet.owners
        notes += sheet.warnings
        for label, values in sheet.participant_attributes.items():
            attributes.setdefault(label, {}).update(values)
    if not drafts:
        raise ImportRefused(
            "no sheet has recognisable feedback columns (an Answer column at least); " + MAP_HINT
        )
    if read.encoding or read.warnings or notes:
        drafts = [
            replace(
                d, encoding=read.encoding, warnings=tuple(read.warnings) + tuple(notes) + d.warnings
            )
            for d in drafts
        ]
    if options.kind or options.notetaker or options.date:
        chosen = {"kind": options.kind, "notetaker": options.notetaker, "date": options.date}
        drafts = [replace(d, meta=d.meta.merged(**chosen)) for d in drafts]
    return feedback.FeedbackImport(drafts, owners, attributes)


MAP_HINT = (
    "map the columns: in the app with Map columns…, on the command line with "
    "--columns answer=HEADER,participant=HEADER,session=HEADER,group=HEADER "
    "(answer= may repeat; layout=group|question|participant)"
)


def unmapped_reason(headers) -> str:
    """Why a sheet's columns could not be guessed, and how to map them."""
    shown = ", ".join(h for h in headers if h) or "none"
    return f"cannot tell which columns hold the answers (headers are: {shown}); {MAP_HINT}"
