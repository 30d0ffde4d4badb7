"""Retrieval on the demo: coded passages agree with the framework matrices and the network,
crosstabs add up, the theme report's n is the figure's, stars, blinding and messages."""

from __future__ import annotations

import shutil

import pytest

from ketqual.core.retrieval import PassageQuery
from ketqual.core.theme_report import NO_STARS
from ketqual.io import theme_report_files
from ketqual.ops import demo_ops, project_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.framework import framework_ops
from ketqual.ops.network import network_ops
from ketqual.ops.retrieval import crosstab_ops, passage_ops, report_ops, star_ops


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory):
    path = tmp_path_factory.mktemp("retrieval") / "demo.ketqual"
    project, _report = demo_ops.build_demo(path)  # unblinded, consensus meeting under way
    project.close()
    return path


@pytest.fixture
def demo(demo_master, tmp_path):
    path = tmp_path / "demo.ketqual"
    shutil.copy(demo_master, path)
    project = project_ops.open_project(path, backup=False)
    yield project
    project.close()


def find(project, *codes, **options):
    return passage_ops.find_passages(project, PassageQuery(codes=codes, **options))


def test_each_theme_lists_exactly_the_network_figures_n(demo):
    view = network_ops.compute_network(demo)
    for theme in view.result.themes:
        assert len(find(demo, theme.name).passages) == theme.n, theme.name
        for sub in theme.subthemes:
            assert len(find(demo, sub.code_id).passages) == sub.n, sub.name


def test_coded_passages_match_the_framework_matrix_quotes(demo):
    """Per theme: each subtheme's passages are its matrix column's quotes (same reference
    ids and text), the theme's own codings are the "Other" column, and the theme's passages
    cover exactly the characters the matrix quotes cover."""
    report = framework_ops.build_report(demo)
    for matrix in report.matrices:
        quotes = set()
        for j, column in enumerate(matrix.columns):
            in_matrix = sorted((q.ref, q.text) for row in matrix.cells for q in row[j].passages)
            listed = find(demo, column.code_id, include_subthemes=not column.theme_level)
            assert sorted((p.ref, p.text) for p in listed.passages) == in_matrix, column.label
            quotes |= {
                (q.document_id, q.start, q.end) for row in matrix.cells for q in row[j].passages
            }
        theme = find(demo, matrix.theme.id)
        covered = {(p.document_id, i) for p in theme.passages for i in range(p.start, p.end)}
        assert covered == {(d, i) for d, s, e in quotes for i in range(s, e)}, matrix.theme.name
        # every matrix quote lies inside exactly one of the theme's passages
        for d, s, e in quotes:
            assert (
                sum(1 for p in theme.passages if p.document_id == d and p.start <= s and e <= p.end)
                == 1
            )


def test_themes_by_participant_role_add_up_to_the_theme_counts(demo):
    view = crosstab_ops.compute_crosstab(demo, rows="themes", columns="role")
    net = network_ops.compute_network(demo)
    n = {t.code_id: t.n for t in net.result.themes}
    for row, cells, total in zip(
        view.table.rows, view.table.cells, view.table.row_totals, strict=True
    ):
        assert sum(cells) == total == n[row.code_id], row.label
    assert "carer" in view.table.columns and view.header.startswith("Cells count coded passages")


def test_a_crosstab_cell_lists_exactly_its_passages(demo):
    view = crosstab_ops.compute_crosstab(demo, columns="role")
    from ketqual.core.retrieval_crosstab import cell_query

    row = next(i for i, r in enumerate(view.table.rows) if r.label == "Appropriate support")
    column = view.table.columns.index("carer")
    result = passage_ops.find_passages(demo, cell_query(view.table, view.layer, row, column))
    assert len(result.passages) == view.table.cells[row][column] > 0
    assert all(p.participants for p in result.passages)


def test_cases_and_participants_counts(demo):
    cases = crosstab_ops.compute_crosstab(demo, columns="kind", count="cases")
    assert "focus groups" in cases.header
    assert max(cases.table.row_totals) <= 21
    people = crosstab_ops.compute_crosstab(
        demo, columns="ketamine experience", count="participants"
    )
    assert people.table.total <= 44
    assert "(no value)" in people.table.columns  # P35's experience is left empty on purpose


def test_and_not_near_and_filters(demo):
    net = network_ops.compute_network(demo, measure="count")
    ids = {t.name: t.code_id for t in net.result.themes}
    both = find(demo, "Side-effects", operator="and", other=("Effect on daily life",))
    assert (
        len(both.passages) == net.result.pair(ids["Side-effects"], ids["Effect on daily life"]).n12
    )
    assert "AND" in both.description
    alone = find(demo, "Side-effects", operator="not", other=("Effect on daily life",))
    total = len(find(demo, "Side-effects").passages)
    overlapping = len(
        find(
            demo, "Side-effects", operator="near", other=("Effect on daily life",), within=0
        ).passages
    )
    assert len(alone.passages) < total and overlapping >= total - len(alone.passages)
    carers = find(demo, "Appropriate support", where=(("role", "carer"),))
    assert carers.passages and carers.conditions == ("role = carer",)
    session = find(demo, "Cost", where=(("session", "3"), ("kind", "scribe notes")))
    assert all(p.ref.startswith("S3") and "-N-" in p.ref for p in session.passages)
    nothing = find(demo, "Cost", where=(("session", "9"),))
    assert len(nothing.passages) == 0 and "None of the 22 coded passages" in nothing.message
    words = find(demo, "Side-effects", contains="BLADDER")
    assert words.passages and all("bladder" in p.text.lower() for p in words.passages)
    with pytest.raises(OperationError, match="no attribute called 'colour'"):
        find(demo, "Cost", where=(("colour", "red"),))
    with pytest.raises(OperationError, match="no code called"):
        find(demo, "Costs")
    with pytest.raises(OperationError, match="NEAR takes a distance"):
        find(demo, "Cost", operator="near", other=("Stigma",), within=99)


