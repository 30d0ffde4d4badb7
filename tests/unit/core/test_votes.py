"""Vote figures checked against examples worked by hand (on paper, then to four decimals).

Wilson interval, by hand, for k of n with z = 1.95996 (z² = 3.84146):
    centre = (p + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)

* 28 of 44 (the paper's "63 %, n = 28" example): p = 0.63636, z²/n = 0.08731,
  centre = (0.63636 + 0.04365) / 1.08731 = 0.62541, half = 1.95996/1.08731 ·
  sqrt(0.0052592 + 0.0004961) = 0.13675, so 48.87 % to 76.22 %.
* 6 of 9: centre = (0.66667 + 0.21341) / 1.42683 = 0.61681,
  half = 1.37364 · sqrt(0.024691 + 0.011856) = 0.26260, so 35.42 % to 87.94 %.
* 3 of 4: centre = (0.75 + 0.48018) / 1.96037 = 0.62753,
  half = 0.99980 · sqrt(0.046875 + 0.060023) = 0.32688, so 30.06 % to 95.44 %.
* 3 of 8: centre = (0.375 + 0.24009) / 1.48018 = 0.41555,
  half = 1.32414 · sqrt(0.029297 + 0.015005) = 0.27870, so 13.68 % to 69.43 %.
* 0 of 10: low 0, high = (z²/n) / (1 + z²/n) = 0.38415 / 1.38415 = 27.75 %.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import votes
from ketqual.core.votes import Question, Responses

YES_NO = Question(1, "Is extra monitoring needed?", "yesno", votes.YES_NO_UNSURE)
MULTI = Question(2, "Which options?", "multiple", ("A", "B", "C"))


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (28, 44, 48.87, 76.22),
        (6, 9, 35.42, 87.94),
        (3, 4, 30.06, 95.44),
        (3, 8, 13.68, 69.43),
        (0, 10, 0.0, 27.75),
        (10, 10, 72.25, 100.0),
    ],
)
def test_wilson_interval_matches_hand_worked_values(k, n, low, high):
    got = votes.wilson_interval(k, n)
    assert got is not None
    assert 100 * got[0] == pytest.approx(low, abs=0.005)
    assert 100 * got[1] == pytest.approx(high, abs=0.005)


def test_wilson_interval_edges():
    assert votes.wilson_interval(0, 0) is None
    assert votes.wilson_interval(0, 5)[0] == 0.0
    assert votes.wilson_interval(5, 5)[1] == 1.0
    with pytest.raises(ValueError):
        votes.wilson_interval(6, 5)
    with pytest.raises(ValueError):
        votes.wilson_interval(-1, 5)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_proportion_and_is_symmetric(kn):
    k, n = kn
    low, high = votes.wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror = votes.wilson_interval(n - k, n)
    assert math.isclose(low, 1 - mirror[1], abs_tol=1e-12)
    assert math.isclose(high, 1 - mirror[0], abs_tol=1e-12)


def test_wilson_agrees_with_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for k, n in [(0, 3), (1, 3), (17, 40), (39, 40), (250, 997)]:
        expected = proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
        assert votes.wilson_interval(k, n) == pytest.approx(expected, abs=1e-12)


def test_yes_no_unsure_with_a_missing_answer_by_hand():
    # Ten people present: Yes 6, No 2, Unsure 1, one blank.
    answers = {f"P{i}": (0,) for i in range(1, 7)}
    answers |= {"P7": (1,), "P8": (1,), "P9": (2,), "P10": ()}
    responses = votes.count_answers(YES_NO, answers)
    assert responses == Responses((6, 2, 1), answered=9, missing=1)
    assert responses.present == 10 and responses.selections == 9

    answered = votes.summarise(YES_NO, responses, "answered")
    yes = answered.rows[0]
    assert (yes.count, yes.denominator) == (6, 9)
    assert yes.percent == pytest.approx(66.6667, abs=1e-4)
    assert (yes.ci_low, yes.ci_high) == (
        pytest.approx(35.42, abs=0.005),
        pytest.approx(87.94, abs=0.005),
    )
    assert sum(r.percent for r in answered.rows) == pytest.approx(100)
    assert answered.missing == 1 and answered.n == 9
    assert answered.denominator_text == "n = 9 respondents who answered"
    assert "1 respondent present did not answer; left out of n." in answered.notes
    assert answered.caption() == "n = 9 respondents who answered; 1 of 10 present did not answer"

    present = votes.summarise(YES_NO, responses, "present")
    assert [r.percent for r in present.rows] == [60.0, 20.0, 10.0]  # the blank is the other 10 %
    assert present.rows[0].denominator == 10
    assert any("counted in n" in note for note in present.notes)
    assert votes.headline(present) == "Yes: 6 of 10 (60\u00a0%, 95\u00a0% CI 31–83\u00a0%)"


def test_multiple_choice_by_hand_every_denominator():
    # P1 ticks A and B, P2 A, P3 B and C, P4 nothing, P5 all three.
    answers = {"P1": (0, 1), "P2": (0,), "P3": (1, 2), "P4": (), "P5": (0, 1, 2)}
    responses = votes.count_answers(MULTI, answers)
    assert responses.counts == (3, 3, 2)
    assert (responses.answered, responses.missing, responses.present) == (4, 1, 5)
    assert responses.selections == 8

    answered = votes.summarise(MULTI, responses, "answered")
    assert [r.percent for r in answered.rows] == [75.0, 75.0, 50.0]
    assert answered.rows[0].ci_low == pytest.approx(30.06, abs=0.005)
    assert answered.rows[0].ci_high == pytest.approx(95.44, abs=0.005)
    assert any("more than 100 % (here 200 %)" in note for note in answered.notes)

    present = votes.summarise(MULTI, responses, "present")
    assert [r.percent for r in present.rows] == [60.0, 60.0, 40.0]
    assert present.n == 5

    selections = votes.summarise(MULTI, responses, "selections")
    assert [r.percent for r in selections.rows] == [37.5, 37.5, 25.0]
    assert sum(r.percent for r in selections.rows) == 100.0
    assert selections.rows[0].ci_low == pytest.approx(13.68, abs=0.005)
    assert selections.rows[0].ci_high == pytest.approx(69.43, abs=0.005)
    assert any(
        "n counts selections (8 by 4 respondents), not people" in n for n in selections.notes
    )
    assert not any("more than 100" in note for note in selections.notes)
    assert (
        selections.caption() == "n = 8 selections; by 4 respondents; 1 of 5 present did not answer"
    )


def test_one_answer_questions_refuse_two_answers_and_unknown_options():
    with pytest.raises(ValueError, match="2 answers"):
        votes.count_answers(YES_NO, {"P1": (0, 1)})
    with pytest.raises(ValueError, match="not one of the options"):
        votes.count_answers(YES_NO, {"P1": (3,)})


def test_tally_of_a_single_choice_and_of_a_multiple_choice():
    single = votes.tally_responses(YES_NO, (28, 10, 6), missing=2)
    assert (single.answered, single.present) == (44, 46)
    summary = votes.summarise(YES_NO, single)
    assert summary.rows[0].percent == pytest.approx(63.6364, abs=1e-4)
    assert summary.rows[0].ci_low == pytest.approx(48.87, abs=0.005)

    unknown = votes.tally_responses(MULTI, (3, 3, 2))
    blind = votes.summarise(MULTI, unknown, "answered")
    assert blind.n is None and all(r.percent is None for r in blind.rows)
    assert any("not known" in note for note in blind.notes)
    assert votes.summarise(MULTI, unknown, "selections").rows[0].percent == 37.5

    known = votes.tally_responses(MULTI, (3, 3, 2), respondents=4, missing=1)
    assert votes.summarise(MULTI, known, "present").rows[2].percent == 40.0
    with pytest.raises(ValueError, match="3 chose one option"):
        votes.tally_responses(MULTI, (3, 3, 2), respondents=2)
    with pytest.raises(ValueError, match="only 8 selections"):
        votes.tally_responses(MULTI, (3, 3, 2), respondents=9)
    with pytest.raises(ValueError, match="add up to 44"):
        votes.tally_responses(YES_NO, (28, 10, 6), respondents=40)


def test_nobody_answered_gives_no_percentages():
    responses = votes.count_answers(YES_NO, {"P1": (), "P2": ()})
    summary = votes.summarise(YES_NO, responses, "answered")
    assert summary.n == 0 and all(r.percent is None for r in summary.rows)
    assert votes.summarise(YES_NO, responses, "present").rows[0].percent == 0.0


def test_rating_mean():
    rating = Question(3, "How safe?", "rating", votes.RATING_OPTIONS)
    responses = votes.count_answers(rating, {"P1": (0,), "P2": (4,), "P3": (3,), "P4": ()})
    assert votes.summarise(rating, responses).mean == pytest.approx((1 + 5 + 4) / 3)


def test_table_rows_hold_the_json_contract():
    responses = votes.count_answers(YES_NO, {"P1": (0,), "P2": (0,), "P3": (1,), "P4": ()})
    [yes, no, unsure] = votes.table_rows([votes.summarise(YES_NO, responses, "answered")])
    assert yes == {
        "question": "Is extra monitoring needed?",
        "kind": "yesno",
        "option": "Yes",
        "count": 2,
        "denominator": 3,
        "denominator_kind": "answered",
        "percent": 66.6667,
        "ci_low": 20.766,  # 2 of 3: 20.77 % to 93.85 % by hand
        "ci_high": 93.8508,
        "missing": 1,
        "answered": 3,
        "present": 4,
        "selections": 3,
    }
    assert unsure["count"] == 0 and unsure["ci_low"] == 0.0
    assert no["percent"] == 33.3333


def test_breakdown_by_participant_attribute():
    answers = {"P1": (0,), "P2": (0,), "P3": (1,), "P4": (2,), "P5": (), "P6": (0,)}
    roles = {"P1": "patient", "P2": "Patient", "P3": "carer", "P4": "carer", "P5": "carer"}
    groups = votes.breakdown(YES_NO, answers, roles, "answered")
    assert [(g.value, g.participants) for g in groups] == [
        ("patient", 2),
        ("carer", 3),
        (votes.NOT_RECORDED, 1),
    ]
    patients, carers, unknown = (g.summary for g in groups)
    assert patients.rows[0].count == 2 and patients.rows[0].percent == 100.0
    assert [r.count for r in carers.rows] == [0, 1, 1] and carers.missing == 1
    assert carers.rows[1].percent == 50.0
    assert unknown.rows[0].count == 1
    # The groups add back up to the whole.
    whole = votes.summarise(YES_NO, votes.count_answers(YES_NO, answers))
    assert [sum(g.summary.rows[i].count for g in groups) for i in range(3)] == [
        r.count for r in whole.rows
    ]
