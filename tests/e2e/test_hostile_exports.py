"""Every export of the demo survives hostile names, and every text in it stays text.

Codes, coders, a document and the project are renamed behind the gate (as names stored
before it, or written by other software, would be) to names with control characters, a
spreadsheet formula, XML's special characters, emoji, more than 31 characters and
"History", and a decision gets a reason starting with "=". Then every export the command
line offers is written and read back with openpyxl, pandas (or the csv module), python-docx,
networkx and XML parsers. A slow test also converts every xlsx, docx and html file to PDF
with LibreOffice.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from docx import Document
from pypdf import PdfReader

from ketqual.cli.main import run_cli
from ketqual.core.names import printable
from ketqual.io import csv_files
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.consensus import consensus_decisions, consensus_ops

FORMULA = "=cmd|' /C calc'!A0"
THEMES = {  # demo theme -> hostile name
    "Monitoring": "Moni\x01toring\x7f",
    "Information": FORMULA,
    "Effect on daily life": "<&>\"' daily life",
    "Side-effects": "Side-effects 😀💊 and emoji",
    "Recreational use": "A theme name that is much longer than thirty-one characters (a)",
    "Effectiveness": "A theme name that is much longer than thirty-one characters (b)",
    "Cost": "History",
    "Stigma": "@Stigma\x02",  # (a lone surrogate cannot even be stored: writer tests)
}
SUBTHEME = ("Who supports the patient", "+Who\x0bsupports")
CODERS = {"Coder A": "Coder\x07A =1+1", "Coder B": FORMULA, "Supervisor": "History"}
PROJECT = 'Ketamine\x1b demo <&> =HYPERLINK("x")'
REASON = '=HYPERLINK("http://example.org","click") both readings stand'
# What the exports must show for each hostile name: the name, printable.
SHOWN = [printable(n, one_line=True) for n in (*THEMES.values(), SUBTHEME[1], *CODERS.values())]


def _rename(path: Path) -> None:
    """Write the hostile names straight into the file, as another program might."""
    with sqlite3.connect(path) as db:
        for old, new in THEMES.items():
            db.execute("UPDATE code SET name = ? WHERE name = ? AND parent_id IS NULL", (new, old))
        db.execute("UPDATE code SET name = ? WHERE name = ?", (SUBTHEME[1], SUBTHEME[0]))
        for old, new in CODERS.items():
            db.execute("UPDATE coder SET name = ? WHERE name = ?", (new, old))
        db.execute("UPDATE project SET name = ?", (PROJECT,))
        db.execute(
            "UPDATE document SET title = ? WHERE id = (SELECT min(id) FROM document)",
            ("-Session\x0c 1 <notes> & =more",),
        )


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        code = run_cli([str(a) for a in argv])
    assert code == 0, (argv, out.getvalue())
    return out.getvalue()


@pytest.fixture(scope="module")
def exports(qapp, tmp_path_factory) -> dict[str, Path]:
    """Every export of the hostile demo, by a short name (drawn in this process, so the
    test session's QApplication comes first: pictures would otherwise make a plain one)."""
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.ketqual"
    project, _report = demo_ops.build_demo(path)
    project.close()
    _rename(path)
    with project_ops.open_project(path, backup=False) as project:
        review = consensus_ops.find_review(project, coder_a=CODERS["Coder A"])
        item = next(i for i in consensus_ops.queue(project, review.review.id) if i.status == "open")
        consensus_decisions.resolve(
            project, item.id, "both", supervisor=CODERS["Supervisor"], reason=REASON
        )
    out = folder / "out"
    out.mkdir()
    files: dict[str, Path] = {}

    def write(name: str, *argv: str) -> None:
        files[name] = out / name
        _cli(*argv[:1], path, *argv[1:], "-o", out / name)

    for level in ("theme", "subtheme"):
        for fmt in ("json", "csv", "xlsx", "html"):
            write(f"agreement-{level}.{fmt}", "agreement", "--level", level, "--replicates", "50")
    write("decisions.csv", "decisions")
    write("decisions.xlsx", "decisions")
    for fmt in ("svg", "pdf", "png", "graphml", "gexf", "csv"):
        write(f"network.{fmt}", "network")
    write("network-coder.pdf", "network", "--layer", CODERS["Coder A"])
    write("network-top.graphml", "network", "--top", "4")
    write("cooccurrence.csv", "cooccurrence")
    write("cooccurrence.xlsx", "cooccurrence")
    write("matrices.xlsx", "matrix")
    write("matrices.docx", "matrix")
    write("matrices", "matrix")
    write("disagreements.csv", "disagreements", "--format", "csv")
    _cli("codings", "export", path, "--coder", CODERS["Coder A"], "-o", out / "codings.csv")
    files["codings.csv"] = out / "codings.csv"
    _cli("codebook", path, "--export", out / "codebook.json")
    files["codebook.json"] = out / "codebook.json"
    files["counts.csv"] = out / "counts.csv"
    files["counts.csv"].write_text(_cli("counts", path, "--format", "csv"), encoding="utf-8")
    files["project"] = path
    return files


def _texts_in_xlsx(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name} {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_every_workbook_opens_and_keeps_every_text_as_text(exports):
    workbooks = [p for n, p in exports.items() if n.endswith(".xlsx")]
    assert len(workbooks) == 5
    for path in workbooks:
        texts = "\n".join(_texts_in_xlsx(path))
        assert "\x01" not in texts and "\ud800" not in texts
    agreement = "\n".join(_texts_in_xlsx(exports["agreement-subtheme.xlsx"]))
    for name in [FORMULA, "<&>\"' daily life", "Side-effects 😀💊 and emoji", "History"]:
        assert name in agreement
    decisions = _texts_in_xlsx(exports["decisions.xlsx"])
    assert REASON in decisions  # stored as the reason, not as a formula
    matrices = openpyxl.load_workbook(exports["matrices.xlsx"])
    names = matrices.sheetnames
    assert len(names) == len(set(n.casefold() for n in names)) and "History" not in names
    assert all(len(n) <= 31 for n in names) and "History (2)" in names
    assert matrices.properties.creator == printable(PROJECT)


def test_pandas_reads_every_table(exports):
    pd = pytest.importorskip("pandas")
    for name, path in exports.items():
        if name.endswith(".xlsx"):
            for frame in pd.read_excel(path, sheet_name=None, header=None).values():
                assert frame.shape[0] > 0
        elif name.endswith(".csv"):
            frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
            assert frame.shape[0] > 0 and not frame.columns[0].startswith("\ufeff")
    for theme in sorted((exports["matrices"]).glob("*.csv")):
        pd.read_csv(theme, encoding="utf-8-sig")


def test_every_csv_has_the_bom_and_no_cell_a_spreadsheet_would_run(exports):
    files = [p for n, p in exports.items() if n.endswith(".csv") and n != "counts.csv"]
    files += sorted(exports["matrices"].glob("*.csv"))
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path.name
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        for row in rows:
            for value in row:
                assert value == csv_files.text_cell(csv_files.uncell(value)), (path.name, value)
                assert "\x01" not in value and "\x07" not in value
    edges = (exports["network.csv"]).read_text(encoding="utf-8-sig")
    assert "'" + FORMULA in edges or FORMULA not in edges
    decisions = list(csv.DictReader(io.StringIO(exports["decisions.csv"].read_text("utf-8-sig"))))
    assert "'" + REASON in [r["reason"] for r in decisions]
    terminal = exports["counts.csv"].read_text(encoding="utf-8")
    assert not terminal.startswith("\ufeff") and "'" + FORMULA in terminal


def test_the_codings_csv_comes_back_exactly(exports, tmp_path):
    copy = tmp_path / "again.ketqual"
    shutil.copy(exports["project"], copy)
    with sqlite3.connect(copy) as db:
        coder = db.execute("SELECT id FROM coder WHERE name = ?", (CODERS["Coder A"],)).fetchone()
        before = db.execute("SELECT count(*) FROM coding WHERE coder_id = ?", coder).fetchone()
        db.execute("DELETE FROM coding WHERE coder_id = ?", coder)
    _cli("codings", "import", copy, "--coder", CODERS["Coder A"], exports["codings.csv"])
    with sqlite3.connect(copy) as db:
        after = db.execute("SELECT count(*) FROM coding WHERE coder_id = ?", coder).fetchone()
    assert after == before


def test_the_document_opens_with_the_projects_properties(exports):
    document = Document(str(exports["matrices.docx"]))
    props = document.core_properties
    assert props.author == printable(PROJECT, one_line=True)
    assert props.title.startswith("Framework matrices: Ketamine")
    assert props.created.year >= 2024 and "python-docx" not in (props.comments or "")
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert FORMULA in text and "History" in text and "\x01" not in text
    with zipfile.ZipFile(exports["matrices.docx"]) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]
        body = archive.read("word/document.xml").decode()
    assert "<w:cantSplit/>" in body and "<w:noBreakHyphen/>" in body


def test_graph_files_are_well_formed_and_carry_the_figure(exports):
    for name in ("network.graphml", "network.gexf", "network-top.graphml"):
        ET.parse(exports[name])  # well-formed XML
    graph = nx.read_graphml(exports["network.graphml"])
    labels = {d["label"] for _n, d in graph.nodes(data=True)}
    assert FORMULA in labels and "Monitoring" in labels and "<&>\"' daily life" in labels
    assert all({"x", "y", "width", "height", "r"} <= set(d) for _n, d in graph.nodes(data=True))
    gexf = nx.read_gexf(exports["network.gexf"])
    assert gexf.number_of_nodes() == graph.number_of_nodes() == 10
    assert all("viz" in d for _n, d in gexf.nodes(data=True))
    assert nx.read_graphml(exports["network-top.graphml"]).number_of_nodes() == 4


def test_pictures_html_and_json_open(exports):
    for name in ("network.svg",):
        ET.parse(exports[name])
    assert len(PdfReader(exports["network.pdf"]).pages) == 1
    assert len(PdfReader(exports["network-coder.pdf"]).pages) == 1
    assert exports["network.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for level in ("theme", "subtheme"):
        page = exports[f"agreement-{level}.html"].read_text(encoding="utf-8")
        parser = html.parser.HTMLParser()
        parser.feed(page)
        assert "&lt;&amp;&gt;" in page and "<&>" not in page and "\x01" not in page
        data = json.loads(exports[f"agreement-{level}.json"].read_text(encoding="utf-8"))
        assert FORMULA in (data["context"]["coder_a"], data["context"]["coder_b"])
    theme_page = exports["agreement-theme.html"].read_text(encoding="utf-8")
    count = theme_page.split("<h2>Cautions (")[1].split(")")[0]
    rows = theme_page.split("Every caution</summary>")[1].split("</table>")[0].count("<tr>") - 1
    assert int(count) == rows
    book = json.loads(exports["codebook.json"].read_text(encoding="utf-8"))
    assert any(c["name"] == FORMULA for c in book["codes"])


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_libreoffice_prints_every_workbook_document_and_report(exports, tmp_path):
    soffice = _soffice()
    if soffice is None:
        missing = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc"
        if os.environ.get("KETQUAL_REQUIRE_OFFICE"):  # CI installs it: never skip there
            pytest.fail(missing)
        pytest.skip(missing)
    names = [n for n in exports if n.endswith((".xlsx", ".docx", ".html"))]
    profile = tmp_path / "profile"
    for name in names:
        source = exports[name]
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless"]
        if name.endswith(".html"):  # as a Writer document: Writer/Web drops the title
            command += ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export"]
        else:
            command += ["--convert-to", "pdf"]
        result = subprocess.run(
            [*command, "--outdir", str(tmp_path / name), str(source)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        pdf = tmp_path / name / (source.stem + ".pdf")
        assert result.returncode == 0 and pdf.exists(), (name, result.stderr)
        pages = PdfReader(pdf).pages
        assert len(pages) >= 1
        box = pages[0].mediabox
        assert float(box.width) > float(box.height), f"{name} does not print landscape"
    agreement = PdfReader(tmp_path / "agreement-theme.xlsx" / "agreement-theme.pdf")
    assert len(agreement.pages) <= 20  # was 33 pages before page setup
    cooccurrence = PdfReader(tmp_path / "cooccurrence.xlsx" / "cooccurrence.pdf")
    assert len(cooccurrence.pages) <= 6


def test_names_with_control_characters_are_refused_where_they_are_entered(
    exports, tmp_path, capsys
):
    path = tmp_path / "gate.ketqual"
    shutil.copy(exports["project"], path)
    book = tmp_path / "book.json"
    book.write_text(
        json.dumps({"format": "ketqual-codebook", "codes": [{"name": "Bad\u0001name"}]}),
        encoding="utf-8",
    )
    attempts = [
        ["code", path, "rename", "History", "Co\x01st"],
        ["code", path, "add", "New\x1btheme"],
        ["coder", "add", path, "Ann\x07"],
        ["document", path, "1", "--title", "Title\x00"],
        ["codebook", path, "--import", book],
        ["new", tmp_path / "fresh.ketqual", "--name", "Pro\x08ject"],
    ]
    for argv in attempts:
        assert run_cli([str(a) for a in argv]) == 2, argv
        message = capsys.readouterr().err
        assert "cannot contain the control character U+00" in message, message
        assert "Traceback" not in message
    assert not (tmp_path / "fresh.ketqual").exists()
