"""The pipeline, declared once: read -> parse -> classify -> (public) -> link -> emit. Pure: bytes and texts in, files out."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import privacy
from .classify import classify
from .config import load_config, make_slug
from .emit import RESERVED_SOURCE_PAGES, SOURCES_DIR, Stats, emit, note_pages, stats
from .link import link
from .model import Block, Code, Config, Handbook, Note, ParsedNote, Problem, Source
from .parse import parse_note
from .read import MAX_BYTES, read_note


@dataclass(frozen=True)
class Build:
    files: dict[str, str]
    """Generated docs/ files by path relative to docs/."""
    stats: Stats
    handbook: Handbook
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
            parsed.append(keep_unclaimed(_parse(note, config)))
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


def _parse(note: Note, config: Config) -> ParsedNote:
    """The note parsed; should the parser fail on it, the note's lines as plain material and a warning."""
    try:
        return parse_note(note, config)
    except Exception as error:  # a parser bug must not stop the build: the note is still shown, and reported
        problem = Problem(note.name, None, f"could not be read as notes ({type(error).__name__}: {error}); shown as it is written")
        return ParsedNote(note, (), (), (), (problem,))


def keep_unclaimed(parsed: ParsedNote) -> ParsedNote:
    """Every non-blank line that no entry, drop or heading accounts for becomes material as written,
    with a warning naming it: nothing is lost, and a note the parser does not understand still builds."""
    accounted = {line for entry in parsed.entries for line in entry.source.lines}
    accounted |= {d.line for d in parsed.drops} | {c.line for c in parsed.contexts}
    missing = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip() and n not in accounted]
    if not missing:
        return parsed
    runs: list[list[int]] = []
    for number in missing:
        if runs and all(not parsed.note.lines[n - 1].strip() for n in range(runs[-1][-1] + 1, number)):
            runs[-1].append(number)
        else:
            runs.append([number])
    blocks = tuple(
        Block("", (Code("\n".join(parsed.note.lines[n - 1] for n in range(run[0], run[-1] + 1))),), Source(parsed.note.name, tuple(run)), "unrecognized")
        for run in runs
    )
    problems = tuple(
        Problem(parsed.note.name, run[0], f"{_lines(run)} not recognized by any note convention; shown as written")
        for run in runs
    )
    return dataclasses.replace(parsed, entries=parsed.entries + blocks, problems=parsed.problems + problems)


def _lines(run: list[int]) -> str:
    return f"line {run[0]}" if len(run) == 1 else f"lines {run[0]}-{run[-1]}"
