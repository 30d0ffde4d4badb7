"""Look at everything an export is about to write, before it is written.

An export hands over its payload (the rows, the report, the figure: plain data). This
module walks it for strings, remembering where each came from, and runs the detector over
them. What blocks an export:

* anything the detector is sure of (a roster name, an e-mail address, an NHS number ...);
* any roster name, even one that is also an ordinary word, and a title with a name;
* words the reviewers have not decided on yet (pending suggestions in the project).

Words a reviewer rejected ("not an identifier") and replacement tokens never block.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ketqual.core.privacy.detector import Detector
from ketqual.core.privacy.hits import Hit
from ketqual.core.privacy.roster import norm

SEPARATOR = "\n\u00b6\n"  # no pattern, name or number runs across a pilcrow on its own line
_CHUNK = 400_000
_MAX_DEPTH = 40
# Machine identifiers an export carries (REFI-QDA GUIDs, KetQual's 32-digit uids): random
# digits that can look like a phone number, never words about a person.
_MACHINE_ID = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9a-f]{32}"
)
# The same inside a longer string (a note holding JSON keyed by code GUIDs): a hit that lies
# wholly within one is random hex, e.g. "00525157-3695" at the start of a GUID.
_EMBEDDED_ID = re.compile(rf"(?<![0-9A-Za-z-])(?:{_MACHINE_ID.pattern})(?![0-9A-Za-z-])")
_NO_STRINGS = frozenset({type(None), bool, int, float, bytes, bytearray})


@dataclass(frozen=True)
class Finding:
    """Something in an export that looks like an identifier.

    Attributes:
        where: Where in the export (a path through its data, e.g. ``rows[12].memo``).
        kind: The kind of identifier.
        text: The words found.
        reason: Why they were flagged.
        context: The words around them, with the finding in »« marks.
        places: How many places in the export hold the same string.
    """

    where: str
    kind: str
    text: str
    reason: str
    context: str
    places: int = 1

    def line(self) -> str:
        """One line for a report."""
        more = f" (and {self.places - 1} more places)" if self.places > 1 else ""
        return f"{self.where}: “{self.text}” – {self.reason}{more}: …{self.context}…"


def strings_of(payload: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in plain data (dataclasses, mappings, lists, tuples, sets), with the
    path it was found at, e.g. ``("rows[3].memo", "…")``. Dictionary keys count too; a
    string that is wholly a GUID or a uid is left out (random digits, not a person's)."""
    found: list[tuple[str, str]] = []
    _Walk(found).walk(payload, where, 0)
    return iter(found)


# How a value of a type is walked (looked up once per type: a report holds a quarter of a
# million values of a handful of types).
_SKIP, _DATACLASS, _MAPPING, _SEQUENCE, _OTHER = range(5)
_PLAIN = (bool, int, float, bytes, bytearray)
_SHAPES: dict[type, tuple[int, tuple[str, ...]]] = {}


def _shape(kind: type) -> tuple[int, tuple[str, ...]]:
    shape = _SHAPES.get(kind)
    if shape is None:
        if kind is type(None) or issubclass(kind, _PLAIN):
            shape = (_SKIP, ())
        elif dataclasses.is_dataclass(kind) and not issubclass(kind, type):
            shape = (_DATACLASS, tuple(f.name for f in dataclasses.fields(kind)))
        elif issubclass(kind, Mapping):
            shape = (_MAPPING, ())
        elif issubclass(kind, (list, tuple, set, frozenset)):
            shape = (_SEQUENCE, ())
        else:
            shape = (_OTHER, ())
        _SHAPES[kind] = shape
    return shape


def _machine_id(text: str) -> bool:
    """Whether a string is wholly a GUID or a 32-digit uid (only those lengths can be)."""
    return len(text) in (32, 36) and _MACHINE_ID.fullmatch(text) is not None


