"""The bundled two-coder plan (resources/demo/codings.json) against the real demo project."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from ketqual.core.demo_coding import plan_demo_codings, resolve_passages
from ketqual.ops import demo_ops, queries
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.resources import demo_dir

PLAN_PATH = demo_dir() / "codings.json"
HEADER_LINE = re.compile(r"^(#\s*)?Session \d|^(Scribe|Date|Topic):")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Stored texts and codebook paths of a freshly built demo project."""
    project, _report = demo_ops.build_demo(tmp_path_factory.mktemp("demo") / "demo.ketqual")
    try:
        texts = {}
        for row in queries.list_documents(project):
            meta = row.record.meta
            texts[(meta.session, meta.group, meta.kind)] = queries.document_text(
                project, row.record.id
            )
        codes, _counts = queries.list_codes(project)
        paths = {codebook_ops.code_path(codes, c) for c in codes}
    finally:
        project.close()
    return texts, paths


@pytest.fixture(scope="module")
def plan_json() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(plan_json):
    return json.loads(plan_json)


@pytest.fixture(scope="module")
def resolved(plan_json, demo):
    return resolve_passages(plan_json, demo[0])


def _codes(passage, coder):
    return {c.code_path for c in passage.codings[coder]}


def _spans(passage, coder):
    return {(c.start, c.end) for c in passage.codings[coder]}


def test_every_quote_resolves_against_the_stored_texts(plan_json, demo):
    texts, _paths = demo
    codings = plan_demo_codings(plan_json, texts)
    assert {c.coder for c in codings} == {"Coder A", "Coder B"}
    for c in codings:
        text = texts[(c.session, c.group, c.kind)]
        coded = text[c.start : c.end]
        assert coded and coded == coded.strip(), c


def test_header_lines_and_feedback_questions_are_never_coded(plan_json, demo):
    texts, _paths = demo
    for c in plan_demo_codings(plan_json, texts):
        text = texts[(c.session, c.group, c.kind)]
        first_line = text.rfind("\n", 0, c.start) + 1
        for line in text[first_line : c.end].split("\n"):
            assert not HEADER_LINE.match(line.strip()), (c, line)
            if c.kind == "feedback_sheet":
                assert re.match(r"P\d+: ", line), (c, line)


def test_every_code_path_is_in_the_codebook_and_every_code_is_used(plan, plan_json, demo):
    texts, paths = demo
    used = {c.code_path for c in plan_demo_codings(plan_json, texts)}
    assert used <= paths, used - paths
    reference = {path for p in plan["passages"] for path in p["codes"]}
    assert reference == paths, paths - reference
    assert len(paths) == 23


def test_themes_have_realistic_frequencies(plan):
    per_code = Counter(path for p in plan["passages"] for path in p["codes"])
    per_theme = Counter(path.split("/")[0] for p in plan["passages"] for path in p["codes"])
    assert per_theme.most_common(1)[0][0] == "Monitoring"
    assert per_theme.most_common()[0][1] >= 8 * min(per_theme.values())
    assert per_code["Therapy"] < per_code["Appropriate support/Who supports the patient"] / 3


def test_passages_per_document(plan, demo):
    texts, _paths = demo
    per_doc = Counter((p["session"], p["group"], p["kind"]) for p in plan["passages"])
    scribe = [k for k in texts if k[2] == "scribe_notes"]
    feedback = [k for k in texts if k[2] == "feedback_sheet"]
    assert len(scribe) == len(feedback) == 21
    assert all(8 <= per_doc[k] <= 15 for k in scribe), {k: per_doc[k] for k in scribe}
    assert all(per_doc[k] <= 6 for k in feedback)
    assert sum(per_doc[k] >= 2 for k in feedback) >= 0.8 * len(feedback)


def test_most_passages_are_coded_identically(resolved):
    identical = sum(p.identical() for p in resolved) / len(resolved)
    assert 0.70 <= identical <= 0.90


def _kinds(passage):
    """The kinds of disagreement one passage shows, read off the resolved codings."""
    a, b = _codes(passage, "Coder A"), _codes(passage, "Coder B")
    kinds = set()
    if not a or not b:
        return {"missed"} if a or b else set()
    if _spans(passage, "Coder A") != _spans(passage, "Coder B"):
        kinds.add("boundary")
    only_a, only_b = a - b, b - a
    if "Therapy" in b and only_b == {"Appropriate support"}:
        kinds.add("systematic")
    elif any(x.split("/")[0] == y.split("/")[0] for x in only_a for y in only_b):
        kinds.add("subtheme")
    elif (only_a and not only_b) or (only_b and not only_a):
        kinds.add("extra")
    if any(c.memo for cs in passage.codings.values() for c in cs):
        kinds.add("memo")
    return kinds


def test_every_kind_of_disagreement_is_present_several_times_across_documents(plan, resolved):
    documents: dict[str, set] = {}
    for passage, raw in zip(resolved, plan["passages"], strict=True):
        for kind in _kinds(passage):
            documents.setdefault(kind, set()).add((raw["session"], raw["group"], raw["kind"]))
        assert passage.identical() == (_kinds(passage) <= {"memo"}), passage.label
    for kind in ("boundary", "missed", "subtheme", "systematic", "extra", "memo"):
        assert len(documents.get(kind, ())) >= 4, (kind, documents.get(kind))


def test_coder_b_applies_support_wherever_b_codes_therapy(resolved):
    therapy = [p for p in resolved if "Therapy" in _codes(p, "Coder B")]
    assert len(therapy) >= 5
    assert all("Appropriate support" in _codes(p, "Coder B") for p in therapy)
    assert not any("Appropriate support" in _codes(p, "Coder A") for p in therapy)


def test_boundary_shifts_overlap_the_reference_span(resolved):
    for passage in resolved:
        a, b = _spans(passage, "Coder A"), _spans(passage, "Coder B")
        if a and b and a != b:
            ((a_start, a_end),), ((b_start, b_end),) = a, b
            assert a_start < b_end and b_start < a_end, passage.label


def test_both_coders_write_memos_and_planned_disagreements_say_why(plan, resolved):
    memos = Counter(c.coder for p in resolved for cs in p.codings.values() for c in cs if c.memo)
    assert memos["Coder A"] >= 3 and memos["Coder B"] >= 3
    for passage, raw in zip(resolved, plan["passages"], strict=True):
        deviates = {"codes", "add_codes", "skip", "quote", "extend_before", "extend_after"} & (
            set(raw.get("coder_a", {})) | set(raw.get("coder_b", {}))
        )
        assert not deviates or raw.get("why"), passage.label
    assert "Appropriate support" in " ".join(plan["notes"])
