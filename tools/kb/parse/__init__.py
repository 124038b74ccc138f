"""Parse stage: a note -> its questions, answers and blocks of material, every line accounted for.

Two steps. A syntax reader per format turns the note into one document tree (markdown.py: CommonMark
through markdown-it-py tokens; text.py: indentation, blank lines, banners). Then the recognizers
(recognizers/, one module per note convention) find questions on the tree, and the walker (walk.py)
attaches answers by position and keeps the rest as material. Whatever is left unclaimed is kept as
written, with a warning: no note can stop the build.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache

from ..model import Block, Code, Config, Note, ParsedNote, Problem, Source
from .text import read_text
from .tree import MAX_DEPTH, TooDeep
from .walk import Walker, remove_dropped

__all__ = ["MAX_DEPTH", "keep_unclaimed", "parse_note"]


def parse_note(note: Note, config: Config) -> ParsedNote:
    """The note's entries, drops and headings; never fails, and accounts for every non-blank line."""
    try:
        parsed = _read(note, config)
    except Exception as error:  # a parser bug must not stop the build: the note is still shown, and reported
        problem = Problem(note.name, None, f"could not be read as notes ({type(error).__name__}: {error}); shown as it is written")
        parsed = ParsedNote(note, (), (), (), (problem,))
    return keep_unclaimed(parsed)


@lru_cache(maxsize=8)
def _drop_patterns(patterns: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The config's drop patterns compiled, once per config rather than looked up in re's cache per line."""
    return tuple((re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in patterns)


def _read(note: Note, config: Config) -> ParsedNote:
    patterns = _drop_patterns(config.drop_patterns)

    def drop_reason(text: str) -> str | None:
        text = text.strip()
        for pattern, reason in patterns:
            if pattern.fullmatch(text):
                return reason
        return None

    walker = Walker(note, config)
    if note.markdown:
        from .markdown import read_markdown  # markdown-it (~0.05 s to import) only for a Markdown note

        try:
            root, layout = read_markdown(note)
        except TooDeep as deep:
            walker.problems.append(Problem(note.name, deep.line, "lists or quotes nested too deeply to read as Markdown; the note is read as plain text"))
            return _read_text(dataclasses.replace(note, markdown=False), walker, drop_reason)
        for line, reason in layout:
            walker.drop(line, reason)
        remove_dropped(root, drop_reason, walker.drop)
        walker.root(root)
        return _result(note, walker)
    return _read_text(note, walker, drop_reason)


def _read_text(note: Note, walker: Walker, drop_reason: Callable[[str], str | None]) -> ParsedNote:
    root, reading = read_text(note, drop_reason)
    for line, reason in reading.layout:
        walker.drop(line, reason)
    for line in reading.titles:
        walker.context(line)
    walker.problems.extend(Problem(note.name, line, message) for line, message in reading.warnings)
    walker.root(root)
    return _result(note, walker)


def _result(note: Note, walker: Walker) -> ParsedNote:
    return ParsedNote(note, tuple(walker.entries), tuple(sorted(walker.drops, key=lambda d: d.line)),
                      tuple(walker.contexts), tuple(walker.problems))


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

