"""Privacy end to end through the CLI: names given to import appear nowhere afterwards.

A supervisor imports notes with a roster (names, nicknames, a scribe named in the header,
a file name holding a surname, contact details), reviews and applies the suggestions,
has two coders code, and then exports everything KetQual can export and packs both kinds
of package. Every file written (the project and its backups, every export, both packages
decrypted) and the JSON the CLI prints are searched byte by byte, inside zip members,
PDF text and PNG text chunks too, for every name given to import.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from ketqual.cli.main import run_cli
from ketqual.io import key_file, package_file
from ketqual.ops import project_ops
from ketqual.ops.coding import coding_ops

ROSTER = """# invented people for this test
Rosalind Featherstone | Roz
carer: Desmond Achterberg | Des
staff: Ingrid Vasquez-Holt
Oluwaseun Adebayo-Clarke | Seun
place: Harrowgate Lodge Clinic | Harrowgate Lodge
"""
NOTES = """Session 1 – Group 1
Scribe: Ingrid Vasquez-Holt
Date: 17/03/2018

- Roz said the Harrowgate Lodge Clinic rang her twice about bladder pain; Des drives her.
- Seun (P4) worried about cost: “Seun can't afford the bus and the parking”.
- Follow-up contact: roz.featherstone@example.org or 07700 900456.
- Rosalind's carer Desmond Achterberg wants better information before each dose.
- P5 said the clinic staff explained the side effects well.
"""
NOTES_2 = """Session 1 – Group 2
Scribe: scribe 2 (MT)

