"""The plain wheel carries everything KetQual needs at run time: build it, install it in a
fresh virtual environment and run ``ketqual demo`` from there.

Slow (a wheel build and a venv; about a minute). No network: the wheel is built without
build isolation, and the fresh environment sees the already-installed dependencies through
one path line (not the shared environment's own ``.pth`` files, so the editable checkout is
not on the path: only the wheel's copy of KetQual can answer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from ketqual import __version__

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

#: Package data a plain install must find (resources and migrations).
NEEDED = (
    "ketqual/resources/codebooks/ketamine-framework.json",
    "ketqual/resources/demo/codings.json",
    "ketqual/resources/demo/S1_G1_scribe.txt",
    "ketqual/resources/icons/ketqual-256.png",
    "ketqual/resources/licences/GPL-3.0.txt",
    "ketqual/store/migrations/env.py",
    "ketqual/store/migrations/versions/0001_initial_schema.py",
)


def _run(*args: str | Path, env: dict | None = None, cwd: Path = ROOT, timeout: int = 600):
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the sources, so the checkout gets no build/ or egg-info."""
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(
        ROOT / "ketqual", source / "ketqual", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--wheel-dir",
        out,
        source,
    )
    [built] = out.glob("ketqual-*.whl")
    return built


def test_the_wheel_holds_the_package_data(wheel):
    assert wheel.name.startswith(f"ketqual-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in NEEDED if n not in names]
    assert not missing, f"not in the wheel: {missing}"
    assert not any(n.startswith(("tests/", "bench/", "installer/")) for n in names)


def test_ketqual_demo_runs_from_the_installed_wheel(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        ).stdout.strip()
    )
    # The dependencies already installed here, visible as one plain path entry.
    (site / "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, env=env)

    where = _run(
        python,
        "-c",
        "import ketqual, ketqual.ops.resources as r; "
        "print(ketqual.__file__); print(r.resources_dir())",
        env=env,
        cwd=tmp_path,
    ).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where  # the wheel's copy
    assert (Path(where[1]) / "icons" / "ketqual-256.png").exists()

    project = tmp_path / "demo.ketqual"
    done = _run(env_dir / "bin" / "ketqual", "demo", project, env=env, cwd=tmp_path)
    assert "consensus layer" in done.stdout
    info = _run(env_dir / "bin" / "ketqual", "info", project, "--json", env=env, cwd=tmp_path)
    assert '"documents"' in info.stdout and "Ketamine" not in info.stderr
