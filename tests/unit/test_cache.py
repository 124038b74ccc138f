"""The cache in .cache/kb (each note's read and parse, by content hash; what the text functions worked out,
kb.memory) and parallel parsing."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kb import classify, collector, files, pipeline, workflow
from kb.config import ConfigError
from kb.model import Config, ParsedNote
from kb.model.marks import STATS_END, STATS_START
from kb.pipeline import build
from tests.conftest import ROOT


class Recording:
    """A files.NoteCache that counts what the pipeline takes from it and puts in it: notes' parses (hits,
    puts) apart from the memory of the text functions (memory_hits, memory_puts: the one value that is a dict) and
    the Config read from the config files (configs: "hit" or "put") and ftfy's repairs of lines (repairs: "hit" or
    "put"; the one dict of texts)."""

    def __init__(self, folder: Path) -> None:
        self.cache = files.NoteCache(folder)
        self.hits: list[str] = []
        self.puts: list[str] = []
        self.memory_hits: list[str] = []
        self.memory_puts: list[dict[str, dict[object, object]]] = []
        self.configs: list[str] = []
        self.repairs: list[str] = []

    def get(self, key: str) -> object | None:
        value = self.cache.get(key)
        if _is_repairs(value):
            self.repairs.append("hit")
        elif isinstance(value, dict):
            self.memory_hits.append(key)
        elif isinstance(value, Config):
            self.configs.append("hit")
        elif value is not None:
            self.hits.append(key)
        return value

    def put(self, key: str, value: object) -> None:
        if _is_repairs(value):
            self.repairs.append("put")
        elif isinstance(value, dict):
            self.memory_puts.append(value)
        elif isinstance(value, Config):
            self.configs.append("put")
        else:
            self.puts.append(key)
        self.cache.put(key, value)


def _is_repairs(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())


@pytest.fixture(scope="module")
def notes() -> list[tuple[str, bytes]]:
    found, _ = files.read_notes(ROOT / "notes")
    return found


@pytest.fixture(scope="module")
def cold(notes: list[tuple[str, bytes]], config_texts: dict[str, str]) -> pipeline.Build:
    return build(notes, config_texts)


def _edited(notes: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The notes with one question added to the second one."""
    name, data = notes[1]
    return [*notes[:1], (name, data + b"\n\nWhat is the difference between a cache and a buffer?\n"), *notes[2:]]


def test_a_second_run_parses_only_the_changed_note(tmp_path: Path, notes: list[tuple[str, bytes]], config_texts: dict[str, str],
                                                   cold: pipeline.Build):
    first = Recording(tmp_path)
    assert build(notes, config_texts, cache=first, code_version="v1").files == cold.files
    assert len(first.puts) == len(notes) and not first.hits
    assert not first.memory_hits and len(first.memory_puts) == 1
    remembered = first.memory_puts[0]
    assert remembered["kb.words.meaning"] and remembered["kb.classify._placing"] and remembered["kb.terms._mentions"]
    assert remembered["kb.link._related_questions"] and remembered[classify._FACTS]
    assert "kb.classify.topic_scores" not in remembered and "kb.words.correct" not in remembered  # for their run only
    again = Recording(tmp_path)
    assert build(notes, config_texts, cache=again, code_version="v1").files == cold.files  # all from the cache
    assert len(again.hits) == len(notes) and not again.puts
    assert len(again.memory_hits) == 1 and not again.memory_puts  # nothing worked out again, so nothing new to keep
    edited = _edited(notes)
    warm = Recording(tmp_path)
    result = build(edited, config_texts, cache=warm, code_version="v1")
    assert len(warm.puts) == 1 and len(warm.hits) == len(notes) - 1
    assert len(warm.memory_hits) == 1 and len(warm.memory_puts) == 1
    added = "What is the difference between a cache and a buffer?"
    assert added not in remembered["kb.words.meaning"] and added in warm.memory_puts[0]["kb.words.meaning"]
    assert len(warm.memory_puts[0]["kb.words.meaning"]) < 5  # only what this run worked out, kept beside the full tables
    assert set(warm.memory_puts[0]["kb.link._related_questions"]) == {None}  # the related questions, carried to the next run
    warm_again = Recording(tmp_path)
    assert build(edited, config_texts, cache=warm_again, code_version="v1").files == result.files
    assert len(warm_again.memory_hits) == 2 and not warm_again.memory_puts  # the tables and the results beside them
    uncached = build(edited, config_texts)
    assert result.files == uncached.files and result.problems == uncached.problems
    assert added in "".join(result.files.values())


