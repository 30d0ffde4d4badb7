"""OpenDocument text reader, on hand-made .odt packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ketqual.core.model import ImportRefused
from ketqual.io.readers.odt import DAMAGED_ZIP_REASON, PROTECTED_REASON, read_odt

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def content_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<office:document-content {NAMESPACES} office:version="1.3">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )


def make_odt(
    path: Path,
    content: str | bytes,
    *,
    mimetype: str | None = ODT_MIMETYPE,
    manifest: str | None = None,
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml", manifest or MANIFEST.format(mimetype=mimetype or "")
        )
        archive.writestr("content.xml", content)
    return path


RICH_BODY = (
    "<text:tracked-changes><text:changed-region><text:deletion>"
    "<text:p>deleted text</text:p></text:deletion></text:changed-region></text:tracked-changes>"
    "<text:sequence-decls><text:sequence-decl text:name='Figure'/></text:sequence-decls>"
    '<text:h text:outline-level="1">Session   2</text:h>'
    "<text:p>Two<text:s text:c='3'/>spaces,\n    collapsed\n    XML  white space,"
    "<text:tab/>a tab<text:line-break/>and a break"
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>footnote text</text:p></text:note-body></text:note>"
    "<office:annotation><dc:creator>Ann</dc:creator><text:p>a comment</text:p></office:annotation>"
    "<text:span> in a <text:a>link</text:a></text:span>.</text:p>"
    "<text:list><text:list-item><text:p>first item</text:p>"
    "<text:p>second paragraph of the item</text:p></text:list-item>"
    "<text:list-item><text:p>second item</text:p><text:list><text:list-item>"
    "<text:p>nested item</text:p></text:list-item></text:list></text:list-item></text:list>"
    "<text:section><text:p>In a section"
    "<draw:frame><draw:text-box><text:p>in a text box</text:p></draw:text-box></draw:frame>"
    "</text:p></text:section>"
    "<table:table><table:table-columns><table:table-column/></table:table-columns>"
    "<table:table-header-rows><table:table-row>"
    "<table:table-cell><text:p>Who</text:p></table:table-cell>"
    "<table:table-cell><text:p>Said</text:p></table:table-cell></table:table-row>"
    "</table:table-header-rows>"
    "<table:table-row><table:table-cell><text:p>P1</text:p></table:table-cell>"
    "<table:table-cell><text:p>line one</text:p><text:p>line two</text:p></table:table-cell>"
    "<table:table-cell table:number-columns-repeated='500'/></table:table-row>"
    "<table:table-row table:number-rows-repeated='2000'><table:table-cell/></table:table-row>"
    "</table:table>"
    "<text:p>The end.</text:p>"
)


def test_structure_in_reading_order(tmp_path: Path) -> None:
    result = read_odt(make_odt(tmp_path / "notes.odt", content_xml(RICH_BODY)))
    assert result.format == "odt"
    assert result.text == (
        "Session 2\n"
        "\n"
        "Two   spaces, collapsed XML white space,\ta tab\n"
        "and a break in a link.\n"
        "\n"
        "- first item\n"
        "  second paragraph of the item\n"
        "- second item\n"
        "- nested item\n"
        "\n"
        "In a section\n"
        "\n"
        "in a text box\n"
        "\n"
        "Who | Said\n"
        "P1 | line one line two\n"
        "\n"
        "The end."
    )


def test_utf16_content_is_read(tmp_path: Path) -> None:
    xml = content_xml("<text:p>Grüße 😀</text:p>").replace("UTF-8", "UTF-16")
    path = make_odt(tmp_path / "u16.odt", xml.encode("utf-16"))
    assert read_odt(path).text == "Grüße 😀"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    entities = ""
    for level in range(1, 10):
        references = f"&lol{level - 1};" * 10
        entities += f'<!ENTITY lol{level} "{references}">'
    prolog = f'<!DOCTYPE office:document-content [<!ENTITY lol0 "lol">{entities}]>'
    path = make_odt(tmp_path / "laughs.odt", content_xml("<text:p>&lol9;</text:p>", prolog))
    with pytest.raises(ImportRefused) as info:
        read_odt(path)
    assert str(info.value) == "the document contains unsafe XML (entity declarations)"


def test_encrypted_package_is_protected(tmp_path: Path) -> None:
    manifest = MANIFEST.format(mimetype=ODT_MIMETYPE).replace(
        'media-type="text/xml"/>',
        'media-type="text/xml"><manifest:encryption-data manifest:checksum="x"/>'
        "</manifest:file-entry>",
    )
    path = make_odt(tmp_path / "locked.odt", b"\x8f\x12 encrypted bytes", manifest=manifest)
    with pytest.raises(ImportRefused) as info:
        read_odt(path)
    assert str(info.value) == PROTECTED_REASON


def test_spreadsheet_named_odt(tmp_path: Path) -> None:
    path = make_odt(
        tmp_path / "sheet.odt",
        content_xml(""),
        mimetype="application/vnd.oasis.opendocument.spreadsheet",
    )
    with pytest.raises(
        ImportRefused, match=r"^this file is an OpenDocument spreadsheet \(\.ods\), not an \.odt"
    ):
        read_odt(path)


def test_missing_text_body(tmp_path: Path) -> None:
    xml = f"<office:document-content {NAMESPACES}><office:body/></office:document-content>"
    with pytest.raises(ImportRefused, match="^this file is not an OpenDocument text document$"):
        read_odt(make_odt(tmp_path / "x.odt", xml, mimetype=None))


def test_missing_content_xml(tmp_path: Path) -> None:
    path = tmp_path / "empty.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", ODT_MIMETYPE)
    with pytest.raises(
        ImportRefused, match=r"^the \.odt file is damaged \(content\.xml is missing\)$"
    ):
        read_odt(path)


def test_malformed_xml_is_damaged(tmp_path: Path) -> None:
    path = make_odt(tmp_path / "bad.odt", "<office:document-content><text:p>unclosed")
    with pytest.raises(ImportRefused, match=r"^the \.odt file is damaged \("):
        read_odt(path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "plain.odt"
    path.write_text("hello")
    with pytest.raises(ImportRefused) as info:
        read_odt(path)
    assert str(info.value) == DAMAGED_ZIP_REASON


def test_pdf_renamed_odt(tmp_path: Path) -> None:
    path = tmp_path / "paper.odt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(ImportRefused, match="^this file is a PDF document, not an .odt document$"):
        read_odt(path)


def test_deep_nesting_is_refused_cleanly(tmp_path: Path) -> None:
    depth = 5000
    body = "<text:p>" + "<text:span>" * depth + "deep" + "</text:span>" * depth + "</text:p>"
    path = make_odt(tmp_path / "deep.odt", content_xml(body))
    with pytest.raises(ImportRefused, match="^the document is nested too deeply to read$"):
        read_odt(path)
