"""REFI-QDA (the QDA-XML exchange standard): plain data for one ``.qdpx`` project or ``.qdc``
codebook, as the reader finds it and the writer writes it.

The standard's file is ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) zipped
with a ``sources/`` folder into a ``.qdpx``; a codebook alone is a ``.qdc`` (namespace
``urn:QDA-XML:codebook:1.0``). These classes hold what KetQual can use, plus counts of
everything else, so nothing is dropped without being counted. GUIDs are kept as the file
spells them; :func:`guid_key` gives the form to compare them by (tools write them braced
or not, in either case).

Positions in selections are kept exactly as written: which way they were counted (code
points, UTF-16 units, CRLF as one or two) is decided later against the texts
(:mod:`ketqual.core.positions`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

#: ATLAS.ti writes this built-in user into every project; it is not a person.
ATLAS_PSEUDO_USER = "c32a2bd5-537f-4838-8b17-df9efbafdf4b"

#: Elements KetQual has no place for: counted, listed in the data-loss summary.
MEDIA_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
OTHER_SELECTIONS = (
    "PictureSelection",
    "PDFSelection",
    "AudioSelection",
    "VideoSelection",
    "TranscriptSelection",
)


def guid_key(guid: str | None) -> str:
    """The comparable form of a GUID: no braces, lower case (``""`` for none)."""
    return (guid or "").strip().strip("{}").lower()


_HEX32 = re.compile("[0-9a-f]{32}")


def _dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def guid_from_uid(uid: str) -> str:
    """A KetQual uid (32 hex digits) written as a GUID (``8-4-4-4-12``)."""
    key = uid.lower()
    if _HEX32.fullmatch(key):
        return _dashed(key)
    # Not hex: make a stable GUID from it instead (uids are always hex in practice).
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ketqual:{uid}"))


def stable_guid(*parts: str) -> str:
    """A GUID that is always the same for the same parts (a name-based, version-5 style
    GUID: SHA-1 of the parts), for things KetQual stores without an id of their own."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return _dashed(digest[:12] + "5" + digest[13:16] + "8" + digest[17:32])


def uid_from_guid(guid: str) -> str | None:
    """A GUID as a KetQual uid (32 lower-case hex digits), or ``None`` if it is not one."""
    key = guid_key(guid).replace("-", "")
    return key if _HEX32.fullmatch(key) else None


@dataclass
class User:
    """A ``User``: a person (or a tool's built-in pseudo-user)."""

    guid: str
    name: str = ""
    id: str = ""


@dataclass
class Code:
    """A ``Code`` of the codebook tree."""

    guid: str
    name: str
    codable: bool = True
    colour: str | None = None
    description: str = ""
    note_refs: list[str] = field(default_factory=list)
    children: list[Code] = field(default_factory=list)

    def walk(self, depth: int = 1):
        """This code and its descendants as (code, depth, parent) depth first."""
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class Variable:
    """A ``Variable`` (an attribute of cases and sources) with its type."""

    guid: str
    name: str
    type: str = "Text"  # Text, Boolean, Integer, Float, Date, DateTime
    description: str = ""


@dataclass
class VariableValue:
    """A value of a variable: ``value`` is str, bool, int or float (dates as ISO text)."""

    variable_guid: str
    value: str | bool | int | float | None


@dataclass
class Case:
    """A ``Case``: a unit of analysis (here a focus group) with its sources and values."""

    guid: str
    name: str = ""
    description: str = ""
    values: list[VariableValue] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    code_refs: int = 0  # codes applied to the whole case (no place in KetQual)
    selection_refs: int = 0  # selections that belong to the case (no place in KetQual)


@dataclass
class Coding:
    """A ``Coding``: a code applied to a selection (or a whole source) by a user."""

    guid: str
    code_guid: str
    user_guid: str = ""
    created: str = ""
    note_refs: list[str] = field(default_factory=list)


@dataclass
class Selection:
    """A ``PlainTextSelection``: a span of a text source, positions as written."""

    guid: str
    start: int
    end: int
    name: str = ""
    user_guid: str = ""
    created: str = ""
    description: str = ""
    codings: list[Coding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class TextSource:
    """A ``TextSource``: a text document and what was coded in it.

    Exactly one of ``plain_path`` and ``content`` normally holds the text: a path such as
    ``internal://GUID.txt`` (inside the archive's ``sources/``), ``relative://…`` (beside
    ``basePath``) or ``absolute://…``, or the text itself (``PlainTextContent``).
    """

    guid: str
    name: str = ""
    plain_path: str = ""
    rich_path: str = ""
    content: str | None = None
    description: str = ""
    user_guid: str = ""
    created: str = ""
    selections: list[Selection] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)  # codes on the whole source
    note_refs: list[str] = field(default_factory=list)
    values: list[VariableValue] = field(default_factory=list)


@dataclass
class Note:
    """A ``Note`` (a memo): inline text or a path to a text file."""

    guid: str
    name: str = ""
    content: str | None = None
    plain_path: str = ""
    description: str = ""
    user_guid: str = ""
    created: str = ""


@dataclass
class Project:
    """One REFI-QDA project (or, with ``is_codebook``, a codebook file alone).

    Attributes:
        counts: Every element name found in the file with how often (``Counter``), for the
            import summary and the data-loss list; elements skipped because they lack what
            they must have are counted as ``"unreadable <name>"``.
    """

    name: str = ""
    origin: str = ""
    base_path: str = ""
    creating_user: str = ""
    created: str = ""
    description: str = ""
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # notes on the project as a whole
    counts: Counter = field(default_factory=Counter)
    is_codebook: bool = False

    def all_codes(self):
        """Every code as (code, depth) depth first."""
        for code in self.codes:
            yield from code.walk()
