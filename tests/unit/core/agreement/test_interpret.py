"""Benchmark bands and their citations."""

from __future__ import annotations

import pytest

from ketqual.core.agreement import Statistic, interpret
from ketqual.core.agreement.result import NOTHING_CODED


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.3, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.205, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.75, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_koch(value, label):
    band = interpret(value, "landis-koch")
    assert band.label == label
    assert "Landis" in band.citation and "1977" in band.citation


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.5, "discard"),
        (0.666, "discard"),
        (0.667, "tentative conclusions"),
        (0.799, "tentative conclusions"),
        (0.8, "reliable"),
        (1.0, "reliable"),
    ],
)
def test_krippendorff(value, label):
    band = interpret(value, "krippendorff")
    assert band.label == label
    assert "Krippendorff" in band.citation


def test_undefined_and_statistics():
    band = interpret(Statistic("cohen_kappa", None, reason=NOTHING_CODED))
    assert band.label == "undefined"
    assert interpret(None, "krippendorff").label == "undefined"
    assert interpret(Statistic("x", 0.5)).label == "moderate"
    assert interpret(0.5).to_dict()["scheme"] == "landis-koch"


def test_errors():
    with pytest.raises(ValueError):
        interpret(0.5, "fleiss")
    with pytest.raises(ValueError):
        interpret(1.2)


def test_statistic_guards_against_nan_and_missing_reasons():
    with pytest.raises(ValueError):
        Statistic("x", float("nan"))
    with pytest.raises(ValueError):
        Statistic("x", None)
    with pytest.raises(ValueError):
        Statistic("x", 0.5, reason="oops")
