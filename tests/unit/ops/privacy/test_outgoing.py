"""Every export checks what it would write: blocked by default, a supervisor's override
with a reason, everything audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketqual.core.retrieval import PassageQuery
from ketqual.ops import audit_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.attributes import attribute_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.coding import codings_io
from ketqual.ops.consensus import consensus_decisions, consensus_ops, decision_log
from ketqual.ops.errors import OperationError
from ketqual.ops.framework import framework_ops
from ketqual.ops.importing import document_ops
from ketqual.ops.network import network_ops
from ketqual.ops.privacy import outgoing, review_ops
from ketqual.ops.privacy.outgoing import CheckOptions, IdentifiersFound
from ketqual.ops.retrieval import crosstab_ops, passage_ops, report_ops, star_ops
from ketqual.ops.team import coder_ops, package_pack
from ketqual.ops.votes import votes_ops
from tests.factories import add_coder, add_codings, add_document
from tests.unit.ops.privacy.conftest import NOTES


@pytest.fixture
def shared(project):
    """Two coders' codings on notes that still hold a phone number and a doctor's name,
    a consensus decision whose reason quotes the number, unblinded."""
    add_coder(project, "Coder B")
    doc = add_document(project, NOTES)
    document_ops.update_document(project, doc, title="S1 G2, typed up by Dr Singh")
    with project.transaction() as tx:
        codes = {c.name: c.id for c in tx.codes.list()}
        ids = {c.name: c.id for c in tx.coders.list()}
    start = NOTES.index("- Annie")
    line = (start, NOTES.index("\n", start))
    doctor = NOTES.index("- Dr Singh")
    add_codings(project, doc, codes["Side-effects"], ids["Coder A"], [line, (doctor, doctor + 20)])
    add_codings(project, doc, codes["Side-effects"], ids["Coder B"], [line])
    add_codings(project, doc, codes["Monitoring"], ids["Coder A"], [line])
    add_codings(project, doc, codes["Monitoring"], ids["Coder B"], [line])
    coder_ops.set_unblinded(
        project, by_coder_id=ids["Supervisor"], unblinded=True, reason="meeting"
    )
    change = consensus_ops.start_review(
        project, supervisor="Supervisor", coder_a="Coder A", coder_b="Coder B"
    )
    [item] = consensus_ops.queue_items(project, change.details["review_id"])
    consensus_decisions.resolve(
        project, item.id, "take_a", supervisor="Supervisor", reason="as said on 07700 900123"
    )
    return project


def _codings(project, path, check):
    return codings_io.export_codings(
        project, "Coder A", path / "a.csv", viewer="Supervisor", check=check
    )


def _decisions(project, path, check):
    return decision_log.export_decisions(project, path / "d.csv", check=check)


def _agreement(project, path, check):
    result = agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="Coder B", n_replicates=0
    )
    return agreement_ops.export_agreement(result, path / "a.json", project=project, check=check)


def _network(project, path, check):
    view = network_ops.compute_network(project, title="Overlap, ask jo@example.org")
    return network_ops.export_network(project, view, path / "n.graphml", check=check)


def _cooccurrence(project, path, check):
    view = network_ops.compute_network(project, title="Overlap, ask jo@example.org")
    return network_ops.export_cooccurrence(project, view, path / "c.csv", check=check)


def _matrices(project, path, check):
    return framework_ops.export_matrices(project, path / "m.xlsx", check=check)


def _codebook(project, path, check):
    with project.transaction() as tx:
        theme = tx.codes.list()[0]
    codebook_ops.update_code(project, theme.id, example="as Dr Singh put it")
    return codebook_ops.export_codebook(project, path / "book.json", check=check)


def _package(project, path, check):
    return package_pack.pack(
        project, coder="Coder A", supervisor="Supervisor", output=path / "a.kqpkg", check=check
    )


def _star_the_phone_line(project) -> None:
    """Star the consensus passage that holds the phone number (once; starring is idempotent)."""
    with project.read() as tx:
        [doc] = tx.documents.list()
        codes = {c.name: c.id for c in tx.codes.list()}
    start = NOTES.index("- Annie")
    star_ops.set_star(
        project,
        document_id=doc.id,
        start=start,
        end=NOTES.index("\n", start),
        code_id=codes["Side-effects"],
    )


def _report(project, path, check):
    _star_the_phone_line(project)
    return report_ops.export_theme_report(project, path / "report.html", check=check)


def _passages(project, path, check):
    result = passage_ops.find_passages(project, PassageQuery(codes=("Side-effects",)))
    return passage_ops.export_passages(project, result, path / "p.docx", check=check)


def _crosstab(project, path, check):
    view = crosstab_ops.compute_crosstab(project, columns="document")  # the titles
    return crosstab_ops.export_crosstab(project, view, path / "x.csv", check=check)


def _phone_attribute(project) -> None:
    """P3's contact number as a participant attribute (defined and set once)."""
    if not attribute_ops.list_attributes(project, "participant"):
        attribute_ops.define_attribute(project, "participant", "contact")
    [contact] = attribute_ops.list_attributes(project, "participant")
    attribute_ops.set_value(project, contact.id, "P3", "07700 900123")


