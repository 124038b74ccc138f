"""kb.memory: text functions remember their results for the objects given, and only for those."""

from __future__ import annotations

import pickle

from kb import files, memory
from kb.memory import Packed, Tables, carried, carry, merged, recall, remembered, remembering, tables

calls: list[tuple[str, object, bool]] = []


@remembered
def shout(text: str, owner: object, loud: bool = True) -> str:
    calls.append((text, owner, loud))
    return text.upper() + ("!" if loud else "")


def test_outside_a_memory_every_call_works():
    calls.clear()
    assert shout("a", "config") == shout("a", "config") == "A!"
    assert len(calls) == 2


def test_a_memory_remembers_for_its_owners_only():
    calls.clear()
    mine, other = object(), object()
    with remembering((mine,)) as memory:
        assert shout("a", mine) == shout("a", mine) == "A!"
        assert shout("a", mine, loud=False) == "A"  # flags are part of what is remembered
        assert shout("a", other) == shout("a", other) == "A!"  # not an owner: works every time
    assert calls == [("a", mine, True), ("a", mine, False), ("a", other, True), ("a", other, True)]
    assert sum(map(len, memory.worked.values())) == 2 and memory.changed
    assert memory.used == {f"{__name__}.shout": {"a": "A!", ("a", (), (("loud", False),)): "A"}}


def test_recall_remembers_a_result_under_the_callers_key_for_the_owners_only():
    mine, other = object(), object()
    works: list[str] = []

    def work() -> str:
        works.append("worked")
        return "made"

    with remembering((mine,)) as first:
        assert recall("pieces", b"key", mine, work) == recall("pieces", b"key", mine, work) == "made"
        assert recall("pieces", b"key", other, work) == "made"  # not an owner: works every time
    assert len(works) == 2 and first.used == first.worked == {"pieces": {b"key": "made"}}
    with remembering((mine,), first.used) as second:
        assert recall("pieces", b"key", mine, lambda: "worked out again") == "made"  # known from the run before
        assert recall("pieces", b"other key", mine, lambda: "new") == "new"
    assert second.worked == {"pieces": {b"other key": "new"}} and second.used == {"pieces": {b"key": "made", b"other key": "new"}}
    assert recall("pieces", b"key", mine, work) == "made" and len(works) == 3  # outside a memory: works


def test_what_a_run_used_is_known_to_the_next_and_only_that_is_kept():
    owner = object()
    with remembering((owner,)) as first:
        shout("a", owner)
        shout("gone", owner)
    calls.clear()
    with remembering((owner,), first.used) as second:
        assert shout("a", owner) == "A!"
    assert not calls and not second.worked and not second.changed  # nothing new: the tables need not be kept again
    with remembering((owner,), second.used) as third:
        shout("b", owner)
    assert calls == [("b", owner, True)] and third.changed
    assert set(third.used[f"{__name__}.shout"]) == {"b"}  # "a" and "gone" were not used in this run


def test_tables_that_are_not_tables_are_ignored():
    owner = object()
    for damaged in (None, "text", {"f": "not a table"}, [1, 2]):
        calls.clear()
        with remembering((owner,), tables(damaged)) as memory:
            assert shout("x", owner) == "X!"
        assert calls == [("x", owner, True)] and memory.worked == {f"{__name__}.shout": {"x": "X!"}}


def _through_the_cache(kept: Tables | None) -> Tables:
    """The tables as the next run gets them from the cache: pickled and unpickled as the cache does."""
    assert kept is not None
    return tables(pickle.loads(files._dumps(kept)))


