"""The network operations: layers and blinding, edge decisions with provenance, layout,
and exports read back."""

from __future__ import annotations

import csv
import os

import networkx as nx
import pytest
from openpyxl import load_workbook

from ketqual.ops import project_ops
from ketqual.ops.codebook import codebook_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.network import network_edge_ops, network_ops
from ketqual.ops.team import coder_ops
from tests.factories import add_coder, add_codings, add_document, make_project

TEXT = "".join(f"Sentence number {i:02d} is here. " for i in range(20))  # 30 chars each


@pytest.fixture
def small(tmp_path):
    """Two documents (two focus groups), consensus codings, a coder's codings, unblinded."""
    project = make_project(tmp_path)
    d1 = add_document(project, TEXT, session=1, group=1)
    d2 = add_document(project, TEXT, session=1, group=2)
    coder = add_coder(project, "Coder A")
    boss = add_coder(project, "Sam", role="supervisor")
    code = {
        name: codebook_ops.find_code(project, name).id
        for name in ("Side-effects", "Effect on daily life", "Cost", "Stigma")
    }
    physical = codebook_ops.find_code(project, "Side-effects/Physical effects").id
    side, daily, cost = code["Side-effects"], code["Effect on daily life"], code["Cost"]
    add_codings(project, d1, side, None, [(0, 40)])
    add_codings(project, d1, physical, None, [(100, 130)])
    add_codings(project, d1, daily, None, [(20, 60), (110, 115)])
    add_codings(project, d2, daily, None, [(0, 10)])
    add_codings(project, d2, cost, None, [(200, 230)])
    add_codings(project, d1, cost, coder, [(0, 10)])
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="network")
    yield project, code, physical, coder
    project.close()


def test_consensus_network_counts_passages_and_proposes_candidates(small):
    project, code, _physical, _coder = small
    view = network_ops.compute_network(project)
    assert view.layer == "consensus" and view.layer_label == "consensus coding"
    side = view.result.theme(code["Side-effects"])
    assert side.n == 2 and dict((s.name, s.n) for s in side.subthemes)["Physical effects"] == 1
    assert view.result.theme(code["Effect on daily life"]).n == 3
    pair = view.result.pair(code["Side-effects"], code["Effect on daily life"])
    assert pair.n12 == 2
    assert view.basis == "candidates"
    assert [(view.name(e.source), view.name(e.target)) for e in view.shown] == [
        ("Effect on daily life", "Side-effects")  # codebook order
    ]
    assert view.edges[0].value == pytest.approx(2 / (2 + 3 - 2))
    assert len(view.result.themes) == 10  # every active theme gets a box


def test_units_and_measures_change_the_numbers(small):
    project, code, *_ = small
    side, daily = code["Side-effects"], code["Effect on daily life"]
    by_case = network_ops.compute_network(project, unit="case", measure="jaccard")
    assert by_case.result.theme(daily).n == 2 and by_case.result.theme(side).n == 1
    assert by_case.result.value(side, daily, "jaccard") == pytest.approx(1 / 2)
    by_sentence = network_ops.compute_network(project, unit="sentence", measure="count")
    assert by_sentence.result.theme(side).n == 4  # sentences 0-30, 30-60, 90-120, 120-150
    assert by_sentence.min_weight == 5.0


def test_a_coders_layer_and_the_refusals(small, tmp_path):
    project, code, _physical, _coder = small
    view = network_ops.compute_network(project, layer="coder a")
    assert view.layer == "Coder A" and view.result.theme(code["Cost"]).n == 1
    with pytest.raises(OperationError, match="no coder called 'Nobody'"):
        network_ops.compute_network(project, layer="Nobody")
    with pytest.raises(OperationError, match="Sam's layer has no codings"):
        network_ops.compute_network(project, layer="Sam")
    with pytest.raises(OperationError, match="unit must be one of"):
        network_ops.compute_network(project, unit="word")
    with pytest.raises(OperationError, match="measure must be one of"):
        network_ops.compute_network(project, measure="pearson")
    with pytest.raises(OperationError, match="between 0 and 1"):
        network_ops.compute_network(project, measure="c", min_weight=2)
    with pytest.raises(OperationError, match="at least 0"):
        network_ops.compute_network(project, min_weight=-1)


def test_an_empty_consensus_layer_says_to_choose_a_coder(tmp_path):
    project = make_project(tmp_path)
    boss = add_coder(project, "Sam", role="supervisor")
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="x")
    with pytest.raises(
        OperationError, match="consensus layer has no codings yet; choose a coder's layer"
    ):
        network_ops.compute_network(project)
    project.close()


