"""Votes operations: importing sheets whole or not at all, questions, links, figures, files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from ketqual.core.votes_sheet import VoteColumns
from ketqual.ops.changes import Area
from ketqual.ops.errors import OperationError
from ketqual.ops.resources import demo_dir
from ketqual.ops.votes import votes_ops
from tests.factories import make_project

DEMO_VOTES = demo_dir() / "votes" / "session3_votes.csv"
DEMO_QUESTIONS = demo_dir() / "votes" / "questions.csv"


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def project(tmp_path):
    p = make_project(tmp_path)
    yield p
    p.close()


def counts(project) -> dict[str, int]:
    with project.read() as tx:
        return {"questions": tx.votes.count(), "audit": tx.audit.count()}


def test_demo_sheet_imports_with_its_question_list_and_links(project):
    change = votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS, actor="t")
    assert change.touches(Area.VOTES) and not change.touches(Area.CODINGS)
    assert change.details["participants"] == 44
    assert change.details["skipped"] == ["Group"]
    rows = votes_ops.question_rows(project)
    assert len(rows) == 8
    nhs, gp = rows[0], rows[1]
    assert nhs.question.kind == "yesno" and set(nhs.themes) == {"Cost", "Appropriate support"}
    assert (gp.answered, gp.missing) == (43, 1)
    options = rows[6].question
    assert options.kind == "multiple" and len(options.options) == 6
    [summary] = votes_ops.summarise_questions(project, [7], denominator="selections")
    assert summary.n == 69 and [r.count for r in summary.rows] == [8, 34, 4, 16, 5, 2]
    lines = change.details["lines"]
    assert lines[0] == "Imported 8 voting questions from session3_votes.csv (44 participants)."
    with project.read() as tx:
        assert tx.audit.list(action="votes.import")[0].actor == "t"


def test_a_bad_sheet_is_refused_whole_naming_row_and_column(project, tmp_path):
    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    before = counts(project)
    summaries = votes_ops.summarise_questions(project)
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            ["Participant", "Should there be a national monitoring system?", "New question"],
            ["P1", "Yes", "A"],
            ["P2", "Perhaps", "B"],
            ["P3", "No", "A"],
        ],
    )
    with pytest.raises(OperationError) as caught:
        votes_ops.import_votes(project, bad)
    assert str(caught.value) == (
        "bad.csv: Row 3, column 'Should there be a national monitoring system?': 'Perhaps' is "
        "not an option of 'Should there be a national monitoring system?' (its options: Yes, "
        "No, Unsure). Nothing was imported."
    )
    assert counts(project) == before  # not even the new question
    assert votes_ops.summarise_questions(project) == summaries


def test_participant_twice_and_text_in_a_count_column_are_refused(project, tmp_path):
    twice = write_csv(tmp_path / "twice.csv", [["ID", "NHS"], ["P14", "Yes"], ["P14", "No"]])
    with pytest.raises(OperationError, match=r"Row 3, column 'ID': participant P14 appears twice"):
        votes_ops.import_votes(project, twice)
    tally = write_xlsx(
        tmp_path / "tally.xlsx",
        {"Tally": [["Question", "Option", "Count"], ["NHS", "Yes", 28], [None, "No", "about ten"]]},
    )
    with pytest.raises(
        OperationError,
        match=r"tally.xlsx, sheet Tally: Row 3, column 'Count': 'about ten' is not a whole number",
    ):
        votes_ops.import_votes(project, tally)
    assert counts(project)["questions"] == 0


def test_xlsx_with_a_questions_sheet_and_a_tally(project, tmp_path):
    path = write_xlsx(
        tmp_path / "tally.xlsx",
        {
            "Counts": [
                ["Question", "Option", "Votes"],
                ["Best place for first doses", "Clinic", 30],
                [None, "Home", 4],
                [None, "(no answer)", 2],
                ["Options", "Shared care", 31],
                [None, "Specialist only", 9],
                [None, "(respondents)", 35],
            ],
            "Questions": [
                ["Question", "Type", "Options", "Themes"],
                ["Best place for first doses", "single choice", "Home; Clinic", "Monitoring"],
                ["Options", "multiple choice", "Specialist only; Shared care", ""],
            ],
        },
    )
    change = votes_ops.import_votes(project, path)
    assert change.details["shape"] == "tally"
    place, options = votes_ops.summarise_questions(project, denominator="present")
    assert place.question.options == ("Home", "Clinic")  # the list's order, not the tally's
    assert [r.count for r in place.rows] == [4, 30] and place.n == 36 and place.missing == 2
    assert options.answered == 35 and [r.count for r in options.rows] == [9, 31]
    with pytest.raises(OperationError, match="imported as a tally"):
        votes_ops.breakdown_question(project, "Options", {"P1": "carer"})


def test_reimport_replaces_answers_keeps_links_and_place(project, tmp_path):
    first = write_csv(
        tmp_path / "a.csv", [["ID", "NHS", "GP"], ["P1", "Yes", "No"], ["P2", "No", "No"]]
    )
    votes_ops.import_votes(project, first)
    votes_ops.link_question(project, "NHS", "Cost")
    again = write_csv(
        tmp_path / "b.csv",
        [["ID", "GP", "NHS"], ["P1", "Yes", "Yes"], ["P2", "Yes", ""], ["P3", "Unsure", "Yes"]],
    )
    change = votes_ops.import_votes(project, again)
    assert [q["replaced"] for q in change.details["questions"]] == [True, True]
    rows = votes_ops.question_rows(project)
    assert [r.question.text for r in rows] == ["NHS", "GP"]
    assert rows[0].themes == ("Cost",) and (rows[0].answered, rows[0].missing) == (2, 1)


def test_names_in_the_pseudonymisation_key_become_pseudonyms(project, tmp_path):
    with project.transaction() as tx:
        tx.pseudonyms.add({"Anna Smith": "P14"})
    path = write_csv(
        tmp_path / "v.csv", [["Participant", "NHS"], ["anna smith", "Yes"], ["P3", "No"]]
    )
    change = votes_ops.import_votes(project, path)
    assert change.details["pseudonymised"] == 1
    with project.read() as tx:
        assert tx.votes.participants() == ["P3", "P14"]
    clash = write_csv(
        tmp_path / "w.csv", [["Participant", "NHS"], ["Anna Smith", "Yes"], ["P14", "No"]]
    )
    with pytest.raises(OperationError, match="P14 appears twice once names are replaced"):
        votes_ops.import_votes(project, clash)


def test_unknown_theme_in_the_question_list_stores_nothing(project, tmp_path):
    path = write_csv(tmp_path / "v.csv", [["ID", "NHS"], ["P1", "Yes"]])
    questions = write_csv(
        tmp_path / "q.csv", [["Question", "Type", "Themes"], ["NHS", "yes/no", "Costs"]]
    )
    with pytest.raises(
        OperationError, match="links 'NHS' to 'Costs', which is not in the codebook"
    ):
        votes_ops.import_votes(project, path, questions_file=questions)
    assert counts(project)["questions"] == 0


def test_columns_mapping_and_messages(project, tmp_path):
    path = write_csv(tmp_path / "v.csv", [["Person", "Room", "NHS"], ["P1", "2", "Yes"]])
    with pytest.raises(OperationError, match="Cannot tell the shape of the sheet"):
        votes_ops.import_votes(project, path)
    votes_ops.import_votes(project, path, columns=VoteColumns(participant="Person", skip=("Room",)))
    assert [q.text for q in votes_ops.list_questions(project)] == ["NHS"]


def test_find_question_by_number_text_or_part(project):
    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    assert votes_ops.find_question(project, 3).text.startswith("Is extra monitoring")
    assert votes_ops.find_question(project, "national monitoring").position == 6
    with pytest.raises(OperationError, match="matches several questions"):
        votes_ops.find_question(project, "Should")
    with pytest.raises(OperationError, match="there is no question 9"):
        votes_ops.find_question(project, "9")


def test_edit_question_order_rename_kind_and_delete(project, tmp_path):
    path = write_csv(
        tmp_path / "v.csv",
        [
            ["ID", "Place", "Opts"],
            ["P1", "Home", "A;B"],
            ["P2", "Clinic", "B"],
            ["P3", "Clinic", ""],
        ],
    )
    votes_ops.import_votes(project, path, multi=["Opts"])
    votes_ops.edit_question(project, "Place", order=["Clinic", "Home"], rename={"Home": "At home"})
    [place] = votes_ops.summarise_questions(project, ["Place"])
    assert [(r.option, r.count) for r in place.rows] == [("Clinic", 2), ("At home", 1)]
    with pytest.raises(OperationError, match="chose more than one option"):
        votes_ops.edit_question(project, "Opts", kind="single")
    with pytest.raises(OperationError, match="options Yes, No, Unsure"):
        votes_ops.edit_question(project, "Place", kind="yesno")
    with pytest.raises(OperationError, match="give every option"):
        votes_ops.edit_question(project, "Place", order=["Clinic"])
    votes_ops.edit_question(project, "Opts", text="Options", position=1)
    assert [q.text for q in votes_ops.list_questions(project)] == ["Options", "Place"]
    votes_ops.delete_question(project, "Options")
    assert [q.text for q in votes_ops.list_questions(project)] == ["Place"]


def test_links_theme_votes_and_set_links(project):
    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    by_theme = {t.theme: t for t in votes_ops.theme_votes(project)}
    assert [s.question.position for s in by_theme["Monitoring"].summaries] == [3, 4, 5, 6]
    assert list(by_theme)[0] == "Monitoring"  # codebook order
    change = votes_ops.link_question(project, 3, "Monitoring")
    assert change.details["changed"] is False
    change = votes_ops.link_question(project, 3, "Monitoring", unlink=True)
    assert change.details["changed"] is True
    with project.read() as tx:
        stigma = next(c.id for c in tx.codes.list() if c.name == "Stigma")
    votes_ops.set_links(project, 3, [stigma])
    by_theme = {t.theme: t for t in votes_ops.theme_votes(project)}
    assert [s.question.position for s in by_theme["Stigma"].summaries] == [3]
    with pytest.raises(OperationError, match="no theme called 'Stigmas'"):
        votes_ops.link_question(project, 3, "Stigmas")


def test_breakdown_from_participant_values(project, tmp_path):
    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    roles = write_csv(
        tmp_path / "roles.csv",
        [
            ["Participant", "Role"],
            ["P27", "patient"],
            ["P7", "carer"],
            ["P38", "carer"],
            ["P18", "patient"],
        ],
    )
    values = votes_ops.read_participant_values(roles, "role")
    groups = votes_ops.breakdown_question(project, 1, values)
    assert [(g.value, g.participants) for g in groups] == [
        ("patient", 2),
        ("carer", 2),
        ("(not recorded)", 40),
    ]
    assert [r.count for r in groups[1].summary.rows] == [1, 0, 1]  # P38 yes, P7 unsure
    with pytest.raises(OperationError, match="has no column 'age'"):
        votes_ops.read_participant_values(roles, "age")


def test_tables_and_figures_to_files(project, tmp_path):
    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    out = votes_ops.export_table(project, tmp_path / "t.json", denominator="present", questions=[1])
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert rows[0]["denominator"] == 44 and rows[0]["denominator_kind"] == "present"
    votes_ops.export_table(project, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("question,kind,option,count,denominator")
    votes_ops.export_table(project, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["Votes", "Data"]
    notes = [r[0] for r in wb["Votes"].iter_rows(values_only=True) if r and r[0]]
    assert any("more than 100 %" in str(n) for n in notes)
    with pytest.raises(OperationError, match="choose a file ending in .csv, .json, .xlsx"):
        votes_ops.export_table(project, tmp_path / "t.txt")

    drawn = []
    votes_ops.export_figure(
        project,
        [7],
        tmp_path / "f.svg",
        picture_writer=lambda f, p, fmt: drawn.append((f, fmt)) or p,
    )
    figure, fmt = drawn[0]
    assert fmt == "svg" and [b.count for b in figure.bars] == [8, 34, 4, 16, 5, 2]
    with pytest.raises(OperationError, match="multiple choice: its options overlap"):
        votes_ops.vote_figure(project, [1, 7])
    with pytest.raises(OperationError, match="a bar chart shows one question"):
        votes_ops.vote_figure(project, [1, 2], style="bars")
    stacked = votes_ops.vote_figure(project, [1, 2, 3], denominator="present")
    assert [len(r.segments) for r in stacked.rows] == [3, 4, 4]  # no answer as a segment


def test_a_coder_package_refuses_votes(project, tmp_path):
    with project.transaction() as tx:
        tx.project.set_setting("package", {"coder": "Coder A"})
    with pytest.raises(OperationError, match="coder package"):
        votes_ops.import_votes(project, DEMO_VOTES)


def test_framework_matrices_readme_shows_the_themes_votes(project, tmp_path):
    from ketqual.ops.framework import framework_ops
    from ketqual.ops.team import coder_ops

    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    boss = coder_ops.add_coder(project, "Sup", role="supervisor").details["coder_id"]
    coder_ops.set_unblinded(project, by_coder_id=boss, unblinded=True, reason="charting")
    framework_ops.export_matrices(
        project, tmp_path / "m.xlsx", layer="consensus", themes=["Monitoring"], viewer=None
    )
    rows = [
        r for r in openpyxl.load_workbook(tmp_path / "m.xlsx")["README"].iter_rows(values_only=True)
    ]
    votes_rows = [r for r in rows if r[0] == "Monitoring" and r[1] and "respondents" in r[1]]
    assert len(votes_rows) == 4  # only the charted theme's questions
    assert votes_rows[0][1].startswith(
        "Is extra monitoring needed for people taking ketamine? (yes/no/unsure; n = 42 "
        "respondents who answered; 2 of 44 present did not answer): Yes 30 (71\u00a0%, 95\u00a0% CI 56–83\u00a0%)"
    )
    framework_ops.export_matrices(project, tmp_path / "folder", layer="consensus", fmt="csv")
    readme = (tmp_path / "folder" / "README.txt").read_text(encoding="utf-8-sig")
    assert "Votes beside the themes" in readme and "Side-effects: How confident" in readme


def test_links_follow_a_code_merge(project):
    from ketqual.ops.codebook import codebook_ops

    votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
    with project.read() as tx:
        ids = {c.name: c.id for c in tx.codes.list() if c.parent_id is None}
    codebook_ops.merge_codes(project, ids["Cost"], ids["Stigma"])
    by_theme = {t.theme: t for t in votes_ops.theme_votes(project)}
    assert "Cost" not in by_theme
    assert [s.question.position for s in by_theme["Stigma"].summaries] == [1, 7]


def test_votes_on_every_backend(project_target, tmp_path):
    """The same import, re-import, edits and figures on SQLite and PostgreSQL."""
    from ketqual.ops import project_ops

    project = project_ops.new_project(project_target, actor="t")
    try:
        votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)
        votes_ops.import_votes(project, DEMO_VOTES, questions_file=DEMO_QUESTIONS)  # replaces
        votes_ops.edit_question(project, 1, rename={"Yes": "No", "No": "Yes"})  # a swap
        [nhs] = votes_ops.summarise_questions(project, [1], denominator="present")
        assert [(r.option, r.count) for r in nhs.rows] == [("No", 37), ("Yes", 1), ("Unsure", 6)]
        [options] = votes_ops.summarise_questions(project, [7], denominator="selections")
        assert options.n == 69 and options.answered == 43
        bad = write_csv(
            tmp_path / "bad.csv",
            [["Participant", "Should GPs be able to prescribe ketamine?"], ["P1", "Often"]],
        )
        with pytest.raises(OperationError, match="Row 2"):
            votes_ops.import_votes(project, bad)
        assert len(votes_ops.list_questions(project)) == 8
        votes_ops.delete_question(project, 7)
        assert len(votes_ops.theme_votes(project)) == 6
    finally:
        project.close()
