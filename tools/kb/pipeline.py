"""The pipeline, declared once: read -> parse -> classify -> (public) -> link -> emit. Pure: bytes and texts in, files out."""

from __future__ import annotations

from dataclasses import dataclass

from . import privacy
from .classify import classify
from .config import load_config
from .emit import emit, stats
from .link import link
from .model import Handbook, Links, ParsedNote, Problem, Stats
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


def build(notes: list[tuple[str, bytes]], config_texts: dict[str, str], max_bytes: int | None = None, public: bool = False) -> Build:
    """The generated docs/ files for these notes; with public, without the private topics.

    max_bytes overrides, for this run, the note size limit of the config (max_note_bytes in cleanup.yml).
    """
    config = load_config(config_texts)
    max_bytes = max_bytes or config.max_note_bytes or MAX_BYTES
    problems: list[Problem] = []
    parsed: list[ParsedNote] = []
    for name, data in notes:
        note, found = read_note(name, data, max_bytes)
        problems.extend(found)
        if note is not None:
            parsed.append(parse_note(note, config))
    problems.extend(page_name_problems([p.note.name for p in parsed]))
    handbook = classify(tuple(parsed), config)
    handbook = Handbook(handbook.notes, handbook.questions, handbook.blocks, config, tuple(problems) + handbook.problems)
    if public:
        handbook = privacy.public(handbook)
    links = link(handbook)
    return Build(emit(handbook, links), stats(handbook), handbook, links, handbook.problems)
