"""What a process loads before it does anything: a fast start means importing only what a
verb needs (docs/performance-startup.md).

Each check runs in a fresh interpreter and reads ``sys.modules`` there, so nothing this
test process imported can hide an import.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ketqual.cli.verbs import MODULE_OF_VERB
from tests.e2e.test_cli import ROOT, ketqual

HEAVY = ("sqlalchemy", "numpy", "PySide6", "alembic", "mako")

# Run every verb with a bad option in one interpreter (argparse exits with 2 each time)
# and report, after each, which heavy packages have been imported so far.
PROBE = r"""
import json, sys
from ketqual.__main__ import main

HEAVY = %r
seen = {}

def heavy():
    return sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))

for argv in json.loads(sys.argv[1]):
    try:
        main(argv)
    except SystemExit:
        pass
    seen[" ".join(argv)] = heavy()
print(json.dumps(seen))
"""


def probe(runs: list[list[str]]) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), json.dumps(runs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def verbs(sorted_: bool = True) -> list[str]:
    """Every verb of the whole parser (each verb module's ``register``)."""
    from ketqual.cli.main import build_parser

    parser = build_parser()
    [sub] = [a for a in parser._actions if a.dest == "verb"]
    return sorted(sub.choices) if sorted_ else list(sub.choices)


def test_help_imports_no_database_layer_numpy_or_qt():
    assert probe([["--help"]]) == {"--help": []}


# What ``main`` loads beyond a bare interpreter, and which of it is KetQual's, in a fresh
# interpreter after each command line (argparse exits with 0 or 2 each time).
LISTING_PROBE = r"""
import json, sys
bare = set(sys.modules)
from ketqual.__main__ import main

try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
extra = set(sys.modules) - bare
print(json.dumps([len(extra), sorted(m for m in extra if m.startswith("ketqual"))]))
"""
LISTING_MODULES = [
    "ketqual",
    "ketqual.__main__",
    "ketqual.cli",
    "ketqual.cli.main",
    "ketqual.cli.verbs",
    "ketqual.startup",
]


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["--as", "Ann"], ["agreemnet", "P"], ["--as", "Ann", "-h"]]
)
def test_help_and_mistyped_verbs_list_the_verbs_without_loading_their_modules(argv):
    result = subprocess.run(
        [sys.executable, "-c", LISTING_PROBE, json.dumps(argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, ketqual_modules = json.loads(result.stdout.strip().splitlines()[-1])
    # No verb module (nor the core, io and ops modules their options import), hence no
    # database layer, numpy or Qt either.
    assert ketqual_modules == LISTING_MODULES
    # 18 modules beyond a bare interpreter when this was written (argparse, gettext,
    # locale, shutil, textwrap ...; `--help` was 176 modules in all, 82 now, a bare
    # `python -c pass` 64): a verb module brings 30 or more.
    assert count <= 30, count


def test_argument_errors_of_every_verb_import_nothing_heavy():
    names = verbs()
    assert {"agreement", "info", "network", "matrix", "review", "pack", "copy"} <= set(names)
    runs = [["--help"], *([verb, "--no-such-option"] for verb in names)]
    runs += [[verb, "--help"] for verb in names if verb != "gui"]
    runs.append(["agreement", "P", "--level", "nonsense"])
    seen = probe(runs)
    assert {run: loaded for run, loaded in seen.items() if loaded} == {}


def test_a_mistyped_verb_is_refused_without_loading_anything_heavy():
    result = ketqual("agreemnet", "P", check=False)
    assert result.returncode == 2 and "invalid choice: 'agreemnet'" in result.stderr
    assert probe([["agreemnet", "P"]]) == {"agreemnet P": []}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup") / "demo.ketqual"
    ketqual("demo", str(path))
    return path


def loaded_by(code: str) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    wrapped = f"{code}\nimport sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", wrapped], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_a_current_project_opens_without_the_migration_machinery(project):
    loaded = loaded_by(
        "from ketqual.cli.main import run_cli\n"
        f"assert run_cli(['info', {str(project)!r}]) == 0\n"
        f"assert run_cli(['agreement', {str(project)!r}, '--replicates', '0']) == 0"
    )
    assert "sqlalchemy" in loaded and "numpy" in loaded  # the check is not vacuous
    assert not loaded & {"alembic", "mako", "PySide6", "openpyxl", "spacy", "networkx"}


def test_the_main_window_loads_import_and_server_code_only_when_used(project):
    loaded = loaded_by(
        "import os\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "from ketqual.gui import app\n"
        f"assert app.run_app(['--smoke', {str(project)!r}]) == 0\n"
        "import sys\n"
        "gui = [m for m in sys.modules if m.startswith('ketqual.')]\n"
        "assert 'ketqual.gui.main_window' in gui\n"
        "late = {'ketqual.gui.team.server_dialog', 'ketqual.gui.importing.import_dialogs',\n"
        "        'ketqual.ops.importing.import_ops', 'ketqual.ops.coding.codings_io',\n"
        "        'ketqual.gui.agreement.agreement_window', 'ketqual.ops.privacy.outgoing',\n"
        "        'ketqual.core.privacy.detector', 'ketqual.store.repo_network',\n"
        "        'ketqual.store.repo_votes', 'ketqual.store.repo_retrieval',\n"
        "        'ketqual.ops.team.package_merge', 'ketqual.gui.privacy.export_guard',\n"
        "        'ketqual.gui.exchange.exchange_dialogs', 'ketqual.ops.importing.document_ops',\n"
        "        'ketqual.gui.coding.document_dialog'}\n"
        "assert not late & set(gui), late & set(gui)"
    )
    assert not loaded & {"alembic", "mako", "numpy", "charset_normalizer", "openpyxl"}


def test_the_review_window_opens_without_the_agreement_engine(project):
    """The consensus window's first opening imports its own modules only: the agreement
    engine and numpy (0.15 s) load when the before/after figures are computed."""
    loaded = loaded_by(
        "import os\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ketqual.gui.consensus.consensus_window import ConsensusWindow\n"
        "from ketqual.gui.runner import OperationRunner\n"
        "from ketqual.ops import project_ops\n"
        f"project = project_ops.open_project({str(project)!r}, backup=False)\n"
        "window = ConsensusWindow(OperationRunner(project), None)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.queue.rowCount() > 0  # the demo's meeting in progress\n"
        "import sys\n"
        "assert 'ketqual.ops.agreement.agreement_ops' not in sys.modules"
    )
    assert "PySide6" in loaded and "sqlalchemy" in loaded  # the window did open
    assert "numpy" not in loaded


LIKE_FOR_LIKE = (
    "'agreement', P, '--coders', 'Coder A', 'Coder B', '--level', 'subtheme', "
    "'--unit', 'character', '--replicates', '0', '-o', OUT"
)
# What no agreement report to JSON needs (file formats, other features' libraries).
NOT_FOR_AGREEMENT = {
    "scipy",
    "pandas",
    "openpyxl",
    "docx",
    "jinja2",
    "networkx",
    "spacy",
    "charset_normalizer",
    "xmlschema",
    "cryptography",
    "keyring",
    "alembic",
    "mako",
    "PySide6",
    "pypdf",
    "striprtf",
}


def test_each_verb_is_registered_by_the_module_the_command_line_loads_for_it():
    import argparse
    import importlib

    from ketqual.cli.verbs import VERBS_OF_MODULE

    # The table ``--help`` lists the verbs from: each module's verbs, in their order, with
    # the summaries their real sub-parsers have.
    for name, listed in VERBS_OF_MODULE.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="verb")
        importlib.import_module(f"ketqual.cli.{name}").register(sub)
        registered = tuple((action.dest, action.help) for action in sub._choices_actions)
        assert registered == listed, f"ketqual/cli/verbs.py, {name!r}: {registered!r}"
        assert list(sub.choices) == [verb for verb, _ in listed]
    assert list(MODULE_OF_VERB) == verbs(sorted_=False)


def test_the_listing_prints_what_the_whole_parser_prints(capsys):
    from ketqual.cli.main import build_parser, listing_parser

    whole, listing = build_parser(), listing_parser()
    assert listing.format_help() == whole.format_help()
    assert listing.format_usage() == whole.format_usage()
    for parser in (whole, listing):
        with pytest.raises(SystemExit):
            parser.parse_args(["agreemnet", "P"])
    errors = capsys.readouterr().err.splitlines()
    assert errors[:2] == errors[2:] and "invalid choice: 'agreemnet'" in errors[1]
    assert "(choose from 'gui', 'new', " in errors[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["--a", "Ann", "info", "--no-such-option"],  # an abbreviated --as: found by the listing
        ["--no-such-option", "info", "P"],
        ["--no-such-option"],
        ["--", "info"],
    ],
)
def test_a_verb_found_by_the_listing_is_parsed_by_its_real_parser(argv, capsys):
    from ketqual.cli.main import build_parser, run_cli

    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    whole = capsys.readouterr()
    try:
        code = run_cli(argv)
    except SystemExit as exc:
        code = exc.code
    assert (code, capsys.readouterr().err) == (exit_.value.code, whole.err)


