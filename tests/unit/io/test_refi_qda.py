"""The REFI-QDA reader: real-world quirks read, hostile files refused with one sentence."""

from __future__ import annotations

import stat
import warnings
import zipfile
from pathlib import Path

import pytest

from ketqual.core.model import ImportRefused
from ketqual.io.formats import refi_qda as qda
from ketqual.io.formats import refi_qda_reader, refi_qda_writer
from tests.refi_files import NS, make_qdpx, project_xml, text_source

GUID = "0f8a1907-7e42-4739-8610-a676b4d1b69f"


def _refused(path: Path) -> str:
    with pytest.raises(ImportRefused) as info:
        refi_qda_reader.open_file(path).close()
    message = str(info.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("qde_name", ["project.qde", "Project.qde", "my study.qde", "x/p.qde"])
@pytest.mark.parametrize("folder", ["sources", "Sources"])
@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_qde_names_source_folders_and_compression(tmp_path, qde_name, folder, compression):
    xml = project_xml(text_source(GUID, f"internal://{GUID}.txt", []))
    prefix = qde_name.rsplit("/", 1)[0] + "/" if "/" in qde_name else ""
    path = make_qdpx(
        tmp_path / "p.qdpx",
        xml,
        {f"{prefix}{folder}/{GUID}.txt": "hello"},
        qde_name=qde_name,
        compression=compression,
    )
    with refi_qda_reader.open_file(path) as qda_file:
        source = qda_file.project.sources[0]
        found = qda_file.read_text(source.plain_path)
    assert found is not None and found.data == b"hello" and found.where == "archive"


def test_paths_relative_absolute_bare_and_missing(tmp_path):
    base = tmp_path / "media"
    base.mkdir()
    (base / "rel.txt").write_text("relative text", encoding="utf-8")
    (tmp_path / "abs.txt").write_text("absolute text", encoding="utf-8")
    sources = "".join(
        text_source(f"{GUID[:-1]}{i}", path, [])
        for i, path in enumerate(
            [
                "relative:///rel.txt",
                f"absolute://{tmp_path / 'abs.txt'}",
                "bare.txt",
                "internal://missing.txt",
                f"internal://{GUID.upper()}%20x.txt",
            ]
        )
    )
    xml = project_xml(sources, attributes=f'basePath="{base}"')
    path = make_qdpx(
        tmp_path / "p.qdpx", xml, {"sources/bare.txt": "bare", f"sources/{GUID}%20x.txt": "x"}
    )
    with refi_qda_reader.open_file(path) as qda_file:
        found = [qda_file.read_text(s.plain_path) for s in qda_file.project.sources]
    assert [f.data if f else None for f in found] == [
        b"relative text",
        b"absolute text",
        b"bare",
        None,
        None,  # the %20 is decoded, so that name is not in the archive
    ]
    assert found[0].where == "disk" and found[2].where == "archive"


def test_guids_braced_and_in_any_case_match():
    assert qda.guid_key("{0F8A1907-7E42-4739-8610-A676B4D1B69F}") == GUID
    assert qda.uid_from_guid("{0F8A1907-7E42-4739-8610-A676B4D1B69F}") == GUID.replace("-", "")
    assert qda.guid_from_uid(GUID.replace("-", "")) == GUID
    assert qda.uid_from_guid("not-a-guid") is None


def test_bare_qde_and_missing_namespace(tmp_path):
    path = tmp_path / "plain.qde"
    path.write_text(
        '<Project name="x"><Users><User guid="{A5DE7584-8296-418B-A322-136F77ADF87B}"/></Users>'
        "</Project>",
        encoding="utf-8",
    )
    with refi_qda_reader.open_file(path) as qda_file:
        assert qda_file.kind == "qde" and len(qda_file.project.users) == 1


@pytest.mark.parametrize(
    ("member", "why"),
    [
        ("../evil.txt", "outside the archive"),
        ("sources/../../evil.txt", "outside the archive"),
        ("/etc/evil.txt", "outside the archive"),
        ("C:/Windows/evil.txt", "outside the archive"),
        ("\\\\server\\share\\evil.txt", "outside the archive"),
    ],
)
def test_members_pointing_outside_are_refused(tmp_path, member, why):
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project_xml())
        archive.writestr(zipfile.ZipInfo(member), b"x")
    assert why in _refused(path)


