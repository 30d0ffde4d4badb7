"""OpenDocument text (.odt): paragraphs, headings, lists and tables from content.xml.

The package is checked with :func:`~ketqual.io.safety.check_zip` and
content.xml is parsed with defusedxml; no ODF library is involved.  Notes,
comments, tracked deletions and index templates are left out; text boxes
follow the paragraph they are anchored in.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree.ElementTree import Element

from ketqual.core.model import ExtractedText, ImportRefused
from ketqual.io.readers.normalise import BlockWriter, normalise_text
from ketqual.io.safety import check_zip, parse_xml, read_head, refuse_os_error, wrong_content

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

_ODT_MIMETYPES = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.text-template",
    "application/vnd.oasis.opendocument.text-master",
)
_OTHER_ODF = {
    "spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "presentation": "an OpenDocument presentation (.odp)",
    "graphics": "an OpenDocument drawing (.odg)",
}
DAMAGED_ZIP_REASON = (
    "the .odt file is damaged or is not really that kind of file (it cannot be opened as one)"
)
PROTECTED_REASON = "this document is password-protected; save it without a password and try again"

# Content that is not part of the running text: declarations, form controls,
# comments, footnotes (they would interrupt sentences), deleted text kept for
# change tracking, and the templates from which indexes are generated.
_SKIPPED = frozenset(
    {
        _TEXT + "tracked-changes",
        _TEXT + "sequence-decls",
        _TEXT + "variable-decls",
        _TEXT + "user-field-decls",
        _TEXT + "dde-connection-decls",
        _TEXT + "note",
        _TEXT + "ruby-text",
        _OFFICE + "annotation",
        _OFFICE + "annotation-end",
        _OFFICE + "forms",
    }
)

# ODF collapses runs of white space in text content; text:s encodes real spaces.
_XML_WHITESPACE = re.compile(r"[ \t\r\n]+")
# Repeated cells/rows are expanded only this far; spreadsheets pasted into a
# text document can claim thousands of identical (usually empty) cells.
_MAX_REPEAT = 100


def read_odt(path: Path) -> ExtractedText:
    """Read an OpenDocument text document.

    Args:
        path: The .odt file.

    Returns:
        The text laid out like the .docx reader's: blank lines between
        paragraphs, ``- `` list items, table rows with cells joined by ``" | "``.

    Raises:
        ImportRefused: The file is protected, not really an .odt, damaged or unsafe.
    """
    head = read_head(path)
    if not head.startswith(b"PK\x03\x04"):
        raise wrong_content(head, "an .odt document") or ImportRefused(DAMAGED_ZIP_REASON)
    names = check_zip(path, kind=".odt")
    content = _read_members(path, names)
    root = parse_xml(content, what=".odt")
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise ImportRefused("this file is not an OpenDocument text document")
    writer = BlockWriter()
    try:
        _walk(body, writer)
    except RecursionError:
        raise ImportRefused("the document is nested too deeply to read") from None
    return ExtractedText(text=normalise_text(writer.text()), format="odt")


def _read_members(path: Path, names: list[str]) -> bytes:
    """Return content.xml after checking the package's mimetype and encryption."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype not in _ODT_MIMETYPES:
                    raise ImportRefused(_not_odt(mimetype))
            if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
                "META-INF/manifest.xml"
            ):
                raise ImportRefused(PROTECTED_REASON)
            if "content.xml" not in names:
                raise ImportRefused("the .odt file is damaged (content.xml is missing)")
            # check_zip has verified every member's real size against the budget.
            return archive.read("content.xml")
    except ImportRefused:
        raise
    except OSError as exc:
        raise refuse_os_error(exc) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportRefused(DAMAGED_ZIP_REASON) from None


def _not_odt(mimetype: str) -> str:
    for key, description in _OTHER_ODF.items():
        if key in mimetype:
            return f"this file is {description}, not an .odt document"
    return "this file is not an OpenDocument text document"


def _walk(children: Iterable[Element], writer: BlockWriter) -> None:
    """Lay out a sequence of block-level elements (an element iterates over its children)."""
    for child in children:
        tag = child.tag
        if tag in (_TEXT + "p", _TEXT + "h"):
            _emit_paragraph(child, writer)
        elif tag == _TEXT + "list":
            _emit_list(child, writer)
        elif tag == _TABLE + "table":
            writer.end_group()
            for row in _table_rows(child):
                writer.table_row(row)
            writer.end_group()
        elif tag in _SKIPPED or (tag.startswith(_TEXT) and tag.endswith("-source")):
            continue
        else:
            # Sections, index bodies, frames and text boxes hold blocks again.
            _walk(child, writer)


def _emit_paragraph(paragraph: Element, writer: BlockWriter, *, as_item: str = "") -> None:
    parts: list[str] = []
    drawings: list[Element] = []
    _inline(paragraph, parts, drawings)
    text = "".join(parts)
    if as_item == "first":
        writer.list_item(text)
    elif as_item == "more":
        writer.list_continuation(text)
    else:
        writer.paragraph(text)
    for drawing in drawings:
        writer.end_group()
        _walk(drawing, writer)
        writer.end_group()


def _inline(element: Element, parts: list[str], drawings: list[Element]) -> None:
    if element.text:
        parts.append(_XML_WHITESPACE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            parts.append(" " * _count(child.get(_TEXT + "c")))
        elif tag == _TEXT + "tab":
            parts.append("\t")
        elif tag == _TEXT + "line-break":
            parts.append("\n")
        elif tag.startswith(_DRAW):
            drawings.append(child)
        elif tag not in _SKIPPED:
            _inline(child, parts, drawings)
        if child.tail:
            parts.append(_XML_WHITESPACE.sub(" ", child.tail))


def _count(value: str | None, limit: int = 1000) -> int:
    try:
        return max(1, min(int(value or "1"), limit))
    except ValueError:
        return 1


def _emit_list(text_list: Element, writer: BlockWriter) -> None:
    for item in text_list:
        if item.tag not in (_TEXT + "list-item", _TEXT + "list-header"):
            continue
        # A list header is an unnumbered entry: its paragraphs carry no bullet.
        role = "first" if item.tag == _TEXT + "list-item" else "more"
        for child in item:
            if child.tag in (_TEXT + "p", _TEXT + "h"):
                _emit_paragraph(child, writer, as_item=role)
                role = "more"
            elif child.tag == _TEXT + "list":
                _emit_list(child, writer)
            else:
                _walk([child], writer)


def _table_rows(table: Element) -> list[str]:
    lines: list[str] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                continue
            text = _cell_text(cell)
            repeat = _count(cell.get(_TABLE + "number-columns-repeated"), _MAX_REPEAT)
            cells.extend([text] * (repeat if text else 1))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            repeat = _count(row.get(_TABLE + "number-rows-repeated"), _MAX_REPEAT)
            lines.extend([" | ".join(cells)] * repeat)
    return lines


def _rows(table: Element) -> list[Element]:
    rows: list[Element] = []
    for child in table:
        if child.tag == _TABLE + "table-row":
            rows.append(child)
        elif child.tag in (
            _TABLE + "table-header-rows",
            _TABLE + "table-rows",
            _TABLE + "table-row-group",
        ):
            rows.extend(_rows(child))
    return rows


def _cell_text(cell: Element) -> str:
    inner = BlockWriter()
    _walk(cell, inner)
    return " ".join(line.strip() for line in inner.text().split("\n") if line.strip())
