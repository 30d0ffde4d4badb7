from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketqual.core.splitting import (
    Section,
    find_group_sections,
    preamble,
    split_document,
    uncovered_spans,
)

COMBINED = """Consultation day – session 3 notes (all groups)
Typed up by the scribes after the event.

Session 3 – Group 5
Scribe: Ann
- P1 worried about buses
- the group agreed parking is a problem

Session 3 – Group 6
Scribe: Bo
- P2: too far
  continued line


## Group 7:
- P4 liked the venue
"""


def test_sections_of_combined_document():
    sections = find_group_sections(COMBINED)
    assert [(s.session, s.group, s.heading) for s in sections] == [
        (3, 5, "Session 3 – Group 5"),
        (3, 6, "Session 3 – Group 6"),
        (3, 7, "## Group 7:"),
    ]
    texts = [COMBINED[s.start : s.end] for s in sections]
    assert texts[0].startswith("Session 3 – Group 5\nScribe: Ann")
    assert texts[0].endswith("parking is a problem")
    assert texts[1].endswith("continued line")
    assert texts[2] == "## Group 7:\n- P4 liked the venue"


def test_preamble_and_uncovered():
    sections = find_group_sections(COMBINED)
    assert preamble(COMBINED, sections).startswith("Consultation day")
    assert preamble(COMBINED, sections).endswith("after the event.")
    spans = uncovered_spans(COMBINED, sections)
    assert len(spans) == 1
    assert COMBINED[spans[0][0] : spans[0][1]] == preamble(COMBINED, sections)


def test_split_document():
    parts = split_document(COMBINED)
    assert [(s, g) for s, g, _ in parts] == [(3, 5), (3, 6), (3, 7)]
    assert parts[2][2] == "## Group 7:\n- P4 liked the venue"


def test_session_lines_set_session_and_end_sections():
    text = "Session 1\nGroup 1\n- a\nGroup 2\n- b\nSession 2\nScribe: Cy\n\nGroup 1\n- c\n"
    sections = find_group_sections(text)
    assert [(s.session, s.group) for s in sections] == [(1, 1), (1, 2), (2, 1)]
    assert text[sections[1].start : sections[1].end] == "Group 2\n- b"
    # the notes between "Session 2" and its first group are reported, not lost
    leftovers = [text[a:b] for a, b in uncovered_spans(text, sections)]
    assert leftovers == ["Session 1", "Session 2\nScribe: Cy"]


def test_default_session_and_its_absence():
    text = "Group 1\n- a\n\nGroup 2\n- b"
    assert [s.session for s in find_group_sections(text)] == [None, None]
    assert [s.session for s in find_group_sections(text, default_session=4)] == [4, 4]


def test_explicit_default_beats_preamble_but_headings_beat_both():
    text = (
        "Day – session 3 notes (all groups)\n\nGroup 1\n- a\nSession 2 – Group 2\n- b\nGroup 3\n- c"
    )
    assert [s.session for s in find_group_sections(text)] == [3, 2, 2]
    assert [s.session for s in find_group_sections(text, default_session=9)] == [9, 2, 2]


def test_fewer_than_two_group_headings_gives_nothing():
    assert find_group_sections("Session 2 – Group 5\n- a\n- b") == []
    assert find_group_sections("Session 1\nSession 2\n- a") == []
    assert find_group_sections("") == []
    assert split_document("just notes") == []
    assert preamble("x", []) == "" and uncovered_spans("x", []) == []


def test_mid_sentence_group_is_not_a_heading():
    text = (
        "Notes\n- the group agreed\nGroup 2 was louder than group 3\nGroup 4: liked it\n- group 5"
    )
    # "- group 5" is a bare (bulleted) heading, the rest are not
    assert [s.group for s in find_group_sections(text)] == []
    text += "\nGroup 6\n- x"
    assert [s.group for s in find_group_sections(text)] == [5, 6]


def test_headings_with_decoration_and_crlf():
    text = "Intro\r\n\r\n**Group 1**\r\n- a\r\n\r\n  - Group 2:  \r\n- b\r\n"
    sections = find_group_sections(text)
    assert [(s.group, s.heading) for s in sections] == [(1, "**Group 1**"), (2, "- Group 2:")]
    assert text[sections[0].start : sections[0].end] == "**Group 1**\r\n- a"
    assert text[sections[1].start : sections[1].end] == "- Group 2:  \r\n- b"


def test_section_is_frozen():
    section = Section(1, 2, 0, 5, "G2")
    with pytest.raises(FrozenInstanceError):
        section.group = 3  # type: ignore[misc]


_LINES = st.sampled_from(
    [
        "Group 1",
        "Session 2",
        "S1 G2",
        "- P1 said x",
        "",
        "  ",
        "the group agreed",
        "Group 3:",
        "notes 🎉",
    ]
)


@given(st.lists(_LINES, max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_sections_are_ordered_trimmed_and_partition_text(lines, newline):
    text = newline.join(lines)
    sections = find_group_sections(text)
    previous_end = 0
    for s in sections:
        assert previous_end <= s.start < s.end <= len(text)
        body = text[s.start : s.end]
        assert body == body.strip() and body.startswith(s.heading)
        previous_end = s.end
    covered = {i for s in sections for i in range(s.start, s.end)}
    covered |= {i for a, b in uncovered_spans(text, sections) for i in range(a, b)}
    if sections:  # every non-space character is in a section or reported as uncovered
        assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
