"""Every window and dialog fits a laptop screen: opened offscreen at 1366×768 and 1280×720."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", ["1366x768", "1280x720"])
def test_every_window_and_dialog_fits(size, tmp_path):
    out = tmp_path / "fit.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "tests.gui.fit_check", size, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert {"main", "guide", "agreement", "consensus", "network", "framework"} <= set(report)
    assert len(report) >= 15  # the windows and the dialogs
    misfits = {name: problems for name, problems in report.items() if problems}
    assert misfits == {}
