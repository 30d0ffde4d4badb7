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
