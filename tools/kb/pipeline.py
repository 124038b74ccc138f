"""The pipeline, declared once: read -> parse -> classify -> (public) -> link -> emit. Pure: bytes and texts in, files out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import privacy
from .classify import classify
from .config import load_config, make_slug
from .emit import RESERVED_SOURCE_PAGES, SOURCES_DIR, Stats, emit, note_pages, stats
from .link import link
from .model import Handbook, ParsedNote, Problem
from .parse import parse_note
from .read import MAX_BYTES, read_note


@dataclass(frozen=True)
class Build:
    files: dict[str, str]
    """Generated docs/ files by path relative to docs/."""
    stats: Stats
    handbook: Handbook
    problems: tuple[Problem, ...]


class CoverageError(AssertionError):
    """A note line that no entry, drop or heading accounts for: a bug in the parser, never silent."""


def build(notes: list[tuple[str, bytes]], config_texts: dict[str, str], max_bytes: int = MAX_BYTES, public: bool = False) -> Build:
    """The generated docs/ files for these notes; with public, without the private topics."""
    config = load_config(config_texts)
    problems: list[Problem] = []
    parsed: list[ParsedNote] = []
    for name, data in notes:
        note, found = read_note(name, data, max_bytes)
        problems.extend(found)
        if note is not None:
            parsed.append(parse_note(note, config))
    for parsed_note in parsed:
        check_coverage(parsed_note)
    problems.extend(_slug_collisions([p.note.name for p in parsed]))
    handbook = classify(tuple(parsed), config)
    handbook = Handbook(handbook.notes, handbook.questions, handbook.blocks, config, tuple(problems) + handbook.problems)
    if public:
        handbook = privacy.public(handbook)
    handbook = dataclasses.replace(handbook, links=link(handbook))
    return Build(emit(handbook), stats(handbook), handbook, handbook.problems)


def _slug_collisions(names: list[str]) -> list[Problem]:
    pages = note_pages(names)
    first_with: dict[str, str] = {}
    problems = []
    for name in sorted(names):
        stem = make_slug(name.rsplit(".", 1)[0])
        if stem in RESERVED_SOURCE_PAGES:
            problems.append(Problem(name, None, f"its name makes the page name of the generated page {SOURCES_DIR}/{stem}.md; "
                                                f"its source page is {SOURCES_DIR}/{pages[name]} instead"))
        elif stem in first_with:
            problems.append(Problem(name, None, f"its name makes the same page name as {first_with[stem]}; its source page is sources/{pages[name]} instead"))
        else:
            first_with[stem] = name
    return problems


def check_coverage(parsed: ParsedNote) -> None:
    accounted = {line for entry in parsed.entries for line in entry.source.lines}
    accounted |= {d.line for d in parsed.drops} | {c.line for c in parsed.contexts}
    missing = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip() and n not in accounted]
    if missing:
        raise CoverageError(
            f"notes/{parsed.note.name}:{missing[0]}: line not accounted for by the parser "
            f"({len(missing)} such lines); please report this with the note"
        )
