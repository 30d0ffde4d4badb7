"""The one operation runner: quick mutations, reads and background work, errors and changes."""

from __future__ import annotations

import time

from ketqual.gui.runner import OperationRunner
from ketqual.ops.changes import Area, Change
from ketqual.ops.errors import OperationError
from ketqual.ops.team import coder_ops
from tests.factories import make_project


def test_run_announces_change_and_initiator(qtbot, tmp_path):
    project = make_project(tmp_path)
    runner = OperationRunner(project)
    seen = []
    runner.changed.connect(lambda change, who: seen.append((change, who)))
    marker = object()
    change = runner.run(lambda p: coder_ops.add_coder(p, "Coder C"), initiator=marker)
    assert isinstance(change, Change)
    assert seen == [(change, marker)]
    assert change.touches(Area.PEOPLE)
    assert not change.touches(Area.CODINGS)
    project.close()


def test_refusal_goes_to_on_error_and_announces_nothing(qtbot, tmp_path):
    project = make_project(tmp_path)
    runner = OperationRunner(project)
    seen, errors = [], []
    runner.changed.connect(lambda *a: seen.append(a))

    def refuse(_project):
        raise OperationError("that code is in use")

    assert runner.run(refuse, on_error=errors.append) is None
    assert errors == ["that code is in use"] and seen == []
    assert runner.query(refuse, on_error=errors.append) is None
    assert len(errors) == 2
    project.close()


def test_query_returns_value(qtbot, tmp_path):
    project = make_project(tmp_path)
    runner = OperationRunner(project)
    names = runner.query(lambda p: [c.name for c in coder_ops.list_coders(p)])
    assert isinstance(names, list)
    project.close()


def test_background_work_uses_its_own_connection_and_reports(qtbot, tmp_path):
    project = make_project(tmp_path)
    runner = OperationRunner(project)
    results, steps = [], []

    def work(worker_project, progress):
        assert worker_project is not project  # its own connection, in its own thread
        for i in range(3):
            progress.report(i + 1, 3, f"step {i + 1}")
            steps.append(i)
        return coder_ops.add_coder(worker_project, "Coder D")

    announced = []
    runner.changed.connect(lambda change, _who: announced.append(change.action))
    job = runner.run_in_background(work, on_done=results.append, show_progress=False)
    qtbot.waitUntil(lambda: job.finished, timeout=20_000)
    assert steps == [0, 1, 2]
    assert len(results) == 1 and results[0].touches(Area.PEOPLE)
    assert announced == [results[0].action]
    assert "Coder D" in [c.name for c in coder_ops.list_coders(project)]
    assert runner.jobs == []
    project.close()


def test_background_failure_is_one_message_and_cancel_is_seen(qtbot, tmp_path):
    project = make_project(tmp_path)
    runner = OperationRunner(project)
    errors, done = [], []

    def boom(_project, _progress):
        raise ValueError("disk full")

    job = runner.run_in_background(
        boom, on_error=errors.append, on_done=done.append, show_progress=False
    )
    qtbot.waitUntil(lambda: job.finished, timeout=20_000)
    assert done == [] and len(errors) == 1 and "disk full" in errors[0]

    def slow(progress):
        while not progress.cancelled():
            time.sleep(0.01)
        return "stopped"

    job = runner.run_in_background(
        slow, needs_project=False, on_done=done.append, show_progress=False
    )
    job.cancel()
    qtbot.waitUntil(lambda: job.finished, timeout=20_000)
    assert done == ["stopped"]
    project.close()


def test_attempt_needs_no_project_and_refuses_one_way(qtbot, tmp_path):
    errors = []
    assert OperationRunner.attempt(lambda: 41 + 1) == 42

    def refuse():
        raise OperationError("not a KetQual project")

    assert OperationRunner.attempt(refuse, on_error=errors.append) is None
    assert errors == ["not a KetQual project"]


def test_a_report_carrying_a_change_is_announced(qtbot, tmp_path):
    from ketqual.ops.importing import import_ops

    project = make_project(tmp_path)
    runner = OperationRunner(project)
    note = tmp_path / "S1_G1_scribe.txt"
    note.write_text("Session 1 – Group 1\n- P1 spoke about cost.\n", encoding="utf-8")
    announced = []
    runner.changed.connect(lambda change, _who: announced.append(change))
    job = runner.run_in_background(
        lambda p, progress: import_ops.import_files(p, [note], progress=progress.report),
        show_progress=False,
    )
    qtbot.waitUntil(lambda: job.finished, timeout=20_000)
    [change] = announced
    assert change.touches(Area.DOCUMENTS) and change.documents == tuple(job.result.document_ids)
    runner.close()


def test_closing_a_window_cancels_its_work_and_drops_the_result(qtbot, tmp_path):
    from PySide6.QtWidgets import QWidget

    project = make_project(tmp_path)
    runner = OperationRunner(project)
    window, other = QWidget(), QWidget()
    qtbot.addWidget(window)
    qtbot.addWidget(other)
    done = []

    def slow(progress):
        while not progress.cancelled():
            time.sleep(0.01)
        return "stopped"

    mine = runner.run_in_background(
        slow, parent=window, needs_project=False, show_progress=False, on_done=done.append
    )
    theirs = runner.run_in_background(
        slow, parent=other, needs_project=False, show_progress=False, on_done=done.append
    )
    assert runner.jobs_of(window) == [mine]
    runner.cancel_jobs(window)
    assert runner.jobs == [theirs] and mine.progress.cancelled()
    qtbot.wait(50)
    assert done == []  # the cancelled job's result never arrives
    runner.close()  # cancels and waits for the rest, then closes the project
    assert runner.jobs == [] and done == []
