import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketqual.core.model import Unit
from ketqual.core.units import (
    get_sentencizer,
    is_item_line,
    paragraph_units,
    segment,
    sentence_units,
)


def texts(text, units):
    return [text[u.start : u.end] for u in units]


@pytest.fixture(scope="module")
def small_nlp():
    """A private pipeline with a tiny max_length, to exercise chunking."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 40
    return nlp


NOTES = """Session 3 – Group 5
Scribe: Ann

- P1 worried about buses. Too slow
  and too few on Sundays
* P2 agreed
• P3 “not for me”
– carer said no
1. first point
2) second point
a) lettered point
P4: spoke for ages. Then left!
R07: different tag
Plain line after a tag

A paragraph with a
stray line break. And a second sentence.
"""


def test_paragraph_rules():
    assert texts(NOTES, paragraph_units(NOTES)) == [
        "Session 3 – Group 5\nScribe: Ann",
        "- P1 worried about buses. Too slow\n  and too few on Sundays",
        "* P2 agreed",
        "• P3 “not for me”",
        "– carer said no",
        "1. first point",
        "2) second point",
        "a) lettered point",
        "P4: spoke for ages. Then left!",
        "R07: different tag\nPlain line after a tag",
        "A paragraph with a\nstray line break. And a second sentence.",
    ]
    assert {u.kind for u in paragraph_units(NOTES)} == {"paragraph"}


def test_sentences_split_at_paragraphs_and_punctuation():
    assert texts(NOTES, sentence_units(NOTES)) == [
        "Session 3 – Group 5\nScribe: Ann",
        "- P1 worried about buses.",
        "Too slow\n  and too few on Sundays",
        "* P2 agreed",
        "• P3 “not for me”",
        "– carer said no",
        "1. first point",
        "2) second point",
        "a) lettered point",
        "P4: spoke for ages.",
        "Then left!",
        "R07: different tag\nPlain line after a tag",
        "A paragraph with a\nstray line break.",
        "And a second sentence.",
    ]


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("- x", True),
        ("  * x", True),
        ("•x", True),
        ("10. x", True),
        ("(3) x", True),
        ("b) x", True),
        ("P12: x", True),
        ("p3 : x", True),
        ("-ve feedback", False),
        ("1.5m people", False),
        ("2018. was a year", False),
        ("Plain", False),
        ("Carer: said", False),
        ("Tea 10:30 then back", False),  # a time, not a speaker tag
        ("", False),
    ],
)
def test_is_item_line(line, item):
    assert is_item_line(line) is item


def test_blank_and_empty():
    for text in ("", "   ", "\n\n \t\n"):
        assert paragraph_units(text) == []
        assert sentence_units(text) == []
        assert segment(text) == []


def test_units_are_trimmed_of_unicode_space():
    text = "\u00a0 - P1 said\u2003\n\u3000\n"
    assert texts(text, paragraph_units(text)) == ["- P1 said"]
    assert texts(text, sentence_units(text)) == ["- P1 said"]


def test_segment_orders_paragraph_before_sentence():
    units = segment("One. Two.\n\nThree")
    assert units == [
        Unit("paragraph", 0, 9),
        Unit("sentence", 0, 4),
        Unit("sentence", 5, 9),
        Unit("paragraph", 11, 16),
        Unit("sentence", 11, 16),
    ]


def test_sentencizer_is_cached():
    assert get_sentencizer() is get_sentencizer()
    assert "sentencizer" in get_sentencizer().pipe_names


def test_importing_core_text_modules_does_not_import_spacy():
    code = (
        "import sys; import ketqual.core.units, ketqual.core.feedback, ketqual.core.splitting;"
        "import ketqual.core.metadata, ketqual.core.pseudonymise, ketqual.core.text;"
        "assert 'spacy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_chunking_matches_whole_document(small_nlp):
    text = "\n".join(f"- P{i} said thing {i}. Then more" for i in range(20))
    assert len(text) > small_nlp.max_length
    assert sentence_units(text, small_nlp) == sentence_units(text)


def test_chunking_a_huge_paragraph(small_nlp):
    text = "word " * 50 + "x" * 100 + " end."
    units = sentence_units(text, small_nlp)
    check_units(text, units, "sentence")
    covered = {i for u in units for i in range(u.start, u.end)}
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def check_units(text, units, kind):
    previous_end = -1
    for u in units:
        assert u.kind == kind
        assert 0 <= u.start < u.end <= len(text)
        piece = text[u.start : u.end]
        assert piece == piece.strip() and piece
        assert u.start >= previous_end  # ordered, no overlap
        previous_end = u.end


def check_all(text, paragraphs, sentences):
    check_units(text, paragraphs, "paragraph")
    check_units(text, sentences, "sentence")
    for s in sentences:  # each sentence nests in exactly one paragraph
        assert sum(p.start <= s.start and s.end <= p.end for p in paragraphs) == 1
    # nothing but whitespace is left out of the units
    for units in (paragraphs, sentences):
        covered = {i for u in units for i in range(u.start, u.end)}
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


_WORDS = st.sampled_from(
    [
        "P3",
        "carer",
        "said",
        "buses.",
        "no!",
        "why?",
        "“quoted”",
        "e.g.",
        "🎉",
        "👩‍👩‍👧",
        "café",
        "cafe\u0301",
        "n\u0303o",
        "Zoë",
        "1.5m",
        "-ve",
        "etc.",
        "...",
        "—",
        "'",
        "\u00a0",
        "\t",
        "\u200b",
    ]
)
_BULLETS = st.sampled_from(
    ["", "", "- ", "* ", "• ", "– ", "1. ", "2) ", "a) ", "P4: ", "  - ", "-"]
)
_LINE = st.builds(lambda b, ws: b + " ".join(ws), _BULLETS, st.lists(_WORDS, max_size=8))
_DOC = st.lists(st.one_of(_LINE, st.just(""), st.just("   ")), max_size=25).map("\n".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOC)
def test_unit_properties_on_note_like_text(text):
    check_all(text, paragraph_units(text), sentence_units(text))


@settings(deadline=None)
@given(st.text())
def test_unit_properties_on_any_text(text):
    text = text.replace("\r\n", "\n")  # readers hand over CRLF-normalised text
    check_all(text, paragraph_units(text), sentence_units(text))


@settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(_DOC)
def test_unit_properties_when_chunked(small_nlp, text):
    check_all(text, paragraph_units(text), sentence_units(text, small_nlp))


@settings(deadline=None)
@given(_DOC)
def test_segment_is_paragraphs_plus_sentences(text):
    units = segment(text)
    assert units == sorted(units, key=lambda u: (u.start, u.kind))
    assert sorted(units, key=lambda u: (u.kind, u.start)) == paragraph_units(text) + sentence_units(
        text
    )


@settings(deadline=None)
@given(st.lists(_LINE.filter(lambda line: line.strip()), min_size=1, max_size=10))
def test_every_bullet_line_is_its_own_paragraph(lines):
    bullets = ["- " + line.lstrip("-*•–12.)aP4: ") or "- x" for line in lines]
    text = "\n".join(bullets)
    paragraphs = texts(text, paragraph_units(text))
    assert paragraphs == [b.strip() for b in bullets]


def test_lone_surrogates_do_not_break_spacy():
    text = "- P1 said \ud800 no. Yes\n- P2"
    check_all(text, paragraph_units(text), sentence_units(text))
    assert texts(text, sentence_units(text)) == ["- P1 said \ud800 no.", "Yes", "- P2"]
