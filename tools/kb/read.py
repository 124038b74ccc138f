"""Read stage: turn a note's bytes into a Note, or say clearly why it cannot be read.

Pure: no filesystem access here (files.py hands us the bytes).
"""

from __future__ import annotations

import re

import ftfy

from .model import Note, NoteName, Problem

_REPAIR_ONLY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False, fix_latin_ligatures=False,
    fix_character_width=False, fix_line_breaks=False, normalization="NFC", explain=False,
)
"""Repair mojibake ('FrÃ©chet' -> 'Fréchet') and nothing else: the notes' own characters stay."""

MAX_BYTES = 5 * 1024 * 1024
"""Notes larger than this are refused: a study note is never that big, a dump is."""

LEGACY_ENCODINGS = ("cp1252", "latin-1")
"""Tried in order when a note is not UTF-8 (latin-1 accepts any byte, so it is last)."""

_MARKDOWN_HINT = re.compile(r"\A\s*(#{1,6} \S|```|---\n)")
"""A .txt note is read as Markdown when it opens like Markdown (a heading, a fence, front matter)."""


def read_note(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> tuple[Note | None, list[Problem]]:
    """Decode, repair and split one note. Returns (None, problems) when it cannot be used."""
    if len(data) > max_bytes:
        message = f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for a note; skipped (split it, or raise --max-bytes)"
        return None, [Problem(name, None, message, fatal=True)]
    if not data.strip():
        return None, [Problem(name, None, "empty note, nothing to import", fatal=False)]
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        return None, [Problem(name, line, f"binary file (NUL byte at offset {offset}); skipped", fatal=True)]

    problems: list[Problem] = []
    text = _decode(name, data, problems)
    if _looks_binary(text):
        return None, [Problem(name, None, "binary file (mostly control characters); skipped", fatal=True)]

    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = []
    for number, line in enumerate(raw, start=1):
        fixed = ftfy.fix_text(line, _REPAIR_ONLY)
        if fixed != line:
            problems.append(Problem(name, number, f"repaired text encoding: {_changed_part(line, fixed)}"))
        lines.append(fixed)
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


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    return control > max(8, len(sample) // 20)


def _changed_part(before: str, after: str) -> str:
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end_b, end_a = len(before), len(after)
    while end_b > start and end_a > start and before[end_b - 1] == after[end_a - 1]:
        end_b -= 1
        end_a -= 1
    return f"{before[max(0, start - 12):end_b + 12]!r} -> {after[max(0, start - 12):end_a + 12]!r}"
