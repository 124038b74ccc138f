"""What the text functions the stages call most worked out (corrections, meanings, topic scores, glossary
mentions), remembered: within a run, where one text is worked on several times, and from one run to the next
through the pipeline's cache, so that after one note changed only that note's texts are worked on again.

A `remembered` function takes a text, then what it works with (the config, or a part of it such as the
glossary), then any flags. It remembers only inside `remembering(...)`, and only for the objects given
there (found by identity, as hashing a config costs more than most of the work): called with anything
else, it simply works. What it returns is shared by every caller, so it must be a value nobody changes:
a string, a frozen dataclass, a tuple, or a dict its callers only read. `recall` remembers the same way a
result made from more than one text, under a key its caller makes (emit's pieces, by a digest of their inputs).

A stage may also `carry` one value of its own to the next run (what it worked out, with what that depended on),
which the next run gets back as `carried` to work again only on what changed; the same owners' rules apply.

Between runs each function's table is kept `Packed`: pickled apart from the others, in layers (the table as a run kept
it, then what each later run added), and unpickled only when a run first calls that function. A run keeps the tables it
used: a table whose results it nearly all used goes on as the same bytes, with a layer of what it added; one it used
little of (after an edit, 1 of the 70,000 corrections) is kept as those results alone; one it did not use is dropped.
So a run loads only the tables it uses, and keeping them costs little more than writing their bytes.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from .collector import paused

_Work = ParamSpec("_Work")
_With = TypeVar("_With")
_Result = TypeVar("_Result")
MAX_LAYERS = 8
"""The layers a packed table may have; one that would have more is pickled anew as one."""
_UNKNOWN = object()


class Packed(dict[object, object]):
    """A function's table kept between runs: pickled apart from the others (by the cache's pickler) in layers, each over
    the ones before, and unpickled only when asked for (`table`), into this dict itself: empty until then (a dict, so
    that it is a table wherever tables are told by their type). A damaged layer counts as no results."""

    __slots__ = ("layers", "loaded")

    def __init__(self, *layers: bytes) -> None:
        super().__init__()
        self.layers = layers
        self.loaded = False

    def __reduce__(self) -> tuple[type[Packed], tuple[bytes, ...]]:  # the layers, not the items
        return Packed, self.layers

    @staticmethod
    def of(table: dict[object, object]) -> Packed:
        """table packed as one layer."""
        from .files import _dumps  # the cache's own pickler (files.NoteCache.put)

        packed = Packed(_dumps(table))
        packed.update(table)
        packed.loaded = True
        return packed

    def table(self) -> dict[object, object]:
        """The results, unpickled on the first call."""
        if not self.loaded:
            self.loaded = True
            for layer in self.layers:
                try:
                    with paused():  # objects by the thousand that live on, and no garbage
                        results = pickle.loads(layer)
                except Exception:  # a damaged layer: its results are not known
                    continue
                if isinstance(results, dict):
                    self.update(results)
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, dict):
            return NotImplemented
        return dict.__eq__(self.table(), other.table() if isinstance(other, Packed) else other)

    __hash__ = None  # as a dict's


Results = dict[str, dict[object, object]]
"""Function name -> its argument key -> its result."""
Tables = dict[str, "dict[object, object] | Packed"]
"""Results as kept between runs: each function's `Packed` (or, as a caller made them, plain)."""


class Memory:
    """The results known from the last run, and those used in this one (which the next run gets)."""

    def __init__(self, owners: tuple[object, ...], known: Tables) -> None:
        self.owners = frozenset(map(id, owners))
        """The owners' ids, which stay theirs: the memory holds the owners."""
        self._held = owners
        self.known = known
        self.used: Results = {}
        self.worked: Results = {}
        """The results this run worked out rather than knew."""
        self.tables: dict[str, tuple[dict[object, object], dict[object, object]]] = {}
        """Function name -> (its table in used, its table in known): the two looked up once per run, not per call."""

    def table(self, name: str) -> tuple[dict[object, object], dict[object, object]]:
        """The used and known tables of the function called name (`tables`), made on its first call."""
        pair = self.tables.get(name)
        if pair is None:
            pair = self.tables[name] = (self.used.setdefault(name, {}), self.known_table(name))
        return pair

    def known_table(self, name: str) -> dict[object, object]:
        """The results known of the function called name (unpacked, when the cache gave them packed)."""
        known = self.known.get(name, _NONE)
        return known.table() if isinstance(known, Packed) else known

    @property
    def changed(self) -> bool:
        """Whether this run worked out anything new, which the next run should get (`to_keep`)."""
        return any(self.worked.values())

    def to_keep(self, more: Tables) -> tuple[Tables | None, Tables]:
        """What to keep for the next run, given the results an older kb kept beside its tables (more): (the tables to
        keep, packed, or None when those known serve as they are; results to keep beside them, none). The tables this
        run used are kept (see the module's docstring): each as it was known, with a layer of what this run added to
        it, when this run used all but an eighth of it at most; else what this run used of it, packed anew."""
        rewrite = self.changed or bool(more)
        keep: Tables = {}
        for name, used in self.used.items():
            known = self.known.get(name)
            worked = self.worked.get(name, _NONE)
            if isinstance(known, Packed) and len(known.layers) + bool(worked) <= MAX_LAYERS:
                if (len(used) - len(worked)) * 8 >= len(known.table()) * 7:  # (the results used that it knew)
                    keep[name] = Packed(*known.layers, *(Packed.of(worked).layers if worked else ()))
                    continue
                rewrite = True  # results to drop
            keep[name] = Packed.of(used)
        return (keep if rewrite else None), {}


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
    return value if isinstance(value, dict) and all(isinstance(t, dict | Packed) for t in value.values()) else {}


def merged(*layers: Tables) -> Tables:
    """The tables with the results of each layer over those of the ones before."""
    result: Tables = {}
    for layer in layers:
        for name, table in layer.items():
            result[name] = {**_unpacked(result[name]), **_unpacked(table)} if name in result else table
    return result


def _unpacked(table: dict[object, object] | Packed) -> dict[object, object]:
    return table.table() if isinstance(table, Packed) else table


_CARRIED = None
"""The key of a carried value in its table (a remembered function's keys are texts)."""


def carried(name: str, using: object) -> object | None:
    """What the last run carried under name (`carry`), when remembering for using; else None. Like any value
    from the cache it may be damaged: check its type."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return None
    return memory.known_table(name).get(_CARRIED)


def carry(name: str, using: object, value: object) -> None:
    """Keep value under name for the next run (`carried`), when remembering for using; it replaces what the last
    run carried, and counts as worked out only when it differs from that."""
    memory = _memory
    if memory is None or id(using) not in memory.owners:
        return
    memory.used[name] = {_CARRIED: value}
    memory.tables.pop(name, None)  # its used table is that new one
    if memory.known_table(name).get(_CARRIED, _UNKNOWN) != value:
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


_NONE: dict[object, object] = {}


def remembered(work: Callable[Concatenate[str, _With, _Work], _Result]) -> Callable[Concatenate[str, _With, _Work], _Result]:
    """work, remembering its results inside `remembering` (see the module's docstring)."""
    name = f"{work.__module__}.{work.__qualname__}"

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
