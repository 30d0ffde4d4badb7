"""REFI-QDA exchange from the command line: export, import, data-loss confirmation, refusals."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.e2e.test_cli import ketqual

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda" / "samples"


@pytest.fixture(scope="module")
def blinded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    ketqual("demo", str(path), "--before-meeting")
    return path


def test_blinded_export_needs_a_coder_and_holds_only_theirs(blinded, tmp_path):
    out = tmp_path / "a.qdpx"
    refused = ketqual("export-qdpx", str(blinded), "-o", str(out), check=False)
    assert refused.returncode == 2 and "blinded" in refused.stderr and not out.exists()
    assert len(refused.stderr.strip().splitlines()) == 1
    result = ketqual("export-qdpx", str(blinded), "-o", str(out), "--coder", "Coder A")
    assert "(Coder A)" in result.stdout
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("project.qde").decode()
    assert 'name="Coder A"' in xml and "Coder B" not in xml

    back = tmp_path / "back.ketqual"
    result = ketqual("import-qdpx", str(out), "-o", str(back))
    assert "Nothing in the file is left behind." in result.stdout
    assert f"Created {back}" in result.stdout
    info = json.loads(ketqual("info", str(back), "--json").stdout)
    assert [c["name"] for c in info["coders"]] == ["Coder A"] and len(info["documents"]) == 42


def test_data_loss_is_shown_and_needs_yes_off_a_terminal(tmp_path):
    sample = SAMPLES / "refi-spec-example3_atlasti-8-mac_TestProject.qdpx"
    new = tmp_path / "new.ketqual"
    refused = ketqual("import-qdpx", str(sample), "-o", str(new), check=False)
    assert refused.returncode == 2
    assert "Cannot bring in" in refused.stdout and "2 videos" in refused.stdout
    assert "add --yes" in refused.stderr and not new.exists()
    result = ketqual("import-qdpx", str(sample), "-o", str(new), "--yes")
    assert "Created" in result.stdout
    audit = json.loads(ketqual("audit", str(new), "--json").stdout)
    imported = next(e for e in audit if e["action"] == "exchange.import")
    assert "2 videos" in imported["details"]["lost"]


def test_positions_override_and_a_hostile_file(tmp_path):
    sample = SAMPLES / "qc-1.3.2_demo.qdpx"
    result = ketqual(
        "import-qdpx", str(sample), "-o", str(tmp_path / "qc.ketqual"), "--positions", "utf16"
    )
    assert "as you chose" in result.stdout and "205 codings by 1 coder" in result.stdout
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("project.qde", "<Project/>")
        archive.writestr("../../escape.txt", "x")
    refused = ketqual("import-qdpx", str(bad), "-o", str(tmp_path / "x.ketqual"), check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip().count("\n") == 0 and "outside the archive" in refused.stderr


def test_codebook_both_ways(tmp_path):
    project = tmp_path / "p.ketqual"
    ketqual("new", str(project))
    book = tmp_path / "book.qdc"
    assert "codebook written" in ketqual("export-qdc", str(project), "-o", str(book)).stdout
    other = tmp_path / "other.ketqual"
    ketqual("new", str(other), "--codebook", "none")
    result = ketqual("import-qdc", str(other), str(book))
    assert "23 codes added" in result.stdout
    result = ketqual("import-qdc", str(other), str(SAMPLES / "taguette-1.4.1_codebook.qdc"))
    assert "3 codes added" in result.stdout