def test_blinding_refuses_consensus_and_others_layers_but_not_ones_own(small):
    project, code, _physical, coder = small
    boss = coder_ops.find_coder(project, "Sam").id
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=False, reason="again")
    with pytest.raises(OperationError) as info:
        network_ops.compute_network(project)
    assert str(info.value) == network_ops.BLINDED
    with pytest.raises(OperationError, match="blinded"):
        network_ops.compute_network(project, layer="Coder A")
    with pytest.raises(OperationError, match="Coder A can see only their own"):
        network_ops.compute_network(project, viewer="Coder A")
    own = network_ops.compute_network(project, layer="Coder A", viewer="Coder A")
    assert own.result.theme(code["Cost"]).n == 1


def test_accept_reject_draw_and_remove_keep_provenance_and_audit(small):
    project, code, _physical, _coder = small
    side, daily, cost, stigma = (code[k] for k in code)
    view = network_ops.compute_network(project)
    network_edge_ops.decide_edge(project, view, daily, side, "accepted", actor="Sam")
    with project.read() as tx:
        stored = tx.network.get(side, daily)
        events = tx.audit.list(action="network.edge.accept")
    # Undirected: stored with the smaller id first, whatever order it was given in.
    assert (stored.source, stored.target) == (min(side, daily), max(side, daily))
    assert (stored.origin, stored.status, stored.layer, stored.unit, stored.measure) == (
        "computed",
        "accepted",
        "consensus",
        "passage",
        "c",
    )
    assert stored.value == pytest.approx(2 / 3) and stored.actor == "Sam" and stored.at
    assert "Accepted the edge Effect on daily life – Side-effects" in events[0].summary

    network_edge_ops.draw_edge(project, cost, stigma, directed=True, layer="consensus", actor="Sam")
    view = network_ops.compute_network(project)
    assert view.basis == "accepted"
    assert [(e.source, e.target, e.state, e.directed) for e in view.shown] == [
        (min(side, daily), max(side, daily), "accepted", False),
        (cost, stigma, "drawn", True),
    ]
    assert "1 drawn by hand" in " ".join(view.figure.legend)

    network_edge_ops.decide_edge(project, view, side, daily, "rejected", actor="Sam")
    view = network_ops.compute_network(project)
    assert [e.state for e in view.edges] == ["drawn", "rejected"]
    network_edge_ops.remove_edge(project, stigma, cost, actor="Sam")
    network_edge_ops.remove_edge(project, side, daily, actor="Sam")
    view = network_ops.compute_network(project)
    assert view.basis == "candidates" and [e.state for e in view.edges] == ["candidate"]
    with project.read() as tx:
        actions = [e.action for e in tx.audit.list() if e.action.startswith("network.")]
    assert actions == [
        "network.edge.remove",
        "network.edge.remove",
        "network.edge.reject",
        "network.edge.draw",
        "network.edge.accept",
    ]


def test_edge_refusals(small):
    project, code, physical, _coder = small
    view = network_ops.compute_network(project)
    side = code["Side-effects"]
    with pytest.raises(OperationError, match="is a subtheme; edges join themes"):
        network_edge_ops.draw_edge(project, side, physical)
    with pytest.raises(OperationError, match="two different themes"):
        network_edge_ops.draw_edge(project, side, side)
    with pytest.raises(OperationError, match="no code with id 999"):
        network_edge_ops.decide_edge(project, view, side, 999, "accepted")
    with pytest.raises(OperationError, match="no decision on"):
        network_edge_ops.remove_edge(project, side, code["Cost"])
    with pytest.raises(OperationError, match="accepted or rejected"):
        network_edge_ops.decide_edge(project, view, side, code["Cost"], "maybe")


def test_layout_is_saved_merged_and_reset(small):
    project, code, *_ = small
    view = network_ops.compute_network(project)
    uids = {b.name: b.uid for b in view.figure.boxes}
    network_ops.save_layout(project, {uids["Cost"]: (10.0, 20.0)})
    network_ops.save_layout(project, {uids["Stigma"]: (300.04, 20.0)})
    positions = network_ops.compute_network(project).figure.positions
    assert positions == {uids["Cost"]: (10.0, 20.0), uids["Stigma"]: (300.0, 20.0)}
    with pytest.raises(OperationError, match="no theme has the uid"):
        network_ops.save_layout(project, {"nope": (1.0, 1.0)})
    with pytest.raises(OperationError, match="finite"):
        network_ops.save_layout(project, {uids["Cost"]: (float("nan"), 1.0)})
    network_ops.reset_layout(project, actor="Sam")
    assert network_ops.compute_network(project).figure.positions == {}


