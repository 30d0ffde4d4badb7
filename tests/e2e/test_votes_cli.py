"""``ketqual votes`` as a user runs it: a subprocess per call."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QImage

from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("votes-cli") / "demo.ketqual"
    out = ketqual("demo", str(path), "--before-meeting").stdout
    assert "8 voting questions from session 3" in out
    return path


@pytest.fixture
def project(demo, tmp_path):
    copy = tmp_path / "demo.ketqual"
    shutil.copy(demo, copy)
    return copy


def test_demo_votes_are_listed_with_their_themes(demo):
    questions = json.loads(ketqual("votes", "list", str(demo), "--json").stdout)
    assert len(questions) == 8
    assert questions[2]["question"] == "Is extra monitoring needed for people taking ketamine?"
    assert questions[2]["themes"] == ["Monitoring"]
    assert questions[6]["kind"] == "multiple" and len(questions[6]["options"]) == 6


def test_table_json_contract_and_denominators(demo):
    rows = json.loads(ketqual("votes", "table", str(demo), "--format", "json").stdout)
    for row in rows:
        for key in (
            "question",
            "option",
            "count",
            "denominator",
            "percent",
            "ci_low",
            "ci_high",
            "missing",
        ):
            assert key in row
        if row["denominator"]:
            assert row["percent"] == pytest.approx(
                100 * row["count"] / row["denominator"], abs=1e-3
            )
            assert row["ci_low"] <= row["percent"] <= row["ci_high"]
    monitoring = [r for r in rows if r["question"].startswith("Is extra monitoring")]
    assert [(r["option"], r["count"], r["denominator"]) for r in monitoring] == [
        ("Yes", 30, 42),
        ("No", 5, 42),
        ("Unsure", 7, 42),
    ]
    assert monitoring[0]["missing"] == 2 and monitoring[0]["denominator_kind"] == "answered"
    present = json.loads(
        ketqual(
            "votes", "table", str(demo), "3", "--denominator", "present", "--format", "json"
        ).stdout
    )
    assert [r["denominator"] for r in present] == [44, 44, 44]
    selections = json.loads(
        ketqual(
            "votes", "table", str(demo), "7", "--denominator", "selections", "--format", "json"
        ).stdout
    )
    assert sum(r["count"] for r in selections) == 69 == selections[0]["denominator"]
    assert sum(r["percent"] for r in selections) == pytest.approx(100, abs=0.01)


def test_table_text_says_which_denominator_and_more_than_100(demo):
    out = " ".join(ketqual("votes", "table", str(demo), "prescribing").stdout.split())
    assert "n = 43 respondents who answered; 69 selections; 1 of 44 present did not answer" in out
    assert "add up to more than 100 % (here 160 %)" in out


def test_figures_as_pdf_png_and_svg(demo, tmp_path):
    ketqual("votes", "figure", str(demo), "7", "-o", str(tmp_path / "options.pdf"))
    text = " ".join(PdfReader(tmp_path / "options.pdf").pages[0].extract_text().split())
    assert "Specialist clinics only" in text and "n = 43" in text
    ketqual(
        "votes",
        "figure",
        str(demo),
        "1",
        "2",
        "3",
        "--denominator",
        "present",
        "-o",
        str(tmp_path / "yn.png"),
    )
    image = QImage(str(tmp_path / "yn.png"))
    assert image.width() == 2250  # 720 px at 300 dpi
    result = ketqual(
        "votes", "figure", str(demo), "1", "7", "-o", str(tmp_path / "x.svg"), check=False
    )
    assert result.returncode == 2 and "multiple choice" in result.stderr
    assert not (tmp_path / "x.svg").exists()
    result = ketqual("votes", "figure", str(demo), "1", "-o", str(tmp_path / "x.gif"), check=False)
    assert result.returncode == 2 and ".svg, .pdf, .png" in result.stderr


def test_bad_sheet_is_refused_and_nothing_changes(project, tmp_path):
    before = ketqual("votes", "table", str(project), "--format", "json").stdout
    sheet = tmp_path / "bad.csv"
    with sheet.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Participant", "Should there be a national monitoring system?"])
        writer.writerow(["P1", "Yes"])
        writer.writerow(["P1", "No"])
    result = ketqual("votes", "import", str(project), str(sheet), check=False)
    assert result.returncode == 2
    assert (
        "Row 3, column 'Participant': participant P1 appears twice (rows 2 and 3)" in result.stderr
    )
    assert "Nothing was imported." in result.stderr
    assert ketqual("votes", "table", str(project), "--format", "json").stdout == before


def test_tally_import_with_columns_and_multi(project, tmp_path):
    sheet = tmp_path / "tally.csv"
    sheet.write_text(
        "Vote;Choice;Hands up\nTravel help wanted;Taxi;12\n;Volunteer driver;20\n;(respondents);25\n",
        encoding="utf-8",
    )
    result = ketqual(
        "votes",
        "import",
        str(project),
        str(sheet),
        "--columns",
        "question=Vote,option=Choice,count=Hands up",
        "--multi",
        "Travel help wanted",
    )
    assert "Travel help wanted: multiple choice" in result.stdout
    rows = json.loads(ketqual("votes", "table", str(project), "Travel", "--format", "json").stdout)
    assert [(r["count"], r["denominator"]) for r in rows] == [(12, 25), (20, 25)]
    bad = ketqual(
        "votes", "import", str(project), str(sheet), "--columns", "question=Vote", check=False
    )
    assert bad.returncode == 2 and "a tally needs question=, option= and count=" in bad.stderr


def test_link_edit_and_breakdown(project, tmp_path):
    out = ketqual("votes", "link", str(project), "3", "--theme", "Stigma", "--theme", "Cost").stdout
    assert "Linked 'Is extra monitoring needed for people taking ketamine?' to Stigma" in out
    questions = json.loads(ketqual("votes", "list", str(project), "--json").stdout)
    assert sorted(questions[2]["themes"]) == ["Cost", "Monitoring", "Stigma"]
    ketqual("votes", "question", str(project), "1", "--rename-option", "Unsure=Not sure")
    rows = json.loads(ketqual("votes", "table", str(project), "1", "--format", "json").stdout)
    assert [r["option"] for r in rows] == ["Yes", "No", "Not sure"]

    roles = tmp_path / "roles.csv"
    roles.write_text(
        "Participant,Role\nP27,patient\nP7,carer\nP38,carer\nP18,patient\n", encoding="utf-8"
    )
    out = json.loads(
        ketqual(
            "votes",
            "table",
            str(project),
            "1",
            "--by",
            "Role",
            "--participants",
            str(roles),
            "--format",
            "json",
        ).stdout
    )
    assert {r["group"] for r in out} == {"patient", "carer", "(not recorded)"}
    carers = [r for r in out if r["group"] == "carer"]
    assert [r["count"] for r in carers] == [1, 0, 1]
    missing = ketqual("votes", "table", str(project), "--by", "Role", check=False)
    assert missing.returncode == 2 and "--by needs --participants FILE" in missing.stderr


def test_table_verb_never_imports_qt(demo):
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"run_cli(['votes', 'table', {str(demo)!r}, '--format', 'csv'])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