class _Walk:
    """:func:`strings_of`'s walk: appends to a list as it goes (plain recursion, no
    generator per level)."""

    def __init__(self, found: list[tuple[str, str]]) -> None:
        self.found = found
        self.seen: set[int] = set()

    def walk(self, value: object, path: str, depth: int) -> None:
        if isinstance(value, str):
            if value and not _machine_id(value):
                self.found.append((path or "(text)", value))
            return
        how, names = _shape(type(value))
        if how == _SKIP or depth > _MAX_DEPTH or id(value) in self.seen:
            return
        self.seen.add(id(value))
        if how == _DATACLASS:
            for name in names:
                self.walk(getattr(value, name), f"{path}.{name}".lstrip("."), depth + 1)
        elif how == _MAPPING:
            for key, item in value.items():  # type: ignore[attr-defined]
                if isinstance(key, str):
                    self.walk(key, f"{path}.{key} (key)".lstrip("."), depth + 1)
                self.walk(
                    item,
                    f"{path}[{key!r}]" if not isinstance(key, str) else f"{path}.{key}".lstrip("."),
                    depth + 1,
                )
        elif how == _SEQUENCE:
            self.items(value, path, depth)  # type: ignore[arg-type]
        elif hasattr(value, "__dict__"):
            for name, item in vars(value).items():
                if not name.startswith("_"):
                    self.walk(item, f"{path}.{name}".lstrip("."), depth + 1)

    def items(self, value: Iterable[Any], path: str, depth: int) -> None:
        """A list, tuple or set: strings and numbers in place (tens of thousands of quoted
        passages are tuples), the same as walking each without a call per item."""
        found, no_strings = self.found, _NO_STRINGS
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str:
                if item and not _machine_id(item):
                    found.append((f"{path}[{index}]", item))
                continue
            # Reports hold long columns of numbers and tuples of ids: skip them here,
            # without a path or a nested walk for each (they hold no strings).
            if kind in no_strings or (kind is tuple and no_strings.issuperset(map(type, item))):
                continue
            self.walk(item, f"{path}[{index}]", depth + 1)


def blocking(hit) -> bool:
    """Whether a detector hit in outgoing text stops the export."""
    return hit.certain or hit.source in ("roster", "title")


def scan(
    items: Iterable[tuple[str, str]],
    detector: Detector,
    *,
    allowed: Iterable[str] = (),
    pending: Iterable[str] = (),
) -> list[Finding]:
    """Findings in strings given as ``(where, text)``.

    Args:
        items: What goes out, as from :func:`strings_of`.
        detector: Built from the roster (when the key is at hand) or without one.
        allowed: Words reviewers decided are not identifiers.
        pending: Words found in the project that nobody has decided on yet.
    """
    allowed_set = {norm(a) for a in allowed}
    places: dict[str, list[str]] = {}
    for where, text in items:
        places.setdefault(text, []).append(where)
    texts = list(places)
    pending_re = _literal_matcher([p for p in pending if norm(p) not in allowed_set])
    findings: list[Finding] = []
    for chunk, starts in _chunks(texts):
        flagged: list[Hit | _Literal] = [h for h in detector.detect(chunk) if blocking(h)]
        if pending_re is not None:
            covered = [(h.start, h.end) for h in flagged]
            for m in pending_re.finditer(chunk):
                if not any(a < m.end() and m.start() < b for a, b in covered):
                    flagged.append(_pending_hit(m))
        for hit in sorted(flagged, key=lambda h: h.start):
            if norm(hit.text) in allowed_set or in_machine_id(chunk, hit.start, hit.end):
                continue
            index = bisect.bisect_right(starts, hit.start) - 1
            text = texts[index]
            found_at = places[text]
            local = hit.start - starts[index]
            findings.append(
                Finding(
                    found_at[0],
                    hit.kind,
                    hit.text,
                    hit.reason,
                    _context(text, local, local + len(hit.text)),
                    len(found_at),
                )
            )
    return findings


def in_machine_id(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies wholly inside a GUID or a 32-digit uid written in
    a longer string (only the stretch around it is searched: hits are few)."""
    lo = max(0, start - 36)
    for m in _EMBEDDED_ID.finditer(text, lo, min(len(text), end + 37)):
        if m.start() <= start and end <= m.end():
            return True
    return False


def _chunks(texts: list[str]) -> Iterator[tuple[str, list[int]]]:
    """Strings joined into large pieces (one detector call each) with their starts."""
    parts: list[str] = []
    starts: list[int] = []
    size = 0
    for text in texts:
        if parts and size + len(text) > _CHUNK:
            yield SEPARATOR.join(parts), starts
            parts, starts, size = [], [], 0
        starts.append(size)
        parts.append(text)
        size += len(text) + len(SEPARATOR)
    if parts:
        yield SEPARATOR.join(parts), starts


def _literal_matcher(words: list[str]) -> re.Pattern[str] | None:
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@dataclass(frozen=True)
class _Literal:
    start: int
    end: int
    text: str
    kind: str = "pending"
    reason: str = "found in the notes and not yet reviewed"


def _pending_hit(m: re.Match) -> _Literal:
    return _Literal(m.start(), m.end(), m.group())


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    before = " ".join(text[max(0, start - width) : start].split())
    after = " ".join(text[end : end + width].split())
    return f"{before} »{' '.join(text[start:end].split())}« {after}".strip()
