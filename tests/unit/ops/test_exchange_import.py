"""Importing REFI-QDA projects as other tools write them: positions, users, codings, notes."""

from __future__ import annotations

import pytest

from ketqual.ops import project_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.exchange import qdpx_import
from tests.refi_files import make_qdpx, project_xml, text_source

ANN = "11111111-1111-1111-1111-111111111111"
BEN = "22222222-2222-2222-2222-222222222222"
ATLAS = "C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B"
TRAVEL = "aaaaaaaa-0000-0000-0000-000000000001"
COST = "aaaaaaaa-0000-0000-0000-000000000002"
DOC = "dddddddd-0000-0000-0000-000000000001"
CODES = (
    f'<Code guid="{TRAVEL}" name="Travel" isCodable="true" color="#117733"/>'
    f'<Code guid="{COST}" name="Cost\x7f/price" isCodable="true"/>'
)
RAW = (
    "Interviewer: How was the first dose? 😀\r\n"
    "P3: It lifted the fog — cafe\u0301 talk, 𝒜 clearer.\r\n"
    "\r\n"
    "Carer: Driving home was 🚗 the worry.   \r\n"
)
WORDS = ["lifted the fog", "cafe\u0301 talk", "clearer", "Driving home", "the worry"]


def _utf16(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def _spans(counting: str, *, utf16: bool) -> list[tuple[int, int]]:
    out = []
    for word in WORDS:
        start = counting.index(word)
        end = start + len(word)
        out.append((_utf16(counting, start), _utf16(counting, end)) if utf16 else (start, end))
    return out


def _file(tmp_path, spans, *, origin="Test tool", data: bytes | None = None):
    selections = [(s, e, TRAVEL, ANN) for s, e in spans]
    xml = project_xml(
        text_source(DOC, f"internal://{DOC}.txt", selections), codes=CODES, origin=origin
    )
    payload = data if data is not None else RAW.encode("utf-8")
    return make_qdpx(tmp_path / "p.qdpx", xml, {f"sources/{DOC}.txt": payload})


def _found(plan) -> list[str]:
    text = plan.documents[0].draft.text
    return [text[c.start : c.end] for c in plan.codings]


STORED = RAW.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("counting", "utf16", "origin", "described"),
    [
        (RAW, True, "NVivo for Windows 14", "UTF-16 code units, CRLF counted as two"),
        (RAW, False, "Some tool", "code points, CRLF counted as two"),
        (STORED, False, "QualCoder 3.5", "code points, CRLF counted as one"),
        (STORED, True, "Another tool", "UTF-16 code units, CRLF counted as one"),
    ],
)
def test_position_conventions_are_detected(tmp_path, counting, utf16, origin, described):
    path = _file(tmp_path, _spans(counting, utf16=utf16), origin=origin)
    plan = qdpx_import.read_qdpx(path)
    assert _found(plan) == WORDS
    assert plan.convention == described
    assert plan.spans_on_boundaries == (5, 5)
    assert any(
        n.startswith(f"positions read as {described} (detected)")
        and n.endswith(": 5 of 5 selections start and end on word boundaries")
        for n in plan.summary.notes
    )
    assert plan.documents[0].draft.text == STORED  # spaces at the line end kept


def test_a_bom_is_not_counted(tmp_path):
    path = _file(tmp_path, _spans(RAW, utf16=True), data=b"\xef\xbb\xbf" + RAW.encode())
    plan = qdpx_import.read_qdpx(path)
    assert _found(plan) == WORDS and plan.documents[0].draft.text == STORED


def test_the_user_can_override_the_unit(tmp_path):
    path = _file(tmp_path, _spans(RAW, utf16=True), origin="NVivo")
    plan = qdpx_import.read_qdpx(path, positions_unit="codepoints")
    assert plan.convention.startswith("code points")
    assert _found(plan) != WORDS
    assert any("(as you chose)" in n for n in plan.summary.notes)
    with pytest.raises(OperationError, match="positions must be one of"):
        qdpx_import.read_qdpx(path, positions_unit="bytes")


