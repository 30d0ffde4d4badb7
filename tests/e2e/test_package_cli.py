"""Coder packages through the CLI: two coders pack, code, return and merge, end to end."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ketqual(*args: str, expect: int = 0, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "ketqual", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == expect, result.stdout + result.stderr
    return result


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _recode_first(exported: Path, out: Path, code: str) -> None:
    """A CSV holding one new coding: the first exported passage with another code."""
    rows = _rows(exported)
    row = {**rows[0], "code": code, "memo": "seen on the train"}
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(row)


def _layer(project: Path, coder: str, out: Path) -> list[tuple]:
    ketqual("--as", coder, "codings", "export", str(project), "--coder", coder, "-o", str(out))
    return sorted(tuple(r.values()) for r in _rows(out))


def test_two_coders_pack_code_return_merge(tmp_path: Path):
    project = tmp_path / "study.ketqual"
    ketqual("demo", str(project), "--before-meeting")
    secret = {"KQ_PASS": "a long passphrase for coder A"}
    (tmp_path / "b.pass").write_text("coder B's passphrase\n", encoding="utf-8")

    # the supervisor packs one package per coder: A's encrypted by variable, B's by file
    out = ketqual(
        "pack",
        str(project),
        "--coder",
        "Coder A",
        "-o",
        str(tmp_path / "a.kqpkg"),
        "--passphrase-env",
        "KQ_PASS",
        env=secret,
    ).stdout
    assert "encrypted package for Coder A" in out and "486 codings" in out
    ketqual(
        "pack",
        str(project),
        "--coder",
        "Coder B",
        "-o",
        str(tmp_path / "b.kqpkg"),
        "--passphrase-file",
        str(tmp_path / "b.pass"),
    )
    refused = ketqual(
        "pack",
        str(project),
        "--coder",
        "Coder B",
        "-o",
        str(tmp_path / "x.kqpkg"),
        "--supervisor",
        "Coder A",
        expect=2,
    )
    assert "only a supervisor" in refused.stderr and not (tmp_path / "x.kqpkg").exists()
    # an encrypted package cannot be read as a project by mistake
    assert (
        "passphrase-protected coder package"
        in ketqual("info", str(tmp_path / "a.kqpkg"), expect=2).stderr
    )

    # each coder unpacks (a wrong passphrase first), codes and returns
    wrong = ketqual(
        "unpack",
        str(tmp_path / "a.kqpkg"),
        "--passphrase-env",
        "KQ_PASS",
        expect=2,
        env={"KQ_PASS": "guess"},
    )
    assert "wrong passphrase" in wrong.stderr and not (tmp_path / "a-work.ketqual").exists()
    ketqual("unpack", str(tmp_path / "a.kqpkg"), "--passphrase-env", "KQ_PASS", env=secret)
    ketqual("unpack", str(tmp_path / "b.kqpkg"), "--passphrase-file", str(tmp_path / "b.pass"))
    works = {"Coder A": tmp_path / "a-work.ketqual", "Coder B": tmp_path / "b-work.ketqual"}
    info = json.loads(ketqual("info", str(works["Coder A"]), "--json").stdout)
    assert [c["name"] for c in info["coders"]] == ["Coder A"]
    assert info["consensus_codings"] == 0
    refused = ketqual("code", str(works["Coder A"]), "add", "Sneaky theme", expect=2)
    assert "coder package" in refused.stderr
    for coder, work in works.items():
        exported = tmp_path / f"{coder}-before.csv"
        _layer(work, coder, exported)
        extra = tmp_path / f"{coder}-extra.csv"
        _recode_first(exported, extra, "Monitoring")
        ketqual("codings", "import", str(work), "--coder", coder, str(extra))
    ketqual("suggest", str(works["Coder A"]), "Split Monitoring", "--code", "Monitoring")
    ketqual(
        "pack-return",
        str(works["Coder A"]),
        "-o",
        str(tmp_path / "a-back.kqpkg"),
        "--passphrase-env",
        "KQ_PASS",
        env=secret,
    )
    ketqual("pack-return", str(works["Coder B"]), "-o", str(tmp_path / "b-back.kqpkg"))

    # the supervisor merges both, a dry run first
    dry = ketqual(
        "merge",
        str(project),
        str(tmp_path / "a-back.kqpkg"),
        "--dry-run",
        "--passphrase-env",
        "KQ_PASS",
        env=secret,
    ).stdout
    assert dry.startswith("Would merge") and "1 added" in dry
    merged = ketqual(
        "merge",
        str(project),
        str(tmp_path / "a-back.kqpkg"),
        "--passphrase-env",
        "KQ_PASS",
        env=secret,
    ).stdout
    assert "codings: 1 added, 0 changed, 0 removed, 486 unchanged" in merged
    assert "Split Monitoring" in merged
    report = json.loads(
        ketqual("merge", str(project), str(tmp_path / "b-back.kqpkg"), "--format", "json").stdout
    )
    assert report["codings_added"] == 1 and report["codings_unchanged"] == 504
    again = ketqual(
        "merge",
        str(project),
        str(tmp_path / "a-back.kqpkg"),
        "--passphrase-env",
        "KQ_PASS",
        env=secret,
    ).stdout
    assert "Nothing changed" in again

    # both layers arrived intact: the project's layers equal the coders' work files
    info = json.loads(ketqual("info", str(project), "--json").stdout)
    counts = {c["name"]: c["codings"] for c in info["coders"]}
    assert counts == {"Coder A": 487, "Coder B": 505, "Supervisor": 0}
    for coder, work in works.items():
        assert _layer(project, coder, tmp_path / "p.csv") == _layer(work, coder, tmp_path / "w.csv")
    audit = json.loads(ketqual("audit", str(project), "--json", "--limit", "50").stdout)
    assert [e["action"] for e in audit].count("merge_package") == 2


def test_merge_refusals_through_the_cli(tmp_path: Path):
    project = tmp_path / "study.ketqual"
    ketqual("new", str(project))
    ketqual("coder", "add", str(project), "Boss", "--role", "supervisor")
    ketqual("coder", "add", str(project), "Ann")
    ketqual("pack", str(project), "--coder", "Ann", "-o", str(tmp_path / "ann.kqpkg"))
    other = tmp_path / "other.ketqual"
    ketqual("new", str(other))
    ketqual("coder", "add", str(other), "Boss", "--role", "supervisor")
    refused = ketqual("merge", str(other), str(tmp_path / "ann.kqpkg"), expect=2)
    assert "packed from another project" in refused.stderr
    data = bytearray((tmp_path / "ann.kqpkg").read_bytes())
    (tmp_path / "junk.kqpkg").write_bytes(bytes(data[:50]))
    refused = ketqual("merge", str(project), str(tmp_path / "junk.kqpkg"), expect=2)
    assert "not a KetQual coder package" in refused.stderr
