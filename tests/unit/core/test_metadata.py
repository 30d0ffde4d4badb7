import pytest

from ketqual.core.metadata import (
    infer_from_filename,
    infer_from_text,
    infer_meta,
    make_title,
    parse_date,
    parse_heading,
)
from ketqual.core.model import DocumentMeta


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "S2_G5_scribe.docx",
            {
                "session": 2,
                "group": 5,
                "kind": "scribe_notes",
                "title": "Session 2, Group 5 – scribe notes",
            },
        ),
        (
            "s2-g5-notes.txt",
            {
                "session": 2,
                "group": 5,
                "kind": "scribe_notes",
                "title": "Session 2, Group 5 – scribe notes",
            },
        ),
        (
            "S1_G3_feedback.xlsx",
            {
                "session": 1,
                "group": 3,
                "kind": "feedback_sheet",
                "title": "Session 1, Group 3 – feedback sheets",
            },
        ),
        (
            "Session 2 Group 5 notes.docx",
            {
                "session": 2,
                "group": 5,
                "kind": "scribe_notes",
                "title": "Session 2, Group 5 – scribe notes",
            },
        ),
        ("session2_group5.odt", {"session": 2, "group": 5, "title": "Session 2, Group 5"}),
        ("G4.txt", {"group": 4, "title": "G4"}),
        (
            "S3_combined_scribe.txt",
            {"session": 3, "kind": "scribe_notes", "title": "S3 combined scribe"},
        ),
        ("S2G5.rtf", {"session": 2, "group": 5, "title": "Session 2, Group 5"}),
        ("FG3 notetaker.pdf", {"group": 3, "kind": "scribe_notes", "title": "FG3 notetaker"}),
        (
            "feedback-sheets_session-1.csv",
            {"session": 1, "kind": "feedback_sheet", "title": "feedback sheets session 1"},
        ),
        (
            "C:\\Users\\kim\\S1_G2_scribes.docx",
            {
                "session": 1,
                "group": 2,
                "kind": "scribe_notes",
                "title": "Session 1, Group 2 – scribe notes",
            },
        ),
        ("/home/kim/data/s3_g7.txt", {"session": 3, "group": 7, "title": "Session 3, Group 7"}),
    ],
)
def test_infer_from_filename(name, expected):
    assert infer_from_filename(name) == expected


@pytest.mark.parametrize(
    "name", ["photos2.txt", "Sheet1.csv", "notes.2018-03-17.txt", "summary.docx"]
)
def test_filename_without_numbers_gives_no_session_or_group(name):
    facts = infer_from_filename(name)
    assert "session" not in facts and "group" not in facts
    assert facts["title"]


def test_feedback_word_beats_generic_notes():
    assert infer_from_filename("feedback notes.txt")["kind"] == "feedback_sheet"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Session 2 – Group 5", (2, 5)),
        ("Session 2, Group 5", (2, 5)),
        ("SESSION 2 / GROUP 5", (2, 5)),
        ("S2 G5", (2, 5)),
        ("Group 5 (session 2)", (2, 5)),
        ("## Group 5", (None, 5)),
        ("- Group 5:", (None, 5)),
        ("• Group 5", (None, 5)),
        ("**Group 5**", (None, 5)),
        ("=== Group 7 ===", (None, 7)),
        ("Group no. 4", (None, 4)),
        ("Focus group 3", (None, 3)),
        ("Group 5 notes", (None, 5)),
        ("Session 3", (3, None)),
        ("# Session 3:", (3, None)),
        ("the group agreed", None),
        ("Group 5: worried about buses", None),
        ("P3 said group 2 was better", None),
        ("Group", None),
        ("Session 2 – Group 5 – transport", None),
    ],
)
def test_parse_heading(line, expected):
    assert parse_heading(line) == expected


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Date: 2018-03-17", "2018-03-17"),
        ("17/03/2018", "2018-03-17"),
        ("17/3/18", "2018-03-17"),
        ("17.03.2018", "2018-03-17"),
        ("17 March 2018", "2018-03-17"),
        ("Sat 17 Mar 2018", "2018-03-17"),
        ("Saturday 17th of March, 2018", "2018-03-17"),
        ("March 17, 2018", "2018-03-17"),
        ("Sept 3 2018", "2018-09-03"),
        ("03/04/2018", "2018-04-03"),  # day first, as in the UK
        ("31/02/2018 then 01/03/2018", "2018-03-01"),  # impossible dates are skipped
        ("no date here", None),
        ("32 March 2018", None),
        ("P3 has 12 kids", None),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_parse_date_earliest_in_text_wins():
    assert parse_date("1 April 2018, postponed from 17/03/2018") == "2018-04-01"


HEADER = """Consultation day – scribe notes
Session 2 – Group 5
Scribe: Jane O’Neil    Date: Sat 17 Mar 2018

- P1 worried about buses
- P2 said group 3 was louder
"""


def test_infer_from_text_reads_header_block():
    assert infer_from_text(HEADER) == {
        "kind": "scribe_notes",
        "session": 2,
        "group": 5,
        "notetaker": "Jane O’Neil",
        "date": "2018-03-17",
    }


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Scribe: Ann Lee", "Ann Lee"),
        ("Notetaker: Ann Lee", "Ann Lee"),
        ("Note-taker - Ann Lee", "Ann Lee"),
        ("Note taker – Ann Lee (volunteer)", "Ann Lee (volunteer)"),
        ("Notes taken by Ann Lee, 17/03/2018", "Ann Lee"),
        ("Scribe: Ann Lee Date: 17/03/2018", "Ann Lee"),
        ("Scribes: Dr. A. Lee", "Dr. A. Lee"),
    ],
)
def test_notetaker_forms(line, name):
    assert infer_from_text(f"Group notes\n{line}\n")["notetaker"] == name


