"""The compact agreement reports hold exactly what the earlier layout held.

The fixtures in tests/data/agreement are the demo's reports as the code before the compact
layout wrote them (one object per row, ``json.dumps(indent=1)``, the long CSV; see the
README there). Today's
files, read back through :mod:`ketqual.io.agreement_read`, must equal them apart from the
fields that differ from run to run or release to release.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from pathlib import Path

import pytest

from ketqual.io import agreement_read
from ketqual.ops import demo_ops
from ketqual.ops.agreement import agreement_ops

DATA = Path(__file__).resolve().parents[2] / "data" / "agreement"
VOLATILE = ("computed_at", "computed_by", "software")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    project, _ = demo_ops.build_demo(
        tmp_path_factory.mktemp("files") / "demo.ketqual", third_coder=True
    )
    yield project
    project.close()


THREE = {"coders": ["Coder A", "Coder B", "Coder C"], "n_replicates": 100, "seed": 5}


def _fixture_json(name: str) -> dict:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _without_volatile(report: dict) -> dict:
    report = dict(report)
    report["context"] = {k: v for k, v in report["context"].items() if k not in VOLATILE}
    return report


def _differences(new, old, path: str = "") -> list[str]:
    """Where ``new`` differs from ``old``: everything must be equal except floats, which may
    differ in their last digits (1e-12 relative): numpy's sums take other paths on other
    processors (the fixtures were written on one machine; an AMD EPYC build machine gave
    0.9116866282119588 for 0.9116866282119596)."""
    if isinstance(new, float) and isinstance(old, float):
        same = math.isclose(new, old, rel_tol=1e-12, abs_tol=1e-15) or new == old
        return [] if same or (math.isnan(new) and math.isnan(old)) else [f"{path}: {new} != {old}"]
    if isinstance(new, dict) and isinstance(old, dict):
        if new.keys() != old.keys():
            return [f"{path}: keys {sorted(new.keys() ^ old.keys())}"]
        return [d for key in new for d in _differences(new[key], old[key], f"{path}.{key}")]
    if isinstance(new, list) and isinstance(old, list):
        if len(new) != len(old):
            return [f"{path}: {len(new)} items != {len(old)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(new, old, strict=True))
            for d in _differences(a, b, f"{path}[{i}]")
        ]
    return [] if new == old and type(new) is type(old) else [f"{path}: {new!r} != {old!r}"]


def test_the_comparison_allows_only_the_last_digits_of_floats():
    assert (
        _differences({"k": [0.9116866282119588, 1, "a"]}, {"k": [0.9116866282119596, 1, "a"]}) == []
    )
    assert _differences({"k": 0.91168662821}, {"k": 0.91168662822}) != []
    assert _differences({"k": 1}, {"k": 1.0}) != [] and _differences([1, 2], [1]) != []
    assert _differences({"k": "a"}, {"j": "a"}) != [] and _differences("a", "b") != []


@pytest.mark.parametrize(
    ("fixture", "options"),
    [
        ("demo-theme-v1.json.gz", {}),
        ("demo-sub-v1.json.gz", {"level": "subtheme", "n_replicates": 200, "seed": 3}),
    ],
)
def test_json_report_reads_back_as_the_earlier_one(demo, tmp_path, fixture, options):
    result = agreement_ops.compute_agreement(demo, coder_a="Coder A", coder_b="Coder B", **options)
    path = agreement_ops.export_agreement(result, tmp_path / "report.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format_version"] == 2 and "columns" in raw["report"]["tables"][0]
    old = _fixture_json(fixture)
    assert "columns" not in old["report"]["tables"][0]  # the fixture is the earlier layout
    new = _without_volatile(agreement_read.load_json(path))
    assert _differences(new, _without_volatile(old)) == []
    # A version 1 file reads back unchanged.
    assert agreement_read.expand_json(old) == old


@pytest.mark.parametrize(
    ("fixture", "options"), [("demo-theme-v1.csv.gz", {}), ("demo-three-v1.csv.gz", THREE)]
)
def test_csv_report_reads_back_as_the_earlier_one(demo, tmp_path, fixture, options):
    options = {"coder_a": "Coder A", "coder_b": "Coder B", **options}
    result = agreement_ops.compute_agreement(demo, **options)
    path = agreement_ops.export_agreement(result, tmp_path / "report.csv")
    with gzip.open(DATA / fixture, "rt", encoding="utf-8-sig", newline="") as f:
        old = list(csv.DictReader(io.StringIO(f.read())))
    new = agreement_read.load_csv_long(path)
    assert len(new) == len(old) > 10_000
    assert new == old
    # One row per unit, scope, code and document, instead of one per statistic as well.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        wide = list(csv.DictReader(handle))
    cells = {(r["unit"], r["scope"], r["code"], r["document"]) for r in old}
    assert len(wide) == len(cells) < len(old) / 8
