"""The cyclic collector paused during a bulk run: restored after, and a run's cycles still freed."""

from __future__ import annotations

import contextlib
import gc
import weakref

import pytest

from vss_excel import collector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: reference counting alone never frees it


def test_paused_stops_automatic_collection_and_restores_it() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_inside_a_pause_keeps_the_collector_off_until_the_outer_one_ends() -> None:
    """Konsolidera's whole run is paused, and so are its steps (consolidate, sheets, write)."""
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()  # the archive and the sheets come after the first step
    assert gc.isenabled()


def test_paused_restores_the_collector_when_the_run_fails() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("x")
    assert gc.isenabled()


@pytest.mark.parametrize("fails", [False, True])
def test_nothing_made_before_a_run_stays_uncollectable_after_it(fails: bool) -> None:
    gc.disable()  # no automatic collection frees the cycle before the run starts
    try:
        node = _Node()
        before = weakref.ref(node)
        del node  # garbage now, held only by its own cycle
        with pytest.raises(RuntimeError) if fails else contextlib.nullcontext(), collector.paused():
            if fails:
                raise RuntimeError("x")
        gc.collect()
        assert before() is None
    finally:
        gc.enable()


def test_a_cycle_made_by_an_item_is_freed_after_it() -> None:
    with collector.paused():
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # paused: nothing collects it by itself
        collector.after_item()
        assert gone() is None


def test_a_run_leaves_the_collector_as_it_found_it() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # it was off before, so it stays off
    finally:
        gc.enable()
