"""Reading voting sheets: both shapes, multi-select either way, and bad sheets refused
with the row and column named."""

from __future__ import annotations

import pytest

from ketqual.core import votes_sheet as vs
from ketqual.core.model import Table
from ketqual.core.votes_sheet import QuestionSpec, SheetError, VoteColumns


def table(headers, *rows, sheet=None, numbers=()):
    return Table(tuple(headers), tuple(tuple(r) for r in rows), sheet, tuple(numbers))


def test_one_row_per_participant_with_inferred_types():
    sheet = table(
        ["Participant", "Session", "NHS availability", "How safe (1-5)", "Best place"],
        ["P1", "3", "Yes", "4", "Clinic"],
        ["2", "3", "no", "5", "Home"],
        ["P3", "3", "", "2", "clinic"],
        ["P4", "3", "Don't know", "", "Pharmacy"],
    )
    read = vs.read_sheet(sheet)
    assert read.shape == "participants"
    assert read.participants == ("P1", "P2", "P3", "P4")  # a bare 2 is P2
    assert read.skipped == ("Session",)
    nhs, safe, place = read.questions
    assert (nhs.kind, nhs.options) == ("yesno", ("Yes", "No", "Unsure"))
    assert nhs.answers == {"P1": (0,), "P2": (1,), "P3": (), "P4": (2,)}
    assert (safe.kind, safe.options) == ("rating", ("1", "2", "3", "4", "5"))
    assert safe.answers["P4"] == () and safe.answers["P2"] == (4,)
    assert (place.kind, place.options) == ("single", ("Clinic", "Home", "Pharmacy"))
    assert place.answers["P3"] == (0,)  # case and spacing do not matter
    assert "first appear" in place.how


def test_multi_select_as_several_columns_with_ticks_or_option_texts():
    sheet = table(
        ["ID", "Options [Specialist only]", "Options [Shared care]", "Options [Home delivery]"],
        ["P1", "x", "x", ""],
        ["P2", "", "Shared care", ""],
        ["P3", "", "", ""],
        ["P4", "1", "yes", "✓"],
    )
    [q] = vs.read_sheet(sheet).questions
    assert q.text == "Options" and q.kind == "multiple"
    assert q.options == ("Specialist only", "Shared care", "Home delivery")
    assert q.answers == {"P1": (0, 1), "P2": (1,), "P3": (), "P4": (0, 1, 2)}


def test_multi_select_in_one_cell_needs_multi_and_splits_on_semicolons():
    sheet = table(
        ["Participant", "Which options?"],
        ["P1", "Specialist only; Shared care"],
        ["P2", "Shared care"],
        ["P3", ""],
        ["P4", "Home delivery;Specialist only"],
    )
    plain = vs.read_sheet(sheet)
    assert plain.questions[0].kind == "single"
    assert any("--multi" in note for note in plain.notes)
    [q] = vs.read_sheet(sheet, multi=["Which options?"]).questions
    assert q.kind == "multiple"
    assert q.options == ("Specialist only", "Shared care", "Home delivery")
    assert q.answers == {"P1": (0, 1), "P2": (1,), "P3": (), "P4": (0, 2)}


def test_multi_named_by_prefix_groups_colon_columns():
    sheet = table(
        ["Participant", "Prescribing: GP", "Prescribing: Specialist", "Other"],
        ["P1", "x", "", "Yes"],
        ["P2", "", "x", "No"],
    )
    read = vs.read_sheet(sheet, multi=["Prescribing"])
    prescribing, other = read.questions
    assert prescribing.options == ("GP", "Specialist") and prescribing.kind == "multiple"
    assert other.text == "Other" and other.kind == "yesno"


def test_question_list_decides_type_and_order_and_refuses_unknown_options():
    specs = vs.read_question_list(
        table(
            ["Question", "Type", "Options", "Themes"],
            ["NHS availability", "Yes/No/Unsure", "", "Cost; Appropriate support"],
            ["Best place", "single choice", "Home; Clinic; Pharmacy", ""],
            ["Options", "multiple choice", "Specialist only; Shared care; GP only", "Monitoring"],
            sheet="Questions",
        )
    )
    assert specs["nhs availability"].themes == ("Cost", "Appropriate support")
    good = table(
        ["Participant", "NHS availability", "Best place", "Options [Shared care]"],
        ["P1", "Yes", "Clinic", "x"],
        ["P2", "Unsure", "Home", ""],
    )
    read = vs.read_sheet(good, specs=specs)
    nhs, place, options = read.questions
    assert place.options == ("Home", "Clinic", "Pharmacy") and place.answers["P1"] == (1,)
    assert options.options == ("Specialist only", "Shared care", "GP only")
    assert options.answers == {"P1": (1,), "P2": ()}
    bad = table(
        ["Participant", "NHS availability", "Best place"],
        ["P1", "Yes", "Clinic"],
        ["P2", "Maybe", "Garden"],
        numbers=(2, 4),
    )
    with pytest.raises(SheetError) as caught:
        vs.read_sheet(bad, specs=specs)
    message = str(caught.value)
    assert message.startswith(
        "Row 4, column 'NHS availability': 'Maybe' is not an option of 'NHS availability' "
        "(its options: Yes, No, Unsure)."
    )
    assert "Row 4, column 'Best place': 'Garden' is not an option" in message
    assert message.endswith("Nothing was imported.")


