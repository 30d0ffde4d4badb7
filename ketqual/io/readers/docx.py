"""Word .docx files: body paragraphs, list items and tables in reading order.

python-docx only opens the package (and checks it really is a Word document);
the text is taken from the body XML directly because python-docx's own
``Paragraph.text`` misses content controls, tracked insertions and text boxes,
and ``Document.paragraphs``/``Document.tables`` lose the order between them.
Headers, footers, footnotes and comments are not part of the body and are not
imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx

from ketqual.core.model import ExtractedText, ImportRefused
from ketqual.io.readers.normalise import BlockWriter, normalise_text
from ketqual.io.safety import open_office_package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

PROTECTED_REASON = (
    "this document is password-protected or in the old .doc format; save it as an unprotected .docx"
)
DAMAGED_ZIP_REASON = (
    "the .docx file is damaged or is not really that kind of file (it cannot be opened as one)"
)

# Elements whose content is never visible body text: properties, deleted or
# moved-away revisions, field instructions, and the VML copy of a drawing that
# mc:AlternateContent keeps next to the modern one (it would double text boxes).
_SKIPPED = frozenset(
    _W + name
    for name in (
        "pPr",
        "rPr",
        "sdtPr",
        "sdtEndPr",
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
    )
) | {_MC + "Fallback"}

# Block-level wrappers whose children are paragraphs and tables again.
_BLOCK_WRAPPERS = frozenset(_W + name for name in ("customXml", "ins", "moveTo", "smartTag"))

# lxml elements from python-docx; typed loosely because lxml has no stubs here.
_Element = Any


def read_docx(path: Path) -> ExtractedText:
    """Read a Word .docx document.

    Args:
        path: The .docx file.

    Returns:
        The body text: paragraphs and headings separated by blank lines, list
        items as ``- `` lines, table rows as lines of cells joined by ``" | "``.

    Raises:
        ImportRefused: The file is protected, not really a .docx, damaged or unsafe.
    """
    open_office_package(
        path,
        kind=".docx",
        what="a .docx document",
        main_member="word/document.xml",
        protected_reason=PROTECTED_REASON,
        damaged_reason=DAMAGED_ZIP_REASON,
    )
    document = _open(path)
    writer = BlockWriter()
    lists = _ListStyles(document)
    try:
        _walk_blocks(document.element.body, writer, lists)
    except RecursionError:
        raise ImportRefused("the document is nested too deeply to read") from None
    return ExtractedText(text=normalise_text(writer.text()), format="docx")


def _open(path: Path) -> Any:
    try:
        return docx.Document(str(path))
    except ValueError as exc:
        # python-docx says "file '...' is not a Word file, content type is ...".
        if "not a Word file" in str(exc):
            raise ImportRefused("this file is not a Word .docx document") from None
        raise ImportRefused("the .docx file is damaged (it could not be opened)") from None
    except KeyError:
        raise ImportRefused("the .docx file is damaged (a required part is missing)") from None
    except SyntaxError:  # lxml's XMLSyntaxError derives from it
        raise ImportRefused("the .docx file is damaged (its XML is malformed)") from None
    except Exception:  # any other parser failure means the same to the user
        raise ImportRefused("the .docx file is damaged (it could not be opened)") from None


class _ListStyles:
    """Decides which paragraphs are list items, directly or through their style."""

    def __init__(self, document: Any) -> None:
        self._styles: dict[str, tuple[bool | None, bool, str | None]] = {}
        for style in document.styles.element.iterchildren(_W + "style"):
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            ppr = style.find(_W + "pPr")
            based_on = style.find(_W + "basedOn")
            self._styles[style_id] = (
                _numbering_of(ppr),
                ppr is not None and ppr.find(_W + "outlineLvl") is not None,
                based_on.get(_W + "val") if based_on is not None else None,
            )

    def is_list_item(self, paragraph: _Element) -> bool:
        """Return whether ``paragraph`` carries list numbering (bullets or numbers)."""
        ppr = paragraph.find(_W + "pPr")
        style_id = None
        if ppr is not None:
            if ppr.find(_W + "outlineLvl") is not None:
                return False
            direct = _numbering_of(ppr)
            if direct is not None:
                return direct
            pstyle = ppr.find(_W + "pStyle")
            style_id = pstyle.get(_W + "val") if pstyle is not None else None
        seen: set[str] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            numbered, heading, based_on = self._styles.get(style_id, (None, False, None))
            if heading:
                # Numbered headings ("1.2 Results") are headings, not list items.
                return False
            if numbered is not None:
                return numbered
            style_id = based_on
        return False


def _numbering_of(ppr: _Element | None) -> bool | None:
    """True/False when ``pPr`` switches numbering on/off, None when it says nothing."""
    if ppr is None:
        return None
    numpr = ppr.find(_W + "numPr")
    if numpr is None:
        return None
    num_id = numpr.find(_W + "numId")
    if num_id is None:
        return None
    # numId 0 explicitly removes numbering inherited from the style.
    return num_id.get(_W + "val") not in (None, "0")


def _walk_blocks(container: _Element, writer: BlockWriter, lists: _ListStyles) -> None:
    for child in container.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            _emit_paragraph(child, writer, lists)
        elif tag == _W + "tbl":
            writer.end_group()
            for row in _table_rows(child, lists):
                writer.table_row(row)
            writer.end_group()
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _walk_blocks(content, writer, lists)
        elif tag in _BLOCK_WRAPPERS:
            _walk_blocks(child, writer, lists)
        elif tag == _MC + "AlternateContent":
            choice = child.find(_MC + "Choice")
            if choice is not None:
                _walk_blocks(choice, writer, lists)


def _emit_paragraph(paragraph: _Element, writer: BlockWriter, lists: _ListStyles) -> None:
    text, text_boxes = _paragraph_content(paragraph)
    if lists.is_list_item(paragraph):
        writer.list_item(text)
    else:
        writer.paragraph(text)
    # Text boxes anchored in the paragraph follow it as blocks of their own.
    for box in text_boxes:
        writer.end_group()
        _walk_blocks(box, writer, lists)
        writer.end_group()


def _paragraph_content(paragraph: _Element) -> tuple[str, list[_Element]]:
    """Return a paragraph's visible text and the text-box bodies anchored in it."""
    parts: list[str] = []
    text_boxes: list[_Element] = []
    # An explicit stack instead of recursion: drawings nest deeply.
    stack: list[Iterator[_Element]] = [paragraph.iterchildren()]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "txbxContent":
            text_boxes.append(child)
        else:
            stack.append(child.iterchildren())
    return "".join(parts), text_boxes


def _table_rows(table: _Element, lists: _ListStyles) -> Iterator[str]:
    for row in _children_through_wrappers(table, _W + "tr"):
        cells = [_cell_text(cell, lists) for cell in _children_through_wrappers(row, _W + "tc")]
        if any(cells):
            yield " | ".join(cells)


def _children_through_wrappers(parent: _Element, tag: str) -> Iterator[_Element]:
    """Yield ``tag`` children, looking inside content controls and custom XML wrappers."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _children_through_wrappers(content, tag)
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children_through_wrappers(child, tag)


def _cell_text(cell: _Element, lists: _ListStyles) -> str:
    """Flatten a cell (paragraphs, lists, nested tables) onto one line."""
    inner = BlockWriter()
    _walk_blocks(cell, inner, lists)
    return " ".join(line.strip() for line in inner.text().split("\n") if line.strip())
