"""Work on many files in worker processes, so that one file can never stop the rest.

Each worker gets a few items at a time and the parent knows which: when a worker dies (a native
crash, an abort, the memory limit), its items are tried again one by one in a fresh worker, and
the one that kills it too is given to `failed`. A Python exception in `work` is given to `failed`
at once. Ctrl+C stops the workers without their tracebacks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from . import collector, interrupts
from .errors import log_text

if TYPE_CHECKING:  # Pyodide (xlwings Lite) has no _multiprocessing: the pipes are imported where used
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]

# A worker may use this much more address space than it had when it started (POSIX only): a
# runaway allocation then fails as MemoryError inside the worker instead of taking the machine.
MEMORY_HEADROOM = 2 * 1024**3
STOP_TIMEOUT = 5  # seconds a stopped worker has to end by itself before it is killed


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[0])
        used = pages * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY_HEADROOM, resource.RLIM_INFINITY))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: no limit, the reader's own limits still hold


def _worker(
    conn: Connection,
    work: Callable[[Any], Any],
    init: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl+C stops
    # The parent stops a worker with SIGTERM; a closed terminal sends SIGHUP to it too. Either ends
    # it through _stop, so the file it writes is removed (not the parent's handler, cli._terminate).
    for sig in interrupts.STOPPING:
        signal.signal(sig, _stop)
    _limit_memory()
    if init is not None:
        init(*initargs)
    with collector.paused():  # a worker lives for one run
        _serve(conn, work)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)  # quietly (multiprocessing takes it as the exit code); `finally`s run


def _serve(conn: Connection, work: Callable[[Any], Any]) -> None:
    while True:
        batch = conn.recv()
        if batch is None:
            return
        out = []
        for i, item in batch:
            try:
                out.append((i, True, work(item)))
            except Exception:  # a bug or an unforeseen file: that item fails, the rest goes on
                out.append((i, False, traceback.format_exc()))
            collector.after_item()
        conn.send(out)


class _Slot:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process, self.conn = process, conn
        self.batch: list[tuple[int, Any]] = []


class _Pool(Generic[T, R]):
    def __init__(
        self,
        work: Callable[[T], R],
        init: Callable[..., None] | None,
        initargs: tuple[Any, ...],
    ) -> None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.ctx: Any = multiprocessing.get_context(method)
        self.args = (work, init, initargs)

    def start(self, slots: list[_Slot]) -> None:
        """A new worker, in `slots` before an interruption can take effect: the run's `finally`
        stops every worker it knows, and one started as Ctrl+C came would otherwise outlive it."""
        parent, child = self.ctx.Pipe()
        p = self.ctx.Process(target=_worker, args=(child, *self.args), daemon=True)
        with interrupts.held():  # not lost in the fork's callbacks either
            p.start()
            slots.append(_Slot(p, parent))
            child.close()


def run(
    work: Callable[[T], R],
    items: Sequence[T],
    failed: Callable[[T, str], R],
    workers: int | None = None,
    *,
    init: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    batch: int = 8,
    progress: Progress | None = None,
    beside: Callable[[], None] | None = None,
) -> list[R]:
    """work(item) for every item, in order; failed(item, detail) where it could not be done.

    Always in worker processes, even one: a file that crashes or exhausts memory must not stop
    the run (a one-CPU machine gets one). workers=0 runs in this process, without that safety.
    beside(): this process's own work, done while the workers work (not before they start): called
    once they have their first items and again each time items come back; it returns at once
    when it has nothing to do.
    """
    n = len(items)
    results: list[Any] = [None] * n
    done = 0

    def finish(i: int, ok: bool, value: Any) -> None:
        nonlocal done
        if not ok:  # the traceback goes to a log file for whoever looks into it, never to the screen
            log = log_text(f"{items[i]}:\n{value}")
            value = failed(items[i], f"detaljerna finns i {log}")
        results[i] = value
        done += 1
        if progress:
            progress(done, n)

    if workers is None:
        workers = default_workers()
    if workers < 1:
        if init is not None:
            init(*initargs)
        for i, item in enumerate(items):
            if beside:
                beside()
            try:
                finish(i, True, work(item))
            except Exception:
                finish(i, False, traceback.format_exc())
            collector.after_item()
        if beside:
            beside()
        return results

    from multiprocessing.connection import wait

    pool: _Pool[T, R] = _Pool(work, init, initargs)
    size = max(1, min(batch, n // (workers * 4) or 1))
    queue: deque[list[tuple[int, Any]]] = deque(
        [(i, items[i]) for i in range(s, min(n, s + size))] for s in range(0, n, size)
    )
    alone: deque[list[tuple[int, Any]]] = deque()  # items of a batch whose worker died
    slots: list[_Slot] = []
    try:
        for _ in range(min(workers, len(queue))):
            pool.start(slots)
        while slots:
            for slot in slots:
                if not slot.batch and (alone or queue):
                    # A batch to retry alone gets a worker that is doing nothing else.
                    slot.batch = alone.popleft() if alone else queue.popleft()
                    slot.conn.send(slot.batch)
            busy = [s for s in slots if s.batch]
            if not busy:
                break
            if beside:
                beside()
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy])
            for slot in list(busy):
                if slot.conn in ready:
                    try:
                        for i, ok, value in slot.conn.recv():
                            finish(i, ok, value)
                        slot.batch = []
                        continue
                    except (EOFError, OSError):
                        pass  # died while sending: handled below
                if slot.conn in ready or slot.process.sentinel in ready:
                    slot.process.join()
                    code = slot.process.exitcode
                    if len(slot.batch) == 1:
                        i, _ = slot.batch[0]
                        finish(i, False, f"arbetsprocessen avslutades (kod {code})")
                    else:
                        alone.extend([x] for x in slot.batch)
                    slots.remove(slot)
                    if alone or queue:
                        pool.start(slots)
        for slot in slots:
            slot.conn.send(None)
            slot.process.join(timeout=5)
    finally:
        for slot in slots:
            if slot.process.is_alive():
                slot.process.terminate()  # the file it writes is removed (files.replacing)
        for slot in slots:
            slot.process.join(timeout=STOP_TIMEOUT)
            if slot.process.is_alive():  # busy in native code, deaf to SIGTERM
                slot.process.kill()
                slot.process.join()
    return results