@pytest.mark.parametrize(
    "line", ["Scribe notes", "Typed up by the scribes", "Scribe:", "Scribe: 17/03/2018"]
)
def test_no_notetaker(line):
    assert "notetaker" not in infer_from_text(line)


def test_kind_hints():
    assert infer_from_text("Feedback sheet – session 1")["kind"] == "feedback_sheet"
    assert infer_from_text("Scribe's notes")["kind"] == "scribe_notes"
    assert infer_from_text("Notetaker: Ann")["kind"] == "scribe_notes"
    assert "kind" not in infer_from_text("Transport discussion")


def test_text_heading_variants():
    assert infer_from_text("Focus group 5 notes (session 2)") == {"session": 2, "group": 5}
    assert infer_from_text("Notes – S2 G5\n- stuff") == {"session": 2, "group": 5}
    assert infer_from_text("Consultation day – session 3 notes (all groups)") == {"session": 3}


def test_bullets_about_other_groups_are_ignored():
    text = "Transport\n- P1 said group 3 was louder\n- session 1 was better, P2"
    assert infer_from_text(text) == {}


def test_conflicting_header_groups_are_dropped():
    text = "Session 3 notes\nSession 3 – Group 5\n- a\nSession 3 – Group 6\n- b"
    assert infer_from_text(text) == {"session": 3}


def test_only_header_block_is_read():
    text = "\n".join(f"- point {i}" for i in range(12)) + "\nSession 2 – Group 5\nScribe: Ann"
    assert infer_from_text(text) == {}


def test_make_title():
    assert make_title(2, 5, "scribe_notes") == "Session 2, Group 5 – scribe notes"
    assert make_title(1, 3, "feedback_sheet") == "Session 1, Group 3 – feedback sheets"
    assert make_title(1, None, "feedback_sheet") == "Session 1 – feedback sheets"
    assert make_title(None, 4) == "Group 4"
    assert make_title(None, None, "feedback_sheet") == "Feedback sheets"
    assert make_title(None, None) == "Document"


def test_infer_meta_combines_sources():
    meta, notes = infer_meta("S2_G5_scribe.docx", HEADER)
    assert meta == DocumentMeta(
        title="Session 2, Group 5 – scribe notes",
        kind="scribe_notes",
        session=2,
        group=5,
        notetaker="Jane O’Neil",
        date="2018-03-17",
    )
    assert notes == ()


def test_infer_meta_file_name_wins_and_says_so():
    meta, notes = infer_meta("S2_G6_scribe.docx", HEADER)
    assert meta.group == 6
    assert len(notes) == 1
    assert "group 6" in notes[0] and "group 5" in notes[0]


def test_infer_meta_text_fills_gaps_and_titles():
    meta, notes = infer_meta("notes.txt", "Session 1, Group 2\nDate: 2018-03-17\n- a")
    assert (meta.session, meta.group, meta.date, meta.kind) == (1, 2, "2018-03-17", "scribe_notes")
    assert meta.title == "Session 1, Group 2 – scribe notes"
    assert notes == ()


def test_infer_meta_overrides_win_silently():
    meta, notes = infer_meta(
        "S2_G6_scribe.docx", HEADER, group=7, title=None, kind="other", date=None
    )
    assert (meta.group, meta.kind, meta.date) == (7, "other", "2018-03-17")
    assert meta.title == "Session 2, Group 7"
    assert notes == ()
    meta, _ = infer_meta("x.txt", "", title="  My title ", notetaker="Bo")
    assert (meta.title, meta.notetaker) == ("My title", "Bo")


def test_infer_meta_title_fallbacks():
    assert infer_meta("", "\n\n  First line of text  \nmore")[0].title == "First line of text"
    assert infer_meta("", "")[0].title == "Untitled document"
    assert infer_meta("G4.txt", "")[0].title == "G4"
    assert infer_meta("", "", title="   ")[0].title == "Untitled document"


def test_infer_meta_rejects_bad_overrides():
    with pytest.raises(TypeError):
        infer_meta("a.txt", "", colour="red")
    with pytest.raises(ValueError, match="kind"):
        infer_meta("a.txt", "", kind="minutes")


def test_long_lines_are_cheap_and_never_headings():
    import time

    rule = "=" * 20000 + " x"
    start = time.perf_counter()
    assert parse_heading(rule) is None
    assert parse_heading("- " * 40 + "Group 5") is None
    assert infer_from_text(rule + "\n" + "-" * 20000) == {}
    assert time.perf_counter() - start < 1.0


def test_short_title_for_lists():
    from ketqual.core.metadata import short_title

    assert short_title("Session 1 – Group 3 scribe notes", "scribe_notes", 1, 3) == "S1 G3 notes"
    assert short_title("Feedback, session 2 group 5", "feedback_sheet", 2, 5) == "S2 G5 feedback"
    assert short_title("Interview 4", "other", None, None) == "Interview 4"
    assert short_title("Extra", "other", 3, None) == "S3 Extra"