def test_a_table_is_kept_as_the_same_bytes_with_a_layer_of_what_was_added_while_a_run_uses_nearly_all_of_it():
    owner = object()
    with remembering((owner,)) as first:
        for n in range(80):
            shout(f"text {n}", owner)
    full, beside = first.to_keep({})
    assert beside == {} and full is not None and set(full) == {f"{__name__}.shout"}
    known = _through_the_cache(full)
    packed = known[f"{__name__}.shout"]
    assert isinstance(packed, Packed) and len(packed.layers) == 1 and packed.table() == first.used[f"{__name__}.shout"]
    for run in range(9):
        with remembering((owner,), known) as later:
            for text in [f"text {n}" for n in range(80)] + [f"new {n}" for n in range(run + 1)]:
                shout(text, owner)
        calls.clear()
        full, beside = later.to_keep({})
        before = known[f"{__name__}.shout"]
        known = _through_the_cache(full)
        table = known[f"{__name__}.shout"]
        assert isinstance(before, Packed) and isinstance(table, Packed) and beside == {}
        assert table.table() == later.used[f"{__name__}.shout"]
        if run == 7:  # a ninth layer would be one too many (MAX_LAYERS): pickled anew as one
            assert len(table.layers) == 1
        else:  # the same bytes, with this run's new result as a layer of its own
            assert table.layers[:-1] == before.layers and pickle.loads(table.layers[-1]) == {f"new {run}": f"NEW {run}!"}
    with remembering((owner,), known) as last:  # a run that uses little of the table
        assert shout("text 0", owner) == "TEXT 0!" and not calls
        assert shout("new 9", owner) == "NEW 9!" and len(calls) == 1
    full, _ = last.to_keep({})
    assert set(_through_the_cache(full)[f"{__name__}.shout"].table()) == {"text 0", "new 9"}  # only those 2 kept


def test_a_table_no_function_asked_for_is_not_unpickled_and_a_damaged_one_is_no_results(monkeypatch):
    owner = object()
    with remembering((owner,)) as first:
        shout("a", owner)
        whisper("b", owner)
    known = _through_the_cache(first.to_keep({})[0])
    loads, unpickle = [], pickle.loads
    monkeypatch.setattr(memory.pickle, "loads", lambda data: loads.append(data) or unpickle(data))
    calls.clear()
    with remembering((owner,), known) as second:
        assert shout("a", owner) == "A!" and not calls
    assert len(loads) == 1  # the whispers' table was not unpickled
    assert second.to_keep({}) == (None, {})  # nothing new: nothing to write (a table not used is no reason to)
    with remembering((owner,), known) as third:
        shout("new", owner)
    kept = third.to_keep({})[0]
    assert kept is not None and set(kept) == {f"{__name__}.shout"}  # written anew: without the table not used
    calls.clear()
    damaged = {f"{__name__}.shout": Packed(b"not a pickle"), f"{__name__}.whisper": Packed(files._dumps(["not a table"]))}
    with remembering((owner,), tables(pickle.loads(files._dumps(damaged)))):
        assert shout("a", owner) == "A!" and whisper("b", owner) == "b..."
    assert calls == [("a", owner, True), ("b", owner, False)]


@remembered
def whisper(text: str, owner: object) -> str:
    calls.append((text, owner, False))
    return text + "..."


def test_a_carried_value_reaches_the_next_run_and_counts_as_new_only_when_it_changed():
    owner, other = object(), object()
    carry("state", owner, ("a",))  # outside a memory: nothing is kept
    assert carried("state", owner) is None
    with remembering((owner,)) as first:
        assert carried("state", owner) is None
        carry("state", owner, ("a", "b"))
        carry("state", other, ("not an owner",))
        assert carried("state", other) is None
    assert first.changed and first.worked == {"state": {None: ("a", "b")}} and first.used == first.worked
    with remembering((owner,), first.used) as second:
        assert carried("state", owner) == ("a", "b")
        carry("state", owner, ("a", "b"))  # the same again: nothing new to keep
    assert not second.changed and second.used == first.used
    with remembering((owner,), merged(first.used, {"state": {None: ("c",)}})) as third:  # kept beside the tables: newer
        assert carried("state", owner) == ("c",)
        carry("state", owner, ("d",))
    assert third.changed and third.used == {"state": {None: ("d",)}}
