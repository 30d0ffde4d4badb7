"""Writing REFI-QDA files: a ``.qdpx`` project (``project.qde`` plus ``sources/``) and a ``.qdc``
codebook, valid against the standard's schemas (Project-mrt2019.xsd, Codebook-mrt2019.xsd).

The XML is written as text in the schema's element order, escaped here (a project with
50,000 codings is written in well under a second this way). Characters XML 1.0 cannot hold
(most control characters) become U+FFFD in the XML only; the source texts in ``sources/``
are written as they are, UTF-8 without a byte-order mark. Files are written to a temporary
name and renamed, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ketqual.io import atomic
from ketqual.io.formats import refi_qda as qda

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters an attribute value or element text must not hold as they are (tabs and line
# breaks in attributes would be turned into spaces by any reader: they go as references).
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r]')
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_TABLE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
_TEXT_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def _attr(name: str, value: object) -> str:
    if value is None or value == "":
        return ""
    text = _clean(str(value))
    if _ATTR_SPECIAL.search(text):
        text = text.translate(_ATTR_TABLE)
    return f' {name}="{text}"'


def _text(value: str) -> str:
    text = _clean(value)
    return text.translate(_TEXT_TABLE) if _TEXT_SPECIAL.search(text) else text


def _element(name: str, value: str | None, indent: str) -> str:
    if not value:
        return ""
    return f"{indent}<{name}>{_text(value)}</{name}>\n"


def _note_refs(refs: Iterable[str], indent: str) -> str:
    return "".join(f'{indent}<NoteRef targetGUID="{ref}"/>\n' for ref in refs)


def _value(value: qda.VariableValue, types: dict[str, str], indent: str) -> str:
    kind = types.get(value.variable_guid, "Text")
    raw = value.value
    if isinstance(raw, bool):
        shown = "true" if raw else "false"
    else:
        shown = "" if raw is None else str(raw)
    form = {"Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue"}.get(
        kind, {"Date": "DateValue", "DateTime": "DateTimeValue"}.get(kind, "TextValue")
    )
    return (
        f"{indent}<VariableValue>\n"
        f'{indent}  <VariableRef targetGUID="{value.variable_guid}"/>\n'
        f"{indent}  <{form}>{_text(shown)}</{form}>\n"
        f"{indent}</VariableValue>\n"
    )


def _code(code: qda.Code, indent: str, out: list[str], *, in_codebook: bool) -> None:
    attrs = (
        f"{_attr('guid', code.guid)}{_attr('name', code.name)}"
        f' isCodable="{"true" if code.codable else "false"}"{_attr("color", code.colour)}'
    )
    inner = _element("Description", code.description, indent + "  ")
    if not in_codebook:  # a .qdc has no notes
        inner += _note_refs(code.note_refs, indent + "  ")
    if not inner and not code.children:
        out.append(f"{indent}<Code{attrs}/>\n")
        return
    out.append(f"{indent}<Code{attrs}>\n{inner}")
    for child in code.children:
        _code(child, indent + "  ", out, in_codebook=in_codebook)
    out.append(f"{indent}</Code>\n")


def _coding(coding: qda.Coding, indent: str) -> str:
    attrs = f"{_attr('guid', coding.guid)}{_attr('creatingUser', coding.user_guid)}"
    if coding.created:
        attrs += _attr("creationDateTime", coding.created)
    return (
        f"{indent}<Coding{attrs}>\n"
        f'{indent}  <CodeRef targetGUID="{coding.code_guid}"/>\n'
        f"{_note_refs(coding.note_refs, indent + '  ')}"
        f"{indent}</Coding>\n"
    )


def _source(source: qda.TextSource, types: dict[str, str], out: list[str]) -> None:
    out.append(
        f"    <TextSource{_attr('guid', source.guid)}{_attr('name', source.name)}"
        f"{_attr('plainTextPath', source.plain_path)}{_attr('creatingUser', source.user_guid)}"
        f"{_attr('creationDateTime', source.created)}>\n"
    )
    out.append(_element("Description", source.description, "      "))
    if source.content is not None and not source.plain_path:
        out.append(f"      <PlainTextContent>{_text(source.content)}</PlainTextContent>\n")
    for selection in source.selections:
        out.append(
            f"      <PlainTextSelection{_attr('guid', selection.guid)}"
            f'{_attr("name", selection.name)} startPosition="{selection.start}"'
            f' endPosition="{selection.end}"{_attr("creatingUser", selection.user_guid)}'
            f"{_attr('creationDateTime', selection.created)}>\n"
        )
        out.append(_element("Description", selection.description, "        "))
        out.extend(_coding(c, "        ") for c in selection.codings)
        out.append(_note_refs(selection.note_refs, "        "))
        out.append("      </PlainTextSelection>\n")
    out.extend(_coding(c, "      ") for c in source.codings)
    out.append(_note_refs(source.note_refs, "      "))
    out.extend(_value(v, types, "      ") for v in source.values)
    out.append("    </TextSource>\n")


def project_xml(project: qda.Project) -> bytes:
    """The ``project.qde`` XML of ``project`` (UTF-8)."""
    types = {v.guid: v.type for v in project.variables}
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<Project xmlns="{qda.PROJECT_NS}"{_attr("name", project.name or "Project")}'
        f"{_attr('origin', project.origin)}{_attr('creatingUserGUID', project.creating_user)}"
        f"{_attr('creationDateTime', project.created)}>\n",
    ]
    if project.users:
        out.append("  <Users>\n")
        out.extend(
            f"    <User{_attr('guid', u.guid)}{_attr('name', u.name)}{_attr('id', u.id)}/>\n"
            for u in project.users
        )
        out.append("  </Users>\n")
    if project.codes:
        out.append("  <CodeBook>\n    <Codes>\n")
        for code in project.codes:
            _code(code, "      ", out, in_codebook=False)
        out.append("    </Codes>\n  </CodeBook>\n")
    if project.variables:
        out.append("  <Variables>\n")
        for v in project.variables:
            description = _element("Description", v.description, "      ")
            head = f"    <Variable{_attr('guid', v.guid)}{_attr('name', v.name)}"
            head += f' typeOfVariable="{v.type}"'
            out.append(f"{head}>\n{description}    </Variable>\n" if description else f"{head}/>\n")
        out.append("  </Variables>\n")
    if project.cases:
        out.append("  <Cases>\n")
        for case in project.cases:
            out.append(f"    <Case{_attr('guid', case.guid)}{_attr('name', case.name)}>\n")
            out.append(_element("Description", case.description, "      "))
            out.extend(_value(v, types, "      ") for v in case.values)
            out.extend(f'      <SourceRef targetGUID="{g}"/>\n' for g in case.source_guids)
            out.append("    </Case>\n")
        out.append("  </Cases>\n")
    if project.sources:
        out.append("  <Sources>\n")
        for source in project.sources:
            _source(source, types, out)
        out.append("  </Sources>\n")
    if project.notes:
        out.append("  <Notes>\n")
        for note in project.notes:
            out.append(
                f"    <Note{_attr('guid', note.guid)}{_attr('name', note.name)}"
                f"{_attr('creatingUser', note.user_guid)}{_attr('creationDateTime', note.created)}>\n"
            )
            out.append(_element("Description", note.description, "      "))
            out.append(f"      <PlainTextContent>{_text(note.content or '')}</PlainTextContent>\n")
            out.append("    </Note>\n")
        out.append("  </Notes>\n")
    out.append(_element("Description", project.description, "  "))
    out.append(_note_refs(project.note_refs, "  "))
    out.append("</Project>\n")
    return "".join(out).encode("utf-8")


def codebook_xml(codes: list[qda.Code], origin: str = "") -> bytes:
    """The ``.qdc`` XML of a codebook (UTF-8)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<CodeBook xmlns="{qda.CODEBOOK_NS}"{_attr("origin", origin)}>\n',
        "  <Codes>\n",
    ]
    for code in codes:
        _code(code, "    ", out, in_codebook=True)
    out.append("  </Codes>\n</CodeBook>\n")
    return "".join(out).encode("utf-8")


def write_qdpx(path: str | Path, project: qda.Project, texts: dict[str, str]) -> Path:
    """Write ``project`` and its source texts as a ``.qdpx`` archive.

    Args:
        path: The file to write (replaced in one step when complete).
        project: The project; text sources name their file as ``internal://NAME``.
        texts: ``NAME`` -> text, written as ``sources/NAME`` in UTF-8 without a BOM.

    Raises:
        OSError: The file cannot be written (nothing is left behind).
    """
    xml = project_xml(project)

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.writestr("project.qde", xml)
            for name, text in texts.items():
                archive.writestr(f"sources/{name}", text.encode("utf-8", "surrogatepass"))

    return atomic.write_atomically(path, write)


def write_qdc(path: str | Path, codes: list[qda.Code], origin: str = "") -> Path:
    """Write a ``.qdc`` codebook file (replaced in one step when complete)."""
    data = codebook_xml(codes, origin)
    return atomic.write_atomically(path, lambda temporary: temporary.write_bytes(data))
