"""What the text functions the stages call most worked out (corrections, meanings, topic scores, glossary
mentions), remembered: within a run, where one text is worked on several times, and from one run to the next
through the pipeline's cache, so that after one note changed only that note's texts are worked on again.

A `remembered` function takes a text, then what it works with (the config, or a part of it such as the
glossary), then any flags. It remembers only inside `remembering(...)`, and only for the objects given
there (found by identity, as hashing a config costs more than most of the work): called with anything
else, it simply works. What it returns is shared by every caller, so it must be a value nobody changes:
a string, a frozen dataclass, a tuple, or a dict its callers only read. `recall` remembers the same way a
result made from more than one text, under a key its caller makes (emit's pieces, by a digest of their inputs).

A function whose callers remember their own results per note (classify's note facts) is `remembered_this_run`: the
next run asks it only about the notes that changed, whose texts are mostly new, so its table is not kept (at 100x it
held 70,000 results of which a run after one edit looked up a few hundred, and loading it cost more than the work).

A stage may also `carry` one value of its own to the next run (what it worked out, with what that depended on),
which the next run gets back as `carried` to work again only on what changed; the same owners' rules apply.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

_Work = ParamSpec("_Work")
_With = TypeVar("_With")
_Result = TypeVar("_Result")
Tables = dict[str, dict[object, object]]
"""Function name -> its argument key -> its result."""
_UNKNOWN = object()


class Memory:
    """The results known from the last run, and those used in this one (which the next run gets)."""

    def __init__(self, owners: tuple[object, ...], known: Tables) -> None:
        self.owners = frozenset(map(id, owners))
        """The owners' ids, which stay theirs: the memory holds the owners."""
        self._held = owners
        self.known = known
        self.used: Tables = {}
        self.worked: Tables = {}
        """The results this run worked out rather than knew."""
        self.tables: dict[str, tuple[dict[object, object], dict[object, object]]] = {}
        """Function name -> (its table in used, its table in known): the two looked up once per run, not per call."""

    def table(self, name: str) -> tuple[dict[object, object], dict[object, object]]:
        """The used and known tables of the function called name (`tables`), made on its first call."""
        pair = self.tables.get(name)
        if pair is None:
            pair = self.tables[name] = (self.used.setdefault(name, {}), self.known.get(name, _NONE))
        return pair

    @property
    def changed(self) -> bool:
        """Whether this run worked out anything new, which the next run should get (`to_keep`)."""
        return any(table for name, table in self.worked.items() if name not in _THIS_RUN_ONLY)

    def to_keep(self, more: Tables) -> tuple[Tables | None, Tables]:
        """What to keep for the next run, given the results kept beside the last full tables (more): (full tables to
        keep anew or None, results to keep beside them). Writing the full tables (35 MB at 100x) costs ~0.5 s, so a run
        that worked out a few results adds them to the ones beside the tables, until these come to an eighth of them;
        then the tables this run used are kept in full, which drops the results for texts gone."""
        if not self.changed:
            return None, more
        added = merged(more, _lasting(self.worked))
        used = _lasting(self.used)
        if _size(added) * 8 <= _size(used):
            return None, added
        return used, {}


_memory: Memory | None = None


@contextmanager
def remembering(owners: tuple[object, ...], known: Tables | None = None) -> Iterator[Memory]:
    """Remember the results of calls with one of the owners, starting from known (tables a run before left,
    `tables`); the memory comes back with the tables this run used."""
    global _memory
    outer, _memory = _memory, Memory(owners, known or {})
    try:
        yield _memory
    finally:
        _memory = outer


def tables(value: object) -> Tables:
    """value when it is memory tables (as a run left them), else none."""
    return value if isinstance(value, dict) and all(isinstance(t, dict) for t in value.values()) else {}


def merged(*layers: Tables) -> Tables:
    """The tables with the results of each layer over those of the ones before."""
    result: Tables = {}
    for layer in layers:
        for name, table in layer.items():
            result[name] = {**result[name], **table} if name in result else table
    return result


def _lasting(tables: Tables) -> Tables:
    """The tables of the functions whose results are kept for the next run (not `remembered_this_run`)."""
    return {name: table for name, table in tables.items() if name not in _THIS_RUN_ONLY}


def _size(tables: Tables) -> int:
    return sum(len(t) for t in tables.values())


_CARRIED = None
"""The key of a carried value in its table (a remembered function's keys are texts)."""


