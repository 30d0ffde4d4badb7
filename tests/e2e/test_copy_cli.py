"""``ketqual copy`` from the command line: file to server and back, refusals as messages."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_cli import ketqual


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    ketqual("demo", str(path))
    return path


def _info(target: str) -> dict:
    info = json.loads(ketqual("info", target, "--json").stdout)
    return {k: info[k] for k in ("name", "uid", "documents", "codes", "coders", "cases")} | {
        "consensus": info["consensus_codings"]
    }


@pytest.mark.postgres
def test_copy_to_a_server_and_back(demo, pg_url, tmp_path):
    result = ketqual("copy", str(demo), pg_url)
    assert result.stdout.startswith("Copied ") and "(verified)" in result.stdout
    assert "coding" in result.stderr  # per-table progress
    assert _info(pg_url) == _info(str(demo))
    back = tmp_path / "back.ketqual"
    ketqual("copy", "-q", pg_url, str(back))
    assert _info(str(back)) == _info(str(demo))
    audit = ketqual("audit", str(back), "--limit", "2").stdout
    assert "Copied from postgresql+psycopg://" in audit


def test_copy_refusals_are_one_line_messages(demo, tmp_path):
    result = ketqual("copy", str(demo), str(demo), check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("ketqual: ") and "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    result = ketqual("copy", str(demo), "postgresql+psycopg://nobody@127.0.0.1:1/none", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "could not" in result.stderr