def test_participant_twice_and_missing_ids_are_named():
    sheet = table(
        ["Participant", "NHS"],
        ["P14", "Yes"],
        ["P3", "No"],
        ["p14", "Yes"],
        ["", "Yes"],
        numbers=(2, 3, 5, 6),
    )
    with pytest.raises(SheetError) as caught:
        vs.read_sheet(sheet)
    assert str(caught.value) == (
        "Row 5, column 'Participant': participant p14 appears twice (rows 2 and 5). "
        "Row 6, column 'Participant': no participant id (every row needs one, such as P14). "
        "Nothing was imported."
    )


def test_a_bad_tick_is_named():
    sheet = table(["ID", "Q [A]", "Q [B]"], ["P1", "x", "perhaps"])
    with pytest.raises(SheetError, match=r"Row 2, column 'Q \[B\]': 'perhaps' is not a tick"):
        vs.read_sheet(sheet)


def test_many_errors_are_counted_not_all_listed():
    rows = [[f"P{i}", "Yes"] for i in range(1, 3)] + [["P1", "Yes"]] * 5
    with pytest.raises(SheetError, match=r"\(2 more problems in the sheet\.\) Nothing"):
        vs.read_sheet(table(["Participant", "NHS"], *rows))


def test_unknown_columns_and_shape_are_explained():
    with pytest.raises(SheetError, match="Cannot tell the shape of the sheet.*Name, NHS"):
        vs.read_sheet(table(["Name", "NHS"], ["Ann", "Yes"]))
    with pytest.raises(SheetError, match="no column 'Who' for the participant ids"):
        vs.read_sheet(table(["ID", "NHS"], ["P1", "Yes"]), VoteColumns(participant="Who"))
    with pytest.raises(SheetError, match="No column is the multiple-choice question 'Zzz'"):
        vs.read_sheet(table(["ID", "NHS"], ["P1", "Yes"]), multi=["Zzz"])


def test_tally_with_missing_and_respondents_rows():
    sheet = table(
        ["Question", "Option", "Count"],
        ["NHS availability", "Yes", "28"],
        ["", "No", "10"],
        ["", "Unsure", "6"],
        ["", "(no answer)", "2"],
        ["Prescribing options", "Specialist only", "9"],
        ["", "Shared care", "31.0"],
        ["", "GP with guidance", "7"],
        ["", "(respondents)", "38"],
    )
    read = vs.read_sheet(sheet)
    assert read.shape == "tally"
    nhs, options = read.questions
    assert (nhs.kind, nhs.counts, nhs.missing) == ("yesno", (28, 10, 6), 2)
    assert options.kind == "multiple"  # 38 respondents but 47 selections
    assert options.counts == (9, 31, 7) and options.respondents == 38


def test_tally_errors_name_row_and_column():
    specs = {"nhs": QuestionSpec("NHS", "yesno", ("Yes", "No", "Unsure"))}
    sheet = table(
        ["Question", "Option", "Votes"],
        ["NHS", "Yes", "lots"],
        ["", "Maybe", "3"],
        ["", "No", "4"],
        ["", "no", "1"],
        numbers=(2, 3, 4, 7),
    )
    with pytest.raises(SheetError) as caught:
        vs.read_sheet(
            sheet, VoteColumns(question="Question", option="Option", count="Votes"), specs
        )
    message = str(caught.value)
    assert message == (
        "Row 2, column 'Votes': 'lots' is not a whole number. "
        "Row 3, column 'Option': 'Maybe' is not an option of 'NHS' (its options: Yes, No, "
        "Unsure). Row 7, column 'Option': 'no' of 'NHS' is counted twice (rows 4 and 7). "
        "Nothing was imported."
    )


def test_tally_respondents_that_cannot_be_right():
    sheet = table(
        ["Question", "Option", "Count"],
        ["Options", "A", "9"],
        ["", "B", "3"],
        ["", "(respondents)", "5"],
    )
    with pytest.raises(
        SheetError, match="Row 4, column 'Option': 5 respondents to 'Options', but 9"
    ):
        vs.read_sheet(sheet, multi=["Options"])


def test_question_list_errors():
    with pytest.raises(SheetError, match="Row 2, column 'Type': 'checkbox' is not a question type"):
        vs.read_question_list(table(["Question", "Type"], ["Q", "checkbox"]))
    with pytest.raises(SheetError, match="listed twice"):
        vs.read_question_list(table(["Question", "Type"], ["Q", "yes/no"], ["q", "yes/no"]))
    with pytest.raises(SheetError, match="Yes; No; Unsure"):
        vs.read_question_list(table(["Question", "Type", "Options"], ["Q", "yes/no", "Ja; Nein"]))


def test_a_question_nobody_answered_needs_a_definition():
    with pytest.raises(SheetError, match="nobody answered 'Later'"):
        vs.read_sheet(table(["ID", "NHS", "Later"], ["P1", "Yes", ""], ["P2", "No", ""]))


def test_guessing_and_parsing_helpers():
    assert vs.guess_columns(["Question", "Answer", "Hands"]) == VoteColumns(
        question="Question", option="Answer", count="Hands"
    )
    assert vs.guess_columns(["Participant (pseudonym)", "Group", "Q1"]).participant == (
        "Participant (pseudonym)"
    )
    assert vs.participant_label(" 14.0 ") == "P14" and vs.participant_label("R 07") == "R 07"
    assert vs.parse_kind("Yes/No/Unsure") == "yesno" and vs.parse_kind("Rating 1–5") == "rating"
    assert vs.split_options("A; B;\nC") == ("A", "B", "C")
