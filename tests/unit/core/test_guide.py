"""The Getting started guide's rules: which step a project is at."""

from ketqual.core import guide
from ketqual.core.guide import CoderProgress, ProjectState


def state(**overrides) -> ProjectState:
    base = dict(documents=0, coders=(), supervisors=1, blinded=True)
    base.update(overrides)
    return ProjectState(**base)


def test_empty_project_starts_with_import():
    step = guide.current_step(state())
    assert step.key == "import" and step.who == guide.SUPERVISOR and step.place == "import"


def test_coding_then_done_then_unblind():
    two = (CoderProgress("Coder A", 10, 2), CoderProgress("Coder B", 0, 0))
    assert guide.current_step(state(documents=5, coders=two)).key == "code"
    both = (CoderProgress("Coder A", 10, 2), CoderProgress("Coder B", 4, 1))
    step = guide.current_step(state(documents=5, coders=both))
    assert step.key == "done" and "Coder B: 4 codings, 1 of 5 documents done" in step.status
    finished = (CoderProgress("Coder A", 10, 5), CoderProgress("Coder B", 4, 5))
    assert guide.current_step(state(documents=5, coders=finished)).key == "unblind"


def test_after_unblinding_agreement_then_consensus_then_outputs():
    finished = (CoderProgress("Coder A", 10, 5), CoderProgress("Coder B", 4, 5))
    unblinded = state(documents=5, coders=finished, blinded=False)
    assert guide.current_step(unblinded).key == "agreement"
    assert "Agreement between coders" in guide.after_unblinding(unblinded)
    meeting = state(
        documents=5, coders=finished, blinded=False, reviews=1, review_total=79, review_resolved=66
    )
    step = guide.current_step(meeting)
    assert step.key == "consensus" and step.status.startswith("66 of 79")
    outputs = guide.steps(meeting)[-1]
    assert "unfinished" in outputs.status
    closed = state(
        documents=5, coders=finished, blinded=False, reviews=1, review_total=79, review_resolved=79
    )
    assert guide.current_step(closed).key == "outputs"
    assert "consensus review" in guide.after_unblinding(meeting)


def test_every_step_says_who_and_where():
    for step in guide.steps(state()):
        assert step.who in (guide.CODER, guide.SUPERVISOR)
        assert "›" in step.how or "press" in step.how


def test_optional_steps_open_their_places_and_are_never_where_you_are():
    finished = (CoderProgress("Coder A", 10, 5), CoderProgress("Coder B", 4, 5))
    all_steps = {step.key: step for step in guide.steps(state(documents=5, coders=finished))}
    optional = {key: step.place for key, step in all_steps.items() if step.optional}
    assert optional == {
        "privacy": "privacy",
        "write_up": "passages",
        "votes": "votes",
        "exchange": "exchange",
    }
    assert all(not all_steps[key].done for key in optional)
    assert "NVivo, ATLAS.ti, MAXQDA or QualCoder" in all_steps["exchange"].title
    # Nothing done yet but the import: the next step is coding, not the optional check.
    imported = state(documents=5, coders=(CoderProgress("Coder A", 0, 0),))
    assert guide.current_step(imported).key == "code"
    closed = state(
        documents=5, coders=finished, blinded=False, reviews=1, review_total=9, review_resolved=9
    )
    assert guide.current_step(closed).key == "outputs"


def test_steps_say_what_the_app_does_now():
    all_steps = {step.key: step for step in guide.steps(state(blinded=False))}
    assert "two or more coders" in all_steps["agreement"].status
    assert "any two" not in all_steps["agreement"].status
    assert "replaced at import when you give the project's key file" in all_steps["import"].how