def test_damaged_or_unreadable_cache_files_are_misses(tmp_path: Path, notes: list[tuple[str, bytes]], config_texts: dict[str, str],
                                                      cold: pipeline.Build):
    build(notes, config_texts, cache=files.NoteCache(tmp_path), code_version="v1")
    cached = sorted(p for p in tmp_path.glob("*.pickle") if not isinstance(pickle.loads(p.read_bytes()), (dict, Config)))
    assert len(cached) == len(notes)
    cached[0].write_bytes(b"not a pickle at all")
    cached[1].write_bytes(cached[1].read_bytes()[:100])  # cut short
    cached[2].unlink()
    cached[2].mkdir()  # not a file: cannot be read
    cached[3].write_bytes(pickle.dumps({"a": "dict, not a parse"}))
    again = Recording(tmp_path)
    result = build(notes, config_texts, cache=again, code_version="v1")
    assert result.files == cold.files and result.problems == cold.problems
    assert len(again.puts) == 4  # the four damaged ones parsed again, the fifth taken from the cache


def test_a_change_of_code_or_config_invalidates_the_cache(tmp_path: Path, notes: list[tuple[str, bytes]], config_texts: dict[str, str]):
    build(notes, config_texts, cache=files.NoteCache(tmp_path), code_version="v1")
    new_code = Recording(tmp_path)
    build(notes, config_texts, cache=new_code, code_version="v2")
    assert not new_code.hits and len(new_code.puts) == len(notes)
    changed = {**config_texts, "corrections.yml": config_texts["corrections.yml"] + "\n# a comment\n"}
    new_config = Recording(tmp_path)
    build(notes, changed, cache=new_config, code_version="v2")
    assert not new_config.hits and len(new_config.puts) == len(notes)
    smaller = Recording(tmp_path)
    build(notes, changed, max_bytes=10_000_000, cache=smaller, code_version="v2")
    assert not smaller.hits


def test_the_config_is_read_once_for_its_texts_and_code_and_a_broken_one_is_never_kept(tmp_path: Path, notes: list[tuple[str, bytes]],
                                                                                       config_texts: dict[str, str], cold: pipeline.Build):
    first, again = Recording(tmp_path), Recording(tmp_path)
    build(notes[:1], config_texts, cache=first, code_version="v1")
    assert build(notes, config_texts, cache=again, code_version="v1").files == cold.files
    assert first.configs == ["put"] and again.configs == ["hit"]
    for code, texts in (("v2", config_texts), ("v1", {**config_texts, "topics.yml": config_texts["topics.yml"] + "\n# a comment\n"})):
        other = Recording(tmp_path)
        build(notes[:1], texts, cache=other, code_version=code)
        assert other.configs == ["put"]  # another code or other texts: read anew
    broken = {**config_texts, "topics.yml": "sections: [unclosed"}
    for _ in range(2):
        with pytest.raises(ConfigError, match="topics.yml"):
            build(notes[:1], broken, cache=Recording(tmp_path), code_version="v1")


def test_code_version_follows_the_source():
    assert files.code_version() == files.code_version() and len(files.code_version()) == 64


def _project(root: Path, notes: list[tuple[str, bytes]]) -> Path:
    (root / "notes").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "config").mkdir()
    for path in (ROOT / "config").iterdir():
        (root / "config" / path.name).write_bytes(path.read_bytes())
    for name, data in notes:
        (root / "notes" / name).write_bytes(data)
    return root


def test_normalize_keeps_the_cache_in_the_project_and_prunes_it(tmp_path: Path, notes: list[tuple[str, bytes]], cold: pipeline.Build):
    root = _project(tmp_path / "project", notes)
    result, _ = workflow.generate(root)
    folder = root / files.CACHE_DIR
    assert len(list(folder.glob("*.pickle"))) == len(notes) + 4  # and the memory of the text functions, the config, the repairs, what the run made
    assert result.files == cold.files
    (root / "notes" / notes[0][0]).unlink()
    workflow.generate(root)
    parses = [p for p in folder.glob("*.pickle") if isinstance(pickle.loads(p.read_bytes()), tuple)]  # not memory or what a run made
    assert len(parses) == len(notes) - 1  # the removed note's parse is gone


