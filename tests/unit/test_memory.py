"""kb.memory: text functions remember their results for the objects given, and only for those."""

from __future__ import annotations

from kb.memory import carried, carry, merged, recall, remembered, remembered_this_run, remembering, tables

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


@remembered_this_run
def whisper(text: str, owner: object) -> str:
    calls.append((text, owner, False))
    return text.lower()


def test_a_function_remembered_for_this_run_only_is_not_kept_for_the_next():
    owner = object()
    calls.clear()
    with remembering((owner,)) as first:
        assert whisper("A", owner) == whisper("A", owner) == "a"  # remembered within the run
        shout("a", owner)
    assert calls == [("A", owner, False), ("a", owner, True)]
    full, beside = first.to_keep({})
    assert full == {f"{__name__}.shout": {"a": "A!"}} and beside == {}
    calls.clear()
    with remembering((owner,), full) as second:
        assert whisper("A", owner) == "a" and shout("a", owner) == "A!"
    assert calls == [("A", owner, False)]  # worked out again: the next run did not get it
    assert not second.changed and second.to_keep({}) == (None, {})  # and what it worked out is nothing to keep


def test_tables_that_are_not_tables_are_ignored():
    owner = object()
    for damaged in (None, "text", {"f": "not a table"}, [1, 2]):
        calls.clear()
        with remembering((owner,), tables(damaged)) as memory:
            assert shout("x", owner) == "X!"
        assert calls == [("x", owner, True)] and memory.worked == {f"{__name__}.shout": {"x": "X!"}}


def test_a_few_new_results_are_kept_beside_the_tables_until_these_need_writing_again():
    owner = object()
    with remembering((owner,)) as first:
        for n in range(80):
            shout(f"text {n}", owner)
    full, beside = first.to_keep({})
    assert full == first.used and beside == {}  # nothing kept yet: the tables in full
    known, kept = full, set()
    for run in range(12):
        with remembering((owner,), merged(known, beside)) as later:
            for n in range(80):
                shout(f"text {n}", owner)
            shout(f"new {run}", owner)
        calls.clear()
        assert later.worked == {f"{__name__}.shout": {f"new {run}": f"NEW {run}!"}}
        full, beside = later.to_keep(beside)
        kept.add(f"new {run}")
        if full is not None:  # 11 new results are more than an eighth of the 81 used: the tables anew
            assert run == 10 and beside == {} and set(full[f"{__name__}.shout"]) == {f"text {n}" for n in range(80)} | {f"new {run}"}
            known, kept = full, set()
        else:
            assert set(beside[f"{__name__}.shout"]) == kept
    with remembering((owner,), merged(known, beside)):
        shout("new 10", owner)
        shout("new 3", owner)  # dropped when the tables were kept anew (not used in that run)
    assert calls == [("new 3", owner, True)]


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
