"""A note's source page in sources/: the note as written, numbered, in runs of lines that went to the same
place, each run headed by where its lines went in the handbook or why they were left out.

The listing is one block of plain HTML, which Markdown passes through untouched: each run's heading (its
link points at the built .html page, as the site's URLs are, see names.page_url) and its lines, HTML-escaped
with tabs expanded (Markdown would expand them counting the markup before the line), each after an empty
element whose id is L<number>, which the "Asked in" links of topic pages point at (MkDocs reads the ids of
raw HTML, so its strict build still checks those links). At 100 times our notes this costs the site build
less than the notes' own text as pages; a table row and a link per line cost 6 times that."""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from functools import lru_cache

from ..model import Drop, ParsedNote
from ..model.marks import MARKDOWN_HEADER
from ..model.names import SOURCES_DIR, PagePath, page_url
from .layout import Locations
from .markdown import escape, front_matter, join

LISTING_CLASS = "kb-listing"
"""The class of the block that holds the listing (handbook.css styles its runs: kb-went, kb-lines)."""


@dataclass(frozen=True, slots=True)
class _Run:
    fate: str
    """Where the run's lines went or why they were left out (HTML)."""
    numbers: list[int]
    """Its lines, blank ones included."""


def source_page(parsed: ParsedNote, where: Locations) -> str:
    note = parsed.note
    out = [front_matter(note.name, f"The note {note.name}, line by line, and where each line went.", search=False),
           MARKDOWN_HEADER, "", f"# {escape(note.name)}", "",
           f"The note as written ({'Markdown' if note.markdown else 'plain text'}, {len(note.lines)} lines), "
           "in runs of lines that went to the same place: each run says where its lines went in the handbook, "
           "or why they were left out.", "{ .kb-context }", "", f'<div class="{LISTING_CLASS}">']
    width = len(str(len(note.lines)))
    shown = _shown(note.lines)
    for run in _runs(parsed, where):
        written = [n for n in run.numbers if note.lines[n - 1].strip()]
        if written:
            span = f"Line {written[0]}" if len(written) == 1 else f"Lines {written[0]}–{written[-1]}"
            out.append(f'<p class="kb-went">{span}: {run.fate}</p>')
        lines = (f'<wbr id="L{n}">{n:>{width}}  {shown[n - 1]}'.rstrip() for n in run.numbers)
        out.append('<div class="kb-lines">' + "\n".join(lines) + "</div>")
    return join([*out, "</div>", ""])


# --- helper functions ------------------------------------------------------------------------------


def _shown(lines: tuple[str, ...]) -> list[str]:
    """The note's lines as the listing shows them: tabs expanded, HTML-escaped (all lines at once: the tab
    stops of each line count from its start either way)."""
    shown = _text("\n".join(lines).expandtabs(4)).split("\n")
    if len(shown) != len(lines):  # a line holding a line break of its own
        shown = [_text(line.expandtabs(4)) for line in lines]
    return shown


def _runs(parsed: ParsedNote, where: Locations) -> list[_Run]:
    """The note's lines in runs of one fate; blank lines join the run before them (leading ones, the first run)."""
    note = parsed.note
    drops = {d.line: d for d in parsed.drops}
    contexts = {c.line for c in parsed.contexts}
    runs: list[_Run] = []
    blank: list[int] = []
    for number, line in enumerate(note.lines, start=1):
        if not line.strip():
            blank.append(number)
            continue
        fate = _fate(note.name, number, where, drops.get(number), contexts)
        if runs and runs[-1].fate == fate:
            runs[-1].numbers.extend([*blank, number])
        elif runs:
            runs[-1].numbers.extend(blank)
            runs.append(_Run(fate, [number]))
        else:
            runs.append(_Run(fate, [*blank, number]))
        blank = []
    if runs:
        runs[-1].numbers.extend(blank)
    elif blank:
        runs.append(_Run("", blank))
    return runs


def _fate(name: str, number: int, where: Locations, drop: Drop | None, contexts: set[int]) -> str:
    """Where a non-blank line went, or why it was left out (HTML)."""
    if (name, number) in where:
        target = _went(*where[(name, number)])
        return f"{target}; part left out: {_text(drop.reason)} (“{_text(drop.text)}”)" if drop else target
    if drop:
        return f"left out: {_text(drop.reason)}"
    if number in contexts:
        return "a heading the entries below it were filed under"
    raise AssertionError(f"{name}:{number} is not accounted for")  # pragma: no cover - the pipeline refuses to emit then


@lru_cache(maxsize=1 << 14)
def _went(page: str, anchor: str, label: str) -> str:
    """The link to where a line went (the lines of an entry share it)."""
    return f'<a href="{_page_href(page)}#{html.escape(anchor)}">{html.escape(label, quote=False)}</a>'


@lru_cache(maxsize=1 << 12)
def _page_href(page: str) -> str:
    """The link from a listing to a topic page (escaped)."""
    return html.escape(posixpath.relpath(page_url(PagePath(page)), SOURCES_DIR))


def _text(text: str) -> str:
    return html.escape(text, quote=False)