def test_users_codings_and_notes_as_tools_write_them(tmp_path):
    text = "alpha beta gamma delta\n"
    users = (
        f'<User guid="{ATLAS}" name="ATLAS.ti"/>'
        f'<User guid="{ANN}" name="Ann"/>'
        f'<User guid="{{{ANN.upper()}}}" name="Ann"/>'  # the same GUID again, braced
        f'<User guid="{BEN}" name="Ann"/>'  # another GUID for the same person
        '<User guid="33333333-3333-3333-3333-333333333333" name="Consensus"/>'
        '<User guid="44444444-4444-4444-4444-444444444444" name="Bell\t&amp;\n Co"/>'
    )
    source = (
        f'<TextSource guid="{DOC}" name="Notes" plainTextPath="internal://{DOC}.txt">'
        # several codings on one selection, one with a note
        f'<PlainTextSelection guid="{DOC[:-1]}a" startPosition="0" endPosition="5" creatingUser="{ANN}">'
        f'<Coding guid="{DOC[:-1]}b" creatingUser="{ANN}"><CodeRef targetGUID="{TRAVEL.upper()}"/>'
        '<NoteRef targetGUID="99999999-0000-0000-0000-000000000001"/></Coding>'
        f'<Coding guid="{DOC[:-1]}c" creatingUser="{BEN}"><CodeRef targetGUID="{{{COST}}}"/></Coding>'
        "</PlainTextSelection>"
        # the same span selected again for the same code: one coding
        f'<PlainTextSelection guid="{DOC[:-1]}d" startPosition="0" endPosition="5">'
        f'<Coding guid="{DOC[:-1]}e" creatingUser="{ANN}"><CodeRef targetGUID="{TRAVEL}"/></Coding>'
        "</PlainTextSelection>"
        # the consensus layer, an unknown code, a comment without a code, an empty selection
        f'<PlainTextSelection guid="{DOC[:-1]}f" startPosition="6" endPosition="10">'
        '<Coding guid="99999999-0000-0000-0000-00000000000f" '
        'creatingUser="33333333-3333-3333-3333-333333333333">'
        f'<CodeRef targetGUID="{COST}"/></Coding>'
        f'<Coding guid="99999999-0000-0000-0000-00000000000e" creatingUser="{ANN}">'
        '<CodeRef targetGUID="ffffffff-0000-0000-0000-000000000000"/></Coding>'
        "</PlainTextSelection>"
        f'<PlainTextSelection guid="{DOC[:-1]}1" startPosition="11" endPosition="16">'
        "<Description>worth a look</Description></PlainTextSelection>"
        f'<PlainTextSelection guid="{DOC[:-1]}2" startPosition="3" endPosition="3"/>'
        # a code on the whole document
        f'<Coding guid="{DOC[:-1]}3" creatingUser="44444444-4444-4444-4444-444444444444">'
        f'<CodeRef targetGUID="{TRAVEL}"/></Coding>'
        '<NoteRef targetGUID="99999999-0000-0000-0000-000000000002"/>'
        "</TextSource>"
        '<TextSource guid="dddddddd-0000-0000-0000-000000000002" name="Gone" '
        'plainTextPath="internal://gone.txt"/>'
    )
    notes = (
        "<Notes>"
        f'<Note guid="99999999-0000-0000-0000-000000000001" name="Why" creatingUser="{ANN}">'
        "<PlainTextContent>because</PlainTextContent></Note>"
        '<Note guid="99999999-0000-0000-0000-000000000002" name="About the notes">'
        "<PlainTextContent>scribe was new</PlainTextContent></Note>"
        '<Note guid="99999999-0000-0000-0000-000000000003" name="Plan">'
        "<Description>the log</Description><PlainTextContent>day one</PlainTextContent></Note>"
        "</Notes>"
    )
    xml = project_xml(source, users=users, codes=CODES, extra=notes)
    path = make_qdpx(tmp_path / "p.qdpx", xml, {f"sources/{DOC}.txt": text})
    plan = qdpx_import.read_qdpx(path)
    coders = {c.key: c.name for c in plan.coders}
    assert sorted(coders.values()) == ["Ann", "Bell & Co"]
    assert [c.name for c in plan.codes] == ["Travel", "Cost ∕price"]
    by_span = sorted(
        (c.start, c.end, next(k.name for k in plan.codes if k.key == c.code), coders.get(c.coder))
        for c in plan.codings
    )
    assert by_span == [
        (0, 5, "Cost ∕price", "Ann"),  # Ben's GUID is Ann's name: one coder
        (0, 5, "Travel", "Ann"),
        (0, 5, "Travel", "Ann"),  # selected again for the same code: KetQual keeps repeats
        (0, 23, "Travel", "Bell & Co"),
        (6, 10, "Cost ∕price", None),  # the consensus layer
    ]
    assert (
        next(c for c in plan.codings if c.start == 0 and c.end == 5 and c.memo).memo
        == "Why\n\nbecause"
    )
    memos = sorted((m.target_type, m.text) for m in plan.memos)
    assert memos == [
        ("document", "About the notes\n\nscribe was new"),
        ("document", "On 11-16 (“gamma”): worth a look"),
        ("project", "Plan\n\nthe log\n\nday one"),
    ]
    lost = "\n".join(plan.summary.lost)
    notes_text = "\n".join(plan.summary.notes)
    assert "1 text document whose text is not in the file ('Gone')" in lost
    assert "1 coding of codes the codebook does not have" in lost
    assert "ATLAS.ti's built-in user" in notes_text
    assert "1 user with the same name as another became one coder" in notes_text
    assert "1 coding repeat another of the same code on the same span" in notes_text
    assert "1 empty selection" in notes_text

    result = qdpx_import.store_plan(plan, tmp_path / "new.ketqual")
    project = project_ops.open_project(result.location, backup=False)
    info = project_ops.project_info(project)
    project.close()
    assert info["consensus_codings"] == 1 and len(info["documents"]) == 1
    assert [c["shortcut"] for c in info["codes"]] == ["1", "2"]


