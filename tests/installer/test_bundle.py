"""Build the Linux bundle with installer/build.sh, smoke-test it, check the tarball.

Slow (about two minutes on two cores). PyInstaller comes with the `installer` extra, which
scripts/setup.sh installs; without it the test is skipped, unless KETQUAL_REQUIRE_BUNDLE=1
(CI sets it) turns that into a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ketqual import __version__

ROOT = Path(__file__).resolve().parents[2]
# The target for KetQual itself. Optional components the build environment brings
# (PostgreSQL driver, cryptography, keyring: about 20 MB) are measured apart by build.sh.
SIZE_LIMIT_MB = 250

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if os.environ.get("KETQUAL_REQUIRE_BUNDLE") == "1":
            pytest.fail(
                "PyInstaller is required (KETQUAL_REQUIRE_BUNDLE=1): pip install .[installer]"
            )
        pytest.skip("PyInstaller is not installed (pip install .[installer])")
    out = tmp_path_factory.mktemp("bundle")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "KETQUAL_BUILD_DIR": str(out / "build"),
        "KETQUAL_DIST_DIR": str(out / "dist"),
        "KETQUAL_SMOKE_RUNS": "2",
    }
    done = subprocess.run(
        ["bash", str(ROOT / "installer" / "build.sh")],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out / "dist", done.stdout


def test_build_smoke_test_passes(built):
    _dist, log = built
    steps = ("demo", "network", "matrix", "export-qdpx", "import-qdpx", "votes-figure")
    for step in (*steps, "agreement", "crosstab", "key", "app-smoke-1"):
        assert f"ok: {step}\n" in log
    assert "ok: a missing project fails the smoke run" in log
    assert re.search(r"^RESULT ok size_mb=\d+ optional_mb=\d+ start_ms=\d+,\d+$", log, re.M)


def test_bundle_is_lean(built):
    dist, log = built
    found = re.search(r"size_mb=(\d+) optional_mb=(\d+)", log)
    size_mb, optional_mb = int(found[1]), int(found[2])
    # The whole bundle, server driver and encryption included (cryptography and keyring are
    # dependencies of coder packages and server passwords, not extras).
    assert size_mb < SIZE_LIMIT_MB, f"{size_mb} MB, of which {optional_mb} MB server/crypto"
    internal = dist / "ketqual" / "_internal"
    # blis.py's second copy of the BLIS kernels is replaced by installer/lean/blis_py.py.
    assert not list((internal / "blis").glob("py.*")) and list((internal / "blis").glob("cy.*"))
    # Unused Qt modules and spaCy languages stayed out.
    assert not list(internal.rglob("libQt6WebEngine*")) and not list(internal.rglob("libQt6Qml*"))
    assert not (internal / "spacy" / "lang" / "de").exists()
    # Dev tools stayed out: mypy (which pydantic's and thinc's mypy plugins import) with its
    # parser and runtime, and QtNetwork's library, which nothing in the bundle links.
    for dev_only in ("mypy", "mypyc", "ast_serialize", "librt"):
        assert not (internal / dev_only).exists(), dev_only
    assert not list(internal.glob("*__mypyc*")) and not list(internal.rglob("libQt6Network*"))
    assert (internal / "ketqual" / "store" / "migrations" / "env.py").exists()


def test_tarball_holds_programs_desktop_entry_and_installer(built, tmp_path):
    dist, _log = built
    tarballs = list(dist.glob(f"ketqual-{__version__}-linux-*.tar.gz"))
    assert len(tarballs) == 1
    with tarfile.open(tarballs[0]) as archive:
        archive.extractall(tmp_path, filter="tar")
    top = next(tmp_path.iterdir())
    assert (top / "ketqual").is_file() and (top / "ketqual-cli").is_symlink()
    desktop = (top / "share" / "ketqual.desktop").read_text(encoding="utf-8")
    assert "MimeType=application/x-ketqual;application/x-ketqual-package;" in desktop
    assert "Icon=ketqual" in desktop
    mime = ET.parse(top / "share" / "ketqual-mime.xml").getroot()
    assert [t.get("type") for t in mime] == [
        "application/x-ketqual",
        "application/x-ketqual-package",
    ]
    assert (top / "THIRD-PARTY-LICENSES.txt").read_text(encoding="utf-8").count("SQLAlchemy") >= 1

    # install.sh puts everything under the given data folder and the CLI works from there.
    data, bin_dir = tmp_path / "data", tmp_path / "bin"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "KETQUAL_BIN_DIR": str(bin_dir)}
    subprocess.run(["sh", str(top / "install.sh")], check=True, env=env, capture_output=True)
    installed = (data / "applications" / "ketqual.desktop").read_text(encoding="utf-8")
    assert f'Exec="{data}/ketqual/ketqual" %f' in installed
    assert (data / "mime" / "packages" / "ketqual.xml").exists()
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / "ketqual.png").exists()
    version = subprocess.run(
        [str(bin_dir / "ketqual-cli"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"KetQual {__version__}"
    subprocess.run(
        ["sh", str(top / "install.sh"), "--uninstall"], check=True, env=env, capture_output=True
    )
    assert not (data / "ketqual").exists() and not (bin_dir / "ketqual").exists()
