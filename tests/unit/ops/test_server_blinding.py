"""Blinding with several coders connected to one server at once: while blinded each sees
only their own layer through every read path; after unblinding, everyone sees every layer."""

from __future__ import annotations

import pytest

from ketqual.ops import project_ops, queries
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.coding import coding_ops, codings_io
from ketqual.ops.coding.coding_ops import NewCoding
from ketqual.ops.consensus import consensus_ops
from ketqual.ops.errors import OperationError
from ketqual.ops.framework import framework_ops
from ketqual.ops.network import network_ops
from ketqual.ops.team import coder_ops
from tests import factories

pytestmark = pytest.mark.postgres


@pytest.fixture
def team(pg_url):
    """A server project and three separate connections: Ann, Ben (coders) and Sue."""
    setup = project_ops.new_project(pg_url, actor="sue")
    document = factories.add_document(setup)
    for name, role in (("Ann", "coder"), ("Ben", "coder"), ("Sue", "supervisor")):
        coder_ops.add_coder(setup, name, role=role)
    setup.close()
    stores = {name: project_ops.open_project(pg_url) for name in ("Ann", "Ben", "Sue")}
    ids = {c.name: c.id for c in coder_ops.list_coders(stores["Sue"])}
    codes = [c for c in queries.list_codes(stores["Sue"])[0] if c.parent_id is None]
    # each coder codes on their own connection, at the same time as the other
    coding_ops.add_codings(stores["Ann"], ids["Ann"], [NewCoding(document, codes[0].id, 0, 7)])
    coding_ops.add_codings(stores["Ben"], ids["Ben"], [NewCoding(document, codes[1].id, 8, 20)])
    yield stores, ids, document
    for store in stores.values():
        store.close()


def _layer(store, ids, viewer, owner, document):
    codings = coding_ops.document_codings(
        store, document, viewer_id=ids[viewer], layers=[ids[owner]]
    )
    return [(c.coder_id, c.start, c.end) for c in codings]


def test_while_blinded_each_coder_sees_only_their_own_layer(team, tmp_path):
    stores, ids, document = team
    assert _layer(stores["Ann"], ids, "Ann", "Ann", document) == [(ids["Ann"], 0, 7)]
    assert _layer(stores["Ben"], ids, "Ben", "Ben", document) == [(ids["Ben"], 8, 20)]
    assert [c.name for c in coder_ops.visible_layers(stores["Ann"], ids["Ann"])] == ["Ann"]
    ann = stores["Ann"]
    refusals = [
        lambda: _layer(ann, ids, "Ann", "Ben", document),
        lambda: coding_ops.document_codings(ann, document, viewer_id=ids["Ann"], layers=[None]),
        lambda: codings_io.export_codings(ann, "Ben", tmp_path / "b.csv", viewer="Ann"),
        lambda: agreement_ops.compute_agreement(
            ann, coder_a="Ann", coder_b="Ben", n_replicates=0, viewer="Ann"
        ),
        lambda: network_ops.compute_network(ann, layer="Ben", viewer="Ann"),
        lambda: network_ops.compute_network(ann, viewer="Ann"),  # the consensus layer
        lambda: framework_ops.count_themes(ann, layer="Ben", viewer="Ann"),
        lambda: framework_ops.build_report(ann, layer="Ben", viewer="Ann"),
        lambda: consensus_ops.reviews(ann, viewer="Ann"),
    ]
    for refused in refusals:
        with pytest.raises(OperationError, match="blinded"):
            refused()
    assert not (tmp_path / "b.csv").exists()
    # their own layer stays open to them through the same paths
    codings_io.export_codings(ann, "Ann", tmp_path / "a.csv", viewer="Ann")
    network_ops.compute_network(ann, layer="Ann", viewer="Ann")
    framework_ops.count_themes(ann, layer="Ann", viewer="Ann")


def test_unblinding_on_one_connection_opens_every_layer_on_the_others(team):
    stores, ids, document = team
    coder_ops.set_unblinded(
        stores["Sue"], by_coder_id=ids["Sue"], unblinded=True, reason="consensus meeting"
    )
    # Ann's and Ben's connections were opened before: they see the change at once
    assert _layer(stores["Ann"], ids, "Ann", "Ben", document) == [(ids["Ben"], 8, 20)]
    assert _layer(stores["Ben"], ids, "Ben", "Ann", document) == [(ids["Ann"], 0, 7)]
    names = [c.name for c in coder_ops.visible_layers(stores["Ben"], ids["Ben"])]
    assert names == ["Ann", "Ben", "Sue"]
    coder_ops.set_unblinded(stores["Sue"], by_coder_id=ids["Sue"], unblinded=False, reason="redo")
    with pytest.raises(OperationError, match="blinded"):
        _layer(stores["Ann"], ids, "Ann", "Ben", document)


def test_a_coder_cannot_unblind_from_their_connection(team):
    stores, ids, _ = team
    with pytest.raises(OperationError, match="only a supervisor"):
        coder_ops.set_unblinded(stores["Ann"], by_coder_id=ids["Ann"], unblinded=True, reason="x")
    assert not coder_ops.blinding(stores["Ben"]).unblinded