def test_a_verb_without_a_handler_prints_the_help_of_every_verb(capsys):
    from ketqual.cli.main import build_parser, run_cli

    assert run_cli(["--as", "Ann", "gui"]) == 2  # the app starts from ketqual.__main__
    assert capsys.readouterr().out == build_parser().format_help()


def test_named_verb_is_found_only_when_certain():
    from ketqual.cli.main import named_verb

    assert named_verb(["agreement", "P", "--help"]) == "agreement"
    assert named_verb(["--as", "Ann", "info", "P"]) == "info"
    assert named_verb(["--as=Ann", "info", "P"]) == "info"
    assert named_verb(["--help"]) is None
    assert named_verb(["--version", "info"]) is None
    assert named_verb([]) is None


def test_the_like_for_like_agreement_loads_only_its_own_verb_and_no_file_formats(project, tmp_path):
    out = tmp_path / "out.json"
    code = (
        f"P, OUT = {str(project)!r}, {str(out)!r}\n"
        "from ketqual.__main__ import main\n"
        f"assert main([{LIKE_FOR_LIKE}]) == 0\n"
        "import sys\n"
        "cli = sorted(m for m in sys.modules if m.startswith('ketqual.cli.'))\n"
        "assert cli == ['ketqual.cli.agreement_commands', 'ketqual.cli.lazy',\n"
        "               'ketqual.cli.main', 'ketqual.cli.privacy_commands', 'ketqual.cli.verbs'], cli\n"
        "late = {'xml.sax.saxutils', 'urllib.request', 'ketqual.store.repo_network',\n"
        "        'ketqual.store.repo_framework', 'ketqual.store.repo_retrieval',\n"
        "        'ketqual.store.repo_votes', 'ketqual.store.repo_attributes',\n"
        "        'ketqual.core.network_figure', 'ketqual.core.votes'}\n"
        "assert not late & set(sys.modules), late & set(sys.modules)"
    )
    loaded = loaded_by(code)
    assert out.exists()
    assert {"sqlalchemy", "numpy"} <= loaded
    assert not loaded & NOT_FOR_AGREEMENT, loaded & NOT_FOR_AGREEMENT


