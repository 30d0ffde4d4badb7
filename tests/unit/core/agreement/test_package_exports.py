"""The engine's package loads its names on first use, and every name it lists is there."""

from __future__ import annotations

import subprocess
import sys

import ketqual.core.agreement as agreement
from ketqual.core.agreement import interpret, names, report_input


def test_every_listed_name_resolves_to_what_its_module_defines():
    assert set(agreement.__all__) == set(agreement._EXPORTS) | {"Band", "interpret", "Statistic"}
    for name in agreement.__all__:
        value = getattr(agreement, name)
        assert value is not None
        assert name in dir(agreement)
    assert callable(agreement.interpret) and agreement.interpret(0.9).label == "almost perfect"
    assert interpret(0.5).scheme == "landis-koch"


def test_unknown_names_raise_attribute_error():
    try:
        agreement.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")


def test_the_choices_live_apart_from_the_engine():
    assert report_input.LEVELS is names.LEVELS and report_input.UNIT_KINDS is names.UNIT_KINDS
    code = (
        "import sys\n"
        "from ketqual.core.agreement import explain, names\n"
        "assert explain.STATISTICS and names.UNIT_KINDS\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