def test_the_hooks_check_takes_what_normalize_made_while_nothing_changed(tmp_path: Path, notes: list[tuple[str, bytes]],
                                                                         monkeypatch: pytest.MonkeyPatch):
    root = _project(tmp_path / "project", notes)
    assert workflow.check(root)[1]  # nothing generated yet: everything is missing
    workflow.apply(workflow.plan(root))
    runs: list[int] = []
    real_build = workflow.build
    monkeypatch.setattr(workflow, "build", lambda *args, **kwargs: runs.append(1) or real_build(*args, **kwargs))
    problems, stale = workflow.check(root)
    assert stale == [] and not runs  # taken from what normalize made, not built again
    assert any("repaired text encoding" in str(p) for p in problems)  # the notes' problems are still told
    topic = next(p for p in sorted((root / "docs").rglob("*.md")) if p.parent != root / "docs" and "sources" not in p.parts)
    topic.write_text(topic.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    assert workflow.check(root)[1] == [topic.relative_to(root / "docs").as_posix()] and not runs
    name, data = notes[0]
    (root / "notes" / name).write_bytes(data + b"\n\nWhat is a stale page?\n")
    assert workflow.check(root)[1] and runs  # the notes changed: built again, and docs/ is stale


def test_parallel_parsing_gives_the_same_build(monkeypatch: pytest.MonkeyPatch, notes: list[tuple[str, bytes]],
                                               config_texts: dict[str, str], cold: pipeline.Build):
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    parallel = build(notes, config_texts, workers=2)
    assert parallel.files == cold.files and parallel.problems == cold.problems


def test_where_no_process_can_be_started_the_notes_are_parsed_here(monkeypatch: pytest.MonkeyPatch, notes: list[tuple[str, bytes]],
                                                                   config_texts: dict[str, str], cold: pipeline.Build):
    import concurrent.futures

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(38, "Function not implemented")  # as where there is no /dev/shm for the pool's semaphores

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    built = build(notes, config_texts, workers=2)
    assert built.files == cold.files and built.problems == cold.problems


def test_a_daemon_process_parses_by_itself(monkeypatch: pytest.MonkeyPatch, notes: list[tuple[str, bytes]],
                                          config_texts: dict[str, str], cold: pipeline.Build):
    """The MkDocs hook checks docs/ in a daemon process, which may not start worker processes: it parses alone."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def check() -> None:
        try:
            send.send(build(notes, config_texts, workers=2).files == cold.files)
        except Exception as error:  # the test's answer: what went wrong
            send.send(repr(error))

    process = context.Process(target=check, daemon=True)
    process.start()
    answer = receive.recv() if receive.poll(300) else "no answer"
    process.join()
    assert answer is True


def test_normalize_builds_nothing_when_nothing_changed(tmp_path: Path, notes: list[tuple[str, bytes]], monkeypatch: pytest.MonkeyPatch):
    root = _project(tmp_path / "project", notes)
    first = workflow.plan(root)
    assert first.build is not None and first.to_write
    workflow.apply(first)
    runs: list[int] = []
    real_build = workflow.build
    monkeypatch.setattr(workflow, "build", lambda *args, **kwargs: runs.append(1) or real_build(*args, **kwargs))
    again = workflow.plan(root)
    assert again.build is None and not again.stale and not runs  # told from what the first run made
    assert again.summary == first.summary and again.problems == first.problems
    assert workflow.plan(root, full=True).build is not None and runs == [1]  # --explain wants the handbook: built
    page = next(p for p in sorted((root / "docs").rglob("*.md")) if "sources" in p.parts)
    page.unlink()
    repaired = workflow.plan(root)
    assert repaired.build is not None and list(repaired.to_write) == [page.relative_to(root / "docs").as_posix()]


@pytest.mark.parametrize("collecting", [True, False])
def test_reading_the_cache_leaves_the_cycle_collector_as_it_was(tmp_path: Path, cold: pipeline.Build, collecting: bool):
    """The cache unpickles with Python's cycle collector paused, and gives it back as it found it, also after a miss."""
    cache = files.NoteCache(tmp_path)
    cache.put("handbook", cold.handbook)
    (tmp_path / "damaged.pickle").write_bytes(b"\x80\x05not a pickle")
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        assert cache.get("handbook") == cold.handbook
        assert gc.isenabled() is collecting
        assert cache.get("damaged") is None
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.parametrize("collecting", [True, False])
def test_a_paused_collector_promotes_what_was_made_unless_something_else_froze_objects(collecting: bool):
    """collector.paused(promote=True): the cycle collector is off inside and as it was after; what was made inside goes
    to the oldest generation (no collection looks it over again but a full one), and nothing stays frozen; when
    something else froze objects, their freeze is left as it was and nothing is promoted."""
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        with collector.paused(promote=True):
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]
        assert gc.isenabled() is collecting and gc.get_freeze_count() == 0
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        assert all(id(item) in oldest for item in made) and id(made) in oldest
        gc.disable()  # no collection moves objects between generations while we look
        theirs = [[n] for n in range(10)]
        gc.freeze()  # someone else's (its count may fall as frozen objects die: they are still freed by reference counts)
        try:
            with collector.paused(promote=True):
                later = [[n] for n in range(1000)]
            in_generations = {id(o) for generation in range(3) for o in gc.get_objects(generation=generation)}
            assert gc.get_freeze_count() > 0 and id(theirs) not in in_generations  # still frozen: not thawed
            assert id(later) in {id(o) for o in gc.get_objects(generation=0)}  # not promoted
        finally:
            gc.unfreeze()
    finally:
        (gc.enable if was else gc.disable)()