def _attributes(project, path, check):
    _phone_attribute(project)
    return attribute_ops.export_attributes(project, "participant", path / "a.csv", check=check)


def _votes(project, tmp_path: Path) -> None:
    """A voting sheet whose question names a doctor (imported once)."""
    if votes_ops.list_questions(project):
        return
    sheet = tmp_path / "votes.csv"
    sheet.write_text(
        "Participant,Did Dr Singh explain the dose?\nP1,Yes\nP2,No\nP3,Yes\n", encoding="utf-8"
    )
    votes_ops.import_votes(project, sheet)


def _votes_table(project, path, check):
    _votes(project, path.parent)
    return votes_ops.export_table(project, path / "v.xlsx", check=check)


def _write_picture(_figure, path: Path, _fmt: str) -> Path:
    path.write_text("<svg/>", encoding="utf-8")
    return path


def _votes_figure(project, path, check):
    _votes(project, path.parent)
    return votes_ops.export_figure(
        project, [1], path / "v.svg", picture_writer=_write_picture, check=check
    )


EXPORTS = [
    _codings,
    _decisions,
    _agreement,
    _network,
    _cooccurrence,
    _matrices,
    _codebook,
    _package,
    _report,
    _passages,
    _crosstab,
    _attributes,
    _votes_table,
    _votes_figure,
]


@pytest.mark.parametrize("export", EXPORTS, ids=lambda f: f.__name__.strip("_"))
def test_every_export_is_stopped_then_let_through_by_a_supervisor(shared, tmp_path, export):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(IdentifiersFound) as caught:
        export(shared, out, None)
    message = str(caught.value)
    assert "was not written" in message and "supervisor can let them through" in message
    assert list(out.iterdir()) == []  # nothing written, not even a temporary file
    [blocked] = audit_ops.audit_log(shared, limit=1)
    assert blocked.action == "privacy.export_check" and blocked.details["outcome"] == "blocked"
    assert "07700" not in str(blocked.details) and "Singh" not in str(blocked.details)
    with pytest.raises(OperationError, match="not a supervisor"):
        export(shared, out, CheckOptions(allow_reason="pilot", supervisor="Coder A"))
    assert list(out.iterdir()) == []
    export(shared, out, CheckOptions(allow_reason="the funder's audit copy"))
    assert [p for p in out.iterdir() if not p.name.startswith(".")]
    overrides = audit_ops.audit_log(shared, action="privacy.export_override")
    assert overrides[0].details["reason"] == "the funder's audit copy"
    assert overrides[0].details["supervisor"] == "Supervisor"


@pytest.mark.parametrize(
    ("export", "where"),
    [
        (_report, ".quotes[0].text"),
        (_passages, "passages[0].text"),
        (_crosstab, "columns[0]"),
        (_attributes, "rows[0].contact"),
        (_votes_table, "rows[0].question"),
        (_votes_figure, "title"),
    ],
    ids=["report", "passages", "crosstab", "attributes", "votes_table", "votes_figure"],
)
def test_what_is_found_is_where_the_file_would_hold_it(shared, tmp_path, export, where):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(IdentifiersFound) as caught:
        export(shared, out, None)
    assert any(f.where.endswith(where) for f in caught.value.findings), caught.value