def test_links_and_duplicate_names_are_refused(tmp_path):
    path = tmp_path / "link.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project_xml())
        link = zipfile.ZipInfo("sources/a.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert "is a link" in _refused(path)
    path = tmp_path / "twice.qdpx"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        archive.writestr("project.qde", project_xml())
        archive.writestr("project.qde", project_xml())
    assert "two parts named" in _refused(path)


def test_zip_bomb_text_is_refused_when_read(tmp_path):
    xml = project_xml(text_source(GUID, "internal://big.txt", []))
    path = make_qdpx(tmp_path / "p.qdpx", xml, {"sources/big.txt": b"\0" * (20 * 1024 * 1024)})
    with refi_qda_reader.open_file(path) as qda_file, pytest.raises(ImportRefused) as info:
        qda_file.read_text("internal://big.txt")
    assert "zip bomb" in str(info.value)


def test_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr(refi_qda_reader, "MAX_MEMBERS", 5)
    files = {f"sources/{i}.txt": "x" for i in range(6)}
    assert "more than 5 parts" in _refused(make_qdpx(tmp_path / "p.qdpx", project_xml(), files))


@pytest.mark.parametrize(
    "xml",
    [
        f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaa">]><Project {NS} name="&a;"/>',
        f'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.org/x.dtd"><Project {NS} name="x"/>',
        '<?xml version="1.0"?><!DOCTYPE P [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<Project {NS} name="&e;"/>',
    ],
    ids=["entities", "external-dtd", "external-entity"],
)
def test_hostile_xml_is_refused(tmp_path, xml):
    assert "unsafe XML" in _refused(make_qdpx(tmp_path / "p.qdpx", xml))


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"just some text", "damaged"),
        (b"<html><body>hi</body></html>", "not a REFI-QDA project"),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_projects(tmp_path, content, why):
    path = tmp_path / "p.qde" if not content.startswith(b"PK") else tmp_path / "p.qdpx"
    path.write_bytes(content)
    assert why in _refused(path)


def test_archive_without_or_with_several_projects(tmp_path):
    path = tmp_path / "none.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/a.txt", "x")
    assert "no .qde" in _refused(path)
    path = tmp_path / "two.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.qde", project_xml())
        archive.writestr("b.qde", project_xml())
    assert "several projects" in _refused(path)


def test_encrypted_member_is_refused(tmp_path):
    xml = project_xml(text_source(GUID, "internal://a.txt", []))
    path = make_qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": "secret"})
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag in the local and central headers of sources/a.txt only
    for signature, flags, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            if data[at + name_at : at + name_at + 13] == b"sources/a.txt":
                data[at + flags] |= 1
            at += 4
    path.write_bytes(bytes(data))
    with refi_qda_reader.open_file(path) as qda_file, pytest.raises(ImportRefused) as info:
        qda_file.read_text("internal://a.txt")
    assert "encrypted" in str(info.value)


def test_written_xml_reads_back(tmp_path):
    project = qda.Project(
        name="Round & <trip>",
        origin="KetQual",
        users=[qda.User(GUID, "Ann \x07 bell")],
        codes=[qda.Code(GUID, "Theme", colour="#AABBCC", description="Defined\r\nhere")],
        sources=[
            qda.TextSource(
                GUID,
                "Doc",
                plain_path=f"internal://{GUID}.txt",
                selections=[
                    qda.Selection(GUID, 0, 5, "Hello", GUID, codings=[qda.Coding(GUID, GUID, GUID)])
                ],
            )
        ],
    )
    path = refi_qda_writer.write_qdpx(tmp_path / "w.qdpx", project, {f"{GUID}.txt": "Hello\x07"})
    with refi_qda_reader.open_file(path) as qda_file:
        back = qda_file.project
        assert qda_file.read_text(back.sources[0].plain_path).data == b"Hello\x07"
    assert back.name == "Round & <trip>" and back.users[0].name == "Ann \ufffd bell"
    assert back.codes[0].description == "Defined\r\nhere"
    assert back.sources[0].selections[0].codings[0].code_guid == GUID
