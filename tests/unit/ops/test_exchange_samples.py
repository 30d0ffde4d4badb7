"""Every real REFI-QDA sample (ATLAS.ti 23 and 8, NVivo 15, MAXQDA 24, qc, Taguette) imports
with the counts its manifest gives, and says what it leaves behind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ketqual.ops import project_ops
from ketqual.ops.exchange import qdc_import, qdpx_import
from tests.factories import make_project

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "refi-qda" / "samples"
MANIFEST = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))

# What lands in KetQual from each project sample, beside the manifest's element counts:
# documents whose text is in the file, coders (users less ATLAS.ti's built-in one),
# memos, and whether a data-loss summary is due.
EXPECTED = {
    "atlasti-23-win_blank-atlas-project.qdpx": (0, 1, 0, False),
    "atlasti-23-win_target-atlas-project.qdpx": (0, 1, 0, False),
    "maxqda-24_icls_project.qde": (0, 1, 0, True),  # texts absent from the sample; sets
    "nvivo-15-mac_nvivo_project.qdpx": (2, 2, 0, False),
    "qc-1.3.2_demo.qdpx": (2, 1, 0, False),
    "refi-spec-example3_atlasti-8-mac_TestProject.qdpx": (0, 2, 2, True),  # media, graph, sets
}
PROJECTS = sorted(EXPECTED)


def test_every_sample_is_covered():
    assert set(MANIFEST) == {*EXPECTED, "taguette-1.4.1_codebook.qdc"}


@pytest.mark.parametrize("name", PROJECTS)
def test_project_sample_imports_with_manifest_counts(name, tmp_path):
    facts = MANIFEST[name]
    plan = qdpx_import.read_qdpx(SAMPLES / name)
    for element, count in facts["counts"].items():
        assert plan.summary.counts.get(element) == count, element
    documents, coders, memos, loses = EXPECTED[name]
    assert plan.summary.loses_data is loses
    result = qdpx_import.store_plan(plan, tmp_path / "imported.ketqual", actor="tester")
    project = project_ops.open_project(result.location, backup=False)
    info = project_ops.project_info(project)
    with project.read() as tx:
        stored_memos = tx.memos.list()
        audit = tx.audit.list(action="exchange.import")
    project.close()
    assert len(info["codes"]) == facts["counts"].get("Code", 0)
    assert len(info["documents"]) == documents
    assert len(info["coders"]) == coders
    codings = sum(c["codings"] for c in info["coders"]) + info["consensus_codings"]
    assert codings == facts["counts"].get("Coding", 0) if documents else codings == 0
    assert len(stored_memos) == memos
    assert audit[0].details["lost"] == plan.summary.lost


def test_media_sample_lists_what_is_lost():
    plan = qdpx_import.read_qdpx(SAMPLES / "refi-spec-example3_atlasti-8-mac_TestProject.qdpx")
    lost = "\n".join(plan.summary.lost)
    for words in (
        "1 picture",
        "2 PDF documents",
        "1 audio recording",
        "2 videos",
        "1 graph",
        "1 link",
        "16 sets",
        "6 text documents whose text is not in the file",
    ):
        assert words in lost
    assert any("ATLAS.ti's built-in user" in n for n in plan.summary.notes)
    lines = plan.summary.lines()
    assert lines[0].startswith("refi-spec-example3") and "Cannot bring in" in "\n".join(lines)


def test_deep_nvivo_tree_is_flattened_into_subtheme_paths():
    plan = qdpx_import.read_qdpx(SAMPLES / "nvivo-15-mac_nvivo_project.qdpx")
    themes = [c for c in plan.codes if c.parent is None]
    assert len(themes) == 3 and len(plan.codes) == 262
    assert any(c.name == "competencies › programming" for c in plan.codes)
    assert all(c.parent in {t.key for t in themes} for c in plan.codes if c.parent)
    texts = [d.draft.text for d in plan.documents]
    assert texts == ["\n", "\n"]  # NVivo's empty texts are kept as they are


def test_qc_codings_land_on_the_lines_they_quote():
    plan = qdpx_import.read_qdpx(SAMPLES / "qc-1.3.2_demo.qdpx")
    assert plan.spans_on_boundaries == (158, 158)
    assert len(plan.codings) == 205 and {c.coder for c in plan.codings} == {plan.coders[0].key}
    text = next(d.draft.text for d in plan.documents if plan.codings[0].document == d.key)
    for coding in plan.codings:  # qc codes whole lines, each with its line break
        if coding.document == plan.codings[0].document:
            assert coding.start == 0 or text[coding.start - 1] == "\n"
            assert text[coding.end - 1] == "\n" and text[coding.start : coding.end].strip()


def test_taguette_codebook_imports_despite_its_empty_sets(tmp_path):
    project = make_project(tmp_path, codebook=None)
    change = qdc_import.import_qdc(project, SAMPLES / "taguette-1.4.1_codebook.qdc")
    assert change.details["added"] == MANIFEST["taguette-1.4.1_codebook.qdc"]["counts"]["Code"]
    again = qdc_import.import_qdc(project, SAMPLES / "taguette-1.4.1_codebook.qdc")
    assert again.details == {**again.details, "added": 0, "updated": 3}
    info = project_ops.project_info(project)
    project.close()
    assert len(info["codes"]) == 3
