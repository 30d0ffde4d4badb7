"""``ketqual passages``, ``crosstab``, ``report``, ``star``, ``attributes`` and ``cases`` as a
user runs them, and the crosstab recounted from exported files by an independent script."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from docx import Document

from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("retrieval-cli") / "demo.ketqual"
    ketqual("demo", str(path))
    return path


def counts(project, layer="consensus"):
    data = json.loads(ketqual("counts", str(project), "--layer", layer, "--format", "json").stdout)
    return {r["theme"]: r["passages"] for r in data["rows"] if r["level"] == "theme"}


def test_passages_json_contract_and_n(demo):
    n = counts(demo)
    for theme in ("Cost", "Side-effects"):
        data = json.loads(
            ketqual("passages", str(demo), "--code", theme, "--format", "json").stdout
        )
        assert isinstance(data, list) and len(data) == n[theme]
        for item in data:
            assert {"document", "start", "end", "text", "codes"} <= set(item)
            assert item["codes"][0].split("/")[0] == theme
            assert item["end"] > item["start"]
    table = ketqual("passages", str(demo), "--code", "Cost", "--code", "Stigma").stdout
    assert table.startswith(f"{n['Cost'] + n['Stigma']} coded passages of Cost or Stigma")


def test_combinations_filters_and_messages(demo, tmp_path):
    both = json.loads(
        ketqual(
            "passages",
            str(demo),
            "--code",
            "Side-effects",
            "--and",
            "Effect on daily life",
            "--format",
            "json",
        ).stdout
    )
    assert both and all(any(c.startswith("Effect on daily life") for c in p["codes"]) for p in both)
    carers = json.loads(
        ketqual(
            "passages",
            str(demo),
            "--code",
            "Appropriate support",
            "--where",
            "role=carer",
            "--format",
            "json",
        ).stdout
    )
    assert carers and all(p["participants"] for p in carers)
    nothing = ketqual(
        "passages", str(demo), "--code", "Cost", "--where", "session=9", "--format", "json"
    )
    assert json.loads(nothing.stdout) == []
    assert (
        "None of the 22 coded passages of Cost matches the filters (Session = 9)" in nothing.stderr
    )
    bad = ketqual("passages", str(demo), "--code", "Cost", "--where", "colour=red", check=False)
    assert bad.returncode == 2 and "no attribute called 'colour'" in bad.stderr
    out = tmp_path / "cost.docx"
    ketqual("passages", str(demo), "--code", "Cost", "--format", "docx", "-o", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "S3G2-N-110-252" in text and "Coded passages: Cost" in text
    refused = ketqual("passages", str(demo), "--code", "Cost", "--format", "xlsx", check=False)
    assert refused.returncode == 2 and "needs -o FILE" in refused.stderr


def test_crosstab_json_contract_adds_up(demo):
    n = counts(demo)
    data = json.loads(
        ketqual(
            "crosstab",
            str(demo),
            "--rows",
            "themes",
            "--columns",
            "role",
            "--count",
            "passages",
            "--format",
            "json",
        ).stdout
    )
    assert {"rows", "columns", "cells"} <= set(data)
    assert len(data["cells"]) == len(data["rows"]) and all(
        len(r) == len(data["columns"]) for r in data["cells"]
    )
    for theme, row in zip(data["rows"], data["cells"], strict=True):
        assert sum(row) == n[theme]
    people = json.loads(
        ketqual(
            "crosstab",
            str(demo),
            "--columns",
            "session",
            "--count",
            "participants",
            "--format",
            "json",
        ).stdout
    )
    assert people["columns"] == ["1", "2", "3"] and max(people["row_totals"]) <= 44
    subs = ketqual(
        "crosstab", str(demo), "--rows", "subthemes", "--columns", "group", "--format", "csv"
    ).stdout
    assert subs.startswith("row,column,count,row_percent,column_percent")
    assert "Side-effects/Physical effects" in subs


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    """Coder A's codings and the participants' and documents' attribute tables as CSV."""
    folder = tmp_path_factory.mktemp("exported")
    codings, people, documents = folder / "a.csv", folder / "people.csv", folder / "docs.csv"
    ketqual("codings", "export", str(demo), "--coder", "Coder A", "-o", str(codings))
    ketqual("attributes", "export", str(demo), "-o", str(people))
    ketqual("attributes", "export", str(demo), "--of", "documents", "-o", str(documents))
    return codings, people, documents


@pytest.mark.parametrize("column", ["role", "ketamine experience", "session", "kind"])
def test_an_independent_script_recounts_the_crosstab(demo, exported, column):
    """Coder A's crosstab, recounted from the codings CSV and the attribute CSVs by
    tests/crosstab_check.py (plain Python, no KetQual)."""
    codings, people, documents = exported
    check = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "crosstab_check.py"),
            "--codings",
            str(codings),
            "--documents",
            str(documents),
            "--participants",
            str(people),
            "--project",
            str(demo),
            "--columns",
            column,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    expected = json.loads(check.stdout)["cells"]
    data = json.loads(
        ketqual(
            "crosstab", str(demo), "--layer", "Coder A", "--columns", column, "--format", "json"
        ).stdout
    )
    got = {
        theme: {c: v for c, v in zip(data["columns"], row, strict=True) if v}
        for theme, row in zip(data["rows"], data["cells"], strict=True)
        if any(row)
    }
    assert got == expected


def test_report_stars_attributes_and_cases(demo, tmp_path):
    cost = json.loads(ketqual("passages", str(demo), "--code", "Cost", "--format", "json").stdout)
    ref = cost[0]["ref"]
    starred = ketqual("star", str(demo), ref, "--code", "Cost")
    assert "Starred a quote" in starred.stdout
    html = tmp_path / "report.html"
    ketqual("report", str(demo), "-o", str(html))
    page = html.read_text(encoding="utf-8")
    n = counts(demo)
    assert f"Cost (n = {n['Cost']})" in page and ref in page
    assert "No quotes were starred for this theme." in page
    docx = tmp_path / "report.docx"
    ketqual("report", str(demo), "-o", str(docx))
    headings = [
        p.text for p in Document(str(docx)).paragraphs if p.style.name.startswith("Heading 1")
    ]
    assert headings[0].startswith("Monitoring (n = ")
    wrong = ketqual("report", str(demo), "-o", str(tmp_path / "report.pdf"), check=False)
    assert wrong.returncode == 2 and ".docx or .html" in wrong.stderr

    ketqual("attributes", "define", str(demo), "age", "--type", "number")
    ketqual("attributes", "set", str(demo), "P14", "age=47")
    listed = json.loads(ketqual("attributes", "list", str(demo), "--json").stdout)
    p14 = next(s for s in listed["subjects"] if s["subject"] == "P14")
    assert p14["values"] == {"role": "patient", "ketamine experience": "medical", "age": "47"}
    bad = ketqual("attributes", "set", str(demo), "P14", "age=old", check=False)
    assert bad.returncode == 2 and "'age' takes a number, not 'old'" in bad.stderr
    mentions = ketqual("attributes", "mentions", str(demo), "P14").stdout
    assert "P14 paying privately" in mentions
    assert "A case is a focus group." in ketqual("cases", str(demo)).stdout
    assert "document" in ketqual("cases", str(demo), "--unit", "document").stdout
