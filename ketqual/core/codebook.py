"""The codebook as plain data, and its JSON exchange format.

The format (``"format": "ketqual-codebook"``) is a tree of codes, themes at the top with
their subthemes as ``children``. It is validated strictly on import so a hand-edited file
gets a precise message rather than a half-imported codebook.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ketqual.core import names, palette

FORMAT_NAME = "ketqual-codebook"
FORMAT_VERSION = 1
MAX_NAME_LENGTH = 120
SHORTCUT_KEYS = tuple("1234567890")


class CodebookError(ValueError):
    """A codebook file or edit is invalid; the message says where and why."""


@dataclass(frozen=True)
class CodeSpec:
    """A code in a codebook file: what a user defines, without database ids."""

    name: str
    colour: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    shortcut: str | None = None
    uid: str | None = None
    children: tuple[CodeSpec, ...] = field(default=())


@dataclass(frozen=True)
class Codebook:
    """A named tree of codes."""

    name: str
    description: str
    codes: tuple[CodeSpec, ...]

    def walk(self) -> list[tuple[CodeSpec, CodeSpec | None]]:
        """Every code with its parent (``None`` for themes), depth first in order."""
        out: list[tuple[CodeSpec, CodeSpec | None]] = []

        def visit(code: CodeSpec, parent: CodeSpec | None) -> None:
            out.append((code, parent))
            for child in code.children:
                visit(child, code)

        for theme in self.codes:
            visit(theme, None)
        return out


def check_name(name: str) -> str:
    """Return the tidied code name or raise :class:`CodebookError` if it cannot be used
    (empty, too long, a control character: :func:`ketqual.core.names.check_name`, or a
    slash, which separates theme and subtheme in paths)."""
    if not " ".join(str(name).split()):
        raise CodebookError("a code needs a name")
    try:
        tidy = names.check_name(name, what="a code name", max_length=MAX_NAME_LENGTH)
    except names.InvalidName as exc:
        raise CodebookError(str(exc)) from None
    if "/" in tidy:
        raise CodebookError(f"code name may not contain '/': {tidy}")
    return tidy


def _text(entry: dict, key: str, where: str) -> str:
    value = entry.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CodebookError(f"{where}: '{key}' must be text")
    return value.strip()


def _parse_code(entry: object, where: str, depth: int, default_colour: str) -> CodeSpec:
    if not isinstance(entry, dict):
        raise CodebookError(f"{where}: each code must be an object")
    if "name" not in entry:
        raise CodebookError(f"{where}: a code has no 'name'")
    try:
        name = check_name(entry["name"])
    except CodebookError as exc:
        raise CodebookError(f"{where}: {exc}") from None
    where = f"{where} '{name}'"
    colour = entry.get("colour") or entry.get("color") or default_colour
    if not isinstance(colour, str) or not palette.is_colour(colour):
        raise CodebookError(f"{where}: colour must look like #RRGGBB, got {colour!r}")
    shortcut = entry.get("shortcut")
    if shortcut is not None:
        shortcut = str(shortcut)
        if shortcut not in SHORTCUT_KEYS:
            raise CodebookError(f"{where}: shortcut must be one of the keys 1-9 or 0")
    children_raw = entry.get("children") or []
    if not isinstance(children_raw, list):
        raise CodebookError(f"{where}: 'children' must be a list")
    if children_raw and depth >= 1:
        raise CodebookError(f"{where}: codes nest two levels deep at most (theme > subtheme)")
    children = tuple(
        _parse_code(child, f"{where} >", depth + 1, palette.subtheme_colour(colour, i))
        for i, child in enumerate(children_raw)
    )
    uid = entry.get("uid")
    return CodeSpec(
        name=name,
        colour=colour.upper(),
        definition=_text(entry, "definition", where),
        include=_text(entry, "include", where),
        exclude=_text(entry, "exclude", where),
        example=_text(entry, "example", where),
        shortcut=shortcut,
        uid=str(uid) if uid else None,
        children=children,
    )


def parse_codebook(data: object) -> Codebook:
    """Validate parsed JSON and build a :class:`Codebook`.

    Raises:
        CodebookError: with a message naming the offending code.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CodebookError('this is not a KetQual codebook file (no "format": "ketqual-codebook")')
    version = data.get("format_version", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise CodebookError(
            f"this codebook file is format version {version}; this KetQual reads up to "
            f"{FORMAT_VERSION}. Update KetQual to read it."
        )
    codes_raw = data.get("codes")
    if not isinstance(codes_raw, list) or not codes_raw:
        raise CodebookError("the codebook has no codes")
    codes = tuple(
        _parse_code(entry, f"code {i + 1}", 0, palette.theme_colour(i))
        for i, entry in enumerate(codes_raw)
    )
    _check_unique(codes)
    return Codebook(
        name=str(data.get("name") or "Codebook").strip(),
        description=str(data.get("description") or "").strip(),
        codes=codes,
    )


def _check_unique(codes: tuple[CodeSpec, ...]) -> None:
    seen_theme: set[str] = set()
    seen_keys: dict[str, str] = {}
    for theme in codes:
        key = theme.name.casefold()
        if key in seen_theme:
            raise CodebookError(f"two themes are called '{theme.name}'")
        seen_theme.add(key)
        if theme.shortcut:
            if theme.shortcut in seen_keys:
                raise CodebookError(
                    f"shortcut {theme.shortcut} is used by both '{seen_keys[theme.shortcut]}' "
                    f"and '{theme.name}'"
                )
            seen_keys[theme.shortcut] = theme.name
        names = [c.name.casefold() for c in theme.children]
        if len(names) != len(set(names)):
            raise CodebookError(f"two subthemes of '{theme.name}' have the same name")


def loads(text: str) -> Codebook:
    """Parse a codebook from JSON text, with a clear message for broken JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodebookError(
            f"the codebook file is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    return parse_codebook(data)


def _code_to_json(code: CodeSpec) -> dict:
    out: dict = {"name": code.name, "colour": code.colour}
    if code.uid:
        out["uid"] = code.uid
    if code.shortcut:
        out["shortcut"] = code.shortcut
    for key in ("definition", "include", "exclude", "example"):
        out[key] = getattr(code, key)
    out["children"] = [_code_to_json(child) for child in code.children]
    return out


def dumps(codebook: Codebook) -> str:
    """Serialise a codebook to indented JSON (UTF-8 friendly, stable key order)."""
    data = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "name": codebook.name,
        "description": codebook.description,
        "codes": [_code_to_json(code) for code in codebook.codes],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def from_records(records: list, name: str, description: str = "") -> Codebook:
    """Build a :class:`Codebook` from stored :class:`~ketqual.core.records.CodeRecord` rows."""
    by_parent: dict[int | None, list] = {}
    for record in sorted(records, key=lambda r: (r.sort_order, r.id)):
        by_parent.setdefault(record.parent_id, []).append(record)

    def spec(record) -> CodeSpec:
        return CodeSpec(
            name=record.name,
            colour=record.colour,
            definition=record.definition,
            include=record.include,
            exclude=record.exclude,
            example=record.example,
            shortcut=record.shortcut,
            uid=record.uid,
            children=tuple(spec(child) for child in by_parent.get(record.id, [])),
        )

    return Codebook(name, description, tuple(spec(r) for r in by_parent.get(None, [])))
