"""What `kb normalize` does, once, for the CLI and the MkDocs hook alike: notes in, a plan for docs/ out.

Reads through `files`, builds through `pipeline`, keeps the home page's stats region current, and plans
the writes; `apply` carries a plan out. Errors are `WorkflowError`, with a message naming the file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .config import ConfigError
from .emit import splice_stats
from .model import Problem, Stats
from .model.marks import STATS_START
from .pipeline import Build, Summary, build

HOME_PAGE = "index.md"
OUTCOME_FORMAT = "kb-outcome-2"


class WorkflowError(Exception):
    """A config, note folder or docs/ problem that stops the run; the message names the file."""


@dataclass(frozen=True)
class Plan:
    build: Build | None
    """None when the notes, config and code are those of the run that made docs/, which is unchanged: nothing was built."""
    summary: Summary
    docs: Path
    """The docs tree the plan is for (docs/, or the public copy)."""
    to_write: dict[str, str]
    to_delete: list[str]
    problems: tuple[Problem, ...]
    """Every problem found, skipped files included."""
    encoded: dict[str, bytes] = field(default_factory=dict)
    """The UTF-8 bytes of texts to write that were encoded for their digest (`apply` writes them as they are)."""

    @property
    def stale(self) -> list[str]:
        return sorted([*self.to_write, *self.to_delete])

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


@dataclass(frozen=True)
class _Made:
    """What a run made, kept in the cache under a key of all it was made from (`_outcome_key`): enough to tell
    whether docs/ holds it, and what to say of it, without building again."""

    digests: dict[str, str]
    """Generated file -> `files.digest` of its text."""
    summary: Summary
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Inputs:
    notes: list[tuple[str, bytes]]
    skipped: tuple[Problem, ...]
    config_texts: dict[str, str]
    code: str
    """`files.code_version`, read once with the notes and config."""


def generate(root: Path, max_bytes: int | None = None, public: bool = False, whys: bool = False) -> tuple[Build, tuple[Problem, ...]]:
    """The handbook built from root's notes/ and config/, and every problem found on the way.

    Each note's parse is kept in root/.cache/kb (files.CACHE_DIR), so the next run parses only the notes
    that changed; parsing many notes is shared among the machine's cores. What the run made (its files'
    digests, summary and problems) is kept there too, under a key of all it was made from, for `check` and
    for the next `plan`. With whys, the handbook also says why askings were merged (`--explain`), from a merge made
    anew rather than carried from the last run."""
    result, problems, _, _ = _generate(root, _read_inputs(root), max_bytes, public, whys)
    return result, problems


def _generate(root: Path, inputs: _Inputs, max_bytes: int | None, public: bool, whys: bool = False,
              outcome_key: str | None = None, cache: files.NoteCache | None = None) -> tuple[Build, tuple[Problem, ...], _Made, dict[str, bytes]]:
    """The build, every problem, what the run made and the files' texts encoded for their digests. With a cache
    (plan's), the caller prunes it."""
    own = cache is None
    cache = cache or files.NoteCache(root / files.CACHE_DIR)
    try:
        result = build(inputs.notes, inputs.config_texts, max_bytes, public=public, cache=cache, code_version=inputs.code,
                       workers=_cores(), whys=whys)
    except ConfigError as error:
        raise WorkflowError(str(error)) from None
    digests: dict[str, str] = {}
    encoded: dict[str, bytes] = {}
    for path, text in result.files.items():  # the pages and listings the build remembered come with their digests
        known = result.digests.get(path)
        if known is None:
            data = encoded[path] = text.encode("utf-8")
            known = files.digest_of(data)
        digests[path] = known
    made = _Made(digests, result.summary, result.problems)
    cache.put(outcome_key or _outcome_key(inputs, max_bytes, public), made)
    if own:
        cache.prune()
    return result, (*inputs.skipped, *result.problems), made, encoded


def _read_inputs(root: Path) -> _Inputs:
    try:
        notes, skipped = files.read_notes(root / "notes")
        return _Inputs(notes, tuple(skipped), files.read_config(root / "config"), files.code_version())
    except files.InputError as error:
        raise WorkflowError(str(error)) from None


def _made(cache: files.NoteCache, key: str) -> _Made | None:
    """What the run with this outcome key made, when the cache still has it."""
    made = cache.get(key)
    return made if isinstance(made, _Made) else None


def check(root: Path) -> tuple[tuple[Problem, ...], list[str]]:
    """Every problem of root's notes, and the docs/ files that do not match them (stale, missing or left over):
    what `plan` tells, taken from what the last `kb normalize` made when the notes, config and code are the
    same (the MkDocs hook asks this at every build), else worked out in full."""
    inputs = _read_inputs(root)
    cache = files.NoteCache(root / files.CACHE_DIR)
    made = _made(cache, _outcome_key(inputs, None, False))
    if made is None:
        full = plan(root)
        return full.problems, full.stale
    return (*inputs.skipped, *made.problems), _stale(cache, root / "docs", made)[0]


def _outcome_key(inputs: _Inputs, max_bytes: int | None, public: bool) -> str:
    digest = hashlib.sha256(repr((OUTCOME_FORMAT, inputs.code, sorted(inputs.config_texts.items()), max_bytes, public)).encode())
    for name, data in inputs.notes:
        digest.update(b"\0%d\0%s\0%d\0" % (len(name), name.encode("utf-8", "surrogateescape"), len(data)))
        digest.update(data)
    return digest.hexdigest()


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def plan(root: Path, max_bytes: int | None = None, public_docs: Path | None = None, full: bool = False) -> Plan:
    """What `kb normalize` would change in root/docs (or, with public_docs, in a public copy made there).

    When the notes, config and code are those of the last run and docs/ holds what it made, nothing is built
    (the plan has no build) unless full asks for it; a full plan's build also says why askings were merged
    (`--explain`), from a merge made anew rather than carried from the last run."""
    docs = root / "docs"
    if public_docs is not None:
        try:
            files.copy_docs(docs, public_docs)
        except (files.HandWrittenFileError, files.InputError) as error:
            raise WorkflowError(str(error)) from None
        docs = public_docs
    inputs = _read_inputs(root)
    cache = files.NoteCache(root / files.CACHE_DIR)
    outcome_key = _outcome_key(inputs, max_bytes, public_docs is not None)
    made = None if full else _made(cache, outcome_key)
    if made is not None and not _stale(cache, docs, made)[0]:
        return Plan(None, made.summary, docs, {}, [], (*inputs.skipped, *made.problems))
    result, problems, made, encoded = _generate(root, inputs, max_bytes, public_docs is not None, whys=full, outcome_key=outcome_key,
                                                cache=cache)
    to_write, to_delete = _plan_docs(cache, docs, result.files, made)
    cache.prune()
    return Plan(result, result.summary, docs, to_write, to_delete, problems, {path: encoded[path] for path in to_write if path in encoded})


def _stale(cache: files.NoteCache, docs: Path, made: _Made) -> tuple[list[str], str | None]:
    """The files of docs that do not hold what the run made (and the home page's stats), and the home page's text when it
    has a stats region.

    The files are compared by their digests with those the run made, which costs less than comparing their texts
    (decoding 60 MB at 100x); a new run's texts are digested anyway, for the next run (`_Made`). What was seen of docs/
    (files.Seen) is kept in the cache, so that the files whose stat has not changed since are not read again."""
    key = _seen_key(docs)
    try:
        wanted = dict(made.digests)
        home = _home_page(docs, made.summary.stats)
        if home is not None:
            wanted[HOME_PAGE] = files.digest(home)
        seen = cache.get(key)
        stale, now = files.stale(docs, wanted, may_replace=frozenset({HOME_PAGE}), seen=seen if isinstance(seen, dict) else None)
    except (files.HandWrittenFileError, files.InputError) as error:
        raise WorkflowError(str(error)) from None
    if now != seen:
        cache.put(key, now)
    return stale, home


def _seen_key(docs: Path) -> str:
    """The cache key of what was seen of the files of docs (files.Seen)."""
    return hashlib.sha256(b"kb-docs-seen-1\0" + os.fsencode(os.path.abspath(docs))).hexdigest()


def _plan_docs(cache: files.NoteCache, docs: Path, generated: dict[str, str], made: _Made) -> tuple[dict[str, str], list[str]]:
    """The files to write and delete in docs so that it holds the generated files, which the run made (and the home
    page's stats)."""
    stale, home = _stale(cache, docs, made)
    wanted = generated if home is None else {**generated, HOME_PAGE: home}
    return {path: wanted[path] for path in stale if path in wanted}, [path for path in stale if path not in wanted]


def _home_page(docs: Path, stats: Stats) -> str | None:
    """The hand-written home page with its stats brought up to date, when it has a stats region (may raise files.InputError)."""
    home = files.read_text_if_file(docs / HOME_PAGE)
    return splice_stats(home, stats) if home is not None and STATS_START in home else None


def recover(root: Path) -> bool:
    """Finish a write to docs/ that an earlier run did not complete; True when there was one."""
    return files.recover(root / "docs")


def apply(plan: Plan) -> files.Changes:
    return files.apply(plan.docs, plan.to_write, plan.to_delete, plan.encoded)