def test_opening_a_project_loads_no_identifier_check(project):
    loaded = loaded_by(
        "from ketqual.cli.main import run_cli\n"
        f"assert run_cli(['info', {str(project)!r}]) == 0\n"
        "import sys\n"
        "late = {'ketqual.ops.privacy.outgoing', 'ketqual.core.privacy.detector'}\n"
        "assert not late & set(sys.modules), late & set(sys.modules)"
    )
    assert "sqlalchemy" in loaded


def test_the_app_paints_its_start_screen_before_the_database_layer_loads(project):
    """Run as the program, the app paints its start screen as soon as Qt is up, then imports
    the database layer with Python's own import function (PySide6's reads every module's
    source after importing it), then opens the window."""
    code = (
        "import builtins, os, sys, time\n"
        "os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')\n"
        "os.environ['KETQUAL_TRACE_START'] = repr(time.time())\n"
        "python_import = builtins.__import__\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in ('sqlalchemy', 'PySide6'):\n"
        "            plain = builtins.__import__ is python_import\n"
        "            print(f'ketqual start: 0 s import {name} plain={plain}', file=sys.stderr)\n"
        "sys.meta_path.insert(0, Watch())\n"
        "from ketqual.__main__ import main\n"
        f"sys.argv = ['ketqual', '--smoke', {str(project)!r}]\n"
        "sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    events = [
        line.split(" s ", 1)[1]
        for line in result.stderr.splitlines()
        if line.startswith("ketqual start: ")
    ]
    assert events == [
        "import PySide6 plain=True",
        "start screen painted",
        "import sqlalchemy plain=True",
        "window painted",
    ], result.stderr


def test_cli_option_values_match_the_operations():
    from ketqual.cli import framework_commands, network_commands
    from ketqual.core.records import CONSENSUS_LAYER
    from ketqual.ops.agreement import agreement_ops
    from ketqual.ops.framework import framework_ops
    from ketqual.ops.network import network_ops

    assert network_commands.NETWORK_FORMATS == network_ops.NETWORK_FORMATS
    assert network_commands.PICTURE_FORMATS == network_ops.PICTURE_FORMATS
    assert CONSENSUS_LAYER == agreement_ops.CONSENSUS == framework_ops.CONSENSUS
    assert framework_commands.CONSENSUS_LAYER == network_ops.CONSENSUS


def test_the_program_keeps_the_collector_out_of_its_start_and_exit(project, tmp_path):
    """Run as the program, a verb starts with the cycle collector off, freezes what start-up
    made and collects again once its project is open, and freezes the heap before exit;
    called with arguments (tests, benchmarks) ``main`` leaves the interpreter alone. The
    project is closed before exit: no ``-wal`` file is left beside it."""
    copy = tmp_path / "copy.ketqual"
    copy.write_bytes(project.read_bytes())
    out = tmp_path / "agreement.json"
    code = (
        "import gc, sys\n"
        "from ketqual.store import lifecycle\n"
        "from ketqual.__main__ import main\n"
        "seen = []\n"
        "opening = lifecycle.open_project\n"
        "def watched(*args, **kwargs):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count()))\n"
        "    return opening(*args, **kwargs)\n"
        "lifecycle.open_project = watched\n"
        f"assert main(['info', {str(copy)!r}]) == 0\n"
        "assert seen == [(True, 0)] and gc.isenabled() and gc.get_freeze_count() == 0\n"
        f"sys.argv = ['ketqual', 'agreement', {str(copy)!r}, '--replicates', '0', '-o', "
        f"{str(out)!r}]\n"
        "assert main() == 0\n"
        "print('seen', seen[1], 'after', gc.isenabled(), gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    words = result.stdout.split("seen")[-1].split()
    assert words[:2] == ["(False,", "0)"]  # off while starting, nothing frozen yet
    assert words[2:4] == ["after", "True"] and int(words[4]) > 10_000
    assert out.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["agreement.json", "copy.ketqual"]