def test_export_graphml_gexf_and_edge_csv_read_back(small, tmp_path):
    project, code, *_ = small
    view = network_ops.compute_network(project)
    graphml = network_ops.export_network(project, view, tmp_path / "net.graphml", actor="Sam")
    graph = nx.read_graphml(graphml)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 1
    side_uid = next(b.uid for b in view.figure.boxes if b.name == "Side-effects")
    node = graph.nodes[side_uid]
    assert node["label"] == "Side-effects" and node["n"] == 2
    assert "Physical effects (1)" in node["subthemes"] and node["colour"].startswith("#")
    (_u, _v, data), *_ = graph.edges(data=True)
    assert data["weight"] == pytest.approx(2 / 3) and data["n12"] == 2
    assert (data["measure"], data["origin"], data["status"]) == ("c", "computed", "candidate")
    assert graph.graph["layer"] == "consensus coding"
    first = view.edges[0]
    network_edge_ops.decide_edge(project, view, first.source, first.target, "accepted", actor="Sam")
    decided = network_ops.compute_network(project)
    graph = nx.read_graphml(network_ops.export_network(project, decided, tmp_path / "d.graphml"))
    (_u, _v, data), *_ = graph.edges(data=True)
    assert data["status"] == "accepted" and data["decided_by"] == "Sam" and data["decided_at"]

    gexf = nx.read_gexf(network_ops.export_network(project, view, tmp_path / "net.gexf"))
    assert gexf.number_of_nodes() == 10 and gexf.number_of_edges() == 1

    path = network_ops.export_network(project, view, tmp_path / "edges.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # one rule: every CSV file has a BOM
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {
            "source": "Effect on daily life",
            "target": "Side-effects",
            "n12": "2",
            "value": "0.666667",
            "measure": "c",
            "origin": "computed",
            "status": "candidate",
            "directed": "no",
            "source_uid": rows[0]["source_uid"],
            "target_uid": side_uid,
            "decided_by": "",
            "decided_at": "",
        }
    ]
    with project.read() as tx:
        exports = tx.audit.list(action="network.export")
    assert len(exports) == 4 and exports[-1].actor == "Sam"


def test_export_refusals_leave_no_file(small, tmp_path):
    project, *_ = small
    view = network_ops.compute_network(project)
    with pytest.raises(OperationError, match=r"choose a file ending in \.svg, \.pdf"):
        network_ops.export_network(project, view, tmp_path / "net.docx")
    with pytest.raises(OperationError, match="need the drawing module"):
        network_ops.export_network(project, view, tmp_path / "net.svg")
    with pytest.raises(OperationError, match="cannot write"):
        network_ops.export_network(project, view, tmp_path / "missing" / "net.graphml")

    def broken_writer(figure, path, fmt):
        raise OSError(28, "No space left on device")

    with pytest.raises(OperationError, match="No space left"):
        network_ops.export_network(
            project, view, tmp_path / "net.png", picture_writer=broken_writer
        )
    assert not [n for n in os.listdir(tmp_path) if n.startswith((".net", "net"))]


