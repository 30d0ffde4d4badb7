"""The guide's view of a real project: the demo before and during its meeting."""

from ketqual.core import guide
from ketqual.ops import demo_ops, guide_ops


def test_demo_before_and_during_meeting(tmp_path):
    project, _ = demo_ops.build_demo(tmp_path / "before.ketqual", meeting=False)
    before = guide_ops.workflow_state(project)
    project.close()
    assert before.documents == 42 and before.blinded
    assert {c.name for c in before.coders} == {"Coder A", "Coder B"}
    assert all(c.codings > 0 for c in before.coders)
    project, _ = demo_ops.build_demo(tmp_path / "meeting.ketqual", meeting=True)
    during = guide_ops.workflow_state(project)
    project.close()
    assert not during.blinded and during.reviews == 1
    assert during.review_total == 79 and during.review_resolved == 66
    assert during.consensus_codings > 0
    assert guide.current_step(during).key == "consensus"
