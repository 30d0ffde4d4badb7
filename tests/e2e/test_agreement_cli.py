"""``ketqual agreement`` as a user runs it: a subprocess per call."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest

from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """The demo twice: before its consensus meeting (blinded) and unblinded by its supervisor."""
    folder = tmp_path_factory.mktemp("agreement-cli")
    blinded = folder / "blinded.ketqual"
    ketqual("demo", str(blinded), "--before-meeting")
    unblinded = folder / "unblinded.ketqual"
    shutil.copy(blinded, unblinded)
    ketqual("unblind", str(unblinded), "--supervisor", "Supervisor", "--reason", "agreement")
    return blinded, unblinded


def test_blinded_project_is_refused_with_exit_code_2(projects):
    result = ketqual("agreement", str(projects[0]), check=False)
    assert result.returncode == 2
    assert "the project is blinded; a supervisor must unblind it" in result.stderr
    assert result.stdout == ""


def test_summary_table_without_output_file(projects):
    out = ketqual("agreement", str(projects[1]), "--replicates", "100").stdout
    assert out.startswith("Inter-coder agreement: Coder A and Coder B\n")
    assert "theme level · 42 documents · 10 codes · 100 bootstrap replicates, seed 0" in out
    for unit in ("Characters", "Sentences", "Paragraphs", "Documents"):
        assert unit in out
    kappa = next(line for line in out.splitlines() if "Cohen's kappa" in line)
    assert " to " in kappa and "(Landis & Koch 1977)" in kappa
    assert "Krippendorff 2004" in out


def test_every_format_to_a_file(projects, tmp_path):
    project = str(projects[1])
    common = ("--level", "subtheme", "--replicates", "50", "--seed", "7")
    for suffix in ("json", "csv", "xlsx", "html"):
        target = tmp_path / f"report.{suffix}"
        out = ketqual("agreement", project, *common, "-o", str(target)).stdout
        assert f"Wrote the agreement report to {target}" in out
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["report"]["parameters"]["seed"] == 7
    assert data["report"]["parameters"]["level"] == "subtheme"
    assert len(data["context"]["codes"]) == 23
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text("utf-8-sig"))))
    assert {r["unit"] for r in rows} == {"character", "sentence", "paragraph", "document"}
    book = openpyxl.load_workbook(tmp_path / "report.xlsx", read_only=True)
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Parameters"
    book.close()
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Cohen&#x27;s kappa per code and document" in page


def test_units_coders_format_to_stdout_and_statistic(projects):
    out = ketqual(
        "agreement",
        str(projects[1]),
        "--coders",
        "Coder B",
        "Coder A",
        "--unit",
        "sentence",
        "--unit",
        "document",
        "--format",
        "json",
        "--replicates",
        "0",
        "--min-share",
        "0.5",
    ).stdout
    data = json.loads(out)
    assert data["context"]["coder_a"] == "Coder B"
    assert data["report"]["parameters"]["units"] == ["sentence", "document"]
    assert data["report"]["parameters"]["unit_min_share"] == 0.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coders", "Coder A", "consensus"), "Consensus has no codings"),
        (("--coders", "Coder A", "Nobody"), "no coder called 'Nobody'"),
        (("--format", "xlsx"), "needs a file"),
        (("-o", "report.docx"), "cannot tell the format"),
    ],
)
def test_clear_errors(projects, args, message):
    result = ketqual("agreement", str(projects[1]), "--replicates", "0", *args, check=False)
    assert result.returncode == 2
    assert message in result.stderr


def test_bad_min_share_is_an_argument_error(projects):
    result = ketqual("agreement", str(projects[1]), "--min-share", "2", check=False)
    assert result.returncode == 2 and "at most 1" in result.stderr


def test_agreement_never_imports_qt(projects):
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"assert run_cli(['agreement', {str(projects[1])!r}, '--replicates', '0']) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_three_coders_from_the_demo(tmp_path):
    project = tmp_path / "three.ketqual"
    out = ketqual("demo", str(project), "--third-coder").stdout
    assert "Coder C (coder):" in out
    summary = ketqual(
        "agreement", str(project), "--coders", "Coder A,Coder B,Coder C", "--replicates", "50"
    ).stdout
    assert summary.startswith("Inter-coder agreement: Coder A, Coder B and Coder C\n")
    assert "Fleiss' kappa" in summary and "Cohen's kappa" not in summary.split("Overall")[0]
    assert "Pooled kappa (De Vries et al. 2008)" in summary
    assert "Coder pairs" in summary and "mean kappa with the others" in summary
    # Without --coders every coder is compared; the old two-word form still works.
    every = ketqual("agreement", str(project), "--replicates", "0").stdout
    assert every.startswith("Inter-coder agreement: Coder A, Coder B and Coder C")
    two = ketqual(
        "agreement", str(project), "--coders", "Coder A", "Coder C", "--replicates", "0"
    ).stdout
    assert two.startswith("Inter-coder agreement: Coder A and Coder C\n")
    target = tmp_path / "three.xlsx"
    ketqual(
        "agreement",
        str(project),
        "--coders",
        "Coder A,Coder B,Coder C",
        "--replicates",
        "20",
        "-o",
        str(target),
    )
    book = openpyxl.load_workbook(target, read_only=True)
    assert "Across codes" in book.sheetnames
    book.close()
    data = json.loads(
        ketqual(
            "agreement", str(project), "--coders", "Coder A,Coder B,Coder C",
            "--replicates", "0", "--format", "json", "--unit", "document",
        ).stdout
    )  # fmt: skip
    assert data["context"]["coders"] == ["Coder A", "Coder B", "Coder C"]
    assert data["report"]["pairwise"][0]["coders"] == ["Coder A", "Coder B", "Coder C"]
    bad = ketqual("agreement", str(project), "--coders", "Coder A,,Coder B", check=False)
    assert bad.returncode == 2 and "empty name" in bad.stderr
