"""Names as entered are tidied or refused; text bound for files loses what files cannot hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import codebook
from ketqual.core.names import InvalidName, check_name, printable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Side-effects ", "Side-effects"),
        ("Side\teffects\r\nand more", "Side effects and more"),
        ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
        ("<&>\"'", "<&>\"'"),
        ("Effets secondaires 😀", "Effets secondaires 😀"),
        ("👩‍🔬 researcher", "👩‍🔬 researcher"),  # a zero-width joiner is not a control
        ("History", "History"),
    ],
)
def test_names_are_tidied(text, expected):
    assert check_name(text) == expected


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Side\x01effects", "U+0001"),
        ("bell\x07", "U+0007"),
        ("del\x7f", "U+007F"),
        ("c1\x85x\x9b", "U+009B"),
        ("half\ud800", "U+D800"),
        ("non\ufffe", "U+FFFE"),
        ("nul\x00", "U+0000 (null)"),
    ],
)
def test_control_characters_are_refused_with_a_sentence(text, where):
    with pytest.raises(InvalidName) as caught:
        check_name(text, what="a code name")
    message = str(caught.value)
    assert message.startswith("a code name cannot contain the control character")
    assert where in message and "\n" not in message


def test_empty_and_long_names_are_refused():
    with pytest.raises(InvalidName, match="cannot be empty"):
        check_name(" \t ")
    with pytest.raises(InvalidName, match="at most 5 characters"):
        check_name("abcdef", max_length=5)


def test_the_codebook_uses_the_same_gate():
    with pytest.raises(codebook.CodebookError, match="control character U\\+0001"):
        codebook.check_name("Cost\x01")
    with pytest.raises(codebook.CodebookError, match="may not contain '/'"):
        codebook.check_name("a/b")
    book = {"format": "ketqual-codebook", "codes": [{"name": "Bad\x02", "colour": "#112233"}]}
    with pytest.raises(codebook.CodebookError, match="code 1: a code name cannot contain"):
        codebook.parse_codebook(book)


def test_printable_drops_what_files_cannot_hold():
    assert printable("a\x01b\x7fc\x9fd") == "abcd"
    assert printable("half\ud800pair") == "half\ufffdpair"
    assert printable("tab\tline\nend") == "tab\tline\nend"
    assert printable("tab\tline\r\nend", one_line=True) == "tab line end"


@given(st.text())
def test_printable_text_always_encodes_and_passes_the_gate(text):
    clean = printable(text, one_line=True)
    clean.encode("utf-8")
    if clean.strip():
        assert check_name(clean)