- P7 on oral ketamine for 8 months, sleeps better, still anxious about driving.
- Featherstone was mentioned by P8 as a friend who helped.
- P9: travel is the biggest cost, two buses each way.
"""
NAMES = [
    "Rosalind", "Featherstone", "Roz", "Desmond", "Achterberg", "Des", "Ingrid", "Vasquez",
    "Oluwaseun", "Adebayo", "Seun", "Harrowgate", "roz.featherstone", "07700 900456",
]  # fmt: skip
FOUND = re.compile(rb"(?i)\b(?:" + b"|".join(re.escape(n.encode()) for n in NAMES) + rb")\b")


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch):
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)
    monkeypatch.setenv("KQ_KEY", "the supervisor's key passphrase")
    monkeypatch.setenv("KQ_PKG", "coder package passphrase")


def cli(*args: str, expect: int = 0) -> str:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = run_cli([str(a) for a in args])
    assert code == expect, out.getvalue() + err.getvalue()
    return out.getvalue() + err.getvalue()


def _contents(path: Path) -> bytes:
    """What a reader of a file can see in it: the bytes of a text or database file, the
    members of a zip (xlsx, docx), the text of a PDF, the text chunks of a PNG, the
    decrypted body of an encrypted package. (Compressed bytes are not searched as they
    are: three random bytes can spell a short name.)"""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return b"\n".join(archive.read(name) for name in archive.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        texts = [page.extract_text() or "" for page in reader.pages]
        return "\n".join(texts + [str(reader.metadata or {})]).encode()
    if path.suffix == ".png":
        chunks, at = [], 8
        while at + 8 <= len(data):
            length, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
            if kind in (b"tEXt", b"iTXt", b"zTXt"):
                chunks.append(data[at + 8 : at + 8 + length])
            at += 12 + length
        return b"\n".join(chunks)
    if package_file.is_encrypted_package(path):
        plain = path.with_name(path.name + ".plain")
        package_file.decrypt_file(path, plain, "coder package passphrase")
        body = plain.read_bytes()
        plain.unlink()
        return body
    return data


def _code_both_coders(project_path: Path) -> None:
    """Coder A and Coder B code the same passages, except one that B missed."""
    project = project_ops.open_project(project_path, backup=False)
    with project.read() as tx:
        docs = tx.documents.list()
        codes = {c.name: c.id for c in tx.codes.list()}
        coders = {c.name: c.id for c in tx.coders.list()}
        texts = {d.id: tx.documents.text(d.id) for d in docs}
    for coder in ("Coder A", "Coder B"):
        spans = []
        for doc in docs:
            text = texts[doc.id]
            for word, code in (
                ("bladder", "Side-effects"),
                ("cost", "Cost"),
                ("driving", "Effect on daily life"),
            ):
                at = text.find(word)
                if at >= 0:
                    line_start = text.rfind("\n", 0, at) + 1
                    end = text.find("\n", at) if "\n" in text[at:] else len(text)
                    spans.append(coding_ops.NewCoding(doc.id, codes[code], line_start, end))
        if coder == "Coder B" and len(spans) > 1:
            spans = spans[1:]  # B missed the first passage: a disagreement to resolve
        coding_ops.add_codings(project, coders[coder], spans)
    project.close()


def test_names_given_to_import_appear_nowhere(tmp_path: Path, qapp):
    # qapp: pictures are drawn in this process; the GUI tests that follow need the
    # application Qt makes first to be a QApplication, not a bare QGuiApplication
    out = tmp_path / "out"
    out.mkdir()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "S1_G1_Featherstone.txt").write_text(NOTES, encoding="utf-8")
    (notes / "S1_G2_scribe.txt").write_text(NOTES_2, encoding="utf-8")
    roster = tmp_path / "roster.txt"
    roster.write_text(ROSTER, encoding="utf-8")
    project = out / "study.ketqual"
    keys = tmp_path / "usb-stick"
    keys.mkdir()
    key = keys / "study.kqkey"
    pw = ("--key-passphrase-env", "KQ_KEY")

    cli("new", project)
    for name, role in (("Supervisor", "supervisor"), ("Coder A", "coder"), ("Coder B", "coder")):
        cli("coder", "add", project, name, "--role", role)
    # names without a key file are refused: they must never go into the project
    cli("import", project, notes / "S1_G1_Featherstone.txt", "--names", roster, expect=2)
    printed = cli("import", project, *sorted(notes.iterdir()), "--names", roster, "--key", key, *pw)
    assert "names replaced" in printed and "to review" in printed

    listed = json.loads(cli("identifiers", project, "list", "--format", "json"))
    assert {r["words"] for r in listed} >= {"roz.featherstone@example.org", "07700 900456"}
    cli("identifiers", project, "accept", ",".join(str(r["id"]) for r in listed))
    cli("identifiers", project, "apply", "--key", key, *pw)
    assert json.loads(cli("identifiers", project, "list", "--format", "json")) == []

    info = json.loads(cli("info", project, "--json"))
    first = next(d for d in info["documents"] if d["group"] == 1)
    assert first["notetaker"] == "[STAFF-1]" and first["source_name"] == "S1_G1_[P01].txt"
    _code_both_coders(project)

    # every export, written with nothing let through
    cli("codings", "export", project, "--coder", "Coder A", "-o", out / "a.csv", "--key", key, *pw)
    cli("unblind", project, "--supervisor", "Supervisor", "--reason", "consensus meeting")
    cli("review", project, "--coders", "Coder A,Coder B")
    queue = json.loads(cli("disagreements", project, "--format", "json"))
    items = queue["disagreements"]
    cli("resolve", project, str(items[0]["id"]), "--take", "a", "--reason", "A's boundary is right")
    cli("decisions", project, "-o", out / "decisions.csv")
    cli("decisions", project, "-o", out / "decisions.xlsx")
    cli("disagreements", project, "-o", out / "queue.csv")
    cli("disagreements", project, "-o", out / "queue.json")
    for fmt in ("json", "csv", "xlsx", "html"):
        cli("agreement", project, "--replicates", "0", "-o", out / f"agreement.{fmt}")
    for suffix in ("svg", "pdf", "png", "graphml", "gexf", "csv"):
        cli("network", project, "-o", out / f"network.{suffix}", "--min-weight", "0")
    cli("cooccurrence", project, "-o", out / "cooccurrence.csv")
    cli("cooccurrence", project, "-o", out / "cooccurrence.xlsx")
    cli("matrix", project, "-o", out / "matrices.xlsx", "--key", key, *pw)
    cli("matrix", project, "-o", out / "matrices.docx")
    cli("matrix", project, "-o", out / "matrices")
    (out / "counts.csv").write_text(cli("counts", project, "--format", "csv"), encoding="utf-8")
    (out / "counts.json").write_text(cli("counts", project, "--format", "json"), encoding="utf-8")
    cli("codebook", project, "--export", out / "codebook.json")
    cli("pack", project, "--coder", "Coder A", "-o", out / "a.kqpkg")
    cli("pack", project, "--coder", "Coder B", "-o", out / "b.kqpkg", "--passphrase-env", "KQ_PKG")
    # retrieval, attributes and the exchange files
    for fmt in ("csv", "json", "xlsx", "docx"):
        cli("passages", project, "--code", "Cost", "--format", fmt, "-o", out / f"passages.{fmt}")
    cli("crosstab", project, "--columns", "document", "-o", out / "crosstab.xlsx")
    cli("report", project, "-o", out / "report.docx")
    cli("report", project, "-o", out / "report.html")
    cli("attributes", "export", project, "--of", "documents", "-o", out / "documents.csv")
    cli("export-qdpx", project, "-o", out / "study.qdpx")
    cli("export-qdc", project, "-o", out / "codebook.qdc")
    (out / "info.json").write_text(cli("info", project, "--json"), encoding="utf-8")
    (out / "audit.json").write_text(
        cli("audit", project, "--json", "--limit", "1000"), encoding="utf-8"
    )

    # everything written but the key file itself (it holds the names, encrypted)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 30
    leaks = {str(p.relative_to(tmp_path)): FOUND.findall(_contents(p))[:3] for p in files}
    assert {k: v for k, v in leaks.items() if v} == {}
    # and the database holds no key table rows, only tokens where names were
    db = sqlite3.connect(project)
    assert db.execute("select count(*) from pseudonym_key").fetchone() == (0,)
    text = " ".join(r[0] for r in db.execute("select text from document"))
    assert "[P01]" in text and "[CARER-1]" in text and "[PLACE-1]" in text and "[EMAIL-1]" in text
    db.close()
    # the key file re-identifies, with a reason, for a supervisor
    said = cli("reidentify", project, "P01", "--key", key, *pw, "--reason", "safeguarding")
    assert "Rosalind Featherstone" in said


def test_an_export_with_identifiers_is_refused_until_a_supervisor_allows_it(tmp_path: Path):
    project = tmp_path / "study.ketqual"
    notes = tmp_path / "S1_G1_scribe.txt"
    notes.write_text(
        "- P3 gave her number, 07700 900123, as the cost of calls worries her.\n",
        encoding="utf-8",
    )
    cli("new", project)
    cli("coder", "add", project, "Supervisor", "--role", "supervisor")
    cli("coder", "add", project, "Coder A")
    cli("coder", "add", project, "Coder B")
    cli("import", project, notes)
    _code_both_coders(project)
    printed = cli(
        "codings", "export", project, "--coder", "Coder A", "-o", tmp_path / "a.csv", expect=2
    )
    assert "was not written" in printed and "07700 900123" in printed
    assert not (tmp_path / "a.csv").exists()
    cli("unblind", project, "--supervisor", "Supervisor", "--reason", "checking exports")
    cli("--as", "Supervisor", "codings", "export", project, "--coder", "Coder A",
        "-o", tmp_path / "a.csv", "--allow-identifiers", "P3 asked us to keep it")  # fmt: skip
    assert (tmp_path / "a.csv").exists()
    printed = cli("pack", project, "--coder", "Coder A", "-o", tmp_path / "a.kqpkg", expect=2)
    assert "package for Coder A was not written" in printed
    cli("pack", project, "--coder", "Coder A", "-o", tmp_path / "a.kqpkg",
        "--allow-identifiers", "P3's own number, she asked for calls")  # fmt: skip
    assert (tmp_path / "a.kqpkg").exists()
    audit = json.loads(cli("audit", project, "--json"))
    assert [e["action"] for e in audit].count("privacy.export_override") == 2


def test_passages_and_attribute_tables_are_checked_too(tmp_path: Path):
    project = tmp_path / "study.ketqual"
    notes = tmp_path / "S1_G1_scribe.txt"
    notes.write_text(
        "- P3 gave her number, 07700 900123, as the cost of calls worries her.\n",
        encoding="utf-8",
    )
    cli("new", project)
    cli("coder", "add", project, "Supervisor", "--role", "supervisor")
    cli("coder", "add", project, "Coder A")
    cli("coder", "add", project, "Coder B")
    cli("import", project, notes)
    _code_both_coders(project)
    passages = ("--as", "Coder A", "passages", project, "--code", "Cost", "--layer", "Coder A")
    for name, fmt in (("p.docx", "docx"), ("p.txt", "table")):  # the op's file, the CLI's own
        printed = cli(*passages, "--format", fmt, "-o", tmp_path / name, expect=2)
        assert "the list of coded passages was not written" in printed
        assert "passages[0].text: “07700 900123”" in printed
        assert not (tmp_path / name).exists()
    printed = cli(*passages, "--format", "docx", "-o", tmp_path / "p.docx",
                  "--allow-identifiers", "the coder's own copy", expect=2)  # fmt: skip
    assert "not a supervisor" in printed and not (tmp_path / "p.docx").exists()
    cli("unblind", project, "--supervisor", "Supervisor", "--reason", "checking exports")
    cli("--as", "Supervisor", *passages[2:], "--format", "docx", "-o", tmp_path / "p.docx",
        "--allow-identifiers", "P3 asked us to keep it")  # fmt: skip
    assert (tmp_path / "p.docx").exists()

    # an attribute value with a roster name: found with the key file open
    roster = tmp_path / "roster.txt"
    roster.write_text("Anna Smith | Annie\n", encoding="utf-8")
    key = tmp_path / "study.kqkey"
    pw = ("--key-passphrase-env", "KQ_KEY")
    cli("key", project, "new", key, "--roster", roster, *pw)
    cli("attributes", "define", project, "carer")
    cli("attributes", "set", project, "P3", "carer=Annie's sister")
    table = tmp_path / "people.csv"
    printed = cli("attributes", "export", project, "-o", table, "--key", key, *pw, expect=2)
    assert "the attribute table was not written" in printed
    assert "rows[0].carer: “Annie”" in printed and not table.exists()
    cli("--as", "Supervisor", "attributes", "export", project, "-o", table, "--key", key, *pw,
        "--allow-identifiers", "the carer agreed")  # fmt: skip
    assert "Annie" in table.read_text(encoding="utf-8-sig")
    audit = json.loads(cli("audit", project, "--json"))
    overrides = [e for e in audit if e["action"] == "privacy.export_override"]
    assert sorted(e["details"]["export"] for e in overrides) == [
        "attribute table",
        "list of coded passages",
    ]
    assert all(e["actor"] == "Supervisor" for e in overrides)


def test_symbolic_links_and_folders_are_refused_at_import(tmp_path: Path):
    project = tmp_path / "study.ketqual"
    cli("new", project)
    secret = tmp_path / "secret.txt"
    secret.write_text("- not notes at all\n", encoding="utf-8")
    link = tmp_path / "notes.txt"
    link.symlink_to(secret)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    printed = cli("import", project, link, folder, expect=1)
    assert f"notes.txt: this is a symbolic link to {secret}" in printed
    assert "folder.txt: this is a folder" in printed
    assert json.loads(cli("info", project, "--json"))["documents"] == []


def test_an_old_key_table_is_moved_out(tmp_path: Path):
    project = tmp_path / "old.ketqual"
    cli("new", project)
    cli("coder", "add", project, "Supervisor", "--role", "supervisor")
    db = sqlite3.connect(project)
    db.execute(
        "insert into pseudonym_key (real_name, pseudonym, created_at) values ('Ottoline Brack', 'Person 1', '2018')"
    )
    db.commit()
    db.close()
    assert "still holds 1 names" in cli("key", project, "status")
    key = tmp_path / "old.kqkey"
    printed = cli("key", project, "move-out", key, "--key-passphrase-env", "KQ_KEY")
    assert "Moved 1 names out" in printed
    assert "Ottoline" not in cli("key", project, "status")
    listed = cli("key", project, "list", key, "--key-passphrase-env", "KQ_KEY")
    assert "[Person 1]" in listed and "Ottoline Brack" in listed
    assert b"Ottoline" not in project.read_bytes()
