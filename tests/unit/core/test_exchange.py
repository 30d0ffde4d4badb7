"""Code descriptions, names and kinds as they travel to and from other tools."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ketqual.core import exchange

_TEXT = st.text(alphabet=st.sampled_from("ab \n.:é😀"), max_size=30).map(str.strip)


@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_descriptions_split_back_into_the_four_texts(definition, include, exclude, example):
    text = exchange.compose_description(definition, include, exclude, example)
    assert exchange.parse_description(text) == {
        "definition": definition,
        "include": include,
        "exclude": exclude,
        "example": example,
    }


def test_a_description_reads_as_labelled_paragraphs():
    text = exchange.compose_description("Travel to clinics.", "Buses, parking.", "", "“Two buses”")
    assert text == "Travel to clinics.\n\nWhen to use: Buses, parking.\n\nExample: “Two buses”"
    assert exchange.parse_description("Just a note from NVivo")["definition"] == (
        "Just a note from NVivo"
    )


def test_names_lose_control_characters_and_slashes():
    assert exchange.clean_name("Cost\x07 /\tprice\n") == "Cost ∕ price"
    assert exchange.clean_name("A/B", slash=True) == "A/B"
    assert exchange.clean_name("\x00 \x01", fallback="Unnamed") == "Unnamed"
    assert len(exchange.clean_name("x" * 300)) == 120
    taken: set[str] = set()
    assert [exchange.unique_name("Cost", taken) for _ in range(3)] == [
        "Cost",
        "Cost (2)",
        "Cost (3)",
    ]


def test_kinds_from_labels():
    assert exchange.kind_from_label("scribe notes") == "scribe_notes"
    assert exchange.kind_from_label("Feedback_sheet") == "feedback_sheet"
    assert exchange.kind_from_label("interview") is None


def test_summary_lines_say_what_is_lost():
    summary = exchange.ImportSummary("x.qdpx", "NVivo", brought=["2 text documents"])
    assert not summary.loses_data
    assert "Nothing in the file is left behind." in summary.lines()
    summary.lost.append("1 video")
    assert summary.loses_data and "  1 video" in summary.lines()