def carried(name: str, using: object) -> object | None:
    """What the last run carried under name (`carry`), when remembering for using; else None. Like any value
    from the cache it may be damaged: check its type."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return None
    return memory.known.get(name, {}).get(_CARRIED)


def carry(name: str, using: object, value: object) -> None:
    """Keep value under name for the next run (`carried`), when remembering for using; it replaces what the last
    run carried, and counts as worked out only when it differs from that."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return
    memory.used[name] = {_CARRIED: value}
    memory.tables.pop(name, None)  # its used table is that new one
    if memory.known.get(name, {}).get(_CARRIED, _UNKNOWN) != value:
        memory.worked[name] = {_CARRIED: value}


def recall(name: str, key: Hashable, using: object, work: Callable[[], _Result]) -> _Result:
    """work's result, remembered as a `remembered` function's are, in the table called name under key, which must stand
    for everything work depends on besides using (an owner, such as the config): for results made from more than
    one text, whose caller makes a compact key of what they are made from (a digest, say)."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return work()
    used, known = memory.tables.get(name) or memory.table(name)
    value = used.get(key, _UNKNOWN)
    if value is _UNKNOWN:
        value = known.get(key, _UNKNOWN)
        if value is _UNKNOWN:
            value = work()
            memory.worked.setdefault(name, {})[key] = value
        used[key] = value
    return value  # type: ignore[return-value]  # stored by this function, from work


def remembers_for(using: object) -> bool:
    """Whether the text functions remember for using (an owner of the memory) now."""
    return _memory is not None and id(using) in _memory.owners


def recalls(name: str, key: Hashable, using: object) -> bool:
    """Whether `recall` would find a result under name and key, rather than work it out."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return False
    used, known = memory.tables.get(name) or memory.table(name)
    return key in used or key in known


def working_apart() -> None:
    """In a worker process forked from a run (the pipeline's shared works): what it works out from now on is what
    `worked_apart` gives back, for the run to `adopt`."""
    if _memory is not None:
        _memory.worked = {}


def worked_apart() -> Tables:
    """What this worker process worked out since `working_apart`."""
    return _memory.worked if _memory is not None else {}


def adopt(worked: Tables) -> None:
    """Results a worker process worked out (`worked_apart`), as if this one had: this run uses them, and the next gets them."""
    memory = _memory
    if memory is None:
        return
    for name, table in worked.items():
        if table:
            memory.worked.setdefault(name, {}).update(table)
            memory.table(name)[0].update(table)


_NONE: dict[object, object] = {}


_THIS_RUN_ONLY: set[str] = set()
"""The names of the `remembered_this_run` functions."""


def remembered_this_run(work: Callable[Concatenate[str, _With, _Work], _Result]) -> Callable[Concatenate[str, _With, _Work], _Result]:
    """work, remembering its results inside `remembering` for this run only (see the module's docstring)."""
    _THIS_RUN_ONLY.add(table_name(work))
    return remembered(work)


def table_name(work: Callable[..., object]) -> str:
    """The name of a `remembered` function's table (which its wrapper keeps: `functools.wraps`)."""
    return f"{work.__module__}.{work.__qualname__}"


def remembered(work: Callable[Concatenate[str, _With, _Work], _Result]) -> Callable[Concatenate[str, _With, _Work], _Result]:
    """work, remembering its results inside `remembering` (see the module's docstring)."""
    name = table_name(work)

    @wraps(work)
    def remembering_work(text: str, using: _With, /, *args: _Work.args, **kwargs: _Work.kwargs) -> _Result:
        # `recall` inlined: the hot path of every warm run (130k calls after an edit at 100x; a call through `recall`
        # with a partial costs 0.6 µs more each)
        memory = _memory
        if memory is None or id(using) not in memory.owners:
            return work(text, using, *args, **kwargs)
        key: object = (text, args, tuple(sorted(kwargs.items()))) if args or kwargs else text
        used, known = memory.tables.get(name) or memory.table(name)
        value = used.get(key, _UNKNOWN)
        if value is _UNKNOWN:
            value = known.get(key, _UNKNOWN)
            if value is _UNKNOWN:
                value = work(text, using, *args, **kwargs)
                memory.worked.setdefault(name, {})[key] = value
            used[key] = value
        return value  # type: ignore[return-value]  # stored by this function, from work

    return remembering_work
