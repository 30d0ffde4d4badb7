"""Coders, blinding and codings CSV from the command line, as a supervisor scripts them."""

from __future__ import annotations

import csv
import shutil

import pytest

from tests.e2e.test_cli import ketqual


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    out = ketqual("demo", str(path), "--before-meeting").stdout
    assert "Coder A (coder):" in out and "Supervisor (supervisor)" in out
    return path


@pytest.fixture
def demo(demo_master, tmp_path):
    path = tmp_path / "demo.ketqual"
    shutil.copy(demo_master, path)
    return path


def test_codings_round_trip_through_csv(demo, tmp_path):
    out = tmp_path / "a.csv"
    result = ketqual("codings", "export", str(demo), "--coder", "Coder A", "-o", str(out))
    assert "Exported" in result.stdout
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 300
    assert set(rows[0]) == {"document", "document_uid", "code", "start", "end", "memo", "text"}
    assert all(r["text"] for r in rows)

    ketqual("coder", "add", str(demo), "Coder C")
    result = ketqual("codings", "import", str(demo), "--coder", "Coder C", str(out))
    assert f"{len(rows)} codings added for Coder C" in result.stdout
    again = ketqual("codings", "import", str(demo), "--coder", "Coder C", str(out)).stdout
    assert f"({len(rows)} already there)" in again


def test_import_refuses_a_csv_whose_text_no_longer_matches(demo, tmp_path):
    out = tmp_path / "a.csv"
    ketqual("codings", "export", str(demo), "--coder", "Coder A", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    header, first = lines[0], next(csv.reader([lines[1]]))
    first[3] = str(int(first[3]) + 1)  # shift the start: the quoted text no longer matches
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\r\n")
        csv.writer(handle).writerow(first)
    result = ketqual("codings", "import", str(demo), "--coder", "Coder B", str(bad), check=False)
    assert result.returncode == 2
    assert "nothing imported" in result.stderr and "row 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_blinded_export_of_someone_else_is_refused_until_unblinded(demo, tmp_path):
    out = tmp_path / "b.csv"
    args = ["--as", "Coder A", "codings", "export", str(demo), "--coder", "Coder B", "-o", str(out)]
    refused = ketqual(*args, check=False)
    assert refused.returncode == 2 and "blinded" in refused.stderr
    not_boss = ketqual(
        "unblind", str(demo), "--supervisor", "Coder A", "--reason", "x", check=False
    )
    assert not_boss.returncode == 2 and "only a supervisor" in not_boss.stderr
    ketqual("unblind", str(demo), "--supervisor", "Supervisor", "--reason", "consensus meeting")
    assert "unblinded by Supervisor" in ketqual("coder", "list", str(demo)).stdout
    ketqual(*args)
    assert out.exists()
    audit = ketqual("audit", str(demo)).stdout
    assert "consensus meeting" in audit


def test_garbage_csv_gets_a_clear_message(demo, tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\xff\xfe\x00garbage\x00")
    result = ketqual("codings", "import", str(demo), "--coder", "Coder A", str(junk), check=False)
    assert result.returncode == 2 and "UTF-8" in result.stderr
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    result = ketqual("codings", "import", str(demo), "--coder", "Coder A", str(junk), check=False)
    assert result.returncode == 2 and "needs the columns" in result.stderr
