"""Random small handbooks and random edits of them, for the tests that compare a carried result with one made anew."""

from __future__ import annotations

from hypothesis import strategies as st

from kb.model import Config, ParsedNote
from kb.parse import parse_note
from kb.read import read_note

Edit = tuple[str, int, int, str, list[str]]
"""(kind: set, insert, delete, add or remove; which note; where in it; a line; a new note's lines)."""


def strategies(lines: tuple[str, ...]) -> tuple[st.SearchStrategy[list[str]], st.SearchStrategy[Edit]]:
    """A note (some of these lines) and an edit of a handbook of such notes."""
    note = st.lists(st.sampled_from(lines), min_size=1, max_size=9)
    edit = st.tuples(st.sampled_from(("set", "insert", "delete", "add", "remove")), st.integers(0, 9), st.integers(0, 9),
                     st.sampled_from(lines), note)
    return note, edit


def parsed(notes: dict[str, list[str]], config: Config, between: str = "\n") -> tuple[ParsedNote, ...]:
    """The notes (name -> lines, joined by between) read and parsed, in the order of their names."""
    found = []
    for name in sorted(notes):
        note, _ = read_note(name, between.join(notes[name]).encode())
        if note is not None:
            found.append(parse_note(note, config))
    return tuple(found)


def edited(notes: dict[str, list[str]], edits: list[Edit]) -> dict[str, list[str]]:
    """The notes after the edits, as a person makes them: lines set, inserted or deleted, notes added or removed."""
    notes = {name: list(lines) for name, lines in notes.items()}
    for number, (kind, which, where, line, new) in enumerate(edits):
        names = sorted(notes)
        if kind == "add" or not names:
            notes[f"n{which}-{number}.txt"] = list(new)
            continue
        name = names[which % len(names)]
        lines = notes[name]
        if kind == "remove":
            del notes[name]
        elif kind == "insert":
            lines.insert(where % (len(lines) + 1), line)
        elif kind == "set" and lines:
            lines[where % len(lines)] = line
        elif kind == "delete" and len(lines) > 1:
            del lines[where % len(lines)]
    return notes


def edited_and_back(start: dict[str, list[str]], edits: list[Edit], more: list[Edit]) -> list[dict[str, list[str]]]:
    """The versions a carried result is checked through: the start, after the edits, after more edits, and the start again."""
    once = edited(start, edits)
    return [start, once, edited(once, more), start]
