"""The cycle collector while a KetQual process starts and ends (ketqual.startup)."""

from __future__ import annotations

import gc

import pytest

from ketqual import startup


@pytest.fixture
def collector():
    """Whatever a test does to the collector is undone after it."""
    enabled = gc.isenabled()
    yield
    startup.settled()  # a test that stops half way leaves no start-up behind
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_a_verb_starts_without_the_collector_and_resumes_it_once_settled(collector):
    gc.enable()
    startup.begin("cli")
    assert not gc.isenabled() and startup.starting() == "cli"
    startup.settled()
    assert gc.isenabled() and gc.get_freeze_count() > 0 and startup.starting() is None


def test_the_app_leaves_collecting_to_its_gui_thread_collector(collector):
    startup.begin("app")
    startup.settled()
    assert not gc.isenabled() and gc.get_freeze_count() > 0


def test_settling_without_a_start_changes_nothing(collector):
    gc.enable()
    frozen = gc.get_freeze_count()
    startup.settled()
    startup.settled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_only_two_kinds_of_start(collector):
    with pytest.raises(ValueError, match="unknown kind"):
        startup.begin("server")
    assert startup.starting() is None


def test_before_exit_freezes_the_heap(collector):
    startup.before_exit()
    assert gc.get_freeze_count() > 0


def test_plain_imports_give_the_block_pythons_import_and_put_the_other_back(monkeypatch):
    import builtins

    python_import = builtins.__import__
    seen: list[str] = []

    def qt_like(name, *args, **kwargs):  # what PySide6 installs: a wrapper of the original
        seen.append(name)
        return python_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", qt_like)
    with startup.plain_imports():
        assert builtins.__import__ is python_import
        import json  # noqa: F401

    assert builtins.__import__ is qt_like and seen == []
    with pytest.raises(ImportError), startup.plain_imports():
        import ketqual.no_such_module  # noqa: F401
    assert builtins.__import__ is qt_like  # back, also after the block raised
    import json  # noqa: F401,F811

    assert seen == ["json"]


def test_start_moments_are_written_only_when_a_benchmark_asks(monkeypatch, capsys):
    monkeypatch.delenv(startup.TRACE_VARIABLE, raising=False)
    startup.mark("start screen painted")
    assert capsys.readouterr().err == ""
    monkeypatch.setenv(startup.TRACE_VARIABLE, "not a time")
    startup.mark("start screen painted")
    assert capsys.readouterr().err == ""
    import time

    monkeypatch.setenv(startup.TRACE_VARIABLE, repr(time.time() - 2.0))
    startup.mark("window painted")
    line = capsys.readouterr().err.strip()
    seconds, event = line.removeprefix("ketqual start: ").split(" s ", 1)
    assert line.startswith("ketqual start: ") and event == "window painted"
    assert 2.0 <= float(seconds) < 60
