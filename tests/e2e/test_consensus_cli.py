"""The consensus verbs as a supervisor scripts a meeting: review, disagreements, resolve,
decisions, codebook-decision, negotiated. Most calls run in-process (``run_cli``); exit
codes and the no-Qt rule are checked in a subprocess too."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import openpyxl
import pytest

from ketqual.cli.main import run_cli
from tests.e2e.test_cli import ROOT, ketqual


@pytest.fixture(scope="module")
def before_meeting(tmp_path_factory):
    """The demo as the coders left it: blinded, no review, an empty consensus layer."""
    path = tmp_path_factory.mktemp("consensus-cli") / "before.ketqual"
    out = ketqual("demo", str(path), "--before-meeting").stdout
    assert "blinded: each coder sees only their own codings" in out
    return path


@pytest.fixture
def blinded(before_meeting, tmp_path):
    path = tmp_path / "blinded.ketqual"
    shutil.copy(before_meeting, path)
    return str(path)


@pytest.fixture
def project(blinded, capsys):
    """A fresh copy, unblinded by its supervisor."""
    assert run_cli(["unblind", blinded, "--supervisor", "Supervisor", "--reason", "meeting"]) == 0
    capsys.readouterr()
    return blinded


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = run_cli(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ok(capsys, *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 0, out + err
    return out


def refused(capsys, *args: str) -> str:
    code, out, err = run(capsys, *args)
    assert code == 2, out + err
    assert "Traceback" not in err
    return err


def listing(capsys, project: str, *args: str) -> list[dict]:
    return json.loads(ok(capsys, "disagreements", project, "--format", "json", *args))[
        "disagreements"
    ]


# --- review ---------------------------------------------------------------------------


def test_review_starts_then_refreshes(capsys, project):
    out = ok(capsys, "review", project, "--coders", "Coder A,Coder B")
    assert out.startswith("Review 1: Coder A and Coder B, sentence units (started)\n")
    added, accepted = map(int, re.search(r"(\d+) new .* (\d+) agreements accepted", out).groups())
    assert added > 20 and accepted > 100
    assert f"progress: 0 of {added} resolved; {added} open" in out
    code, out, err = run(capsys, "review", project, "--no-auto-accept")  # default coders
    assert code == 0 and "(refreshed)" in out and "0 new disagreements" in out
    assert "options stay as they were" in err


def test_review_options_and_character_unit(capsys, project):
    ok(
        capsys,
        "review",
        project,
        "--unit",
        "character",
        "--no-auto-accept",
        "--reason-required",
        "take_a,take_b",
    )
    [item] = listing(capsys, project, "--unit", "character")[:1]
    assert "give a reason for 'take a'" in refused(
        capsys, "resolve", project, str(item["id"]), "--take", "a"
    )
    assert "--reason-required: unknown maybe" in refused(
        capsys, "review", project, "--reason-required", "both,maybe"
    )


def test_review_is_refused_to_a_coder_and_needs_two_coders(capsys, project):
    assert "only a supervisor can make consensus decisions ('Coder A' is a coder)" in refused(
        capsys, "review", project, "--supervisor", "Coder A"
    )
    assert "--coders: give two names" in refused(capsys, "review", project, "--coders", "Coder A")


def test_blinded_project_is_refused_with_exit_code_2(before_meeting):
    for verb in ("disagreements", "review", "decisions", "negotiated"):
        result = ketqual(verb, str(before_meeting), check=False)
        assert result.returncode == 2, verb
        assert "the project is blinded; a supervisor must unblind it" in result.stderr
        assert result.stdout == ""


# --- disagreements ----------------------------------------------------------------------


def test_disagreements_starts_a_review_when_there_is_none(capsys, project):
    code, out, err = run(capsys, "disagreements", project)
    assert code == 0
    assert re.search(r"started review 1: .* as Supervisor: \d+ disagreements; \d+ agreements", err)
    assert "went into the consensus layer" in err
    lines = out.splitlines()
    assert lines[0].startswith("Review 1: Coder A and Coder B, sentence units · 0 of ")
    assert lines[2].split() == ["id", "status", "kind", "document", "span", "passage"]
    assert re.match(r"\s+1  open\s+\S", lines[3])
    assert lines[4].strip().startswith("A: ") and lines[5].strip().startswith("B: ")
    assert any(line.strip().startswith("memo ") for line in lines)
    # a second listing finds the review and says nothing on stderr
    code, again, err = run(capsys, "disagreements", project)
    assert code == 0 and err == "" and again == out


def test_disagreements_as_json_and_csv_with_full_passages(capsys, project, tmp_path):
    items = listing(capsys, project)
    first = items[0]
    assert set(first) >= {"id", "status", "kind", "document", "start", "end", "codes"}
    assert set(first) >= {"coder_a", "coder_b", "passage", "memos"}
    kinds = {i["kind"] for i in items}
    assert kinds == {"a_only", "b_only", "boundary", "different_code"}
    long = max(items, key=lambda i: len(i["passage"]))
    assert len(long["passage"]) == long["end"] - long["start"] > 80

    target = tmp_path / "queue.csv"
    assert f"Wrote {len(items)} disagreements to {target}" in ok(
        capsys, "disagreements", project, "-o", str(target)
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == [i["id"] for i in items]
    assert rows[items.index(long)]["passage"] == long["passage"]
    stdout_csv = ok(capsys, "disagreements", project, "--format", "csv")
    assert stdout_csv.splitlines()[0].startswith("id,status,resolution,kind,document")


def test_disagreements_filters_by_status_and_coders(capsys, project):
    items = listing(capsys, project)
    ok(capsys, "resolve", project, str(items[0]["id"]), "--defer", "--reason", "ask the scribe")
    deferred = listing(capsys, project, "--status", "deferred")
    assert [i["id"] for i in deferred] == [items[0]["id"]]
    assert listing(capsys, project, "--status", "resolved") == []
    assert "--status: unknown closed" in refused(
        capsys, "disagreements", project, "--status", "closed"
    )
    empty = ok(capsys, "disagreements", project, "--status", "obsolete")
    assert "(no disagreements with that status)" in empty
    assert "no coder called 'Nobody'" in refused(
        capsys, "disagreements", project, "--coders", "Coder A,Nobody"
    )


# --- resolve ----------------------------------------------------------------------------


def test_resolve_take_defer_undo(capsys, project):
    items = listing(capsys, project)
    a_only = next(i for i in items if i["kind"] == "a_only")
    out = ok(capsys, "resolve", project, str(a_only["id"]), "--take", "a")
    assert out.startswith("Take A: A only (")
    assert f"1 of {len(items)} resolved" in out
    assert "already resolved; undo that decision first" in refused(
        capsys, "resolve", project, str(a_only["id"]), "--take", "b"
    )
    out = ok(capsys, "resolve", project, str(a_only["id"]), "--undo", "--reason", "misread")
    assert out.startswith(f"Undid 'Take A' on disagreement {a_only['id']}")
    ok(capsys, "resolve", project, str(a_only["id"]), "--defer")
    out = ok(
        capsys,
        "resolve",
        project,
        str(a_only["id"]),
        "--take",
        "neither",
        "--reason",
        "a passing mention",
        "--dissent",
        "Coder A would keep it",
    )
    assert out.startswith("Neither: A only (") and f"1 of {len(items)} resolved\n" in out
    [entry] = [r for r in _log_rows(capsys, project) if r["action"] == "Neither"]
    assert (entry["reason"], entry["dissent"]) == ("a passing mention", "Coder A would keep it")


def test_resolve_edit_with_spans(capsys, project):
    item = listing(capsys, project)[0]
    code = item["codes"][0]
    start, end = item["start"], item["end"]
    span = f"{code}:{start}-{end}"
    ok(
        capsys,
        "resolve",
        project,
        str(item["id"]),
        "--take",
        "edit",
        "--span",
        span,
        "--reason",
        "r",
    )
    [entry] = [r for r in _log_rows(capsys, project) if r["action"] == "Edited"]
    assert entry["consensus_added"] == f"{code.split('/')[-1]} {start}-{end}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--take", "both"), "give a reason for 'both'; it goes into the decision log"),
        (("--take", "edit", "--reason", "r"), "an edit needs at least one code and span"),
        (("--take", "edit", "--span", "Cost:ten-20", "--reason", "r"), "--span: cannot read"),
        (("--take", "edit", "--span", "Cost 10-20", "--reason", "r"), "--span: cannot read"),
        (("--take", "edit", "--span", "Nope:10-20", "--reason", "r"), "no code called 'Nope'"),
        (("--take", "edit", "--span", "Cost:20-10", "--reason", "r"), "inside the document"),
        (("--take", "a", "--span", "Cost:10-20"), "--span goes with --take edit"),
        (("--take", "a", "--supervisor", "Coder B"), "only a supervisor"),
        (("--undo",), "has no decision to undo"),
    ],
)
def test_resolve_errors(capsys, project, args, message):
    item = listing(capsys, project)[0]
    assert message in refused(capsys, "resolve", project, str(item["id"]), *args)


def test_unknown_id_and_supervisor_choice(capsys, project):
    listing(capsys, project)
    assert "there is no disagreement with id 9999" in refused(
        capsys, "resolve", project, "9999", "--take", "a"
    )
    ok(capsys, "coder", "add", project, "Second Chair", "--role", "supervisor")
    err = refused(capsys, "resolve", project, "1", "--take", "a")
    assert "2 supervisors (Second Chair, Supervisor); say who decides with --supervisor" in err
    assert "Take A" in ok(
        capsys, "resolve", project, "1", "--take", "a", "--supervisor", "Second Chair"
    )


def test_no_supervisor_at_all(capsys, tmp_path):
    path = str(tmp_path / "empty.ketqual")
    ok(capsys, "new", path)
    ok(capsys, "coder", "add", path, "Coder A")
    ok(capsys, "coder", "add", path, "Coder B")
    assert "the project has no supervisor" in refused(capsys, "review", path)


# --- decisions, codebook-decision, negotiated -------------------------------------------


def _log_rows(capsys, project) -> list[dict]:
    path = f"{project}-log.csv"
    ok(capsys, "decisions", project, "-o", path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_decisions_table_csv_and_xlsx(capsys, project, tmp_path):
    assert "The decision log is empty" in ok(capsys, "decisions", project)
    items = listing(capsys, project)
    boundary = next(i for i in items if i["kind"] == "boundary")
    ok(capsys, "resolve", project, str(boundary["id"]), "--take", "both", "--reason", "same point")
    table = ok(capsys, "decisions", project)
    assert "Agreements accepted" in table and "reason: same point" in table
    assert "into the consensus: " in table

    out = ok(capsys, "decisions", project, "-o", str(tmp_path / "log.csv"))
    assert "Wrote the decision log (2 entries)" in out
    rows = list(csv.DictReader(io.StringIO((tmp_path / "log.csv").read_text("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["Agreements accepted", "Both"]
    assert rows[1]["passage"] == boundary["passage"]
    assert int(rows[1]["disagreement"]) == boundary["id"]

    ok(capsys, "decisions", project, "-o", str(tmp_path / "log.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "log.xlsx", read_only=True)
    sheet = book["Decision log"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    book.close()
    assert values[0][0] == "Decision" and values[2][11] == "same point"
    assert "write the decision log as .csv or .xlsx" in refused(
        capsys, "decisions", project, "-o", str(tmp_path / "log.pdf")
    )
    assert not (tmp_path / "log.pdf").exists()


def test_codebook_decisions(capsys, project):
    listing(capsys, project)  # start the review: a codebook decision refreshes it
    out = ok(
        capsys,
        "codebook-decision",
        project,
        "rename",
        "Cost",
        "--name",
        "Costs",
        "--reason",
        "the group talked about time as well as money",
    )
    assert "Costs" in out and "Review 1: Coder A and Coder B, sentence units refreshed" in out
    out = ok(
        capsys,
        "codebook-decision",
        project,
        "merge",
        "Monitoring/National monitoring and data privacy",
        "--into",
        "Monitoring",
        "--reason",
        "too few passages to keep apart",
    )
    assert "National monitoring and data privacy" in out
    ok(
        capsys,
        "codebook-decision",
        project,
        "redefine",
        "Costs",
        "--definition",
        "Money, time or earnings lost to treatment.",
        "--reason",
        "clarify",
    )
    ok(
        capsys,
        "codebook-decision",
        project,
        "split",
        "Costs",
        "--name",
        "Lost time",
        "--reason",
        "two ideas",
    )
    actions = [r["action"] for r in _log_rows(capsys, project)]
    for action in ("rename", "merge", "redefine", "split"):
        assert f"Codebook: {action}" in actions
    assert "give a reason for a codebook decision" in refused(
        capsys, "codebook-decision", project, "rename", "Costs", "--name", "X"
    )
    assert "a merge needs the code to merge into" in refused(
        capsys, "codebook-decision", project, "merge", "Costs", "--reason", "r"
    )
    assert "no code called 'Nope'" in refused(
        capsys, "codebook-decision", project, "rename", "Nope", "--name", "X", "--reason", "r"
    )
    assert "only a supervisor" in refused(
        capsys,
        "codebook-decision",
        project,
        "rename",
        "Costs",
        "--name",
        "X",
        "--reason",
        "r",
        "--supervisor",
        "Coder A",
    )


def test_negotiated_agreement(capsys, project):
    assert "no consensus review matches" in refused(capsys, "negotiated", project)
    for item in listing(capsys, project):
        ok(capsys, "resolve", project, str(item["id"]), "--take", "a")
    out = ok(capsys, "negotiated", project, "--coders", "Coder A,Coder B", "--unit", "sentence")
    assert out.startswith("Negotiated agreement · Review 1: Coder A and Coder B")
    lines = {line.split("  ")[1].strip(): line for line in out.splitlines() if "–" in line}
    assert set(lines) == {
        "Coder A – Coder B (before)",
        "Coder A – consensus (after)",
        "Coder B – consensus (after)",
    }
    after_a = lines["Coder A – consensus (after)"].split()
    assert "100.0" in after_a and "1.000" in after_a
    assert "no consensus review matches" in refused(
        capsys, "negotiated", project, "--unit", "character"
    )


def test_the_demo_meeting_from_the_command_line(tmp_path):
    """The full demo opens on a meeting in progress that the verbs can read."""
    path = tmp_path / "demo.ketqual"
    out = ketqual("demo", str(path)).stdout
    assert re.search(r"consensus meeting in progress: \d+ of \d+ resolved \(3 deferred\)", out)
    queue = json.loads(ketqual("disagreements", str(path), "--format", "json").stdout)
    statuses = {i["status"] for i in queue["disagreements"]}
    assert statuses == {"open", "deferred", "resolved"}
    assert queue["review"]["counts"]["deferred"] == 3
    log = ketqual("decisions", str(path)).stdout
    assert "dissent: " in log and "Deferred" in log


def test_consensus_verbs_never_import_qt(before_meeting, tmp_path):
    path = tmp_path / "copy.ketqual"
    shutil.copy(before_meeting, path)
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"p = {str(path)!r}\n"
        "assert run_cli(['unblind', p, '--supervisor', 'Supervisor', '--reason', 'r']) == 0\n"
        "assert run_cli(['review', p]) == 0\n"
        "assert run_cli(['disagreements', p, '--format', 'json']) == 0\n"
        "assert run_cli(['resolve', p, '1', '--take', 'b']) == 0\n"
        "assert run_cli(['decisions', p]) == 0\n"
        "assert run_cli(['negotiated', p]) == 0\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