def test_a_report_without_identifiers_is_written_and_its_check_recorded(project, tmp_path):
    doc = add_document(project, "- P3 said the clinic was far away.\n")
    with project.transaction() as tx:
        code = tx.codes.list()[0].id
        coder = tx.coders.by_name("Coder A").id
    add_codings(project, doc, code, coder, [(2, 30)])
    star_ops.set_star(project, document_id=doc, start=2, end=30, code_id=code)
    change = report_ops.export_theme_report(
        project, tmp_path / "r.html", layer="Coder A", viewer="Coder A"
    )
    assert "P3 said the clinic" in Path(change.details["path"]).read_text(encoding="utf-8")
    [event] = audit_ops.audit_log(project, action="privacy.export_check")
    assert event.details["export"] == "theme report" and event.details["outcome"] == "passed"
    assert event.actor == "Coder A"


def test_an_attribute_table_is_checked_for_roster_names_with_the_key(project, key, tmp_path):
    attribute_ops.define_attribute(project, "participant", "carer")
    [carer] = attribute_ops.list_attributes(project, "participant")
    attribute_ops.set_value(project, carer.id, "P3", "Annie's sister")
    path = tmp_path / "people.csv"
    with pytest.raises(IdentifiersFound, match="rows\\[0\\].carer: “Annie”"):
        attribute_ops.export_attributes(project, "participant", path, check=CheckOptions(key=key))
    assert not path.exists()
    attribute_ops.export_attributes(  # without the key, roster names cannot be looked for
        project, "participant", path
    )
    assert "Annie" in path.read_text(encoding="utf-8-sig")
    path.unlink()
    attribute_ops.export_attributes(
        project,
        "participant",
        path,
        actor="Supervisor",
        check=CheckOptions(allow_reason="the carer asked", key=key),
    )
    assert path.exists()
    [event] = audit_ops.audit_log(project, action="privacy.export_override")
    assert event.details["export"] == "attribute table" and event.details["roster_checked"]
    assert "Annie" not in str(event.details) and "Annie" not in event.summary


def test_an_override_needs_a_reason(shared, tmp_path):
    with pytest.raises(OperationError, match="give a reason"):
        _matrices(shared, tmp_path, CheckOptions(allow_reason="  "))


def test_reviewed_words_pass_and_unreviewed_ones_block(project, key, tmp_path):
    add_document(project, "- Dr Singh said P3 seemed better.\n")
    review_ops.detect_identifiers(project, key=key)
    payload = {"quote": "Dr Singh said P3 seemed better"}
    with pytest.raises(IdentifiersFound, match="Dr Singh"):
        outgoing.check_outgoing(project, what="test", destination=None, payload=payload)
    [row] = review_ops.review_rows(project)
    review_ops.decide(project, [row.hit.id], "reject")  # a reviewer: not an identifier here
    result = outgoing.check_outgoing(project, what="test", destination=None, payload=payload)
    assert result.passed and not result.roster_checked


def test_roster_names_are_looked_for_when_the_key_is_open(project, key):
    payload = {"memo": "Annie was upset"}
    assert outgoing.check_outgoing(project, what="t", destination=None, payload=payload).passed
    with pytest.raises(IdentifiersFound, match="Annie"):
        outgoing.check_outgoing(
            project, what="t", destination=None, payload=payload, options=CheckOptions(key=key)
        )


def test_without_a_project_the_check_still_runs(tmp_path):
    with pytest.raises(IdentifiersFound):
        outgoing.check_outgoing(None, what="t", destination=None, payload=["mail jo@x.org"])
    assert outgoing.check_outgoing(None, what="t", destination=None, payload=["fine"]).passed


def test_a_coders_returned_package_checks_their_memos(project, tmp_path):
    doc = add_document(project, "- P3 spoke about sleep.\n")
    with project.transaction() as tx:
        code = tx.codes.list()[0].id
        coder = tx.coders.by_name("Coder A").id
    add_codings(project, doc, code, coder, [(2, 10)])
    package_pack.pack(
        project, coder="Coder A", supervisor="Supervisor", output=tmp_path / "a.kqpkg"
    )
    work, _made = package_pack.unpack(tmp_path / "a.kqpkg")
    from ketqual.ops import project_ops
    from ketqual.ops.coding import coding_ops

    opened = project_ops.open_project(work, backup=False)
    with opened.read() as tx:
        [coding] = tx.codings.list()
    coding_ops.set_memo(opened, coding.id, "her email is p3@example.org")
    opened.close()
    with pytest.raises(IdentifiersFound, match="p3@example.org"):
        package_pack.return_package(work, tmp_path / "back.kqpkg")
    assert not (tmp_path / "back.kqpkg").exists()
    assert Path(work).exists()
