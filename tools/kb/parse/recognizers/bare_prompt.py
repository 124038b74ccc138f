"""A bare prompt: a term or short phrase inside a run of questions (`pydantic`, `nested json`).

A guess (certain=False): the walker keeps it as a question only where most of its neighbours are
questions; elsewhere it stays material.
"""

from __future__ import annotations

import re

from ...model import Link, Paragraph, Text
from ..tree import Node
from .base import Found, Scope, first_line

_MAX_WORDS = 10
_CODE_OR_LABEL = re.compile(r"[=;{}<>`$]|^\W|\s\*\*\s|:\s|:$|^\d+\s*[.)]?\s*$")
_TERM_AND_URL = re.compile(r"^(?P<term>[^-]{1,60}?)\s+-+\s*(?P<url>https?://\S+)$")
_NOTE_WORDS = 4
"""What follows ' - ' is a note about the term (not part of it) from this many words on."""
_NUMBER = re.compile(r"\d+")
"""'underpaid - 10 ctc with 5 years': figures make a note to self, not a term to be asked about."""
_FIRST_PERSON = re.compile(r"^(i|i'm|im|we|my|our)\b", re.IGNORECASE)
"""'i want expose mlops ...': the author talking, not a term to be asked about."""
_TERM_AND_NOTE = re.compile(r"^(?P<term>[^-]{1,60}?)\s+-\s+(?P<note>\S.*)$")
"""'avoid hallucination/bad results - proper prompt engg, ...': the term, then what the notes say about it."""


_TRAILING_ARROW = re.compile(r"\s*->\s*$")


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind not in ("line", "item", "paragraph") or "\n" in node.text.strip():
        return None
    line = first_line(node)
    linked = _TERM_AND_URL.match(line)
    if linked:
        return [Found(linked.group("term").strip(), node.lines, before=(Link(linked.group("url")),), certain=False)]
    line = _TRAILING_ARROW.sub("", line)  # 'image in pdf ->' with the answer below
    said = _TERM_AND_NOTE.match(line)
    if said and len(said.group("note").split()) < _NOTE_WORDS:
        said = None  # 'embedding - max token length': the whole line is the prompt
    term = said.group("term").strip() if said else line
    if not term or len(term.split()) > _MAX_WORDS or len(term) > 80 or _CODE_OR_LABEL.search(line) or "http" in line:
        return None
    if term.endswith((".", "!")) or term.count(",") > 3 or _FIRST_PERSON.match(term) or len(_NUMBER.findall(line)) >= 2:
        return None
    before = (Paragraph(Text(said.group("note"))),) if said else ()
    return [Found(term, node.lines, before=before, certain=False)]
