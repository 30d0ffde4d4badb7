import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.pseudonymise import build_key, load_names, pseudonymise


def test_build_key_numbers_in_order_and_dedupes():
    key = build_key(["Anna Smith", " ", "anna  smith", "Bob", "", "BOB", "Chidi"])
    assert key == {"Anna Smith": "Person 1", "Bob": "Person 2", "Chidi": "Person 3"}


def test_build_key_prefix_and_whitespace():
    assert build_key(["  Ann\tLee  "], prefix="Participant") == {"Ann Lee": "Participant 1"}
    assert build_key([]) == {}


def test_build_key_with_explicit_pseudonyms_skips_taken_numbers():
    key = build_key({"Anna": None, "Bob": "person 1", "Cy": "", "Dee": "Carer A"})
    assert key == {"Anna": "Person 2", "Bob": "person 1", "Cy": "Person 3", "Dee": "Carer A"}


def test_build_key_keeps_first_spelling_but_any_explicit_pseudonym():
    assert build_key({"Anna": None, "ANNA": "Mum"}) == {"Anna": "Mum"}


def test_load_names_formats():
    text = "\ufeff# staff and participants\nAnna Smith\n\nBob Jones = Carer 1\nChidi,Person 7\n  Dee ,  \nAnna Smith\nEve=\n"
    names = load_names(text)
    assert names == {
        "Anna Smith": None,
        "Bob Jones": "Carer 1",
        "Chidi": "Person 7",
        "Dee": None,
        "Eve": None,
    }
    assert list(names) == ["Anna Smith", "Bob Jones", "Chidi", "Dee", "Eve"]
    assert build_key(names) == {
        "Anna Smith": "Person 1",
        "Bob Jones": "Carer 1",
        "Chidi": "Person 7",
        "Dee": "Person 2",
        "Eve": "Person 3",
    }


def test_load_names_later_pseudonym_fills_earlier_plain_entry():
    assert load_names("Ann\nAnn = Mum\nAnn = Gran") == {"Ann": "Mum"}


def test_pseudonymise_whole_words_case_insensitive_longest_first():
    key = build_key(["Anna", "Anna Smith"])
    text = "Anna Smith said ANNA agreed; annabel and Hanna did not. anna\nsmith again"
    assert pseudonymise(text, key) == (
        "Person 2 said Person 1 agreed; annabel and Hanna did not. Person 2 again",
        3,
    )


def test_possessives_and_apostrophes():
    key = build_key(["Anna", "O'Neil"])
    out, count = pseudonymise("Anna's bus, Anna’s car, O’Neil's view, o'neil", key)
    assert out == "Person 1's bus, Person 1’s car, Person 2's view, Person 2"
    assert count == 4


def test_hyphenated_names_and_punctuation():
    key = build_key(["Anna"])
    out, count = pseudonymise("-Anna said (Anna), Anna-Maria and Mary-Anna; “Anna”. Anna!", key)
    assert out == "-Person 1 said (Person 1), Anna-Maria and Mary-Anna; “Person 1”. Person 1!"
    assert count == 4


def test_regex_metacharacters_in_names():
    key = build_key(["J. (Jo) Lee", "A+B"])
    assert pseudonymise("met J. (Jo) Lee and A+B today", key) == (
        "met Person 1 and Person 2 today",
        2,
    )


def test_non_ascii_names():
    key = build_key(["Zoë", "Åsa", "Siobhán"])
    out, count = pseudonymise("ZOË and åsa met siobhán, not Zoe", key)
    assert out == "Person 1 and Person 2 met Person 3, not Zoe"
    assert count == 3


def test_empty_key_and_empty_text():
    assert pseudonymise("Anna", {}) == ("Anna", 0)
    assert pseudonymise("", build_key(["Anna"])) == ("", 0)


def test_key_changes_are_respected_despite_cache():
    text = "Anna met Bob"
    assert pseudonymise(text, {"Anna": "X"}) == ("X met Bob", 1)
    assert pseudonymise(text, {"Anna": "Y", "Bob": "Z"}) == ("Y met Z", 2)


_NAME = st.text(alphabet="abcdefgh", min_size=2, max_size=6).map(str.capitalize)
_FILLER = st.sampled_from([" ", ", ", ". ", "\n", " said ", "'s ", " (", ") ", " – "])


@given(
    st.lists(_NAME, min_size=1, max_size=5, unique_by=str.casefold),
    st.lists(st.tuples(_NAME, _FILLER), max_size=20),
)
def test_no_name_survives_as_a_whole_word(names, pieces):
    key = build_key(names)
    text = "".join(word + filler for word, filler in pieces)
    out, count = pseudonymise(text, key)
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", out, re.IGNORECASE)
    expected = sum(1 for word, _ in pieces if word.casefold() in {n.casefold() for n in names})
    assert count == expected


@given(st.text(), st.lists(_NAME, max_size=4))
def test_text_without_names_is_unchanged(text, names):
    key = build_key(names)
    if not any(re.search(rf"(?<!\w){re.escape(n)}", text, re.IGNORECASE) for n in names):
        assert pseudonymise(text, key) == (text, 0)


@pytest.mark.parametrize("prefix", ["Person", "P", "Carer"])
def test_prefix_numbering(prefix):
    key = build_key(["a", "b", "c"], prefix=prefix)
    assert list(key.values()) == [f"{prefix} 1", f"{prefix} 2", f"{prefix} 3"]