def test_a_failed_store_leaves_no_file_and_an_existing_file_is_refused(tmp_path, monkeypatch):
    path = _file(tmp_path, _spans(RAW, utf16=False))
    plan = qdpx_import.read_qdpx(path)
    (tmp_path / "taken.ketqual").write_bytes(b"x")
    with pytest.raises(OperationError, match="exists already"):
        qdpx_import.store_plan(plan, tmp_path / "taken.ketqual")
    with pytest.raises(OperationError, match="import into a project file"):
        qdpx_import.store_plan(plan, "postgresql+psycopg://team@server.local/study")

    def broken(*_args, **_kwargs):
        raise OperationError("disk full")

    monkeypatch.setattr(qdpx_import, "_store", broken)
    with pytest.raises(OperationError, match="disk full"):
        qdpx_import.store_plan(plan, tmp_path / "new.ketqual")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.qdpx", "taken.ketqual"]


def test_declining_the_data_loss_stores_nothing(tmp_path):
    xml = project_xml(
        text_source(DOC, "internal://gone.txt", [(0, 3, TRAVEL, ANN)]),
        extra='<Sets><Set guid="55555555-0000-0000-0000-000000000000" name="s"/></Sets>',
    )
    path = make_qdpx(tmp_path / "p.qdpx", xml)
    seen = []
    result = qdpx_import.import_qdpx(
        path, tmp_path / "new.ketqual", confirm=lambda s: seen.append(s) or False
    )
    assert result is None and not (tmp_path / "new.ketqual").exists()
    assert "1 set (group of documents or codes)" in seen[0].lost


def test_codebook_file_is_pointed_to_import_qdc(tmp_path):
    path = tmp_path / "book.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{TRAVEL}" name="T" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    with pytest.raises(OperationError, match="import-qdc"):
        qdpx_import.read_qdpx(path)


def test_units_found_in_worker_processes_are_those_found_here(tmp_path, monkeypatch):
    """Workers started before the XML is parsed (the archive's texts look large) give
    the very units this process would; started on a wrong guess, they are let go."""
    from ketqual.core import units
    from ketqual.ops.exchange import qdpx_plan

    texts = {
        f"sources/d{i}.txt": f"Text {i}. It lifted the fog.\r\n\r\nCarer: yes. " * 3
        for i in range(4)
    }
    sources = "".join(
        text_source(f"dddddddd-0000-0000-0000-00000000000{i}", f"internal://d{i}.txt", [])
        for i in range(4)
    )
    path = make_qdpx(tmp_path / "many.qdpx", project_xml(sources), texts)
    monkeypatch.setattr(qdpx_plan.UnitFinder, "PARALLEL_MIN_TEXTS", 2)
    monkeypatch.setattr(qdpx_plan.UnitFinder, "PARALLEL_MIN_CHARACTERS", 1)
    started = []
    real_start = qdpx_plan.start_workers
    monkeypatch.setattr(qdpx_plan, "start_workers", lambda: started.append(1) or real_start())
    plan = qdpx_import.read_qdpx(path)
    assert started == [1]  # once, before the XML was parsed
    assert len(plan.documents) == 4 and all(d.units for d in plan.documents)
    assert [d.units for d in plan.documents] == [
        units.segment(d.draft.text) for d in plan.documents
    ]
    few = ["One. Two.", "Three."]
    monkeypatch.setattr(qdpx_plan.UnitFinder, "PARALLEL_MIN_TEXTS", 16)
    with qdpx_plan.UnitFinder(few, pool=real_start()) as finder:
        assert finder.results() == [units.segment(t) for t in few]


def test_workers_are_spawned_next_to_qt(monkeypatch):
    import sys

    from ketqual.ops.exchange import qdpx_plan

    monkeypatch.setitem(sys.modules, "PySide6", sys.modules.get("PySide6") or object())
    assert qdpx_plan._start_method() == "spawn"
