"""The works a stage shares among processes (kb.sharing): their results come back in order, what the text functions
worked out for them comes back with them, and a build that shares its work writes what one that does not writes, the
first time and after an edit."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from kb import files, pipeline, sharing
from kb.memory import remembered, remembering
from kb.pipeline import build
from tests.conftest import ROOT


@remembered
def _shouted(text: str, owner: object) -> tuple[str, int]:
    """A text function: the text in capitals, with the process that worked it out."""
    return text.upper(), os.getpid()


def _work(text: str, owner: object) -> tuple[str, int, int]:
    shouted, by = _shouted(text, owner)
    return shouted, by, os.getpid()


def test_shared_works_come_back_in_order_from_other_processes_with_what_they_worked_out():
    owner = object()
    texts = [f"text {n}" for n in range(40)]
    with remembering((owner,)) as memory:
        done = sharing.forked(2)([partial(_work, text, owner) for text in texts], sharing.SHARE_FROM)
        assert [shouted for shouted, _, _ in done] == [text.upper() for text in texts]
        assert {by for _, _, by in done} - {os.getpid()}  # done elsewhere
        name = f"{__name__}._shouted"
        assert set(memory.worked[name]) == set(texts)  # adopted: the next run gets them
        assert _shouted("text 7", owner) == (done[7][0], done[7][2])  # remembered: not worked out again here
    assert memory.used[name]["text 7"] == (done[7][0], done[7][2])


def test_little_work_is_done_here():
    owner = object()
    done = sharing.forked(2)([partial(_work, f"text {n}", owner) for n in range(40)], sharing.SHARE_FROM - 1)
    assert {by for _, _, by in done} == {os.getpid()}
    assert sharing.forked(1)([partial(_work, "one", owner)] * 3, 10 * sharing.SHARE_FROM) == [("ONE", os.getpid(), os.getpid())] * 3


@pytest.fixture(scope="module")
def notes() -> list[tuple[str, bytes]]:
    found, _ = files.read_notes(ROOT / "notes")
    return found


def test_a_build_that_shares_its_work_writes_what_one_alone_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   notes: list[tuple[str, bytes]], config_texts: dict[str, str]):
    alone = build(notes, config_texts)
    name, data = notes[2]
    edited = [*notes[:2], (name, data + b"\n\nWhat is shared among the workers?\n"), *notes[3:]]
    edited_alone = build(edited, config_texts)
    shared_runs: list[int] = []
    real = sharing._run_all

    def counted(works, size, workers):  # type: ignore[no-untyped-def]
        shared_runs.append(len(works))
        return real(works, size, workers)

    monkeypatch.setattr(sharing, "SHARE_FROM", 0)
    monkeypatch.setattr(sharing, "_run_all", counted)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    cache = files.NoteCache(tmp_path)
    shared = build(notes, config_texts, cache=cache, code_version="v1", workers=2)
    assert shared.files == alone.files and shared.problems == alone.problems
    assert len(shared_runs) == 4 and min(shared_runs) > 1  # the askings' meanings, the notes' facts, their term-like words, the pages
    # the next run, after an edit, starts from what the workers worked out
    assert build(edited, config_texts, cache=files.NoteCache(tmp_path), code_version="v1", workers=2).files == edited_alone.files


def test_a_text_function_is_worked_out_beforehand_for_the_texts_not_remembered(monkeypatch: pytest.MonkeyPatch):
    owner = object()
    name = f"{__name__}._shouted"
    texts = [f"text {n}" for n in range(8 * sharing.SHARE_FROM)]
    given: list[int] = []

    def run_all(works, size):  # type: ignore[no-untyped-def]
        given.append(size)
        return sharing.forked(2)(works, size)

    sharing.remember_all(_shouted, texts, owner, run_all)
    assert given == []  # nothing would be remembered: nothing is worked out
    with remembering((owner,), {name: {"text 0": ("known", 0)}}) as memory:
        sharing.remember_all(_shouted, [*texts, *texts], owner, run_all)
        assert given == [(len(texts) - 1) // sharing.TEXTS_PER_ENTRY]  # each new text once
        assert set(memory.worked[name]) == set(texts) - {"text 0"}
        assert {by for _, by in memory.worked[name].values()} - {os.getpid()}  # in the workers
        assert _shouted("text 0", owner) == ("known", 0) and _shouted("text 9", owner) == memory.worked[name]["text 9"]


def test_where_no_process_can_be_started_the_works_are_done_here(monkeypatch: pytest.MonkeyPatch):
    import concurrent.futures

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(38, "Function not implemented")  # as where there is no /dev/shm for the pool's semaphores

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    owner = object()
    done = sharing.forked(2)([partial(_work, f"text {n}", owner) for n in range(40)], sharing.SHARE_FROM)
    assert done == [(f"TEXT {n}", os.getpid(), os.getpid()) for n in range(40)]