def test_only_parsing_runs_with_the_collector_on_and_a_failed_build_gives_it_back(tmp_path: Path, notes: list[tuple[str, bytes]],
                                                                                  config_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch):
    """Parsing makes garbage in cycles, so it runs with the cycle collector on; the other stages run with it paused."""
    seen: dict[str, bool] = {}

    def recording(name: str, stage: Callable[[pipeline.Run], pipeline.Run]) -> Callable[[pipeline.Run], pipeline.Run]:
        def run(state: pipeline.Run) -> pipeline.Run:
            seen[name] = gc.isenabled()
            if name == "emit" and len(seen) == len(pipeline.STAGES) and failing:
                raise ConfigError("a failure in the last stage")
            return stage(state)
        return run

    monkeypatch.setattr(pipeline, "STAGES", tuple((name, recording(name, stage)) for name, stage in pipeline.STAGES))
    failing = False
    assert gc.isenabled()
    build(notes, config_texts, cache=files.NoteCache(tmp_path), code_version="v1")
    assert seen == {"read": False, "parse": True, "classify": False, "public": False, "link": False, "emit": False}
    assert gc.isenabled() and gc.get_freeze_count() == 0
    failing = True
    with pytest.raises(ConfigError, match="a failure in the last stage"):
        build(notes, config_texts, cache=files.NoteCache(tmp_path), code_version="v1")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_normalize_rewrites_exactly_the_files_that_differ_and_deletes_generated_ones_not_made(tmp_path: Path, notes: list[tuple[str, bytes]]):
    """docs/ is compared with what a run made by digests: a generated page edited by hand (its mark kept) is written
    again, a generated page no run makes is deleted, the home page's stats region is brought up to date, and nothing else
    is touched; the next plan has nothing to do and docs/ is as the first run left it."""
    root = _project(tmp_path / "project", notes)
    docs = root / "docs"
    (docs / "index.md").write_text(f"# Handbook\n\n{STATS_START}\nold stats\n{STATS_END}\n", encoding="utf-8")
    workflow.apply(workflow.plan(root))
    made = {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}
    page = next(p for p in sorted(docs.rglob("*.md")) if "sources" in p.parts)
    page.write_bytes(page.read_bytes() + b"\nedited by hand\n")
    stray = docs / "sources" / "gone.md"
    stray.write_bytes(page.read_bytes())  # a page an earlier run made for a note now gone: it has the mark
    (docs / "index.md").write_text(f"# Handbook\n\n{STATS_START}\nold stats\n{STATS_END}\n", encoding="utf-8")
    plan = workflow.plan(root, full=True)  # built again (as --explain does): the same files
    assert plan.build is not None
    assert sorted(plan.to_write) == sorted([page.relative_to(docs).as_posix(), "index.md"]) and plan.to_delete == ["sources/gone.md"]
    workflow.apply(plan)
    assert {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()} == made
    again = workflow.plan(root)
    assert again.build is None and not again.stale


