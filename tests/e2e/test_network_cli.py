"""``ketqual network`` and ``ketqual cooccurrence`` as a user runs them: a subprocess per call."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import openpyxl
import pytest
from pypdf import PdfReader

from ketqual.ops import project_ops
from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """The demo as built (blinded), and unblinded with Coder A's codings copied into the
    consensus layer (the demo's consensus is empty until a consensus meeting)."""
    folder = tmp_path_factory.mktemp("network-cli")
    blinded = folder / "blinded.ketqual"
    ketqual("demo", str(blinded), "--before-meeting")
    unblinded = folder / "unblinded.ketqual"
    shutil.copy(blinded, unblinded)
    ketqual("unblind", str(unblinded), "--supervisor", "Supervisor", "--reason", "network")
    project = project_ops.open_project(unblinded, backup=False)
    with project, project.transaction() as tx:
        coder = tx.coders.by_name("Coder A")
        rows = tx.codings.list(coder_id=coder.id)
        tx.codings.add_many(
            [
                {
                    "document_id": c.document_id,
                    "code_id": c.code_id,
                    "coder_id": None,
                    "start": c.start,
                    "end": c.end,
                }
                for c in rows
            ]
        )
    return blinded, unblinded


def test_blinded_project_is_refused(projects, tmp_path):
    result = ketqual("network", str(projects[0]), "-o", str(tmp_path / "n.svg"), check=False)
    assert result.returncode == 2
    assert "the project is blinded; a supervisor must unblind it" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_summary_without_output_file(projects):
    out = ketqual("network", str(projects[1]), "--unit", "case", "--measure", "count").stdout
    assert out.startswith("Themes and their overlaps: consensus coding, n = focus groups\n")
    assert "      20  Monitoring\n" in out
    assert "Edges (co-occurrence count, threshold 5; * = drawn in the figure):" in out
    assert "[candidate]" in out


def test_pictures_are_written_at_one_scale(projects, tmp_path):
    project = str(projects[1])
    for suffix in ("svg", "pdf", "png"):
        out = ketqual(
            "network", project, "-o", str(tmp_path / f"fig.{suffix}"), "--title", "Fig. 1"
        )
        assert "candidate edges, consensus coding" in out.stdout
    root = ET.parse(tmp_path / "fig.svg").getroot()
    width_px = float(root.get("viewBox").split()[2])
    page = PdfReader(tmp_path / "fig.pdf").pages
    assert len(page) == 1
    assert float(page[0].mediabox.width) == pytest.approx(width_px * 72 / 96, abs=0.5)
    assert (tmp_path / "fig.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_graph_files_read_back(projects, tmp_path):
    project = str(projects[1])
    ketqual("network", project, "-o", str(tmp_path / "n.graphml"), "--measure", "jaccard")
    graph = nx.read_graphml(tmp_path / "n.graphml")
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() > 0
    assert {data["measure"] for _u, _v, data in graph.edges(data=True)} == {"jaccard"}
    ketqual("network", project, "-o", str(tmp_path / "n.gexf"), "--min-weight", "0.08")
    assert nx.read_gexf(tmp_path / "n.gexf").number_of_nodes() == 10
    ketqual("network", project, "-o", str(tmp_path / "edges.csv"), "--layer", "Coder B")
    with open(tmp_path / "edges.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(float(r["value"]) >= 0.05 for r in rows)


def test_cooccurrence_table(projects, tmp_path):
    project = str(projects[1])
    out = ketqual("cooccurrence", project, "-o", str(tmp_path / "t.xlsx"), "--unit", "sentence")
    assert "unit sentence" in out.stdout
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["Counts", "c-coefficient", "Pairs", "About"]
    ketqual("cooccurrence", project, "-o", str(tmp_path / "t.csv"), "--measure", "overlap")
    with open(tmp_path / "t.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == ["theme_a", "theme_b", "n_a", "n_b", "n12", "overlap"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "n.docx"), "choose a file ending in .svg, .pdf, .png, .graphml, .gexf, .csv"),
        (("--layer", "Nobody", "-o", "n.svg"), "no coder called 'Nobody'"),
        (("--measure", "c", "--min-weight", "3", "-o", "n.svg"), "lies between 0 and 1"),
        (("-o", "missing/n.svg"), "cannot write"),
    ],
)
def test_mistakes_get_one_line_and_exit_code_2(projects, tmp_path, args, message):
    args = tuple(str(tmp_path / a) if a.startswith(("n.", "missing")) else a for a in args)
    result = ketqual("network", str(projects[1]), *args, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_edge_lists_tables_and_summaries_never_import_qt(projects, tmp_path):
    # GraphML and GEXF carry the figure's box places, which need Qt to measure the text.
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"assert run_cli(['network', {str(projects[1])!r}, '-o', {str(tmp_path / 'n.csv')!r}]) == 0\n"
        f"assert run_cli(['network', {str(projects[1])!r}]) == 0\n"
        f"assert run_cli(['cooccurrence', {str(projects[1])!r}, '-o', {str(tmp_path / 't.csv')!r}]) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
