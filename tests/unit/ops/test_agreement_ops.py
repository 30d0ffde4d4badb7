"""Agreement between layers: blinding, levels, the consensus layer, and the same figures
as the pure report builder called directly."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from ketqual.core.agreement import CodeInput, DocumentInput, build_report
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from tests.factories import add_coder, add_codings, add_document, make_project

SAFETY = "Monitoring/Safety review and where doses are taken"
PRIVACY = "Monitoring/National monitoring and data privacy"


@pytest.fixture
def small(tmp_path):
    """One document, two coders and a supervisor; A and B code sibling subthemes."""
    project = make_project(tmp_path)
    doc = add_document(project)
    a, b = add_coder(project, "Coder A"), add_coder(project, "Coder B")
    boss = add_coder(project, "Sam", role="supervisor")
    safety = codebook_ops.find_code(project, SAFETY).id
    privacy = codebook_ops.find_code(project, PRIVACY).id
    add_codings(project, doc, safety, a, [(50, 110)])
    add_codings(project, doc, privacy, b, [(50, 110)])
    yield project, doc, a, b, boss, safety, privacy
    project.close()


def _unblind(project, boss: int) -> None:
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="agreement")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("agreement-demo") / "demo.ketqual"
    project, _ = demo_ops.build_demo(path, meeting=False)
    supervisor = coder_ops.find_coder(project, demo_ops.DEMO_SUPERVISOR)
    _unblind(project, supervisor.id)
    yield project
    project.close()


def test_refuses_while_blinded(small):
    project = small[0]
    with pytest.raises(OperationError) as info:
        agreement_ops.compute_agreement(project, coder_a="Coder A", coder_b="Coder B")
    assert str(info.value) == agreement_ops.BLINDED
    assert "supervisor must unblind" in str(info.value)


def test_theme_level_counts_subtheme_codings_for_their_theme(small):
    project, doc, _a, _b, boss, safety, privacy = small
    _unblind(project, boss)
    theme = agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="Coder B", level="theme", n_replicates=0
    )
    sub = agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="Coder B", level="subtheme", n_replicates=0
    )
    monitoring = codebook_ops.find_code(project, "Monitoring").id
    assert len(theme.code_ids()) == 10 and len(sub.code_ids()) == 23
    assert monitoring in theme.code_ids() and safety not in theme.code_ids()
    # Same span, sibling subthemes: the theme agrees perfectly, the subthemes not at all.
    table = theme.report.table("character", "code")
    assert table.statistic(table.row(monitoring), "cohen_kappa").value == pytest.approx(1.0)
    table = sub.report.table("character", "code")
    for code in (safety, privacy):
        assert table.statistic(table.row(code), "cohen_kappa").value == pytest.approx(0.0)
    assert sub.code_label(safety) == SAFETY
    assert theme.document_ids() == (doc,)


def test_consensus_layer_is_compared_by_name_or_none(small):
    project, doc, a, _b, boss, safety, _ = small
    _unblind(project, boss)
    add_codings(project, doc, safety, None, [(50, 100)])
    by_name = agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="consensus", n_replicates=0, level="subtheme"
    )
    by_none = agreement_ops.compute_agreement(
        project, coder_a="coder a", coder_b=None, n_replicates=0, level="subtheme"
    )
    assert (by_name.coder_a, by_name.coder_b) == ("Coder A", "Consensus")
    assert by_name.report.to_dict() == by_none.report.to_dict()
    table = by_name.report.table("character", "code_document")
    counts = table.table(table.row(safety, doc))
    assert (counts.both, counts.a_only, counts.b_only) == (50, 10, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"coder_a": "Coder A", "coder_b": "coder a"}, "two different layers"),
        ({"coder_a": "Nobody", "coder_b": "Coder B"}, "no coder called 'Nobody'"),
        ({"coder_a": "Coder A", "coder_b": "consensus"}, "Consensus has no codings"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "level": "code"}, "level must be"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "units": ["word"]}, "units must be"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "unit_min_share": 0}, "above 0"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "n_replicates": -1}, "negative"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "document_ids": [999]}, "id 999"),
        ({"coder_a": "Coder A", "coder_b": "Coder B", "viewer": "Ghost"}, "'Ghost'"),
    ],
)
def test_clear_refusals(small, kwargs, message):
    project, *_, boss, _safety, _privacy = small
    _unblind(project, boss)
    with pytest.raises(OperationError, match=message):
        agreement_ops.compute_agreement(project, **kwargs)


def test_computation_is_audited_in_one_line(small):
    project, *_, boss, _safety, _privacy = small
    _unblind(project, boss)
    agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="Coder B", viewer="Sam", n_replicates=10, seed=4
    )
    with project.read() as tx:
        [event_] = tx.audit.list(action="agreement.compute")
    assert event_.actor == "Sam"
    assert "Coder A and Coder B" in event_.summary and "seed 4" in event_.summary
    assert event_.details["n_replicates"] == 10


def _direct_report(project, level: str, **kwargs):
    """The report built straight from the store, one document at a time."""
    with project.read() as tx:
        docs = [
            DocumentInput(
                d.id,
                d.char_count,
                {
                    kind: [(u.start, u.end) for u in tx.documents.units(d.id, kind)]
                    for kind in ("sentence", "paragraph")
                },
            )
            for d in tx.documents.list()
        ]
        codes = [
            CodeInput(c.id, c.name, c.parent_id) for c in project_ops.tree_order(tx.codes.list())
        ]
        layers = [
            [(c.document_id, c.code_id, c.start, c.end) for c in tx.codings.list(coder_id=who.id)]
            for who in (tx.coders.by_name("Coder A"), tx.coders.by_name("Coder B"))
        ]
    return build_report(docs, codes, *layers, level=level, **kwargs)


@pytest.mark.parametrize("level", ["theme", "subtheme"])
def test_figures_equal_the_report_builder_called_directly(demo, level):
    result = agreement_ops.compute_agreement(
        demo, coder_a="Coder A", coder_b="Coder B", level=level, n_replicates=50, seed=3
    )
    direct = _direct_report(demo, level, n_replicates=50, seed=3)
    assert result.report.to_dict() == direct.to_dict()
    assert result.project_name == "Ketamine consultation day (demo)"
    assert len(result.documents) == 42
    assert result.document_labels[result.document_ids()[0]] == "S1 G1 notes"
    assert result.context()["software"].startswith("KetQual ")


def test_a_document_subset_and_a_share_threshold(demo):
    ids = agreement_ops.compute_agreement(
        demo, coder_a="Coder A", coder_b="Coder B", n_replicates=0
    ).document_ids()[:5]
    result = agreement_ops.compute_agreement(
        demo,
        coder_a="Coder B",
        coder_b="Coder A",
        document_ids=ids,
        units=["sentence"],
        unit_min_share=0.5,
        n_replicates=0,
    )
    assert result.document_ids() == ids and result.units == ("sentence",)
    assert result.parameters["unit_min_share"] == 0.5
    assert (result.coder_a, result.coder_b) == ("Coder B", "Coder A")


def test_loading_takes_a_fixed_number_of_queries(demo):
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    event.listen(demo.engine, "before_cursor_execute", count)
    try:
        agreement_ops.compute_agreement(demo, coder_a="Coder A", coder_b="Coder B", n_replicates=0)
    finally:
        event.remove(demo.engine, "before_cursor_execute", count)
    # Documents, units, codes, coders, two layers, blinding, the audit line: never one
    # query per document (the demo has 42).
    assert len(statements) < 20


def test_short_titles_for_column_headings():
    from ketqual.core.model import DocumentMeta
    from ketqual.core.records import DocumentRecord

    def record(meta):
        return DocumentRecord(7, "u", meta, "f.txt", "txt", "x", None, "now", "y", 10, None)

    notes = DocumentMeta("Session 2, Group 5 – scribe notes", "scribe_notes", 2, 5)
    assert agreement_ops.short_title(record(notes)) == "S2 G5 notes"
    sheets = DocumentMeta("whatever", "feedback_sheet", 1, 3)
    assert agreement_ops.short_title(record(sheets)) == "S1 G3 sheets"
    assert agreement_ops.short_title(record(DocumentMeta("Interview 4"))) == "Interview 4"
    long = DocumentMeta("Interview with participant 12")
    assert agreement_ops.short_title(record(long)) == "…participant 12"


def test_three_layers_give_the_m_coder_report(small):
    project, doc, a, b, boss, safety, privacy = small
    c = add_coder(project, "Coder C")
    add_codings(project, doc, safety, c, [(40, 110)])
    _unblind(project, boss)
    result = agreement_ops.compute_agreement(
        project, coders=["Coder A", "Coder B", "Coder C"], level="subtheme", n_replicates=20
    )
    assert result.layer_names == ("Coder A", "Coder B", "Coder C") and result.n_coders == 3
    assert result.who() == "Coder A, Coder B and Coder C"
    assert result.kappa_name == "fleiss_kappa" and "cohen_kappa" not in result.statistics(
        "sentence"
    )
    table = result.report.table("character", "code")
    assert table.coverage(table.row(safety))[3] == 0 and table.coverage(table.row(safety))[2] == 60
    pairs = result.pairwise("character")
    assert pairs.coders == result.layer_names and len(pairs.pairs) == 3
    # The consensus layer can be one of several; the same layer twice is refused.
    with pytest.raises(OperationError, match="chosen twice"):
        agreement_ops.compute_agreement(project, coders=["Coder A", "Coder A", "Coder B"])
    with pytest.raises(OperationError, match="at least two"):
        agreement_ops.compute_agreement(project, coders=["Coder A"])
    with pytest.raises(OperationError, match="Consensus has no codings"):
        agreement_ops.compute_agreement(project, coders=["Coder A", "Coder B", "consensus"])


def test_demo_third_coder_is_deterministic_and_independent(tmp_path):
    first, _ = demo_ops.build_demo(tmp_path / "one.ketqual", meeting=False, third_coder=True)
    second, _ = demo_ops.build_demo(tmp_path / "two.ketqual", meeting=False, third_coder=True)
    try:
        layers = []
        for project in (first, second):
            with project.read() as tx:
                who = {n: tx.coders.by_name(n).id for n in ("Coder A", "Coder C")}
                layers.append(
                    {
                        n: sorted(
                            (x.document_id, x.code_id, x.start, x.end)
                            for x in tx.codings.list(coder_id=i)
                        )
                        for n, i in who.items()
                    }
                )
        assert layers[0] == layers[1]  # the same codings on every build
        c, a = layers[0]["Coder C"], layers[0]["Coder A"]
        shared = len(set(c) & set(a))
        assert len(c) > 300 and 0.5 < shared / len(c) < 0.95  # plausible: mostly, not always, A's
    finally:
        first.close()
        second.close()