def test_the_cli_imports_no_parser_nor_process_pool_nor_ftfy_until_a_note_needs_them():
    """A run that finds every note's parse in the cache needs none of them (~0.15 s of imports at every run), nor PyYAML
    when the config is cached, nor Python-Markdown when no answer is new; ftfy comes with the first line of a note read
    anew that is not plain ASCII."""
    modules = "('kb.parse', 'markdown_it', 'multiprocessing', 'concurrent.futures', 'ftfy', 'yaml', 'markdown')"
    code = (f"import sys, kb.cli, kb.read; print(sorted(m for m in {modules} if m in sys.modules)); "
            "kb.read.read_note('a.txt', b'plain ascii'); print('ftfy' in sys.modules); "
            "print(kb.read.read_note('a.txt', 'Fr\u221a\u00a9chet'.encode())[0].lines)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "tools")})
    assert found.stdout.split("\n") == ["[]", "False", "('Fréchet',)", ""]


def test_parallel_parsing_puts_in_the_cache_what_parsing_here_puts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  notes: list[tuple[str, bytes]], config_texts: dict[str, str],
                                                                  cold: pipeline.Build):
    """Workers send each note's cache value pickled as the cache pickles it, which this process loads and the cache
    writes as it is: read back, it is the value parsing here puts, and the next run takes every note from it."""
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    parallel = Recording(tmp_path / "parallel")
    result = build(notes, config_texts, cache=parallel, code_version="v1", workers=2)
    assert result.files == cold.files and result.problems == cold.problems and len(parallel.puts) == len(notes)
    here = Recording(tmp_path / "here")
    build(notes, config_texts, cache=here, code_version="v1", workers=1)
    assert parallel.puts == here.puts
    for key in here.puts:
        value = files.NoteCache(tmp_path / "parallel").get(key)
        assert isinstance(value, tuple) and isinstance(value[2], ParsedNote) and value == files.NoteCache(tmp_path / "here").get(key)
    again = Recording(tmp_path / "parallel")
    assert build(notes, config_texts, cache=again, code_version="v1", workers=2).files == cold.files
    assert len(again.hits) == len(notes) and not again.puts


def test_a_damaged_value_pickled_by_a_worker_is_a_miss(tmp_path: Path):
    cache = files.NoteCache(tmp_path)
    cache.put("whole", pipeline._Pickled(files.cache_bytes(("a", ("tuple",)))))
    cache.put("damaged", pipeline._Pickled(files.cache_bytes(("a", ("tuple",)))[:-5]))
    cache.put("foreign", pipeline._Pickled(b"not a pickle"))
    assert cache.get("whole") == ("a", ("tuple",))
    assert cache.get("damaged") is None and cache.get("foreign") is None


