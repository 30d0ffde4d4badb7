"""Reading REFI-QDA files safely: ``.qdpx`` archives, bare ``.qde`` XML, ``.qdc`` codebooks.

Real files differ from the standard in many small ways, and this reader takes them as they
come: ``project.qde``, ``Project.qde`` or another single ``.qde`` name; ``sources/`` or
``Sources/``; ``internal://``, ``relative://`` (beside ``basePath``), ``absolute://`` and bare
file names; GUIDs braced or not, in either case; members stored or deflated; missing
namespaces. What it does not take is a hostile file:

* XML goes through defusedxml with DTDs forbidden (no entities, nothing fetched);
* the archive is read member by member, only the parts needed (the ``.qde`` and the text
  sources and notes it names); nothing is extracted to disk;
* limits on the number of members, on each part's size, on the total read and on the
  inflate ratio; member names that climb out of the archive (``..``), absolute names,
  drive letters, links and duplicates make the whole file refused.

Every refusal is an :class:`~ketqual.core.model.ImportRefused` with one plain sentence.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import urllib.parse
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from ketqual.core.collection import collection_paused
from ketqual.core.model import ImportRefused
from ketqual.io import safety
from ketqual.io.formats import refi_qda as qda

MIB = 1024 * 1024
MAX_ARCHIVE_BYTES = 8 * 1024 * MIB  # media make real projects large; we read only text
MAX_MEMBERS = 100_000
MAX_QDE_BYTES = 300 * MIB
MAX_TEXT_BYTES = safety.MAX_FILE_BYTES
MAX_TOTAL_READ = 1024 * MIB
MAX_RATIO = safety.MAX_ZIP_RATIO
_RATIO_GRACE = 1 * MIB
_CHUNK = 256 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")
_TEXT_FORMS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue")


@dataclass(frozen=True)
class SourceText:
    """The bytes of a text source (or note) found for a path, and where they were found."""

    data: bytes
    where: str  # "archive" or "disk"
    location: str  # the member name or the file path


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class QdaFile:
    """An opened REFI-QDA file: the parsed project and access to its text parts.

    Use as a context manager (the archive stays open while texts are read)::

        with refi_qda_reader.open_file(path) as qda_file:
            project = qda_file.project
            found = qda_file.read_text(source.plain_path)
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.kind = ""  # qdpx, qde or qdc
        self.qde_name = ""
        self.project = qda.Project()
        self._archive: zipfile.ZipFile | None = None
        self._members: dict[str, zipfile.ZipInfo] = {}  # lower-case name -> member
        self._root = ""  # folder of the .qde inside the archive ("" or "folder/")
        self._read_budget = MAX_TOTAL_READ

    # ----- opening ------------------------------------------------------------------------
    def open(self, before_parse: Callable[[QdaFile], object] | None = None) -> QdaFile:
        """Check and parse the file; raises ImportRefused with one sentence if unusable.

        ``before_parse(self)`` is called once the file (and the archive's list of parts) has
        been checked, before the XML is parsed: a caller can start work that only needs to
        know the file's size, such as worker processes, while the XML is parsed.
        """
        size = safety.check_file(self.path, MAX_ARCHIVE_BYTES)
        head = safety.read_head(self.path, 8)
        if head.startswith(safety.ZIP_MAGIC):
            self.kind = "qdpx"
            xml = self._open_archive()
        else:
            if size > MAX_QDE_BYTES:
                raise ImportRefused(
                    f"the file is too large to be a REFI-QDA project ({size / MIB:.0f} MB)"
                )
            self.kind = "qdc" if self.path.suffix.lower() == ".qdc" else "qde"
            self.qde_name = self.path.name
            xml = safety.read_bytes_capped(self.path, MAX_QDE_BYTES)
            if not xml.strip():
                raise ImportRefused("the file is empty")
        if before_parse is not None:
            before_parse(self)
        self.project = parse(xml)
        if self.project.is_codebook and self.kind == "qdpx":
            raise ImportRefused("the archive holds a codebook, not a project")
        return self

    def _open_archive(self) -> bytes:
        try:
            self._archive = zipfile.ZipFile(self.path)
            members = self._archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ImportRefused("the .qdpx file is damaged (not a valid zip archive)") from None
        if len(members) > MAX_MEMBERS:
            raise ImportRefused(
                f"the .qdpx file holds more than {MAX_MEMBERS:,} parts; it is not a project"
            )
        for info in members:
            _check_member_name(info)
            key = info.filename.lower()
            if key in self._members:
                raise ImportRefused(
                    f"the .qdpx file is unsafe: it holds two parts named '{info.filename}'"
                )
            self._members[key] = info
        qde = _pick_qde([i for i in members if not i.is_dir()])
        self.qde_name = qde.filename
        self._root = qde.filename[: qde.filename.rfind("/") + 1]
        return self._read_member(qde, MAX_QDE_BYTES)

    def text_parts(self) -> tuple[int, int]:
        """How many ``.txt`` parts the archive holds and their size in bytes, unpacked as
        the archive says (a hint from its list of parts; nothing is read): 0, 0 for a bare
        ``.qde``."""
        parts = [
            info
            for name, info in self._members.items()
            if name.endswith(".txt") and not info.is_dir()
        ]
        return len(parts), sum(info.file_size for info in parts)

    def close(self) -> None:
        """Close the archive (if any)."""
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def __enter__(self) -> QdaFile:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # ----- parts --------------------------------------------------------------------------
    def _read_member(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        name = info.filename
        if info.flag_bits & 0x1:
            raise ImportRefused(f"the part '{name}' of the .qdpx file is encrypted")
        if info.file_size > limit:
            raise ImportRefused(
                f"the part '{name}' is too large ({info.file_size / MIB:.0f} MB inflated)"
            )
        if info.file_size > _RATIO_GRACE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _bomb()
        if info.file_size > self._read_budget:
            raise ImportRefused("the .qdpx file holds more text than KetQual will read (1 GB)")
        chunks, total = [], 0
        assert self._archive is not None
        try:
            with self._archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    # zipfile stops at the size a member claims; these are belt and braces.
                    if total > limit or total > self._read_budget:
                        raise _bomb()
                    if total > _RATIO_GRACE and total > MAX_RATIO * max(info.compress_size, 1):
                        raise _bomb()
                    chunks.append(chunk)
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise ImportRefused(
                f"the .qdpx file is damaged (the part '{name}' is incomplete or corrupt)"
            ) from None
        except NotImplementedError:
            raise ImportRefused(
                f"the part '{name}' uses a compression method KetQual cannot read"
            ) from None
        self._read_budget -= total
        return b"".join(chunks)

    def _find_member(self, relative: str) -> zipfile.ZipInfo | None:
        """A member by a path relative to the ``.qde``'s folder, matched without case; then a
        member of that file name anywhere in the archive, if there is exactly one."""
        relative = relative.replace("\\", "/").lstrip("/")
        if not relative or ".." in PurePosixPath(relative).parts:
            return None
        for candidate in (self._root + relative, relative):
            info = self._members.get(candidate.lower())
            if info is not None and not info.is_dir():
                return info
        base = PurePosixPath(relative).name.lower()
        matches = [
            i for k, i in self._members.items() if not i.is_dir() and k.rsplit("/", 1)[-1] == base
        ]
        return matches[0] if len(matches) == 1 else None

    def read_text(self, path: str) -> SourceText | None:
        """The bytes a text source or note path points at, or ``None`` when not found.

        ``internal://NAME`` and bare names are looked up in the archive's sources folder
        (``sources/`` or ``Sources/``); ``relative://PATH`` beside the project's
        ``basePath`` (or the file itself), then in the archive; ``absolute://PATH`` on disk.

        Raises:
            ImportRefused: The part exists but is unsafe or too large.
        """
        scheme, rest = _split_path(path)
        if not rest:
            return None
        if scheme in ("internal", ""):
            for relative in (f"sources/{rest}", rest):
                info = self._find_member(relative) if self._archive else None
                if info is not None:
                    return SourceText(
                        self._read_member(info, MAX_TEXT_BYTES), "archive", info.filename
                    )
            if self._archive is None:  # a bare .qde: its sources may sit beside it
                for base in (self.path.parent / "sources", self.path.parent / "Sources"):
                    found = self._from_disk(base / rest)
                    if found is not None:
                        return found
            return None
        if scheme == "relative":
            bases = [Path(self.project.base_path)] if self.project.base_path else []
            bases.append(self.path.parent)
            for base in bases:
                found = self._from_disk(base / rest.lstrip("/"))
                if found is not None:
                    return found
            info = self._find_member(f"sources/{rest}") if self._archive else None
            if info is not None:
                data = self._read_member(info, MAX_TEXT_BYTES)
                return SourceText(data, "archive", info.filename)
            return None
        if scheme in ("absolute", "file"):
            # absolute:///C:/notes.txt names a Windows path; absolute:///Users/… a POSIX one
            on_disk = rest.lstrip("/") if _DRIVE.match(rest.lstrip("/")) else rest
            return self._from_disk(Path(on_disk))
        return None

    def _from_disk(self, path: Path) -> SourceText | None:
        """A text file outside the archive, if it is a regular file within the limits."""
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        if info.st_size > MAX_TEXT_BYTES:
            raise ImportRefused(f"the source file {path.name} is larger than 50 MB")
        return SourceText(safety.read_bytes_capped(path, MAX_TEXT_BYTES), "disk", str(path))


def open_file(
    path: str | Path, *, before_parse: Callable[[QdaFile], object] | None = None
) -> QdaFile:
    """Open and parse a ``.qdpx``, ``.qde`` or ``.qdc`` file (close it after use).

    ``before_parse`` is called with the checked file before its XML is parsed (see
    :meth:`QdaFile.open`).

    Raises:
        ImportRefused: One sentence saying why the file cannot be read.
    """
    qda_file = QdaFile(Path(path))
    try:
        return qda_file.open(before_parse)
    except BaseException:
        qda_file.close()
        raise


def _bomb() -> ImportRefused:
    return ImportRefused(
        f"the .qdpx file looks like a zip bomb (a part expands more than {MAX_RATIO} times)"
    )


def _check_member_name(info: zipfile.ZipInfo) -> None:
    name = info.filename
    unsafe = (
        not name
        or "\x00" in name
        or name.startswith(("/", "\\"))
        or _DRIVE.match(name) is not None
        or ".." in PurePosixPath(name.replace("\\", "/")).parts
    )
    if unsafe:
        raise ImportRefused(
            f"the .qdpx file is unsafe: it holds a part named '{name[:80]}' that points "
            "outside the archive"
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ImportRefused(f"the .qdpx file is unsafe: the part '{name[:80]}' is a link")


def _pick_qde(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    """The project XML: ``project.qde`` (any case) or the single ``.qde`` in the archive,
    preferring the top level."""
    qdes = [i for i in members if i.filename.lower().endswith(".qde")]
    if not qdes:
        raise ImportRefused("the .qdpx file holds no project (no .qde file inside)")
    top = [i for i in qdes if "/" not in i.filename]
    for group in (top, qdes):
        named = [i for i in group if i.filename.lower().rsplit("/", 1)[-1] == "project.qde"]
        if len(named) == 1:
            return named[0]
        if len(group) == 1:
            return group[0]
    raise ImportRefused(
        "the .qdpx file holds several projects (.qde files); KetQual cannot tell which to read"
    )


def _split_path(path: str) -> tuple[str, str]:
    """``internal://x.txt`` -> (``internal``, ``x.txt``); a bare name has no scheme."""
    path = (path or "").strip()
    match = re.match(r"^([A-Za-z]+)://(.*)$", path)
    if match is None:
        return "", urllib.parse.unquote(path)
    scheme, rest = match.group(1).lower(), urllib.parse.unquote(match.group(2))
    if scheme == "internal":
        rest = rest.lstrip("/")
    return scheme, rest


# ----- XML ------------------------------------------------------------------------------------
def parse(xml: bytes) -> qda.Project:
    """Parse ``project.qde`` or ``.qdc`` XML into a :class:`~ketqual.io.formats.refi_qda.Project`.

    Elements KetQual cannot hold are counted (``project.counts``); an element missing what
    it must have (a GUID, a position) is skipped and counted under ``"unreadable …"``.

    Raises:
        ImportRefused: The XML is unsafe, malformed, or not REFI-QDA.
    """
    # The tree and the project's records hold no reference cycles, so collecting garbage
    # while they are built finds nothing; it cost about a quarter of the parsing time of a
    # large project (hundreds of thousands of new objects each start a collection).
    with collection_paused():
        return _parse(xml)


def _parse(xml: bytes) -> qda.Project:
    root = safety.parse_xml(xml, what="REFI-QDA")
    project = qda.Project()
    # One pass drops the namespace from every tag (files with and without one read alike),
    # so the rest can use ElementTree's own C-speed find and findall.
    for element in root.iter():
        element.tag = _local(element.tag)
    project.counts = Counter(e.tag for e in root.iter())
    tag = root.tag
    if tag == "CodeBook":
        project.is_codebook = True
        project.origin = root.get("origin", "")
        codes = _child(root, "Codes")
        project.codes = _codes(codes, project) if codes is not None else []
        return project
    if tag != "Project":
        raise ImportRefused(
            f"this is not a REFI-QDA project or codebook (its XML starts with <{tag[:40]}>)"
        )
    project.name = root.get("name", "")
    project.origin = root.get("origin", "")
    project.base_path = root.get("basePath", "")
    project.creating_user = root.get("creatingUserGUID", "")
    project.created = root.get("creationDateTime", "")
    project.description = _text_of(_child(root, "Description"))
    project.note_refs = _refs(root, "NoteRef")
    users = _child(root, "Users")
    for user in _children(users, "User"):
        if user.get("guid"):
            project.users.append(
                qda.User(user.get("guid"), user.get("name", ""), user.get("id", ""))
            )
        else:
            project.counts["unreadable User"] += 1
    codebook = _child(root, "CodeBook")
    codes = _child(codebook, "Codes") if codebook is not None else None
    project.codes = _codes(codes, project) if codes is not None else []
    for variable in _children(_child(root, "Variables"), "Variable"):
        if variable.get("guid") and variable.get("name") is not None:
            project.variables.append(
                qda.Variable(
                    variable.get("guid"),
                    variable.get("name", ""),
                    variable.get("typeOfVariable", "Text"),
                    _text_of(_child(variable, "Description")),
                )
            )
    for case in _children(_child(root, "Cases"), "Case"):
        if not case.get("guid"):
            project.counts["unreadable Case"] += 1
            continue
        project.cases.append(
            qda.Case(
                guid=case.get("guid"),
                name=case.get("name", ""),
                description=_text_of(_child(case, "Description")),
                values=_values(case),
                source_guids=_refs(case, "SourceRef"),
                code_refs=len(_children(case, "CodeRef")),
                selection_refs=len(_children(case, "SelectionRef")),
            )
        )
    for source in _children(_child(root, "Sources"), None):
        if source.tag == "TextSource":
            parsed = _text_source(source, project)
            if parsed is not None:
                project.sources.append(parsed)
            continue
        # Pictures, PDFs, audio, video: what was coded in them is lost with them.
        for inner in source.iter():
            name = inner.tag
            if name == "Coding":
                project.counts["Coding in media"] += 1
            elif name.endswith("Selection"):
                project.counts["selection in media"] += 1
    for note in _children(_child(root, "Notes"), "Note"):
        if not note.get("guid"):
            project.counts["unreadable Note"] += 1
            continue
        content = _child(note, "PlainTextContent")
        project.notes.append(
            qda.Note(
                guid=note.get("guid"),
                name=note.get("name", ""),
                content=None if content is None else (content.text or ""),
                plain_path=note.get("plainTextPath", ""),
                description=_text_of(_child(note, "Description")),
                user_guid=note.get("creatingUser", ""),
                created=note.get("creationDateTime", ""),
            )
        )
    return project


def _children(parent: Element | None, name: str | None) -> list[Element]:
    if parent is None:
        return []
    return list(parent) if name is None else parent.findall(name)


def _child(parent: Element | None, name: str) -> Element | None:
    return None if parent is None else parent.find(name)


def _text_of(element: Element | None) -> str:
    return "" if element is None else (element.text or "")


def _refs(parent: Element, name: str) -> list[str]:
    return [e.get("targetGUID") for e in _children(parent, name) if e.get("targetGUID")]


def _codes(parent: Element, project: qda.Project) -> list[qda.Code]:
    out = []
    for element in _children(parent, "Code"):
        if not element.get("guid"):
            project.counts["unreadable Code"] += 1
            continue
        colour = (element.get("color") or "").strip() or None
        out.append(
            qda.Code(
                guid=element.get("guid"),
                name=element.get("name", ""),
                codable=(element.get("isCodable", "true").strip().lower() not in ("false", "0")),
                colour=colour,
                description=_text_of(_child(element, "Description")),
                note_refs=_refs(element, "NoteRef"),
                children=_codes(element, project),
            )
        )
    return out


def _integer(value: str | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _codings(parent: Element, project: qda.Project) -> list[qda.Coding]:
    out = []
    for coding in _children(parent, "Coding"):
        ref = _child(coding, "CodeRef")
        target = ref.get("targetGUID") if ref is not None else None
        if not target:
            project.counts["unreadable Coding"] += 1
            continue
        out.append(
            qda.Coding(
                guid=coding.get("guid", ""),
                code_guid=target,
                user_guid=coding.get("creatingUser", ""),
                created=coding.get("creationDateTime", ""),
                note_refs=_refs(coding, "NoteRef"),
            )
        )
    return out


def _text_source(element: Element, project: qda.Project) -> qda.TextSource | None:
    if not element.get("guid"):
        project.counts["unreadable TextSource"] += 1
        return None
    content = _child(element, "PlainTextContent")
    source = qda.TextSource(
        guid=element.get("guid"),
        name=element.get("name", ""),
        plain_path=element.get("plainTextPath", ""),
        rich_path=element.get("richTextPath", ""),
        content=None if content is None else (content.text or ""),
        description=_text_of(_child(element, "Description")),
        user_guid=element.get("creatingUser", ""),
        created=element.get("creationDateTime", ""),
        codings=_codings(element, project),
        note_refs=_refs(element, "NoteRef"),
        values=_values(element),
    )
    for selection in _children(element, "PlainTextSelection"):
        start = _integer(selection.get("startPosition"))
        end = _integer(selection.get("endPosition"))
        if start is None or end is None or not selection.get("guid"):
            project.counts["unreadable PlainTextSelection"] += 1
            continue
        source.selections.append(
            qda.Selection(
                guid=selection.get("guid"),
                start=start,
                end=end,
                name=selection.get("name", ""),
                user_guid=selection.get("creatingUser", ""),
                created=selection.get("creationDateTime", ""),
                description=_text_of(_child(selection, "Description")),
                codings=_codings(selection, project),
                note_refs=_refs(selection, "NoteRef"),
            )
        )
    return source


def _values(parent: Element) -> list[qda.VariableValue]:
    out = []
    for value in _children(parent, "VariableValue"):
        ref = _child(value, "VariableRef")
        if ref is None or not ref.get("targetGUID"):
            continue
        parsed: str | bool | int | float | None = None
        for form in (*_TEXT_FORMS, "DateTimeValue"):
            element = _child(value, form)
            if element is None:
                continue
            raw = (element.text or "").strip() if form != "TextValue" else (element.text or "")
            with contextlib.suppress(ValueError):
                if form == "BooleanValue":
                    parsed = raw.lower() in ("true", "1")
                elif form == "IntegerValue":
                    parsed = int(raw)
                elif form == "FloatValue":
                    parsed = float(raw)
                else:
                    parsed = raw
            break
        out.append(qda.VariableValue(ref.get("targetGUID"), parsed))
    return out
