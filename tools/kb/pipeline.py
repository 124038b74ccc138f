"""The pipeline, declared once as data: read -> parse -> classify -> (public) -> link -> emit.

Each stage is a function from the run so far to the run with its own part filled in, like
markdown-it's core rules; STAGES lists them in order and build() is the only place that chains
them. Pure: bytes and texts in, files out; a cache, when the caller hands one in, is the one thing it
asks for and gives back: each note's read and parse, by a key of its bytes, the config and the code, so
a note that did not change is not read or parsed again; and what the text functions worked out
(kb.memory), so the later stages work again only on the texts that changed. Notes not in the cache are
parsed in parallel processes when there are enough of them to pay for starting these.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Protocol

from . import privacy
from .classify import classify
from .collector import paused
from .config import load_config
from .emit import StandIns, emit, stats
from .link import link
from .memory import merged, remembering, tables
from .model import Config, Handbook, Links, Note, ParsedNote, Problem, Stats, Topic
from .read import MAX_BYTES, page_name_problems, read_note
from .sharing import forked

PARALLEL_FROM = 1_000_000
"""Characters of notes to parse from which parsing is shared among worker processes (starting them costs ~0.1 s)."""
PARSE_CHUNKS_PER_WORKER = 16
"""Notes are sent to the parse workers in chunks of this share of each one's part (~0.1 ms a chunk to send)."""
CACHE_FORMAT = b"kb-parse-cache-1"
MEMORY_FORMAT = b"kb-memory-1"
CONFIG_FORMAT = b"kb-config-1"


class ParseCache(Protocol):
    """Where each note's read and parse, and what the text functions worked out, are kept between runs
    (files.NoteCache); any value may come back damaged."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


@dataclass(frozen=True)
class Summary:
    """What `kb normalize` tells of a build: its counts, and what the user may want to act on."""

    stats: Stats
    left_out: tuple[tuple[str, int], ...]
    """(reason, how many lines) of the note lines left out, most first."""
    unfiled: tuple[str, ...]
    """The entries no topic matched, which went to the inbox page."""
    missing: tuple[str, ...]
    """Terms of the notes with no glossary entry."""


@dataclass(frozen=True)
class Build:
    files: dict[str, str]
    """Generated docs/ files by path relative to docs/."""
    stats: Stats
    handbook: Handbook
    links: Links
    problems: tuple[Problem, ...]
    digests: dict[str, str] = field(default_factory=dict)
    """The digests (files.digest) of the files emit took from the last run's memory with them (the unchanged topic pages
    and source listings), by path: the others' are for whoever needs them to work out."""

    @cached_property
    def summary(self) -> Summary:
        drops = Counter(d.reason for p in self.handbook.notes for d in p.drops)
        inbox = self.handbook.config.inbox
        is_inbox: dict[int, bool] = {}  # by each topic object's id: asked once per topic, not per entry (12k at 100x)

        def unplaced(topic: Topic) -> bool:
            found = is_inbox.get(id(topic))
            if found is None:
                found = is_inbox[id(topic)] = topic == inbox
            return found

        unfiled = [q.title for q in self.handbook.questions if q.placement and unplaced(q.placement.topic)]
        unfiled += [b.title or f"{b.block.kind} notes at {b.block.source.note}:{b.block.source.first}"
                    for b in self.handbook.blocks if unplaced(b.placement.topic)]
        left_out = tuple(sorted(drops.items(), key=lambda kv: (-kv[1], kv[0])))
        return Summary(self.stats, left_out, tuple(unfiled), self.links.missing)


@dataclass(frozen=True)
class Run:
    """What the stages have made so far."""

    sources: tuple[tuple[str, bytes], ...]
    config: Config
    max_bytes: int
    public: bool
    cache: ParseCache | None = None
    salt: bytes = b""
    """What besides a note's name and bytes its cache key depends on: the code, the config, the size limit."""
    workers: int = 1
    whys: bool = False
    """Whether the handbook says why askings were merged (`kb normalize --explain`): the merge is then made anew."""
    notes: tuple[Note, ...] = ()
    ready: tuple[tuple[str, tuple[Problem, ...], ParsedNote | None], ...] = ()
    """Per note: its cache key, the problems reading it found, and its parse when the cache had it."""
    parsed: tuple[ParsedNote, ...] = ()
    handbook: Handbook | None = None
    links: Links | None = None
    files: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def _read(run: Run) -> Run:
    notes: list[Note] = []
    ready: list[tuple[str, tuple[Problem, ...], ParsedNote | None]] = []
    problems: list[Problem] = []
    repairs_key = hashlib.sha256(b"\0".join((REPAIRS_FORMAT, run.salt))).hexdigest()
    known = _repairs(run.cache.get(repairs_key)) if run.cache is not None else {}
    repairs = dict(known)
    for name, data in run.sources:
        key = hashlib.sha256(b"\0".join((CACHE_FORMAT, run.salt, name.encode("utf-8", "surrogateescape"), data))).hexdigest()
        hit = _cached(run.cache.get(key), name) if run.cache is not None else None
        note: Note | None
        parsed: ParsedNote | None
        if hit is not None:
            note, found, parsed = hit
        else:
            note, read = read_note(name, data, run.max_bytes, repairs)
            found, parsed = tuple(read), None
        problems.extend(found)
        if note is not None:
            notes.append(note)
            ready.append((key, found, parsed))
    if run.cache is not None and len(repairs) != len(known):
        run.cache.put(repairs_key, repairs if len(repairs) <= REPAIRS_UP_TO else {k: repairs[k] for k in repairs.keys() - known.keys()})
    problems.extend(page_name_problems([n.name for n in notes]))
    return dataclasses.replace(run, notes=tuple(notes), ready=tuple(ready), problems=run.problems + tuple(problems))


