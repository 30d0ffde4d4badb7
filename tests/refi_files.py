"""Hand-made REFI-QDA files for tests: real-world quirks and hostile archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = 'xmlns="urn:QDA-XML:project:1.0"'


def make_qdpx(
    path: Path,
    xml: str,
    files: dict[str, bytes | str] | None = None,
    *,
    qde_name: str = "project.qde",
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A .qdpx holding ``xml`` as ``qde_name`` and ``files`` (member name -> content)."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr(qde_name, xml)
        for name, data in (files or {}).items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def project_xml(
    sources: str = "",
    *,
    users: str = '<User guid="11111111-1111-1111-1111-111111111111" name="Ann"/>',
    codes: str = (
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Travel" isCodable="true" '
        'color="#117733"/>'
    ),
    origin: str = "Test tool 1.0",
    extra: str = "",
    attributes: str = "",
) -> str:
    """A project.qde with the given parts (sources are TextSource elements)."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project {NS} name="Test" origin="{origin}"'
        f" {attributes}>"
        f"<Users>{users}</Users>"
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        + (f"<Sources>{sources}</Sources>" if sources else "")
        + extra
        + "</Project>"
    )


def text_source(
    guid: str, path: str, selections: list[tuple[int, int, str, str]], *, name: str = "Doc"
) -> str:
    """A TextSource with selections (start, end, code guid, user guid), one Coding each."""
    body = "".join(
        f'<PlainTextSelection guid="{guid[:-4]}{i:04d}" startPosition="{s}" endPosition="{e}">'
        f'<Coding guid="{guid[:-4]}{i + 5000:04d}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        for i, (s, e, code, user) in enumerate(selections)
    )
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="{path}">{body}</TextSource>'
