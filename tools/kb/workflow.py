"""What `kb normalize` does, once, for the CLI and the MkDocs hook alike: notes in, a plan for docs/ out.

Reads through `files`, builds through `pipeline`, keeps the home page's stats region current, and plans
the writes; `apply` carries a plan out. Errors are `WorkflowError`, with a message naming the file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import files
from .config import ConfigError
from .emit import splice_stats
from .model import Problem, Stats
from .model.marks import STATS_START
from .pipeline import Build, build

HOME_PAGE = "index.md"
OUTCOME_FORMAT = "kb-outcome-1"


class WorkflowError(Exception):
    """A config, note folder or docs/ problem that stops the run; the message names the file."""


@dataclass(frozen=True)
class Plan:
    build: Build
    docs: Path
    """The docs tree the plan is for (docs/, or the public copy)."""
    to_write: dict[str, str]
    to_delete: list[str]
    problems: tuple[Problem, ...]
    """Every problem found, skipped files included."""

    @property
    def stale(self) -> list[str]:
        return sorted([*self.to_write, *self.to_delete])

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


def generate(root: Path, max_bytes: int | None = None, public: bool = False) -> tuple[Build, tuple[Problem, ...]]:
    """The handbook built from root's notes/ and config/, and every problem found on the way.

    Each note's parse is kept in root/.cache/kb (files.CACHE_DIR), so the next run parses only the notes
    that changed; parsing many notes is shared among the machine's cores. What the run made (its files,
    stats and problems) is kept there too, under a key of all it was made from, for `check`."""
    cache = files.NoteCache(root / files.CACHE_DIR)
    try:
        notes, skipped = files.read_notes(root / "notes")
        config_texts = files.read_config(root / "config")
        result = build(notes, config_texts, max_bytes, public=public, cache=cache, code_version=files.code_version(), workers=_cores())
    except (ConfigError, files.InputError) as error:
        raise WorkflowError(str(error)) from None
    cache.put(_outcome_key(notes, config_texts, max_bytes, public), (result.files, result.stats, result.problems))
    cache.prune()
    return result, (*skipped, *result.problems)


def check(root: Path) -> tuple[tuple[Problem, ...], list[str]]:
    """Every problem of root's notes, and the docs/ files that do not match them (stale, missing or left over):
    what `plan` tells, taken from what the last `kb normalize` made when the notes, config and code are the
    same (the MkDocs hook asks this at every build), else worked out in full."""
    try:
        notes, skipped = files.read_notes(root / "notes")
        config_texts = files.read_config(root / "config")
    except files.InputError as error:
        raise WorkflowError(str(error)) from None
    made = files.NoteCache(root / files.CACHE_DIR).get(_outcome_key(notes, config_texts, None, False))
    if not (isinstance(made, tuple) and len(made) == 3 and isinstance(made[0], dict) and isinstance(made[1], Stats)
            and isinstance(made[2], tuple) and all(isinstance(p, Problem) for p in made[2])):
        full = plan(root)
        return full.problems, full.stale
    wanted, stats, problems = made
    to_write, to_delete = _plan_docs(root / "docs", wanted, stats)
    return (*skipped, *problems), sorted([*to_write, *to_delete])


def _outcome_key(notes: list[tuple[str, bytes]], config_texts: dict[str, str], max_bytes: int | None, public: bool) -> str:
    digest = hashlib.sha256(repr((OUTCOME_FORMAT, files.code_version(), sorted(config_texts.items()), max_bytes, public)).encode())
    for name, data in notes:
        digest.update(b"\0%d\0%s\0%d\0" % (len(name), name.encode("utf-8", "surrogateescape"), len(data)))
        digest.update(data)
    return digest.hexdigest()


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def plan(root: Path, max_bytes: int | None = None, public_docs: Path | None = None) -> Plan:
    """What `kb normalize` would change in root/docs (or, with public_docs, in a public copy made there)."""
    result, problems = generate(root, max_bytes, public=public_docs is not None)
    docs = root / "docs"
    if public_docs is not None:
        try:
            files.copy_docs(docs, public_docs)
        except (files.HandWrittenFileError, files.InputError) as error:
            raise WorkflowError(str(error)) from None
        docs = public_docs
    to_write, to_delete = _plan_docs(docs, result.files, result.stats)
    return Plan(result, docs, to_write, to_delete, problems)


def _plan_docs(docs: Path, generated: dict[str, str], stats: Stats) -> tuple[dict[str, str], list[str]]:
    """The files to write and delete in docs so that it holds the generated files (and the home page's stats)."""
    try:
        wanted = dict(generated)
        home = files.read_text_if_file(docs / HOME_PAGE)
        if home is not None and STATS_START in home:
            wanted[HOME_PAGE] = splice_stats(home, stats)
        return files.plan(docs, wanted, may_replace=frozenset({HOME_PAGE}))
    except (files.HandWrittenFileError, files.InputError) as error:
        raise WorkflowError(str(error)) from None


def recover(root: Path) -> bool:
    """Finish a write to docs/ that an earlier run did not complete; True when there was one."""
    return files.recover(root / "docs")


def apply(plan: Plan) -> files.Changes:
    return files.apply(plan.docs, plan.to_write, plan.to_delete)