REPAIRS_FORMAT = b"kb-repairs-1"
REPAIRS_UP_TO = 100_000
"""What ftfy made of the lines that are not plain ASCII of the notes read anew (read_note's repairs) is kept in the cache,
for the next run that reads an edited note anew (1,300 lines at 100x); past this many, only this run's new ones are."""


def _repairs(value: object) -> dict[str, str]:
    """value when it is the kept repairs (line -> repaired line), else none."""
    if isinstance(value, dict) and all(type(k) is str and type(v) is str for k, v in value.items()):
        return value
    return {}


def _parse(run: Run) -> Run:
    todo = [i for i, (_, _, parsed) in enumerate(run.ready) if parsed is None]
    made = _parse_all([run.notes[i] for i in todo], [run.ready[i][1] for i in todo], run.config, run.workers)
    fresh = dict(zip(todo, made, strict=True))
    parsed = []
    for i, (note, (key, found, cached)) in enumerate(zip(run.notes, run.ready, strict=True)):
        if cached is None:
            cached, pickled = fresh[i]
            if run.cache is not None:
                run.cache.put(key, (note, found, cached) if pickled is None else pickled)
        parsed.append(cached)
    return dataclasses.replace(run, parsed=tuple(parsed))


class _Pickled:
    """A value pickled already (by a parse worker, with the cache's own pickler): put in the cache as it is, whose pickle
    of it is a call of pickle.loads on those bytes, so that getting it back gives the value, not the bytes."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self) -> tuple[Callable[[bytes], object], tuple[bytes]]:
        return pickle.loads, (self.data,)


def _cached(value: object, name: str) -> tuple[Note, tuple[Problem, ...], ParsedNote] | None:
    """A cached (note, problems, parse) of the note called name, or None when value is not one."""
    if not (isinstance(value, tuple) and len(value) == 3):
        return None
    note, found, parsed = value
    if (isinstance(note, Note) and note.name == name and isinstance(found, tuple) and all(isinstance(p, Problem) for p in found)
            and isinstance(parsed, ParsedNote) and parsed.note == note):
        return note, found, parsed
    return None


def _parse_all(notes: Sequence[Note], found: Sequence[tuple[Problem, ...]], config: Config,
               workers: int) -> list[tuple[ParsedNote, _Pickled | None]]:
    """The notes parsed, in order: in worker processes when there are enough of them, else here. A worker sends each
    note's cache value (note, problems found reading it, parse) pickled as the cache pickles it (`_parse_pickled`),
    which this process loads once, as it comes, and the cache writes as it is, rather than unpickling what the pool
    pickled and pickling it again for the cache (~1-2 s of this process at 100x, while the workers wait)."""
    if not notes:
        return []
    # imported here: only a run with a note to parse needs the parser (~0.06 s to import), and only one with much to
    # parse the process pool (~0.03 s)
    from .parse import parse_note

    def here() -> list[tuple[ParsedNote, _Pickled | None]]:
        return [(parse_note(note, config), None) for note in notes]

    size = sum(len(line) for note in notes for line in note.lines)
    if workers < 2 or len(notes) < 2 or size < PARALLEL_FROM:
        return here()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if multiprocessing.current_process().daemon:  # a daemon may start no process
        return here()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)  # fork: workers start with kb loaded
    # the longest notes first, in small chunks, so that the workers finish together (notes of one kind, of like lengths, sit
    # together in name order: chunks of a quarter of the notes left one worker parsing a quarter of the work alone)
    order = sorted(range(len(notes)), key=lambda n: -sum(map(len, notes[n].lines)))
    chunk = max(1, len(notes) // (workers * PARSE_CHUNKS_PER_WORKER))
    made: list[tuple[ParsedNote, _Pickled | None]] = [None] * len(notes)  # type: ignore[list-item]  # each filled in below
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool, paused():  # (objects by the thousand that live on, and no garbage)
            done = pool.map(_parse_pickled, [notes[n] for n in order], [found[n] for n in order], repeat(config), chunksize=chunk)
            for n, data in zip(order, done, strict=True):  # loaded as they come, while the workers parse the rest
                made[n] = (_loaded(data), _Pickled(data))
    except (OSError, BrokenProcessPool):  # no processes to be had here (no /dev/shm, a process limit), or one was killed
        return here()
    return made


def _parse_pickled(note: Note, found: tuple[Problem, ...], config: Config) -> bytes:
    """In a worker: the cache value of the note, (note, found, its parse), pickled as the cache pickles values."""
    from .files import cache_bytes  # the cache's own pickler (files.NoteCache.put), not another
    from .parse import parse_note

    return cache_bytes((note, found, parse_note(note, config)))


def _loaded(data: bytes) -> ParsedNote:
    """The parse in a cache value a worker pickled (`_parse_pickled`)."""
    _, _, parsed = pickle.loads(data)
    assert isinstance(parsed, ParsedNote)
    return parsed


def _classify(run: Run) -> Run:
    handbook = classify(run.parsed, run.config, whys=run.whys, run_all=forked(run.workers))
    handbook = dataclasses.replace(handbook, problems=run.problems + handbook.problems)
    return dataclasses.replace(run, handbook=handbook)


def _public(run: Run) -> Run:
    assert run.handbook is not None
    return dataclasses.replace(run, handbook=privacy.public(run.handbook)) if run.public else run


def _link(run: Run) -> Run:
    assert run.handbook is not None
    return dataclasses.replace(run, links=link(run.handbook, _stand_ins(run), forked(run.workers)))


def _emit(run: Run) -> Run:
    assert run.handbook is not None and run.links is not None
    files, digests = emit(run.handbook, run.links, _stand_ins(run), forked(run.workers))
    return dataclasses.replace(run, files=files, digests=digests)


def _stand_ins(run: Run) -> StandIns:
    """Each note's parse with its cache key, which stands for it in link's carried terms and emit's digests (emit.StandIns):
    a parse is all its key can be (the note's name and bytes, the config, the code)."""
    return [(key, parsed) for parsed, (key, _, _) in zip(run.parsed, run.ready, strict=True)]


STAGES: tuple[tuple[str, Callable[[Run], Run]], ...] = (
    ("read", _read),
    ("parse", _parse),
    ("classify", _classify),
    ("public", _public),
    ("link", _link),
    ("emit", _emit),
)
"""The stages in order; each fills in its part of the run."""
COLLECTING = frozenset({"parse"})
"""The stages that run with Python's cycle collector on: parsing makes garbage in cycles; the others make objects by the
million that live on, and little garbage in cycles, so they run with it paused (kb.collector)."""
REMEMBER_FROM = "classify"
"""The stage from which what the text functions work out is kept for the next run (kb.memory); the parse's
work is kept with each note's parse."""


def _config(texts: dict[str, str], cache: ParseCache | None, code_version: str) -> Config:
    """The Config of the config files' texts: from the cache when a run before read the same texts with the same code
    (reading the YAML, PyYAML's import included, is ~0.05-0.1 s of a run after one edit), else read (and kept there).
    A config that cannot be read raises ConfigError every time: only a Config is kept."""
    if cache is None:
        return load_config(texts)
    key = hashlib.sha256(repr((CONFIG_FORMAT, code_version, sorted(texts.items()))).encode("utf-8", "surrogateescape")).hexdigest()
    found = cache.get(key)
    if isinstance(found, Config):
        return found
    config = load_config(texts)
    cache.put(key, config)
    return config


def build(notes: list[tuple[str, bytes]], config_texts: dict[str, str], max_bytes: int | None = None, public: bool = False,
          cache: ParseCache | None = None, code_version: str = "", workers: int = 1, whys: bool = False) -> Build:
    """The generated docs/ files for these notes; with public, without the private topics.

    max_bytes overrides, for this run, the note size limit of the config (max_note_bytes in cleanup.yml).
    With a cache, notes parsed before with the same config and code_version (a digest of kb's code) are
    taken from it and the others put in it; workers is how many processes may share the parsing.
    """
    config = _config(config_texts, cache, code_version)
    limit = max_bytes or config.max_note_bytes or MAX_BYTES
    salt = hashlib.sha256(repr((code_version, sorted(config_texts.items()), limit)).encode("utf-8", "surrogateescape")).digest()
    run = Run(tuple(notes), config, limit, public, cache, salt, workers, whys)
    key = hashlib.sha256(b"\0".join((MEMORY_FORMAT, salt, b"public" if public else b"all"))).hexdigest()
    more_key = hashlib.sha256(key.encode() + b"\0more").hexdigest()
    more = tables(cache.get(more_key)) if cache is not None else {}
    with ExitStack() as stack:
        for name, stage in STAGES:
            collector: AbstractContextManager[None] = nullcontext() if name in COLLECTING else paused(promote=True)
            with collector:
                if name == REMEMBER_FROM:
                    known = merged(tables(cache.get(key)), more) if cache is not None else {}
                    memory = stack.enter_context(remembering((config, config.glossary), known))
                run = stage(run)
    full, beside = memory.to_keep(more)
    if cache is not None and full is not None:
        cache.put(key, full)
    if cache is not None and beside is not more and (beside or more):
        cache.put(more_key, beside)
    assert run.handbook is not None and run.links is not None
    return Build(run.files, stats(run.handbook), run.handbook, run.links, run.handbook.problems, run.digests)
