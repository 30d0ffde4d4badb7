"""Nothing leaves the machine: the main workflows run with the network guarded.

Any attempt to connect a socket to an internet address, or to look a host name up, fails
the test. The workflows run in this process (with ``socket`` patched) and, for the CLI,
in child processes that load a ``sitecustomize`` guard (``tests/data/netguard``) and log
every attempt to a file the test reads.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ketqual.io import key_file, package_file
from ketqual.ops import demo_ops, project_ops, undo_ops
from ketqual.ops.agreement import agreement_ops
from ketqual.ops.coding import coding_ops, codings_io
from ketqual.ops.consensus import consensus_decisions, consensus_ops, decision_log
from ketqual.ops.framework import framework_ops
from ketqual.ops.importing import import_ops
from ketqual.ops.network import network_ops
from ketqual.ops.privacy import key_ops, outgoing, review_ops
from ketqual.ops.team import package_merge, package_pack

ROOT = Path(__file__).resolve().parents[2]
GUARD = ROOT / "tests" / "data" / "netguard"
ALLOW = outgoing.CheckOptions(allow_reason="test run", supervisor="Supervisor")


@pytest.fixture
def no_network(monkeypatch):
    """Patch every way out; yield the list of attempts (the test asserts it stays empty)."""
    attempts: list[str] = []

    def refuse(what):
        def refused(*args, **kwargs):
            attempts.append(f"{what} {args[1:2] or args[:1]!r}")
            raise OSError(f"network access is not allowed in this test ({what})")

        return refused

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guarded(real, what):
        def call(self, address, *args):
            if self.family in (socket.AF_INET, socket.AF_INET6):
                return refuse(what)(self, address)
            return real(self, address, *args)

        return call

    monkeypatch.setattr(socket.socket, "connect", guarded(real_connect, "connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(real_connect_ex, "connect_ex"))
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr",
                 "create_connection"):  # fmt: skip
        monkeypatch.setattr(socket, name, refuse(name))
    monkeypatch.setattr(key_file, "SCRYPT_N", 2**14)
    monkeypatch.setattr(package_file, "SCRYPT_N", 2**14)
    yield attempts
    assert attempts == []


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(OSError, match="not allowed"):
        socket.create_connection(("example.org", 80))
    with pytest.raises(OSError, match="not allowed"):
        socket.getaddrinfo("example.org", 443)
    assert len(no_network) == 2
    no_network.clear()


def test_main_workflows_in_process(no_network, tmp_path, qapp):
    # qapp: pictures are drawn in this process; the GUI tests that follow need the
    # application Qt makes first to be a QApplication, not a bare QGuiApplication
    # new + import (with a roster and a key file) + the demo (import, coding, a meeting)
    fresh = project_ops.new_project(tmp_path / "fresh.ketqual")
    key = key_ops.create_key(fresh, tmp_path / "k.kqkey", "pw", roster_text="Anna Smith\n")
    notes = tmp_path / "S1_G1_scribe.txt"
    notes.write_text("- Anna Smith rang 07700 900123.\n", encoding="utf-8")
    import_ops.import_files(fresh, [notes], key=key)
    review_ops.detect_identifiers(fresh, key=key)
    pending = review_ops.review_rows(fresh, statuses=["pending"])
    review_ops.decide(fresh, [r.hit.id for r in pending], "accept")
    review_ops.apply_replacements(fresh, key)
    fresh.close()
    project, _report = demo_ops.build_demo(tmp_path / "demo.ketqual")
    with project.read() as tx:
        doc = tx.documents.list()[0].id
        code = tx.codes.list()[0].id
        coder = tx.coders.by_name("Coder A").id
    # coding operations and undo
    change = coding_ops.add_codings(project, coder, [coding_ops.NewCoding(doc, code, 0, 5)])
    undo_ops.inverse(change)(project)  # undo
    # agreement, review, network, matrices and every export
    result = agreement_ops.compute_agreement(
        project, coder_a="Coder A", coder_b="Coder B", n_replicates=20
    )
    for fmt in ("json", "xlsx", "html"):
        agreement_ops.export_agreement(result, tmp_path / f"ag.{fmt}", project=project)
    state = consensus_ops.find_review(project)
    open_items = consensus_ops.queue_items(project, state.review.id, statuses=["open"])
    consensus_decisions.resolve(
        project, open_items[0].id, "both", supervisor="Supervisor", reason="both apply"
    )
    decision_log.export_decisions(project, tmp_path / "d.xlsx")
    codings_io.export_codings(project, "Coder A", tmp_path / "a.csv", viewer="Supervisor")
    view = network_ops.compute_network(project)
    from ketqual.render.network.export import write_picture

    for fmt in ("svg", "pdf", "png", "graphml"):
        network_ops.export_network(
            project, view, tmp_path / f"n.{fmt}", picture_writer=write_picture
        )
    framework_ops.export_matrices(project, tmp_path / "m.xlsx")
    framework_ops.export_matrices(project, tmp_path / "m.docx")
    # pack, unpack, return and merge, plain and encrypted
    for passphrase in (None, "pw"):
        name = "sealed" if passphrase else "plain"
        out = tmp_path / f"{name}.kqpkg"
        package_pack.pack(
            project, coder="Coder A", supervisor="Supervisor", output=out, passphrase=passphrase
        )
        work, _ = package_pack.unpack(out, passphrase=passphrase)
        back = package_pack.return_package(
            work, tmp_path / f"{name}-back.kqpkg", passphrase=passphrase
        )
        package_merge.merge_package(project, back, supervisor="Supervisor", passphrase=passphrase)
    project.close()


def _ketqual(*args: str, log: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(GUARD), str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "KETQUAL_NETGUARD_LOG": str(log),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ketqual", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_main_workflows_from_the_command_line(tmp_path):
    log = tmp_path / "netguard.log"
    project = tmp_path / "demo.ketqual"
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.getaddrinfo('example.org', 80)"],
        env={**os.environ, "PYTHONPATH": str(GUARD), "KETQUAL_NETGUARD_LOG": str(log)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert probe.returncode != 0 and "getaddrinfo" in log.read_text()  # the guard works
    log.unlink()
    _ketqual("demo", str(project), log=log)
    _ketqual(
        "agreement", str(project), "--replicates", "50", "-o", str(tmp_path / "a.xlsx"), log=log
    )
    _ketqual("network", str(project), "-o", str(tmp_path / "n.pdf"), log=log)
    _ketqual("matrix", str(project), "-o", str(tmp_path / "m.docx"), log=log)
    _ketqual("pack", str(project), "--coder", "Coder A", "-o", str(tmp_path / "a.kqpkg"), log=log)
    _ketqual(
        "gui",
        str(project),
        "--coder",
        "Supervisor",
        "--screenshot",
        str(tmp_path / "w.png"),
        log=log,
    )
    assert not log.exists() or log.read_text() == ""
