"""Reading a REFI-QDA project (``.qdpx``, or a bare ``.qde``) into an import plan, without
touching any project: the texts with their units, coders, codebook, codings, memos and
cases, and an :class:`~ketqual.core.exchange.ImportSummary` saying what comes in and what
KetQual has no place for (pictures, audio, video, PDF regions, graphs, links, sets…).
:mod:`ketqual.ops.exchange.qdpx_import` stores a plan as a new project.

Choices worth knowing:

* texts are kept as the source has them, line endings normalised only, and every
  position is mapped accordingly; how the file counted positions (code points or UTF-16,
  CRLF as one or two) is detected from the texts (see :mod:`ketqual.core.positions`) unless
  the user says;
* codes deeper than theme › subtheme are flattened: everything below a theme becomes a
  subtheme named by its path (``competencies › programming``); ``isCodable="false"`` codes
  are kept as themes or subthemes like any other (they simply have no codings);
* users become coders (one per name; ATLAS.ti's built-in user is left out); a user named
  "Consensus" (or the one KetQual wrote as such) becomes the consensus layer;
* every coding is kept, repeats included (KetQual holds them); only a coding the file lists
  twice (the same GUID) is read once;
* the "KetQual project details" note of a KetQual export restores what the standard has no
  place for (roles, number keys, retired codes, where documents came from).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ketqual.core import codebook as cb
from ketqual.core import exchange, palette, positions, textmap, units
from ketqual.core.collection import collection_paused
from ketqual.core.exchange import ImportSummary, plural
from ketqual.core.model import DocumentDraft, DocumentMeta, ImportRefused, Unit
from ketqual.core.text import sha256_bytes
from ketqual.io.formats import refi_qda as qda
from ketqual.io.formats import refi_qda_reader
from ketqual.io.readers import plaintext
from ketqual.ops.errors import OperationError
from ketqual.ops.exchange import qdpx_export
from ketqual.ops.team import coder_ops

Progress = Callable[[int, int, str], None]
CONSENSUS = None  # the consensus layer's coder key
UNKNOWN_CODER = "Unknown coder"
_HEX_COLOUR = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
POSITION_CHOICES = (positions.AUTO, positions.CODEPOINTS, positions.UTF16)
DETECTION_SAMPLE = 3000


@dataclass
class PlannedCode:
    """A code to create: ``key`` is the file's GUID key, ``parent`` the theme's key."""

    key: str
    parent: str | None
    name: str
    colour: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    shortcut: str | None = None
    active: bool = True
    uid: str | None = None


@dataclass
class PlannedCoder:
    """A coder to create (several users of one name become one coder)."""

    key: str
    name: str
    role: str = "coder"
    colour: str = "#332288"
    uid: str | None = None


@dataclass
class PlannedDocument:
    """A document to store: its draft (text and metadata), units and case."""

    key: str
    draft: DocumentDraft
    units: list[Unit]
    case: str | None = None
    uid: str | None = None


@dataclass
class PlannedCase:
    """A case to create."""

    key: str
    name: str
    session: int | None = None
    group: int | None = None
    attributes: dict = field(default_factory=dict)
    uid: str | None = None


@dataclass
class PlannedCoding:
    """A coding: document and code by key, coder key (``None`` = consensus layer)."""

    document: str
    code: str
    coder: str | None
    start: int
    end: int
    memo: str = ""
    uid: str | None = None


@dataclass
class PlannedMemo:
    """A free memo: target type and key (``None`` for the project)."""

    coder: str | None
    target_type: str
    target: str | None
    text: str
    uid: str | None = None


@dataclass
class ImportPlan:
    """Everything to store, read from the file without touching any project."""

    file: Path
    project_name: str
    summary: ImportSummary
    coders: list[PlannedCoder] = field(default_factory=list)
    codes: list[PlannedCode] = field(default_factory=list)
    cases: list[PlannedCase] = field(default_factory=list)
    documents: list[PlannedDocument] = field(default_factory=list)
    codings: list[PlannedCoding] = field(default_factory=list)
    memos: list[PlannedMemo] = field(default_factory=list)
    convention: str = ""
    spans_on_boundaries: tuple[int, int] = (0, 0)  # (on word boundaries, selections stored)


# ----- reading ----------------------------------------------------------------------------
def decode_source(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """The text of a source file (byte-order mark removed), its encoding and any warnings.

    The standard says UTF-8; real files are sometimes UTF-16 (with a mark) or a legacy code
    page, which is detected as for any imported text file and reported.
    """
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode(codec), codec, ()
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    try:
        decoded = plaintext.decode_text(data)
    except ImportRefused:
        return data.decode("utf-8", "replace"), "utf-8", ("undecodable bytes were replaced",)
    return decoded.text, decoded.encoding, decoded.warnings


def _colour(value: str | None, fallback: str) -> str:
    match = _HEX_COLOUR.match((value or "").strip())
    if match is None:
        return fallback
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()


def _details(project: qda.Project) -> tuple[dict, str | None]:
    """KetQual's own details note, if the file was written by KetQual, and its GUID key."""
    for note in project.notes:
        if note.name == qdpx_export.DETAILS_NOTE and note.content:
            try:
                data = json.loads(note.content)
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("format") == qdpx_export.DETAILS_FORMAT:
                return data, qda.guid_key(note.guid)
    return {}, None


