"""The pipeline, declared once as data: read -> parse -> classify -> (public) -> link -> emit.

Each stage is a function from the run so far to the run with its own part filled in, like
markdown-it's core rules; STAGES lists them in order and build() is the only place that chains
them. Pure: bytes and texts in, files out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from . import privacy
from .classify import classify
from .config import load_config
from .emit import emit, stats
from .link import link
from .model import Config, Handbook, Links, Note, ParsedNote, Problem, Stats
from .parse import parse_note
from .read import MAX_BYTES, page_name_problems, read_note


@dataclass(frozen=True)
class Build:
    files: dict[str, str]
    """Generated docs/ files by path relative to docs/."""
    stats: Stats
    handbook: Handbook
    links: Links
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Run:
    """What the stages have made so far."""

    sources: tuple[tuple[str, bytes], ...]
    config: Config
    max_bytes: int
    public: bool
    notes: tuple[Note, ...] = ()
    parsed: tuple[ParsedNote, ...] = ()
    handbook: Handbook | None = None
    links: Links | None = None
    files: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def _read(run: Run) -> Run:
    notes: list[Note] = []
    problems: list[Problem] = []
    for name, data in run.sources:
        note, found = read_note(name, data, run.max_bytes)
        problems.extend(found)
        if note is not None:
            notes.append(note)
    problems.extend(page_name_problems([n.name for n in notes]))
    return dataclasses.replace(run, notes=tuple(notes), problems=run.problems + tuple(problems))


def _parse(run: Run) -> Run:
    return dataclasses.replace(run, parsed=tuple(parse_note(note, run.config) for note in run.notes))


def _classify(run: Run) -> Run:
    handbook = classify(run.parsed, run.config)
    handbook = dataclasses.replace(handbook, problems=run.problems + handbook.problems)
    return dataclasses.replace(run, handbook=handbook)


def _public(run: Run) -> Run:
    assert run.handbook is not None
    return dataclasses.replace(run, handbook=privacy.public(run.handbook)) if run.public else run


def _link(run: Run) -> Run:
    assert run.handbook is not None
    return dataclasses.replace(run, links=link(run.handbook))


def _emit(run: Run) -> Run:
    assert run.handbook is not None and run.links is not None
    return dataclasses.replace(run, files=emit(run.handbook, run.links))


STAGES: tuple[tuple[str, Callable[[Run], Run]], ...] = (
    ("read", _read),
    ("parse", _parse),
    ("classify", _classify),
    ("public", _public),
    ("link", _link),
    ("emit", _emit),
)
"""The stages in order; each fills in its part of the run."""


def build(notes: list[tuple[str, bytes]], config_texts: dict[str, str], max_bytes: int | None = None, public: bool = False) -> Build:
    """The generated docs/ files for these notes; with public, without the private topics.

    max_bytes overrides, for this run, the note size limit of the config (max_note_bytes in cleanup.yml).
    """
    config = load_config(config_texts)
    run = Run(tuple(notes), config, max_bytes or config.max_note_bytes or MAX_BYTES, public)
    for _name, stage in STAGES:
        run = stage(run)
    assert run.handbook is not None and run.links is not None
    return Build(run.files, stats(run.handbook), run.handbook, run.links, run.handbook.problems)
