"""``ketqual matrix`` and ``ketqual counts`` as a user runs them: a subprocess per call."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest
from docx import Document

from ketqual.ops import project_ops
from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """The demo as built (blinded), and a copy unblinded whose consensus layer is a copy
    of Coder A's codings (the demo has no consensus yet)."""
    folder = tmp_path_factory.mktemp("framework-cli")
    blinded = folder / "blinded.ketqual"
    ketqual("demo", str(blinded), "--before-meeting")
    agreed = folder / "agreed.ketqual"
    shutil.copy(blinded, agreed)
    ketqual("unblind", str(agreed), "--supervisor", "Supervisor", "--reason", "charting")
    with project_ops.open_project(agreed, backup=False) as project, project.transaction() as tx:
        coder = tx.coders.by_name("Coder A")
        tx.codings.add_many(
            [
                {"document_id": c.document_id, "code_id": c.code_id, "coder_id": None}
                | {"start": c.start, "end": c.end}
                for c in tx.codings.list(coder_id=coder.id)
            ]
        )
    return blinded, agreed


def test_blinded_consensus_is_refused_and_a_coder_may_chart_their_own(projects, tmp_path):
    blinded = str(projects[0])
    refused = ketqual("matrix", blinded, "-o", str(tmp_path / "m.xlsx"), check=False)
    assert refused.returncode == 2
    assert "blinded; a supervisor must unblind it" in refused.stderr
    assert not (tmp_path / "m.xlsx").exists()
    other = ketqual(
        "--as",
        "Coder B",
        "matrix",
        blinded,
        "--layer",
        "Coder A",
        "-o",
        str(tmp_path / "b.xlsx"),
        check=False,
    )
    assert other.returncode == 2 and "Coder B can see only their own codings" in other.stderr
    own = ketqual("matrix", blinded, "--layer", "Coder A", "-o", str(tmp_path / "a.xlsx"))
    assert "Wrote the framework matrices to" in own.stdout
    readme = openpyxl.load_workbook(tmp_path / "a.xlsx")["README"]
    facts = {r[0]: r[1] for r in readme.iter_rows(values_only=True) if r[0]}
    assert facts["Charted from"] == "Coder A's coding (one coder, not the consensus)"
    assert "Left out" in facts["Summaries"]


def test_every_format_from_the_consensus(projects, tmp_path):
    agreed = str(projects[1])
    for name in ("m.xlsx", "m.docx", "csv"):
        ketqual("--as", "Supervisor", "matrix", agreed, "-o", str(tmp_path / name))
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    assert wb.sheetnames[:3] == ["README", "Codebook", "Monitoring"]
    assert wb.sheetnames[-2:] == ["Quotes", "Counts"] and len(wb.sheetnames) == 14
    monitoring = list(wb["Monitoring"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in monitoring][:3] == ["S1 G1", "S1 G2", "S1 G3"] and len(monitoring) == 21
    assert wb["Quotes"].max_row > 300
    # facts, legend, the demo's votes beside the themes, one per theme; no summary cites yet
    assert len(Document(str(tmp_path / "m.docx")).tables) == 3 + 10
    csvs = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert csvs[0] == "01 Monitoring.csv" and "10 Therapy.csv" in csvs and "quotes.csv" in csvs
    audit = ketqual("audit", agreed, "--json").stdout
    assert '"matrix.export"' in audit and '"Supervisor"' in audit


def test_chosen_themes_and_a_format_for_a_folder(projects, tmp_path):
    agreed = str(projects[1])
    out = tmp_path / "two"
    ketqual("matrix", agreed, "-o", str(out), "--theme", "cost", "--theme", "Stigma")
    assert sorted(p.name for p in out.iterdir())[:2] == ["01 Cost.csv", "02 Stigma.csv"]
    bad = ketqual("matrix", agreed, "-o", str(tmp_path / "x.xlsx"), "--theme", "Nope", check=False)
    assert bad.returncode == 2 and "no theme called 'Nope'" in bad.stderr
    suffix = ketqual("matrix", agreed, "-o", str(tmp_path / "x.odt"), check=False)
    assert suffix.returncode == 2 and "cannot tell the format of 'x.odt'" in suffix.stderr


def test_counts_as_table_csv_and_json(projects):
    agreed = str(projects[1])
    table = ketqual("counts", agreed).stdout
    assert table.startswith("Counts from the consensus coding; unit: coded passages\n")
    monitoring = next(line for line in table.splitlines() if line.startswith("Monitoring"))
    assert monitoring.split()[1:] == ["95", "1", "32", "of", "42", "20", "of", "21"]
    assert "maximal run of text" in table
    rows = list(csv.DictReader(io.StringIO(ketqual("counts", agreed, "--format", "csv").stdout)))
    assert rows[0]["unit"] == "coded passages" and rows[0]["passages"] == "95"
    assert rows[1]["theme_level_passages"] == "" and rows[1]["level"] == "subtheme"
    data = json.loads(ketqual("counts", agreed, "--format", "json").stdout)
    assert (data["unit"], data["total_cases"], data["total_documents"]) == (
        "coded passages",
        21,
        42,
    )
    assert len(data["rows"]) == 23
    empty = ketqual("counts", str(projects[0]), "--layer", "Coder B")
    assert empty.stderr == "" and "Monitoring" in empty.stdout


def test_the_verbs_never_import_qt(projects, tmp_path):
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"run_cli(['counts', {str(projects[1])!r}, '--format', 'json'])\n"
        f"run_cli(['matrix', {str(projects[1])!r}, '-o', {str(tmp_path / 'q.xlsx')!r}])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
