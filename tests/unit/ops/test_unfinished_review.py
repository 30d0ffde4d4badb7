"""Outputs drawn from an unfinished consensus review say so (figure legend, matrices)."""

import pytest

from ketqual.core import framework_report
from ketqual.ops import demo_ops
from ketqual.ops.framework import framework_ops
from ketqual.ops.network import network_ops


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    project, _ = demo_ops.build_demo(tmp_path_factory.mktemp("m") / "demo.ketqual", meeting=True)
    yield project
    project.close()


def test_network_and_matrices_say_the_review_is_unfinished(meeting):
    view = network_ops.compute_network(meeting)
    assert view.caveat and "13 of 79" in view.caveat
    assert view.figure.legend[-1] == view.caveat
    report = framework_ops.build_report(meeting)
    rows = dict(framework_report.readme_rows(report))
    assert rows["Consensus review"] == view.caveat


def test_a_coder_layer_carries_no_caveat(meeting):
    view = network_ops.compute_network(meeting, layer="Coder A")
    assert view.caveat is None
    assert "Consensus review" not in dict(
        framework_report.readme_rows(framework_ops.build_report(meeting, layer="Coder A"))
    )