class _Uids:
    """Uids from GUIDs, each used once (a duplicate GUID gets a fresh uid)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, guid: str) -> str | None:
        uid = qda.uid_from_guid(guid)
        if uid is None or uid in self.used:
            return None
        self.used.add(uid)
        return uid


def plan_codes(
    project: qda.Project, details: dict, summary: ImportSummary
) -> tuple[list[PlannedCode], dict[str, str]]:
    """The file's codebook as KetQual codes, themes each followed by their subthemes, and
    every file code's GUID key -> its planned code's key (codes below the second level
    point at the subtheme they were flattened into... themselves, named by path)."""
    code_details = {qda.guid_key(k): v for k, v in (details.get("codes") or {}).items()}
    planned: list[PlannedCode] = []
    key_of: dict[str, str] = {}
    uids = _Uids()
    themes_taken: set[str] = set()
    renamed = flattened = folders = duplicates = 0

    def add(
        code: qda.Code, parent: PlannedCode | None, name: str, taken: set[str], index: int
    ) -> PlannedCode:
        nonlocal renamed
        clean = exchange.clean_name(name, fallback="Unnamed code")
        unique = exchange.unique_name(clean, taken)
        renamed += unique != name
        if parent is None:
            colour = _colour(code.colour, palette.theme_colour(index))
        else:
            colour = _colour(code.colour, palette.subtheme_colour(parent.colour, index))
        texts = exchange.parse_description(code.description)
        extra = code_details.get(qda.guid_key(code.guid), {})
        shortcut = extra.get("shortcut") if parent is None else None
        planned_code = PlannedCode(
            key=qda.guid_key(code.guid),
            parent=parent.key if parent else None,
            name=unique,
            colour=colour,
            shortcut=shortcut if shortcut in cb.SHORTCUT_KEYS else None,
            active=bool(extra.get("active", True)),
            uid=uids.take(code.guid),
            **texts,
        )
        planned.append(planned_code)
        return planned_code

    for index, theme_code in enumerate(project.codes):
        if qda.guid_key(theme_code.guid) in key_of:
            duplicates += 1
            continue
        theme = add(theme_code, None, theme_code.name, themes_taken, index)
        key_of[theme.key] = theme.key
        folders += not theme_code.codable
        sub_taken: set[str] = set()
        position = 0
        stack = [(child, [child.name]) for child in theme_code.children]
        while stack:
            child, path = stack.pop(0)
            guid = qda.guid_key(child.guid)
            if guid in key_of:
                duplicates += 1
                continue
            flattened += len(path) > 1
            folders += not child.codable
            name = exchange.PATH_SEPARATOR.join(
                exchange.clean_name(p, fallback="Unnamed code") for p in path
            )
            sub = add(child, theme, name, sub_taken, position)
            position += 1
            key_of[guid] = sub.key
            # children come right after their parent, in their order
            stack[0:0] = [(grandchild, [*path, grandchild.name]) for grandchild in child.children]
    if not code_details and not any(c.shortcut for c in planned):
        themes = [c for c in planned if c.parent is None]
        for key, code in zip(cb.SHORTCUT_KEYS, themes, strict=False):
            code.shortcut = key
        if len(themes) == 1:
            summary.notes.append(f"number key 1 given to the theme '{themes[0].name}'")
        elif themes:
            last = min(len(themes), 10)
            summary.notes.append(
                f"number keys 1-{last % 10} given to the first {last} themes, for coding"
            )
    if flattened:
        summary.notes.append(
            f"{plural(flattened, 'code')} nested deeper than theme › subtheme became "
            f"subthemes named by their path (e.g. “{next(c.name for c in planned if exchange.PATH_SEPARATOR in c.name)}”)"
        )
    if folders:
        summary.notes.append(
            f"{plural(folders, 'code')} marked not codable (folders) kept in the tree"
        )
    if renamed:
        summary.notes.append(
            f"{plural(renamed, 'code name')} tidied or made unique (e.g. '/' became '∕')"
        )
    if duplicates:
        summary.notes.append(f"{plural(duplicates, 'code')} listed twice in the file kept once")
    return planned, key_of


def _plan_coders(project: qda.Project, details: dict, summary: ImportSummary):
    """Coders, and user GUID key -> coder key (``None`` for the consensus layer)."""
    coder_details = {qda.guid_key(k): v for k, v in (details.get("coders") or {}).items()}
    consensus_guid = qda.guid_key(details.get("consensus_user"))
    coders: list[PlannedCoder] = []
    by_name: dict[str, PlannedCoder] = {}
    user_key: dict[str, str | None] = {}
    uids = _Uids()
    merged = 0
    for user in project.users:
        guid = qda.guid_key(user.guid)
        if guid in user_key:
            continue
        if guid == qda.ATLAS_PSEUDO_USER:
            summary.notes.append(
                f"ATLAS.ti's built-in user '{user.name or 'ATLAS.ti'}' is not a person; left out"
            )
            user_key[guid] = "atlas"
            continue
        name = exchange.clean_name(user.name, fallback=f"User {guid[:8]}", slash=True)
        # KetQual's own export names its consensus user; in other files it goes by name.
        by_ketqual = bool(details.get("format"))
        if (by_ketqual and guid == consensus_guid) or (
            not by_ketqual and name.casefold() == qdpx_export.CONSENSUS_USER.casefold()
        ):
            user_key[guid] = CONSENSUS
            continue
        existing = by_name.get(name.casefold())
        if existing is not None:
            user_key[guid] = existing.key
            merged += 1
            continue
        extra = coder_details.get(guid, {})
        role = extra.get("role") if extra.get("role") in ("coder", "supervisor") else "coder"
        colour = _colour(
            extra.get("colour"), coder_ops.CODER_COLOURS[len(coders) % len(coder_ops.CODER_COLOURS)]
        )
        coder = PlannedCoder(guid, name, role, colour, uids.take(user.guid))
        coders.append(coder)
        by_name[name.casefold()] = coder
        user_key[guid] = coder.key
    if merged:
        summary.notes.append(
            f"{plural(merged, 'user')} with the same name as another became one coder"
        )
    return coders, user_key, by_name, uids


def _read_sources(
    qda_file: refi_qda_reader.QdaFile,
    project: qda.Project,
    summary: ImportSummary,
    progress: Progress | None,
) -> dict[str, tuple[qda.TextSource, str, str, textmap.PositionMap, dict]]:
    """Each text source whose text was found: (source, raw text, stored text, map, info)."""
    found: dict[str, tuple] = {}
    missing: list[str] = []
    outside: list[str] = []
    rich_only = 0
    warnings: tuple[str, ...]
    for number, source in enumerate(project.sources):
        if progress and number % 20 == 0:
            progress(number, len(project.sources), "Reading texts")
        label = source.name or source.plain_path or source.guid
        if source.content is not None and not source.plain_path:
            data = source.content.encode("utf-8", "surrogatepass")
            raw, encoding, warnings = source.content, "utf-8", ()
            where = "inline"
        elif source.plain_path:
            text = qda_file.read_text(source.plain_path)
            if text is None:
                missing.append(label)
                continue
            data = text.data
            raw, encoding, warnings = decode_source(data)
            where = text.where
            if where == "disk":
                outside.append(text.location)
        else:
            rich_only += bool(source.rich_path)
            if not source.rich_path:
                missing.append(label)
            continue
        stored, mapping = textmap.normalise_with_map(raw)
        file_name = (source.plain_path or "").replace("\\", "/").rsplit("/", 1)[-1]
        info = {
            "encoding": encoding,
            "warnings": warnings,
            "sha256": sha256_bytes(data),
            "file_name": file_name,
            "where": where,
        }
        found[qda.guid_key(source.guid)] = (source, raw, stored, mapping, info)
    unread = [s for s in project.sources if qda.guid_key(s.guid) not in found]
    lost_selections = sum(len(s.selections) for s in unread)
    lost_codings = sum(len(s.codings) + sum(len(x.codings) for x in s.selections) for s in unread)
    if missing:
        shown = ", ".join(f"'{m}'" for m in missing[:3]) + (" …" if len(missing) > 3 else "")
        summary.lost.append(
            f"{plural(len(missing), 'text document')} whose text is not in the file ({shown})"
            + (
                f", with {plural(lost_selections, 'selection')} and "
                f"{plural(lost_codings, 'coding')} in them"
                if lost_selections or lost_codings
                else ""
            )
        )
    if rich_only:
        summary.lost.append(
            f"{plural(rich_only, 'text document')} with only a formatted (.docx) version and no plain text"
        )
    formatted = sum(1 for s in project.sources if s.rich_path and qda.guid_key(s.guid) in found)
    if formatted:
        summary.notes.append(
            f"the formatted (.docx) versions of {plural(formatted, 'text')} are not kept: "
            "KetQual keeps the plain text the codings point into"
        )
    if outside:
        summary.notes.append(
            f"{plural(len(outside), 'text')} read from outside the file: " + ", ".join(outside[:3])
        )
    return found


def _meta_from_values(
    values: list[qda.VariableValue], names: dict[str, str], title: str
) -> tuple[DocumentMeta, dict]:
    """Document metadata from KetQual's variables (Session, Group, Kind, Notetaker, Date);
    the other values are returned by variable name."""
    meta: dict = {"title": title}
    other: dict = {}
    for value in values:
        name = names.get(qda.guid_key(value.variable_guid), "")
        key = name.casefold()
        raw = value.value
        if key in ("session", "group") and _as_int(raw) is not None:
            meta[key] = _as_int(raw)
        elif key == "kind" and exchange.kind_from_label(raw):
            meta["kind"] = exchange.kind_from_label(raw)
        elif key == "notetaker" and isinstance(raw, str) and raw.strip():
            meta["notetaker"] = raw.strip()[:200]
        elif key == "date" and isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
            meta["date"] = raw.strip()[:10]
        elif name:
            other[name] = raw
    return DocumentMeta(**meta), other


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def read_qdpx(
    path: str | Path,
    *,
    positions_unit: str = positions.AUTO,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read a REFI-QDA project file into a plan, without touching any project.

    Args:
        path: A ``.qdpx`` archive or a bare ``.qde``.
        positions_unit: ``auto`` (detect), ``codepoints`` or ``utf16``: how the file's tool
            counted positions (whether CRLF counted as two is always detected).
        progress: Called as ``progress(done, total, text)``.

    Raises:
        OperationError: The file is unsafe or not a REFI-QDA project (one sentence).
    """
    path = Path(path)
    if positions_unit not in POSITION_CHOICES:
        raise OperationError(f"positions must be one of {', '.join(POSITION_CHOICES)}")
    early: list[ProcessPoolExecutor] = []

    def start_early(qda_file: refi_qda_reader.QdaFile) -> None:
        """Worker processes start loading spaCy while the XML is parsed, when the archive's
        texts look large enough for them (the UnitFinder decides on the texts read)."""
        count, size = qda_file.text_parts()
        if count >= UnitFinder.PARALLEL_MIN_TEXTS and size >= UnitFinder.PARALLEL_MIN_CHARACTERS:
            early.extend(filter(None, [start_workers()]))

    try:
        with refi_qda_reader.open_file(path, before_parse=start_early) as qda_file:
            project = qda_file.project
            if project.is_codebook:
                raise OperationError(
                    f"{path.name} is a codebook (.qdc); import it into a project with import-qdc"
                )
            summary = ImportSummary(file_name=path.name, origin=project.origin)
            summary.counts = dict(project.counts)
            details, details_key = _details(project)
            sources = _read_sources(qda_file, project, summary, progress)
            note_texts = _note_texts(qda_file, project, details_key)
    except ImportRefused as exc:
        for pool in early:
            pool.shutdown(wait=False, cancel_futures=True)
        raise OperationError(f"cannot import {path.name}: {exc}") from None
    except BaseException:
        for pool in early:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    # Sentences are found (in worker processes for a large file) while the plan is made.
    texts = [stored for _s, _r, stored, _m, _i in sources.values()]
    with (
        UnitFinder(texts, progress, pool=early[0] if early else None) as finder,
        collection_paused(),
    ):
        plan = _plan(path, project, details, sources, note_texts, summary, positions_unit)
        for document, found in zip(plan.documents, finder.results(), strict=True):
            document.units = found
    return plan


