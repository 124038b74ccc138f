"""Work a stage may share among processes: a stage hands the works it has many of (each a function of nothing,
usually a partial) to a `RunAll`, which does them and gives back their results in order. `one_by_one` does them here;
the pipeline gives the stages `forked(cores)`, which, when there is enough work, does them in worker processes forked
from the run (so they start with its objects and the works need no pickling: each is picked by its number) and adopts
what the text functions worked out for them there (kb.memory), as if the run had worked it out itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

from .memory import Tables, adopt, recalls, remembers_for, table_name, worked_apart, working_apart

_T = TypeVar("_T")
_With = TypeVar("_With")
SHARE_FROM = 1_000
"""The size of work (entries to work on, as the stage counts it) from which it is shared: forking the run and sending the
results back costs ~0.1-0.2 s at 100x, what ~1,000 entries take."""
SHARES_PER_WORKER = 8
"""Works are dealt out in this many interleaved shares per worker, so that long ones (a page with a 280 KB answer) spread out."""


class RunAll(Protocol):
    def __call__(self, works: Sequence[Callable[[], _T]], size: int) -> list[_T]:
        """Each work's result, in order; size: how much work they are, in entries (see SHARE_FROM)."""


def one_by_one(works: Sequence[Callable[[], _T]], size: int = 0) -> list[_T]:
    return [work() for work in works]


def remember_all(work: Callable[[str, _With], object], texts: Iterable[str], using: _With, run_all: RunAll) -> None:
    """Work out a `remembered` text function (kb.memory) for those of the texts it does not know yet, all at once by
    run_all, so that the calls that follow find their results remembered: for a stage that is about to call it on
    many texts one by one."""
    if not remembers_for(using):
        return  # (worked out here, nothing would be remembered)
    name = table_name(work)
    todo = list(dict.fromkeys(text for text in texts if not recalls(name, text, using)))
    if len(todo) >= 2:
        shares = min(len(todo), SHARES_PER_WORKER * 4)
        run_all([partial(_work_out, work, todo[k::shares], using) for k in range(shares)], len(todo) // TEXTS_PER_ENTRY)


TEXTS_PER_ENTRY = 4
"""How many calls of a text function come to the work of one entry (`remember_all`'s size of work, see SHARE_FROM)."""


def _work_out(work: Callable[[str, _With], object], texts: list[str], using: _With) -> None:
    for text in texts:
        work(text, using)


def forked(workers: int) -> RunAll:
    """A RunAll that shares the works among this many forked worker processes when there is enough work (SHARE_FROM)."""
    return partial(_run_all, workers=workers)


_works: Sequence[Callable[[], object]] = ()
"""The works being shared: set before the workers are forked, which so have them."""


def _run_all(works: Sequence[Callable[[], _T]], size: int, workers: int) -> list[_T]:
    global _works
    import multiprocessing  # (~0.01 s to import, which a run after an edit does not need)

    if (workers < 2 or len(works) < 2 or size < SHARE_FROM or "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon):  # (a daemon may start no process)
        return one_by_one(works)
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    shares = min(len(works), workers * SHARES_PER_WORKER)
    _works = works
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_do_works, [range(k, len(works), shares) for k in range(shares)]))
    except (OSError, BrokenProcessPool):  # no processes to be had here (no /dev/shm, a process limit), or one was killed
        return one_by_one(works)
    finally:
        _works = ()
    results: list[_T] = [None] * len(works)  # type: ignore[list-item]  # each filled in below
    for k, (share, worked) in enumerate(done):
        results[k::shares] = share
        adopt(worked)
    return results


def _do_works(numbers: range) -> tuple[list[Any], Tables]:
    """In a forked worker: the results of the shared works with these numbers, and what the text functions worked out
    for them (kb.memory)."""
    working_apart()
    return [_works[n]() for n in numbers], worked_apart()