def test_a_coder_retrieves_only_their_own_layer_while_blinded(tmp_path):
    path = tmp_path / "blind.ketqual"
    project, _ = demo_ops.build_demo(path, meeting=False)
    try:
        with pytest.raises(OperationError, match="blinded"):
            find(project, "Cost")
        with pytest.raises(OperationError, match="blinded"):
            passage_ops.find_passages(
                project, PassageQuery(codes=("Cost",), layer="Coder B"), viewer="Coder A"
            )
        mine = passage_ops.find_passages(
            project, PassageQuery(codes=("Cost",), layer="Coder A"), viewer="Coder A"
        )
        assert mine.passages and mine.layer_label == "Coder A"
        options = passage_ops.search_options(project, viewer="Coder A")
        assert options.layers == (("Coder A", "Coder A"),)
    finally:
        project.close()


def test_the_theme_report_has_the_network_figures_n_and_the_starred_quotes(demo, tmp_path):
    quote = find(demo, "Cost").passages[0]
    with pytest.raises(OperationError, match="only a supervisor"):
        star_ops.set_star(
            demo,
            document_id=quote.document_id,
            start=quote.start,
            end=quote.end,
            code_id=quote.code_id,
            by="Coder A",
        )
    star_ops.set_star(
        demo, document_id=quote.document_id, start=quote.start, end=quote.end, code_id=quote.code_id
    )
    assert find(demo, "Cost").passages[0].starred
    report = report_ops.build_theme_report(demo)
    view = network_ops.compute_network(demo, unit="passage")
    assert [s.name for s in report.sections] == [t.name for t in view.result.themes]
    for section, theme in zip(report.sections, view.result.themes, strict=True):
        assert section.n == theme.n
        assert section.subthemes == tuple((s.name, s.n) for s in theme.subthemes)
        assert section.definition
        assert sum(n for _g, n in section.groups) == theme.n  # every demo document has a group
    cost = next(s for s in report.sections if s.name == "Cost")
    assert [q.ref for q in cost.quotes] == [quote.ref]
    assert cost.quotes[0].text == " ".join(quote.text.split())
    html = theme_report_files.render_html(report)
    assert quote.ref in html and html.count(NO_STARS) == len(report.sections) - 1
    path = tmp_path / "report.docx"
    change = report_ops.export_theme_report(demo, path)
    assert change.details["themes"] == len(report.sections) and path.stat().st_size > 5000
    # unstarring takes it away again
    star_ops.star_refs(demo, [quote.ref], "Cost", starred=False)
    assert not find(demo, "Cost").passages[0].starred
    assert NO_STARS in theme_report_files.render_html(report_ops.build_theme_report(demo))


def test_exports_write_every_format_and_nothing_half_written(demo, tmp_path):
    result = find(demo, "Stigma")
    for fmt in ("csv", "json", "xlsx", "docx"):
        change = passage_ops.export_passages(demo, result, tmp_path / f"stigma.{fmt}")
        assert change.details["passages"] == len(result.passages)
    import json

    data = json.loads((tmp_path / "stigma.json").read_text(encoding="utf-8"))
    assert len(data) == len(result.passages)
    assert {"document", "start", "end", "text", "codes"} <= set(data[0])
    with pytest.raises(OperationError, match="choose a file ending in"):
        passage_ops.export_passages(demo, result, tmp_path / "stigma.pdf")
    with pytest.raises(OperationError, match="cannot write"):
        passage_ops.export_passages(demo, result, tmp_path / "missing" / "stigma.csv")
    assert not list((tmp_path).glob("*.part"))
    view = crosstab_ops.compute_crosstab(demo, columns="session")
    for fmt in ("csv", "json", "xlsx"):
        crosstab_ops.export_crosstab(demo, view, tmp_path / f"table.{fmt}")
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "table.xlsx")
    assert book.sheetnames == ["Counts", "Row %", "Column %", "About"]


@pytest.mark.parametrize("rows", ["themes", "subthemes"])
@pytest.mark.parametrize(
    ("columns", "count"),
    [
        ("session", "passages"),
        ("group", "cases"),
        ("kind", "passages"),
        ("case", "cases"),
        ("role", "passages"),
        ("ketamine experience", "passages"),
    ],
)
def test_the_numpy_crosstab_agrees_with_the_passage_by_passage_one(demo, rows, columns, count):
    from ketqual.core.retrieval_crosstab import crosstab
    from ketqual.ops.attributes import case_ops
    from ketqual.ops.retrieval import retrieval_data

    with demo.read() as tx:
        ws = retrieval_data.load(tx, retrieval_data.resolve_layer(tx, "consensus", None))
        ref = ws.find_ref(columns)
        fast = crosstab_ops.fast_table(tx, ws, rows, ref, count, "focus_group")
        table_rows = crosstab_ops.row_passages(ws, rows)
        ws.need_texts({p.document_id for _r, found in table_rows for p in found})
        context = ws.context()
        cases = case_ops.scheme(tx, ws.documents, context.participants)
        slow = crosstab(table_rows, ref, context, count, cases_of=cases.cases_of)
    assert fast.rows == slow.rows
    assert fast.columns == slow.columns
    assert fast.cells == slow.cells
    assert (fast.row_totals, fast.column_totals, fast.total) == (
        slow.row_totals,
        slow.column_totals,
        slow.total,
    )
    for i in range(len(slow.rows)):
        for j in range(len(slow.columns)):
            assert set(fast.members[i][j]) == set(slow.members[i][j])