def _note_texts(qda_file, project: qda.Project, details_key: str | None) -> dict[str, str]:
    out = {}
    for note in project.notes:
        key = qda.guid_key(note.guid)
        if key == details_key:
            continue
        if note.content is not None:
            text = note.content
        elif note.plain_path:
            found = qda_file.read_text(note.plain_path)
            text = decode_source(found.data)[0] if found is not None else ""
        else:
            text = ""
        out[key] = textmap.normalise(text)
    return out


def _plan(path, project, details, sources, note_texts, summary, unit) -> ImportPlan:
    counts = project.counts
    plan = ImportPlan(
        file=path,
        project_name=exchange.clean_name(project.name, fallback=path.stem, slash=True)[:200],
        summary=summary,
    )
    plan.codes, code_key = plan_codes(project, details, summary)
    coders, user_key, by_name, _uids = _plan_coders(project, details, summary)
    default_user = qda.guid_key(project.creating_user)

    def coder_for(*guids: str) -> str | None:
        for guid in guids:
            key = qda.guid_key(guid)
            if not key:
                continue
            if key not in user_key:  # a user the file never declared
                name = f"User {key[:8]}"
                coder = by_name.get(name.casefold()) or PlannedCoder(key, name)
                if coder.name.casefold() not in by_name:
                    coders.append(coder)
                    by_name[name.casefold()] = coder
                user_key[key] = coder.key
            if user_key[key] == "atlas":
                continue
            return user_key[key]
        if default_user and user_key.get(default_user) not in (None, "atlas"):
            return user_key[default_user]
        unknown = by_name.get(UNKNOWN_CODER.casefold())
        if unknown is None:
            unknown = PlannedCoder("unknown", UNKNOWN_CODER)
            coders.append(unknown)
            by_name[UNKNOWN_CODER.casefold()] = unknown
            summary.notes.append(f"codings without a user went to a coder named '{UNKNOWN_CODER}'")
        return unknown.key

    # How the tool counted: judged on up to DETECTION_SAMPLE selections spread over the file
    # (a tool counts one way throughout; tens of thousands add nothing but time).
    total_selections = sum(len(source.selections) for source, *_rest in sources.values())
    stride = max(1, -(-total_selections // DETECTION_SAMPLE))
    samples = []
    for source, raw, stored, mapping, _info in sources.values():
        chosen = [(s.start, s.end, s.name) for s in source.selections[::stride]]
        if chosen:
            samples.append(positions.SourceSample(raw, mapping, stored, chosen))
    convention, scores = positions.detect(samples, origin=project.origin, unit=unit)
    plan.convention = convention.describe()
    if unit != positions.AUTO:
        read_as = f"positions read as {convention.describe()} (as you chose)"
    elif len(scores) <= 1:
        read_as = "positions read as the standard counts them (characters)"
    else:
        read_as = f"positions read as {convention.describe()} (detected)"
    judged = scores[0].total if scores else 0
    others = [s for s in scores[1:] if s.on_boundaries or s.label_matches]
    if others:
        read_as += "; " + "; ".join(
            f"{s.convention.describe()} would put {s.on_boundaries:,} of {judged:,} on word "
            "boundaries"
            for s in others
        )
    if scores and scores[0].label_matches:
        read_as += f"; {scores[0].label_matches:,} of {judged:,} match the text the file quotes"

    # notes: who points at them
    note_by_key = {qda.guid_key(n.guid): n for n in project.notes}
    memo_details = {qda.guid_key(k): v for k, v in (details.get("memos") or {}).items()}
    referenced: set[str] = set()

    def author_of_user(guid: str) -> str | None:
        """The coder a user GUID stands for, if the file declares that user (no fallback)."""
        coder = user_key.get(qda.guid_key(guid)) if guid else None
        return None if coder == "atlas" else coder

    def author_of(note_guids: list[str]) -> str | None:
        """The coder who wrote the first of these notes (a person, not a tool)."""
        for guid in note_guids:
            note = note_by_key.get(qda.guid_key(guid))
            if note is not None and note.user_guid:
                coder = user_key.get(qda.guid_key(note.user_guid))
                if coder not in (None, "atlas"):
                    return coder
        return None

    def note_memos(note_guids: list[str], target_type: str, target: str | None) -> None:
        """One memo per note on a document or code (KetQual's own keep their kind)."""
        for guid in note_guids:
            key = qda.guid_key(guid)
            if key not in note_texts:
                continue
            referenced.add(key)
            from_ketqual = key in memo_details
            text = _note_as_text(note_by_key[key], note_texts[key], from_ketqual)
            if not text:
                continue
            kind = memo_details[key].get("target", target_type) if from_ketqual else target_type
            if kind not in (target_type, "suggestion"):
                kind = target_type
            plan.memos.append(
                PlannedMemo(author_of([guid]), kind, target, text, _memo_uid(note_by_key[key]))
            )

    def memo_text(note_guids: list[str], extra: str = "") -> str:
        parts = [extra.strip()] if extra.strip() else []
        for guid in note_guids:
            key = qda.guid_key(guid)
            if key not in note_texts:
                continue
            referenced.add(key)
            parts.append(_note_as_text(note_by_key[key], note_texts[key], key in memo_details))
        return "\n\n".join(p for p in parts if p)

    # cases first: documents point at them
    variable_names = {qda.guid_key(v.guid): v.name for v in project.variables}
    case_details = {qda.guid_key(k): v for k, v in (details.get("cases") or {}).items()}
    case_of: dict[str, str] = {}
    multi_case = 0
    taken_case_uids = _Uids()
    for number, case in enumerate(project.cases, start=1):
        key = qda.guid_key(case.guid)
        extra = case_details.get(key, {})
        session = _as_int(extra.get("session"))
        group = _as_int(extra.get("group"))
        attributes: dict = {}
        for value in case.values:
            name = variable_names.get(qda.guid_key(value.variable_guid), "")
            if not name:
                continue
            if name.casefold() == "session" and _as_int(value.value) is not None:
                session = _as_int(value.value)
            elif name.casefold() == "group" and _as_int(value.value) is not None:
                group = _as_int(value.value)
            else:
                attributes[name.removesuffix(" (case attribute)")] = value.value
        if case.description.strip():
            attributes.setdefault("Description", case.description.strip())
        plan.cases.append(
            PlannedCase(
                key,
                exchange.clean_name(case.name, fallback=f"Case {number}", slash=True),
                session,
                group,
                attributes,
                taken_case_uids.take(case.guid),
            )
        )
        for source_guid in case.source_guids:
            source_key = qda.guid_key(source_guid)
            if source_key in case_of:
                multi_case += 1
            else:
                case_of[source_key] = key

    # documents, their codings and memos
    doc_details = {qda.guid_key(k): v for k, v in (details.get("documents") or {}).items()}
    doc_uids = _Uids()
    coding_uids = _Uids()
    seen: set[tuple] = set()
    seen_guids: set[str] = set()
    repeats = 0
    duplicates = outside = empty = unknown_codes = uncoded_notes = 0
    boundary = total_spans = 0
    document_values_lost = 0

    def add_coding(
        doc_key: str, coding: qda.Coding, start: int, end: int, memo: str, *fallback_users: str
    ) -> None:
        nonlocal duplicates, unknown_codes, repeats
        code = code_key.get(qda.guid_key(coding.code_guid))
        if code is None:
            unknown_codes += 1
            return
        coder = coder_for(coding.user_guid, *fallback_users)
        memo = memo_text(coding.note_refs, memo)
        found_key = (doc_key, code, coder, start, end)
        guid = qda.guid_key(coding.guid)
        if guid and guid in seen_guids:  # the very same coding listed twice
            duplicates += 1
            return
        seen_guids.add(guid)
        repeats += found_key in seen  # KetQual holds repeats too: kept, and said
        seen.add(found_key)
        planned = PlannedCoding(
            doc_key, code, coder, start, end, memo, coding_uids.take(coding.guid)
        )
        plan.codings.append(planned)

    for number, (key, (source, raw, stored, mapping, info)) in enumerate(sources.items()):
        title = exchange.clean_name(
            source.name, fallback=info["file_name"] or f"Document {number + 1}", slash=True
        )
        extra = doc_details.get(key, {})
        meta, other_values = _meta_from_values(source.values, variable_names, title[:300])
        document_values_lost += len(other_values)
        draft = DocumentDraft(
            meta=meta,
            text=stored,
            source_name=str(extra.get("source_name") or info["file_name"] or title)[:500],
            source_sha256=str(extra.get("source_sha256") or info["sha256"]),
            source_format=str(extra.get("source_format") or "qdpx")[:16],
            encoding=extra.get("encoding", info["encoding"]),
            warnings=tuple(info["warnings"]),
        )
        plan.documents.append(
            PlannedDocument(key, draft, [], case_of.get(key), doc_uids.take(source.guid))
        )
        sample = positions.SourceSample(raw, mapping, stored, ())
        convert = positions.converter(sample, convention)

        for selection in source.selections:
            start, end = convert(selection.start), convert(selection.end)
            if start < 0 or end < 0 or end > len(stored) or start >= end:
                if selection.end == selection.start:
                    empty += 1
                else:
                    outside += 1
                continue
            total_spans += 1
            boundary += positions.span_on_boundaries(stored, start, end)
            selection_memo = memo_text(selection.note_refs, selection.description)
            if not selection.codings:
                if selection_memo:
                    uncoded_notes += 1
                    quote = positions.brief(stored[start:end])
                    plan.memos.append(
                        PlannedMemo(
                            author_of_user(selection.user_guid),
                            "document",
                            key,
                            f"On {start}-{end} (“{quote}”): {selection_memo}",
                        )
                    )
                continue
            for coding in selection.codings:
                add_coding(
                    key, coding, start, end, selection_memo, selection.user_guid, source.user_guid
                )
        for coding in source.codings:
            if stored:
                add_coding(key, coding, 0, len(stored), "", source.user_guid)
        if source.description.strip():
            plan.memos.append(PlannedMemo(None, "document", key, source.description.strip()))
        note_memos(source.note_refs, "document", key)
    if multi_case:
        summary.notes.append(
            f"{plural(multi_case, 'document')} in more than one case kept in the first (a KetQual document belongs to one case)"
        )

    # code memos, project memos, and notes nothing points at
    for planned_code, file_code in _codes_with_notes(project, code_key):
        note_memos(file_code.note_refs, "code", planned_code)
    case_keys = {c.key for c in plan.cases}
    for guid in project.note_refs:
        key = qda.guid_key(guid)
        if key not in note_texts:
            continue
        target = memo_details.get(key, {})
        about = qda.guid_key(target.get("about"))
        note = note_by_key[key]
        text = memo_text([guid])
        if not text:
            continue
        kind = target.get("target") or "project"
        coder = user_key.get(qda.guid_key(note.user_guid)) if note.user_guid else None
        coder = coder if coder != "atlas" else None
        if kind == "case" and about in case_keys:
            plan.memos.append(PlannedMemo(coder, "case", about, text, _memo_uid(note)))
        elif kind == "coding" and about:
            plan.memos.append(PlannedMemo(coder, "coding", about, text, _memo_uid(note)))
        elif kind == "suggestion":
            plan.memos.append(PlannedMemo(coder, "suggestion", None, text, _memo_uid(note)))
        else:
            plan.memos.append(PlannedMemo(coder, "project", None, text, _memo_uid(note)))
    loose = [k for k in note_texts if k not in referenced]
    for key in loose:
        note = note_by_key[key]
        text = _note_as_text(note, note_texts[key], key in memo_details)
        if text:
            coder = user_key.get(qda.guid_key(note.user_guid)) if note.user_guid else None
            plan.memos.append(
                PlannedMemo(
                    coder if coder != "atlas" else None, "project", None, text, _memo_uid(note)
                )
            )
    if project.description.strip():
        plan.memos.append(
            PlannedMemo(
                None, "project", None, f"About the project\n\n{project.description.strip()}"
            )
        )
    plan.coders = coders
    plan.spans_on_boundaries = (boundary, total_spans)
    if repeats:
        summary.notes.append(
            f"{plural(repeats, 'coding')} repeat another of the same code on the same span "
            "by the same coder; kept as they are"
        )
    if total_spans:
        summary.notes.append(
            f"{read_as}: {boundary:,} of {plural(total_spans, 'selection')} start and end on "
            "word boundaries"
        )
    _summarise(
        plan,
        project,
        counts,
        duplicates,
        outside,
        empty,
        unknown_codes,
        uncoded_notes,
        document_values_lost,
        multi_case,
    )
    return plan


def _memo_uid(note: qda.Note) -> str | None:
    return qda.uid_from_guid(note.guid)


def _note_as_text(note: qda.Note, content: str, from_ketqual: bool) -> str:
    """A note as memo text: KetQual's own memos as they were; others with their name and
    description in front, so nothing of them is lost."""
    if from_ketqual:
        return content
    parts = []
    if note.name.strip() and not content.startswith(note.name.strip()):
        parts.append(note.name.strip())
    if note.description.strip():
        parts.append(note.description.strip())
    if content.strip():
        parts.append(content)
    return "\n\n".join(parts)


def _codes_with_notes(project: qda.Project, code_key: dict[str, str]):
    for code, _depth in project.all_codes():
        if code.note_refs and qda.guid_key(code.guid) in code_key:
            yield code_key[qda.guid_key(code.guid)], code


def _summarise(
    plan,
    project,
    counts,
    duplicates,
    outside,
    empty,
    unknown_codes,
    uncoded_notes,
    document_values_lost,
    multi_case,
) -> None:
    summary = plan.summary
    layers = Counter(c.coder for c in plan.codings)
    people = len([k for k in layers if k is not CONSENSUS])
    brought = summary.brought
    brought.append(plural(len(plan.documents), "text document"))
    themes = sum(1 for c in plan.codes if c.parent is None)
    brought.append(f"{plural(len(plan.codes), 'code')} ({plural(themes, 'theme')})")
    by_people = len(plan.codings) - layers.get(CONSENSUS, 0)
    if not plan.codings:
        line = "no codings"
    elif by_people:
        line = f"{plural(by_people, 'coding')} by {plural(people, 'coder')}"
        if CONSENSUS in layers:
            line += f" and {layers[CONSENSUS]:,} in the consensus layer"
    else:
        line = f"{plural(layers[CONSENSUS], 'coding')} in the consensus layer"
    brought.append(line)
    brought.append(
        f"{plural(len(plan.coders), 'coder')}: "
        + ", ".join(c.name for c in plan.coders[:8])
        + (" …" if len(plan.coders) > 8 else "")
        if plan.coders
        else "no coders"
    )
    brought.append(plural(len(plan.memos) + sum(1 for c in plan.codings if c.memo), "memo"))
    if plan.cases:
        brought.append(plural(len(plan.cases), "case"))
    lost = summary.lost
    for element, words in (
        ("PictureSource", ("picture", None)),
        ("PDFSource", ("PDF document", None)),
        ("AudioSource", ("audio recording", None)),
        ("VideoSource", ("video", None)),
        ("Transcript", ("transcript of audio or video", "transcripts of audio or video")),
    ):
        if counts.get(element):
            lost.append(plural(counts[element], *words))
    media_selections = counts.get("selection in media", 0)
    if media_selections or counts.get("Coding in media"):
        lost.append(
            f"{plural(media_selections, 'selection')} in pictures, PDF pages, audio or video "
            f"(regions, time spans) with {plural(counts.get('Coding in media', 0), 'coding')}"
        )
    for element, words in (
        ("Graph", ("graph (network view)", "graphs (network views)")),
        ("Link", ("link between items", "links between items")),
        ("Set", ("set (group of documents or codes)", "sets (groups of documents or codes)")),
    ):
        if counts.get(element):
            lost.append(plural(counts[element], *words))
    case_codes = sum(c.code_refs for c in project.cases)
    if case_codes:
        lost.append(
            plural(case_codes, "code applied to a whole case", "codes applied to whole cases")
        )
    case_selections = sum(c.selection_refs for c in project.cases)
    if case_selections:
        lost.append(
            plural(case_selections, "selection linked to a case", "selections linked to cases")
        )
    if document_values_lost:
        lost.append(
            plural(
                document_values_lost, "value of a document variable", "values of document variables"
            )
            + " other than session, group, kind, notetaker and date"
        )
    if outside:
        lost.append(plural(outside, "selection") + " outside its document's text")
    if unknown_codes:
        lost.append(plural(unknown_codes, "coding") + " of codes the codebook does not have")
    unreadable = sum(v for k, v in counts.items() if k.startswith("unreadable "))
    if unreadable:
        lost.append(
            plural(unreadable, "element")
            + " missing what the standard requires (a GUID, a position)"
        )
    if duplicates:
        summary.notes.append(f"{plural(duplicates, 'coding')} listed twice in the file kept once")
    if empty:
        summary.notes.append(f"{plural(empty, 'empty selection')} (start equals end) skipped")
    if uncoded_notes:
        summary.notes.append(
            f"{plural(uncoded_notes, 'comment')} on selections without a code kept as memos on their documents"
        )


class UnitFinder:
    """Finds the sentence and paragraph units of many texts, in two worker processes when
    there is enough text to be worth their start-up (as file imports do), else here.

    Use as a context manager: the work starts on entering, :meth:`results` waits for it. If
    the workers cannot run (a crash, a build without them), this process does it all.
    """

    PARALLEL_MIN_TEXTS = 16
    PARALLEL_MIN_CHARACTERS = 2_000_000

    def __init__(
        self,
        texts: list[str],
        progress: Progress | None = None,
        *,
        pool: ProcessPoolExecutor | None = None,
    ) -> None:
        self.texts = texts
        self.progress = progress
        self._pool: ProcessPoolExecutor | None = pool  # started early by start_workers()
        self._jobs: list = []

    def __enter__(self) -> UnitFinder:
        large = (
            len(self.texts) >= self.PARALLEL_MIN_TEXTS
            and sum(map(len, self.texts)) >= self.PARALLEL_MIN_CHARACTERS
        )
        if not large:
            if self._pool is not None:  # started on a guess that proved wrong: let it go
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            return self
        if self._pool is None:
            self._pool = start_workers()
        if self._pool is not None:
            try:
                step = max(1, len(self.texts) // 16)
                self._jobs = [
                    self._pool.submit(units.segment_many, self.texts[i : i + step])
                    for i in range(0, len(self.texts), step)
                ]
            except (OSError, RuntimeError, BrokenProcessPool):
                self._shutdown()
        return self

    def __exit__(self, *_exc) -> None:
        self._shutdown()

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
            self._jobs = []

    def results(self) -> list[list[Unit]]:
        """The units of every text, in order."""
        if self._jobs:
            try:
                out: list[list[Unit]] = []
                for number, job in enumerate(self._jobs):
                    out.extend(job.result())
                    if self.progress:
                        self.progress(number, len(self._jobs), "Finding sentences")
                # All done: the workers wind down on their own (spaCy's teardown takes a
                # while) as this process goes on.
                if self._pool is not None:
                    self._pool.shutdown(wait=False)
                    self._pool = None
                    self._jobs = []
                return out
            except (OSError, RuntimeError, BrokenProcessPool):
                self._shutdown()  # fall back to this process
        out = []
        for number, text in enumerate(self.texts):
            if self.progress and number % 20 == 0:
                self.progress(number, len(self.texts), "Finding sentences")
            out.append(units.segment(text))
        return out


def start_workers() -> ProcessPoolExecutor | None:
    """Two worker processes for :class:`UnitFinder`, started now so that they load spaCy
    while this process goes on (parsing the XML); ``None`` on a one-core machine or when
    processes cannot be started."""
    if (os.cpu_count() or 1) < 2:
        return None
    context = multiprocessing.get_context(_start_method())
    try:
        # The workers' jobs live in a light module: a worker imports only it and spaCy.
        pool = ProcessPoolExecutor(2, mp_context=context, initializer=units.warm_up)
    except (OSError, RuntimeError):
        return None
    try:
        for _ in range(2):  # workers start when there is work: one each
            pool.submit(units.warm_up)
    except (OSError, RuntimeError):
        pool.shutdown(wait=False, cancel_futures=True)
        return None
    return pool


def _start_method() -> str:
    """``fork`` where it is safe, ``spawn`` elsewhere.

    A forked worker skips starting Python and importing (about a quarter of a second of
    CPU each), but forking is only safe in a process with one thread: the command line
    before it opens a project. Wherever Qt is loaded (the app imports in a QThread), on
    systems other than Linux, or when any other thread runs (a thread pool of a numeric
    library included), workers are spawned as before.
    """
    if sys.platform != "linux" or "PySide6" in sys.modules:
        return "spawn"
    if "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 and threading.active_count() == 1 else "spawn"
