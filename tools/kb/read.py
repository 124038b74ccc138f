"""Read stage: turn a note's bytes into a Note, or say clearly why it cannot be read.

Pure: no filesystem access here (files.py hands us the bytes).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING

from .model import Note, NoteName, Problem
from .model.names import RESERVED_SOURCE_PAGES, SOURCES_DIR, make_slug, note_pages

if TYPE_CHECKING:
    import ftfy


@cache
def repair_only() -> ftfy.TextFixerConfig:
    """ftfy's settings to repair mojibake ('FrÃ©chet' -> 'Fréchet') and nothing else: the notes' own characters stay.

    ftfy is imported here, on the first line that is not plain ASCII of a note read anew, not with this module: importing
    it costs ~0.05 s, which a run that takes every note from the parse cache need not pay."""
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False, fix_latin_ligatures=False,
        fix_character_width=False, fix_line_breaks=False, normalization="NFC", explain=False,
    )


def _repair(line: str) -> str:
    import ftfy  # imported by repair_only already: a lookup in sys.modules

    return ftfy.fix_text(line, repair_only())

def _repaired(line: str, repairs: dict[str, str] | None) -> str:
    if repairs is None:
        return _repair(line)
    fixed = repairs.get(line)
    if fixed is None:
        fixed = repairs[line] = _repair(line)
    return fixed


_PLAIN = re.compile(r"[\t\x20-\x7e]*")
"""A line of printable ASCII (and tabs): nothing for ftfy to repair, so it is not asked (most lines; it is slow)."""
_UNPLAIN = re.compile(r"[^\t\x20-\x7e\n]")
"""A character that is not in a plain line (`_PLAIN`), nor a line break."""


def _unplain_lines(lines: list[str]) -> Iterator[int]:
    """The indexes of the lines that are not plain (`_PLAIN`), in order, found in the lines joined: one search per such
    line rather than a match per line."""
    text = "\n".join(lines)
    found = _UNPLAIN.search(text)
    if found is None:
        return  # (most notes: no offsets to work out)
    starts = [0, *accumulate(len(line) + 1 for line in lines)]
    while found is not None:
        index = bisect_right(starts, found.start()) - 1
        yield index
        found = _UNPLAIN.search(text, starts[index + 1])

MAX_BYTES = 5 * 1024 * 1024
"""Notes larger than this are refused: a study note is never that big, a dump is."""

LEGACY_ENCODINGS = ("cp1252", "latin-1")
"""Tried in order when a note is not UTF-8 (latin-1 accepts any byte, so it is last)."""

_MARKDOWN_HINT = re.compile(r"\A\s*(#{1,6} \S|```|---\n)")
"""A .txt note is read as Markdown when it opens like Markdown (a heading, a fence, front matter)."""


def read_note(name: str, data: bytes, max_bytes: int = MAX_BYTES, repairs: dict[str, str] | None = None) -> tuple[Note | None, list[Problem]]:
    """Decode, repair and split one note. Returns (None, problems) when it cannot be used.

    repairs: what ftfy made of lines that are not plain ASCII (line -> repaired), read before ftfy is asked and added
    to: a caller that keeps it between runs spares a run that reads one edited note anew ftfy's import and first work
    (~0.1 s), as the note's other lines are those of its last version."""
    if len(data) > max_bytes:
        message = f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for a note; skipped (split it, or raise --max-bytes)"
        return None, [Problem(name, None, message, fatal=True)]
    if not data.strip():
        return None, [Problem(name, None, "empty note, nothing to import", fatal=False)]
    utf16 = _utf16_without_bom(data)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and utf16 is None and not _is_utf8(data):
        offset = data.index(b"\x00")
        line_number = data.count(b"\n", 0, offset) + 1
        return None, [Problem(name, line_number, f"binary file (NUL byte at offset {offset}); skipped", fatal=True)]

    problems: list[Problem] = []
    if utf16:
        text = data.decode(utf16)
        problems.append(Problem(name, None, f"UTF-16 without a byte-order mark; read as {utf16}. Save the note as UTF-8 to silence this"))
    else:
        text = _decode(name, data, problems)
    if _looks_binary(text):
        return None, [Problem(name, None, "binary file (mostly control characters); skipped", fatal=True)]

    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = list(raw)
    for index in _unplain_lines(raw):  # (most lines are plain: looked for in the whole text at once)
        number, line = index + 1, raw[index]
        line = _remove_control(name, number, line, problems)
        fixed = line if _PLAIN.fullmatch(line) else _repaired(line, repairs)
        if fixed != line:
            problems.append(Problem(name, number, f"repaired text encoding: {_changed_part(line, fixed)}"))
        lines[index] = fixed
    markdown = name.lower().endswith((".md", ".markdown")) or bool(_MARKDOWN_HINT.match(text))
    repaired = tuple(raw) if lines != raw else ()
    return Note(NoteName(name), tuple(lines), markdown, repaired), problems


def _decode(name: str, data: bytes, problems: list[Problem]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        for encoding in LEGACY_ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            message = f"not valid UTF-8 (byte 0x{data[error.start]:02x}); read as {encoding}. Save the note as UTF-8 to silence this"
            problems.append(Problem(name, line, message))
            return text
        raise AssertionError("latin-1 decodes every byte") from error  # pragma: no cover


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when data looks like mostly-Latin UTF-16 text without a byte-order mark, else None.

    Such text has a NUL in every other byte (the high byte of each character) and almost none in between.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0) / (len(data) // 2), data[1::2].count(0) / (len(data) // 2)
    encoding = "utf-16-le" if odd > 0.5 and even < 0.05 else "utf-16-be" if even > 0.5 and odd < 0.05 else None
    if encoding:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            return None
    return encoding


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
"""Control characters that have no place in a note (tab, form feed and vertical tab stay)."""


def _remove_control(name: str, number: int, line: str, problems: list[Problem]) -> str:
    """line without stray control characters (a NUL from a bad save), reported with the line number."""
    found = _CONTROL.findall(line)
    if not found:
        return line
    shown = ", ".join(sorted({repr(c) for c in found}))
    problems.append(Problem(name, number, f"removed {len(found)} control character{'s' if len(found) > 1 else ''} ({shown}); the rest of the line is kept"))
    return _CONTROL.sub("", line)


_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""The control characters text does not have (all below 32 but tab, line feed, vertical tab, form feed and carriage return)."""


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    return len(_BINARY_CONTROL.findall(sample)) > max(8, len(sample) // 20)  # (counted in C: ~1 ms a note in Python)


def _changed_part(before: str, after: str) -> str:
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    return f"{before[max(0, start - 12):end_b + 12]!r} -> {after[max(0, start - 12):end_a + 12]!r}"


def page_name_problems(names: list[str]) -> list[Problem]:
    """A warning for each note whose listing page cannot take its own name (taken, or kb's own)."""
    pages = note_pages(names)
    first_with: dict[str, str] = {}
    problems = []
    for name in sorted(names):
        stem = make_slug(name.rsplit(".", 1)[0])
        if stem in RESERVED_SOURCE_PAGES:
            problems.append(Problem(name, None, f"its name makes the page name of the generated page {SOURCES_DIR}/{stem}.md; "
                                                f"its source page is {pages[name]} instead"))
        elif stem in first_with:
            problems.append(Problem(name, None, f"its name makes the same page name as {first_with[stem]}; its source page is {pages[name]} instead"))
        else:
            first_with[stem] = name
    return problems
