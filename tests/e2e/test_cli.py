"""The CLI as a user runs it: a subprocess per verb, exit codes and output checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ketqual(
    *args: str, check: bool = True, stdin: str | None = None
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "ketqual", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        input=stdin,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.ketqual"
    result = ketqual("demo", str(path))
    assert "21" in result.stdout
    return path


def test_help_lists_the_verbs():
    out = ketqual("--help").stdout
    for verb in ("new", "import", "info", "codebook", "code", "document", "demo", "audit", "gui"):
        assert verb in out


def test_cli_verbs_never_import_qt(demo):
    code = (
        "import sys\n"
        "from ketqual.cli.main import run_cli\n"
        f"run_cli(['info', {str(demo)!r}])\n"
        "run_cli(['codebook', %r, '--list'])\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'\n"
        "assert 'spacy' not in sys.modules, 'spaCy was imported for a read-only verb'\n"
    ) % str(demo)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_demo_project_has_the_whole_consultation_day(demo):
    info = json.loads(ketqual("info", str(demo), "--json").stdout)
    notes = [d for d in info["documents"] if d["kind"] == "scribe_notes"]
    feedback = [d for d in info["documents"] if d["kind"] == "feedback_sheet"]
    assert len(notes) == 21
    assert sorted((d["session"], d["group"]) for d in notes) == [
        (s, g) for s in (1, 2, 3) for g in range(1, 8)
    ]
    assert feedback and all(d["session"] and d["group"] for d in feedback)
    assert len(info["cases"]) == 21
    assert len(info["codes"]) == 23
    for d in info["documents"]:
        assert d["characters"] > 100 and d["sentences"] > 3 and d["paragraphs"] > 1
        assert len(d["sha256"]) == 64 and d["id"] and d["title"]
    encodings = {d["source_name"]: d["encoding"] for d in info["documents"]}
    assert "1252" in (encodings["S1_G4_scribe.txt"] or "")


def test_new_import_info_round_trip(tmp_path):
    project = tmp_path / "study.ketqual"
    ketqual("new", str(project), "--name", "My study")
    notes = tmp_path / "S2_G5_scribe.txt"
    notes.write_text(
        "Session 2 – Group 5\n- P14: “ketamine gave me my evenings back”.\n", encoding="utf-8"
    )
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = ketqual("import", str(project), str(notes), str(bad), check=False)
    assert result.returncode == 1  # one file failed
    assert "imported  S2_G5_scribe.txt: 1 document" in result.stdout
    assert "failed    empty.txt: " in result.stdout
    assert "1 imported, 0 skipped, 1 failed" in result.stdout
    info = json.loads(ketqual("info", str(project), "--json").stdout)
    [doc] = info["documents"]
    assert (doc["session"], doc["group"], doc["kind"]) == (2, 5, "scribe_notes")
    # Same file again without a terminal: skipped, and said so.
    again = ketqual("import", str(project), str(notes))
    assert "skipped   S2_G5_scribe.txt: already imported" in again.stdout
    text = ketqual("info", str(project)).stdout
    assert "My study" in text and "Monitoring" in text


def test_codebook_export_edit_import_and_code_verbs(tmp_path):
    project = tmp_path / "p.ketqual"
    ketqual("new", str(project))
    book = tmp_path / "book.json"
    ketqual("codebook", str(project), "--export", str(book))
    data = json.loads(book.read_text(encoding="utf-8"))
    assert data["format"] == "ketqual-codebook" and len(data["codes"]) == 10
    ketqual("code", str(project), "add", "Hope", "--shortcut", "1", check=False)  # key taken
    assert (
        "Added code 'Cost/Prescription charges'"
        in ketqual("code", str(project), "add", "Prescription charges", "--parent", "Cost").stdout
    )
    assert (
        "Renamed"
        in ketqual("code", str(project), "rename", "Cost/Prescription charges", "Charges").stdout
    )
    ketqual("code", str(project), "recolour", "Cost/Charges", "#112233")
    ketqual("code", str(project), "define", "Cost/Charges", "--definition", "Money paid per dose.")
    ketqual("code", str(project), "move", "Cost/Charges", "--top")
    ketqual("code", str(project), "merge", "Charges", "Cost")
    ketqual("code", str(project), "retire", "Stigma")
    listing = ketqual("codebook", str(project), "--list").stdout
    assert "Charges" not in listing and "Stigma" in listing and "(retired)" in listing
    refused = ketqual("code", str(project), "rename", "No such code", "x", check=False)
    assert (
        refused.returncode == 2
        and "no code called" in refused.stderr
        and "Traceback" not in refused.stderr
    )
    ketqual("codebook", str(project), "--import", str(book))
    audit = ketqual("audit", str(project), "--json").stdout
    actions = [e["action"] for e in json.loads(audit)]
    for action in (
        "code.add",
        "code.rename",
        "code.recolour",
        "code.edit",
        "code.move",
        "code.merge",
        "code.retire",
        "codebook.import",
        "project.create",
    ):
        assert action in actions


def test_document_verb_edits_metadata(demo, tmp_path):
    info = json.loads(ketqual("info", str(demo), "--json").stdout)
    doc = info["documents"][0]
    ketqual(
        "document", str(demo), str(doc["id"]), "--notetaker", "scribe 9", "--date", "2018-03-18"
    )
    after = json.loads(ketqual("info", str(demo), "--json").stdout)["documents"][0]
    assert (after["notetaker"], after["date"]) == ("scribe 9", "2018-03-18")
    bad = ketqual("document", str(demo), "99999", "--title", "x", check=False)
    assert bad.returncode == 2 and "no document with id 99999" in bad.stderr


def test_opening_a_foreign_file_is_a_clear_refusal(tmp_path):
    fake = tmp_path / "fake.ketqual"
    fake.write_text("not a database")
    result = ketqual("info", str(fake), check=False)
    assert result.returncode == 2
    assert "not a KetQual project" in result.stderr and "Traceback" not in result.stderr


def test_gui_screenshot_of_the_demo(demo, tmp_path):
    shot = tmp_path / "window.png"
    env_code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from ketqual.__main__ import main\n"
        f"sys.exit(main(['gui', {str(demo)!r}, '--screenshot', {str(shot)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", env_code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000


def test_output_piped_into_head_ends_quietly(demo):
    process = subprocess.Popen(
        [sys.executable, "-m", "ketqual", "info", str(demo)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.read(20)
    process.stdout.close()  # like `| head -c 20`
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert b"Traceback" not in err


def test_every_action_has_help_and_no_help_prints_a_double_percent():
    import argparse

    from ketqual.cli.main import build_parser

    problems = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        if "%%" in parser.format_help():
            problems.append(f"{path}: %%")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest for choice in action._choices_actions}
                for name, sub in action.choices.items():
                    if name not in helped:  # argparse leaves it out of the list
                        problems.append(f"{path} {name}: no help")
                    walk(sub, f"{path} {name}")

    walk(build_parser(), "ketqual")
    assert problems == []
    code_help = build_parser()._subparsers._group_actions[0].choices["code"].format_help()
    for action in ("rename", "recolour", "move", "retire", "restore", "delete"):
        assert f"    {action} " in code_help


def test_gui_help_lists_every_window(capsys):
    from ketqual.gui.app_args import parse_args
    from ketqual.gui.places import PLACES

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    windows = [name for name, (_method, window) in PLACES.items() if window is not None]
    assert "privacy" in windows
    assert f"open a window as its menu does: {', '.join(windows)}" in out


def test_info_counts_in_the_singular_too(capsys):
    from ketqual.cli import output

    info = {
        "name": "Pilot",
        "location": "pilot.ketqual",
        "backend": "sqlite",
        "schema": "0006",
        "documents": [],
        "cases": [{}],
        "codes": [],
        "coders": [{"name": "Ann", "role": "coder", "codings": 1}],
        "consensus_codings": 0,
    }
    output.print_info(info)
    out = capsys.readouterr().out
    assert "Ann (coder): 1 coding\n" in out and "1 coder\n" in out and "1 focus group\n" in out
    assert "consensus layer: 0 codings" in out
