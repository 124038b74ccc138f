"""What `kb normalize` does, once, for the CLI and the MkDocs hook alike: notes in, a plan for docs/ out.

Reads through `files`, builds through `pipeline`, keeps the home page's stats region current, and plans
the writes; `apply` carries a plan out. Errors are `WorkflowError`, with a message naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import files
from .config import ConfigError
from .emit import splice_stats
from .model import Problem
from .model.marks import STATS_START
from .pipeline import Build, build

HOME_PAGE = "index.md"


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
    that changed; parsing many notes is shared among the machine's cores."""
    cache = files.NoteCache(root / files.CACHE_DIR)
    try:
        notes, skipped = files.read_notes(root / "notes")
        result = build(notes, files.read_config(root / "config"), max_bytes, public=public,
                       cache=cache, code_version=files.code_version(), workers=_cores())
    except (ConfigError, files.InputError) as error:
        raise WorkflowError(str(error)) from None
    cache.prune()
    return result, (*skipped, *result.problems)


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def plan(root: Path, max_bytes: int | None = None, public_docs: Path | None = None) -> Plan:
    """What `kb normalize` would change in root/docs (or, with public_docs, in a public copy made there)."""
    result, problems = generate(root, max_bytes, public=public_docs is not None)
    docs = root / "docs"
    try:
        if public_docs is not None:
            files.copy_docs(docs, public_docs)
            docs = public_docs
        wanted = dict(result.files)
        home = files.read_text_if_file(docs / HOME_PAGE)
        if home is not None and STATS_START in home:
            wanted[HOME_PAGE] = splice_stats(home, result.stats)
        to_write, to_delete = files.plan(docs, wanted, may_replace=frozenset({HOME_PAGE}))
    except (files.HandWrittenFileError, files.InputError) as error:
        raise WorkflowError(str(error)) from None
    return Plan(result, docs, to_write, to_delete, problems)


def recover(root: Path) -> bool:
    """Finish a write to docs/ that an earlier run did not complete; True when there was one."""
    return files.recover(root / "docs")


def apply(plan: Plan) -> files.Changes:
    return files.apply(plan.docs, plan.to_write, plan.to_delete)
