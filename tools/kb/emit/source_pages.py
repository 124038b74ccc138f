"""A note's source page in sources/: the note as written, line by line, with where each line went in
the handbook or why it was left out."""

from __future__ import annotations

import posixpath

from ..model import ParsedNote
from ..model.marks import MARKDOWN_HEADER
from ..model.names import SOURCES_DIR
from .layout import Locations
from .markdown import escape, escape_cell, front_matter, join


def source_page(parsed: ParsedNote, where: Locations) -> str:
    note = parsed.note
    drops = {d.line: d for d in parsed.drops}
    contexts = {c.line for c in parsed.contexts}
    out = [front_matter(note.name, f"The note {note.name}, line by line, and where each line went.", search=False),
           MARKDOWN_HEADER, "", f"# {escape(note.name)}", "",
           f"The note as written, line by line ({'Markdown' if note.markdown else 'plain text'}, "
           f"{len(note.lines)} lines). The last column says where each line went in the handbook, "
           "or why it was left out.", "",
           "| Line | Text | Where it went |", "|---:|---|---|"]
    for number, line in enumerate(note.lines, start=1):
        cell = escape_cell(line)
        if not line.strip():
            target = ""
        elif (note.name, number) in where:
            page, anchor, label = where[(note.name, number)]
            target = f"[{escape(label)}]({posixpath.relpath(page, SOURCES_DIR)}#{anchor})"
            if number in drops:
                target += f"; part left out: {escape(drops[number].reason)} (“{escape(drops[number].text)}”)"
        elif number in drops:
            target = f"left out: {escape(drops[number].reason)}"
        elif number in contexts:
            target = "heading the entries below were filed under"
        else:  # pragma: no cover - the pipeline refuses to emit when a line is unaccounted for
            raise AssertionError(f"{note.name}:{number} is not accounted for")
        out.append(f"| [{number}](#L{number}){{ #L{number} }} | {cell} | {target} |")
    return join(out + [""])