def test_the_cache_makes_kbs_dataclasses_again_equal_in_a_new_process_and_nothing_else_by_name(tmp_path: Path):
    """The cache pickles kb's slots dataclasses as calls of makers named after their classes (files._maker); a new
    process, which has made none yet, gets them by name, and the objects are equal to the ones pickled. A maker's name
    outside kb is no maker."""
    code = (
        "import pickle, sys\n"
        "from kb.model import Item, ItemList, Question, Source, Text\n"
        "from kb.words import Meaning\n"
        "value = (Question('t', (ItemList((Item(Text('a', True), label='x'),), True, 3),), Source('n.md', (1, 2), 'o'), 'c'),\n"
        "         Meaning(frozenset({'a'}), intents=frozenset({'how'}), key='a', order=('a',)))\n"
        "if sys.argv[1] == 'dump':\n"
        "    from kb.files import cache_bytes\n"
        "    sys.stdout.buffer.write(cache_bytes(value))\n"
        "else:\n"
        "    data = sys.stdin.buffer.read()\n"
        "    print(b'_make:kb/model/notes:Question' in data, pickle.loads(data) == value, hash(pickle.loads(data)) == hash(value))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    dumped = subprocess.run([sys.executable, "-c", code, "dump"], capture_output=True, check=True, env=env).stdout
    loaded = subprocess.run([sys.executable, "-c", code, "load"], input=dumped, capture_output=True, check=True, env=env)
    assert loaded.stdout.decode().split() == ["True", "True", "True"]
    with pytest.raises(AttributeError):
        files.__getattr__("_make:os:path")
    with pytest.raises(AttributeError):
        files.__getattr__("_make:kb/model/notes:NoSuchClass")


def test_a_note_read_anew_takes_the_repairs_of_lines_read_before_without_ftfy(tmp_path: Path):
    """ftfy's repair of each line that is not plain ASCII is kept (read_note's repairs): reading the note again, edited,
    in a new process gives what reading it without them gives, and needs ftfy only for the new line."""
    code = (
        "import json, sys\n"
        "from kb.read import read_note\n"
        "repairs = json.loads(sys.argv[1])\n"
        "note, problems = read_note('a.md', sys.argv[2].encode(), repairs=repairs)\n"
        "alone, alone_problems = read_note('a.md', sys.argv[2].encode())\n"
        "print(json.dumps([note == alone, problems == alone_problems, 'ftfy' in sys.modules, repairs]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}

    def read(repairs: dict[str, str], text: str) -> list[object]:
        found = subprocess.run([sys.executable, "-c", code, json.dumps(repairs), text], capture_output=True, text=True, check=True, env=env)
        return json.loads(found.stdout)

    first = read({}, "# T\n\nFr\u221a\u00a9chet Inception Distance\nnaïve\n")
    repairs = {"Fr\u221a\u00a9chet Inception Distance": "Fréchet Inception Distance", "naïve": "naïve"}
    assert first == [True, True, True, repairs]
    edited = "# T\n\nFr\u221a\u00a9chet Inception Distance\nnaïve\nand one more plain line\n"
    assert read(repairs, edited) == [True, True, True, repairs]  # ftfy came with the reading without repairs only
    code_with_repairs_only = code.replace("alone, alone_problems = read_note('a.md', sys.argv[2].encode())", "alone, alone_problems = note, problems")
    found = subprocess.run([sys.executable, "-c", code_with_repairs_only, json.dumps(repairs), edited], capture_output=True, text=True,
                           check=True, env=env)
    assert json.loads(found.stdout) == [True, True, False, repairs]  # every line known: no ftfy
    with_new_line = subprocess.run([sys.executable, "-c", code_with_repairs_only, json.dumps(repairs), edited + "café\n"], capture_output=True,
                                   text=True, check=True, env=env)
    assert json.loads(with_new_line.stdout) == [True, True, True, {**repairs, "café": "café"}]


def test_the_repairs_are_kept_between_runs(tmp_path: Path, notes: list[tuple[str, bytes]], config_texts: dict[str, str]):
    first = Recording(tmp_path)
    build(notes, config_texts, cache=first, code_version="v1")
    assert first.repairs == ["put"]  # the notes have lines that are not plain ASCII
    edited = [(name, data + b"\nWhat is new here?\n") for name, data in notes]
    again = Recording(tmp_path)
    result = build(edited, config_texts, cache=again, code_version="v1")
    assert again.repairs == ["hit"] and len(again.puts) == len(notes)  # every note read anew, no line repaired anew
    assert result.files == build(edited, config_texts).files


def test_a_plain_text_note_is_parsed_without_markdown_it():
    """markdown-it (~0.05 s to import) comes with the first Markdown note, not with a plain-text one."""
    code = ("import sys\nfrom pathlib import Path\nfrom kb import files\nfrom kb.config import load_config\nfrom kb.parse import parse_note\n"
            "from kb.read import read_note\nconfig = load_config(files.read_config(Path('config')))\n"
            "parsed = parse_note(read_note('a.txt', b'what is x?\\n  it is y\\n')[0], config)\n"
            "print(len(parsed.entries), 'markdown_it' in sys.modules)\n"
            "parsed = parse_note(read_note('b.md', b'# T\\n\\n- what is x?\\n  - it is y\\n')[0], config)\n"
            "print(len(parsed.entries), 'markdown_it' in sys.modules)\n")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT / "tools")})
    assert found.stdout.split("\n") == ["1 False", "1 True", ""]