def test_cooccurrence_table_csv_and_xlsx(small, tmp_path):
    project, code, *_ = small
    view = network_ops.compute_network(project, measure="jaccard")
    path = network_ops.export_cooccurrence(project, view, tmp_path / "table.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["theme_a", "theme_b", "n_a", "n_b", "n12", "jaccard"]
    assert len(rows) == 1 + 45  # ten themes, every pair once
    daily_side = next(r for r in rows if r[:2] == ["Effect on daily life", "Side-effects"])
    # Three chains (one in the second document holds only daily life), two mixed.
    assert daily_side[2:5] == ["3", "2", "2"] and float(daily_side[5]) == pytest.approx(2 / 3)
    undefined = next(r for r in rows if r[:2] == ["Stigma", "Therapy"])
    assert undefined[5] == ""  # neither theme coded: undefined, not 0

    book = load_workbook(network_ops.export_cooccurrence(project, view, tmp_path / "table.xlsx"))
    assert book.sheetnames == ["Counts", "Jaccard index", "Pairs", "About"]
    counts = book["Counts"]
    names = [c.value for c in counts[1]][1:]
    i, j = names.index("Side-effects") + 2, names.index("Effect on daily life") + 2
    assert counts.cell(row=i, column=i).value == 2  # n on the diagonal
    assert counts.cell(row=i, column=j).value == 2
    assert book["Jaccard index"].cell(row=i, column=j).value == pytest.approx(2 / 3)
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["unit"] == "passage" and about["measure"] == "Jaccard index"
    with pytest.raises(OperationError, match=r"\.csv, \.xlsx"):
        network_ops.export_cooccurrence(project, view, tmp_path / "table.ods")


def test_retired_themes_without_codings_get_no_box(small):
    project, code, *_ = small
    codebook_ops.retire_code(project, code["Stigma"], actor="Sam")
    names = [b.name for b in network_ops.compute_network(project).figure.boxes]
    assert "Stigma" not in names and "Cost" in names


@pytest.mark.postgres
def test_the_network_on_postgresql(pg_url, tmp_path):
    project = project_ops.new_project(pg_url, name="Server study", actor="sup")
    doc = add_document(project, TEXT, session=2, group=3)
    coder = add_coder(project, "Coder A")
    boss = add_coder(project, "Sam", role="supervisor")
    side = codebook_ops.find_code(project, "Side-effects").id
    cost = codebook_ops.find_code(project, "Cost").id
    for layer in (None, coder):
        add_codings(project, doc, side, layer, [(0, 40)])
        add_codings(project, doc, cost, layer, [(20, 70)])
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="network")
    view = network_ops.compute_network(project, unit="sentence")
    assert view.result.theme(side).n == 2 and view.result.pair(side, cost).n12 == 2
    mine = network_ops.compute_network(project, layer="Coder A", unit="case")
    assert mine.result.pair(side, cost).n12 == 1
    network_edge_ops.decide_edge(project, view, side, cost, "accepted", actor="Sam")
    assert network_ops.compute_network(project).basis == "accepted"
    path = network_ops.export_network(project, view, tmp_path / "n.graphml")
    assert nx.read_graphml(path).number_of_edges() == 1
    project.close()


def test_a_coders_figure_is_laid_out_like_the_consensus_figure(small):
    project, code, _physical, coder = small
    consensus = network_ops.compute_network(project)
    mine = network_ops.compute_network(project, layer="Coder A")
    assert consensus.figure.reference is None
    reference = mine.figure.reference
    assert reference is not None
    assert reference.boxes == consensus.figure.boxes and reference.edges == consensus.figure.edges
    # Once boxes are placed by hand, every layer uses those places instead.
    uid = consensus.figure.boxes[0].uid
    network_ops.save_layout(project, {uid: (10.0, 20.0)})
    assert network_ops.compute_network(project, layer="Coder A").figure.reference is None
    # While blinded, a coder's figure must not reveal the consensus edges.
    network_ops.reset_layout(project, actor="Sam")
    with project.transaction() as tx:
        tx.project.set_setting(coder_ops.UNBLINDED_SETTING, {})
    blinded = network_ops.compute_network(project, layer="Coder A", viewer="Coder A")
    assert blinded.figure.reference is None


def test_theme_choice_limits_the_figure_and_the_graph_files(small, tmp_path):
    from ketqual.core.network_figure import ThemeChoice

    project, code, *_ = small
    view = network_ops.compute_network(project, themes=ThemeChoice("edges"))
    assert [view.name(i) for i in view.themes] == ["Effect on daily life", "Side-effects"]
    assert len(view.figure.boxes) == 2 and "Showing 2 of 10 themes" in " ".join(view.figure.legend)

    def places(figure):
        return {b.uid: (100.0 * i, 50.0, 150.0, 80.0) for i, b in enumerate(figure.boxes)}

    graph = nx.read_graphml(
        network_ops.export_network(project, view, tmp_path / "e.graphml", layout=places)
    )
    assert sorted(d["label"] for _n, d in graph.nodes(data=True)) == [
        "Effect on daily life",
        "Side-effects",
    ]
    node = graph.nodes[view.figure.boxes[1].uid]
    assert (node["x"], node["y"], node["width"], node["size"]) == (100.0, -50.0, 150.0, 75.0)
    assert (node["r"], node["g"], node["b"]) != (0, 0, 0)
    network_ops.export_network(project, view, tmp_path / "e.gexf", layout=places)
    gexf = (tmp_path / "e.gexf").read_text(encoding="utf-8")
    assert '<viz:position x="100.0" y="-50.0"' in gexf and '<viz:size value="75.0"' in gexf
    with pytest.raises(OperationError, match="no theme called 'Nope'"):
        network_ops.compute_network(project, themes=ThemeChoice("names", names=("Nope",)))
