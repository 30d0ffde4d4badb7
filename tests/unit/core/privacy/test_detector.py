"""The detector: roster names with spaCy's PhraseMatcher, ordinary words, titles, overlaps."""

from __future__ import annotations

import pytest

from ketqual.core.privacy import detector as det
from ketqual.core.privacy import roster
from ketqual.core.privacy.detector import Detector, DetectorOptions
from ketqual.core.privacy.roster import RosterEntry

ROSTER = """Anna Smith | Annie
carer: Bob Jones | Bobby
Will Turner
May Okafor
Chidi Okafor = P07
staff: Priya Patel
place: St Mary's Hospital | St Mary's
"""


def _entries(text: str = ROSTER) -> list[RosterEntry]:
    out = []
    for number, line in enumerate(roster.parse_roster(text), 1):
        token = line.token or f"[T{number}]"
        out.append(
            RosterEntry(f"u{number}", line.kind, tuple(line.names), tuple(line.nicknames), token)
        )
    return out


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(_entries())


def _hits(detector: Detector, text: str, **kw):
    return [(h.text, h.kind, h.certain, h.token) for h in detector.detect(text, **kw)]


def test_full_names_nicknames_first_names_any_case(detector):
    text = "Annie said ANNA SMITH's carer Bobby drove; anna agreed with Bob."
    assert _hits(detector, text) == [
        ("Annie", "participant", True, "[T1]"),
        ("ANNA SMITH", "participant", True, "[T1]"),
        ("Bobby", "carer", True, "[T2]"),
        ("anna", "participant", True, "[T1]"),
        ("Bob", "carer", True, "[T2]"),
    ]


def test_names_wrapped_across_lines_and_either_apostrophe(detector):
    text = "- Anna\nSmith went to St Mary’s Hospital"
    assert _hits(detector, text) == [
        ("Anna\nSmith", "participant", True, "[T1]"),
        ("St Mary’s Hospital", "place", True, "[T7]"),
    ]


def test_a_hyphenated_name_is_someone_else(detector):
    assert _hits(detector, "Anna-Maria and Mary-Anna came") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will go. Will it work? May I ask? In May 2017, on 3 May.", []),
        ("We spoke to Will about it.", [("Will", False, "")]),
        ("- Will said no.", [("Will", False, " (at the start of a sentence)")]),
        ("Then May spoke.", [("May", False, "")]),
    ],
)
def test_ordinary_word_names_are_suggested_only_where_they_may_be_names(detector, text, expected):
    found = [
        (h.text, h.certain, h.reason.split("ordinary word")[1])
        for h in detector.detect(text)
        if h.source == "roster"
    ]
    assert found == expected


def test_titles_with_roster_names_are_sure_and_shared_surnames_are_not(detector):
    found = {
        h.text: (h.certain, h.token)
        for h in detector.detect("Dr. Patel saw Mrs Okafor and Mr Jones.")
    }
    assert found == {
        "Dr. Patel": (True, "[T6]"),
        "Mrs Okafor": (False, None),  # two Okafors on the roster: the reviewer picks
        "Mr Jones": (True, "[T2]"),
    }
    assert _hits(detector, "Okafor agreed")[0][2] is False


def test_titles_without_roster_names_and_words_that_are_not_names():
    found = [(h.text, h.kind, h.certain) for h in Detector().detect(
        "Dr Singh and Nurse Jones; the nurse. Has left. Nurse led clinic. Dr Who?"
    )]  # fmt: skip
    assert found == [("Dr Singh", "staff", False), ("Nurse Jones", "staff", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr  Smith", ["Dr  Smith"]), ("Dr \t Smith", ["Dr \t Smith"]),
        ("Dr.\tSmith", ["Dr.\tSmith"]), ("Sister\tMary Smith", ["Sister\tMary Smith"]),
        ("DR Smith", ["DR Smith"]), ("GRANDMA Okafor", ["GRANDMA Okafor"]),
        ("saw Mrs Smith", ["Mrs Smith"]), ("Dr Smith-Jones", ["Dr Smith-Jones"]),
        ("Reverend Jones and Nanna Patel", ["Reverend Jones", "Nanna Patel"]),
        ("Dr Smith\tDr Jones", ["Dr Smith\tDr"]),
        ("dR Smith", []), ("²Dr Smith", []), (".Dr Smith", []), ("x.Dr Smith", []),
        ("Dr..  Smith", []), ("Professor. Patel", []), ("mr smith", []), ("Dr", []),
        ("the Doctors Smith", []),
    ],
)  # fmt: skip
def test_titles_after_spaces_tabs_and_full_stops(text, expected):
    # the title windows look only where a quick search finds a title before the spaces:
    # it must miss none (two spaces, a tab, a full stop, upper case, a title at the start)
    assert [h.text for h in Detector().detect(text)] == expected


def test_without_a_roster_no_spacy_is_needed():
    plain = Detector()
    assert plain.nlp is None
    found = [(h.kind, h.certain) for h in plain.detect("mail a@b.org, Greenfield Medical Centre")]
    assert found == [("email", True), ("place", False)]


def test_file_names_read_separators_as_spaces(detector):
    [hit] = detector.detect("S2_G5_Anna_Smith-notes.docx", field="source_name")
    assert (hit.text, hit.field, hit.token) == ("Anna_Smith", "source_name", "[T1]")


def test_long_texts_are_cut_without_losing_names(detector, monkeypatch):
    monkeypatch.setattr(det, "_CHUNK", 50)
    text = ("filler words here. " * 6 + "Annie came. ") * 4
    assert [h.text for h in detector.detect(text)] == ["Annie"] * 4


def test_a_trained_pipeline_adds_suggestions_for_review(tmp_path):
    """A pipeline the user installed (here: a folder saved by spaCy with an entity
    ruler, standing in for a trained model) adds PERSON/GPE/ORG suggestions."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [{"label": "PERSON", "pattern": "Rowena"}, {"label": "GPE", "pattern": "Leeds"}]
    )
    nlp.to_disk(tmp_path / "pipeline")
    found = Detector(options=DetectorOptions(model=str(tmp_path / "pipeline"))).detect(
        "Rowena moved to Leeds."
    )
    assert [(h.text, h.kind, h.source, h.certain) for h in found] == [
        ("Rowena", "person", "model", False),
        ("Leeds", "place", "model", False),
    ]
    # and none named or installed: the detector works without
    assert det.load_trained_pipeline("no_such_pipeline_xx") is None
