"""Garbage cycles are collected on the GUI thread only (ketqual/gui/collector.py)."""

from __future__ import annotations

import gc
import threading

from ketqual.gui.collector import collect_on_gui_thread


def test_the_app_collects_on_its_own_thread_only(qapp):
    collector = collect_on_gui_thread(qapp)
    assert collector is collect_on_gui_thread(qapp)  # made once
    assert not gc.isenabled()  # no automatic collection in whatever thread allocates
    assert collector.timer.isActive()
    gc.collect()
    collected_in: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            collected_in.append(threading.current_thread().name)

    Cycle()
    # With automatic collection on, these allocations would collect the cycle in "worker".
    kept: list[list] = []
    worker = threading.Thread(target=lambda: kept.extend([] for _ in range(5_000)), name="worker")
    worker.start()
    worker.join()
    assert collected_in == []
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # the usual ones, whatever ran before set
    try:
        collector.check()  # what the timer runs on the GUI thread: 5,000 > 700 new objects
    finally:
        gc.set_threshold(*before)
    assert collected_in == [threading.main_thread().name]
