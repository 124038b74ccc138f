"""Questions as headings, at any level: `## What is X?`, `### Q1. ...`, `#### Question 3: ...`, `[M]` marks kept."""

from __future__ import annotations

import re

from ..tree import Node
from .base import Found, Scope, difficulty

_NUMBERING = re.compile(
    r"""^(?:(?P<q>Q(?:uestion)?\s*\d*\s*[:.)-]|Q\d+)  # Q1. / Question 3: / Q:
    |\d+\s*[.):]                                         # 1. / 2) / 3:
    )\s*""",
    re.IGNORECASE | re.VERBOSE,
)
_COMPARES = re.compile(r"\b(vs\.?|versus)\s", re.IGNORECASE)
_IMPERATIVE = re.compile(r"^(explain|describe|compare|contrast|define|discuss|differentiate|distinguish|justify)\b", re.IGNORECASE)
"""'Explain gradient descent': a task set as a heading asks; 'How it works' may not."""


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "section" or node.level == 0 or not node.text.strip():
        return None
    title, label = difficulty(" ".join(node.text.split()))
    numbered = _NUMBERING.match(title)
    marked = bool(numbered and numbered.group("q"))
    if numbered and title[numbered.end():].strip():
        title = title[numbered.end():].strip()
    asks = scope.asks(title)
    certain = marked or (asks and ("?" in title or bool(_COMPARES.search(title)) or bool(_IMPERATIVE.match(title))))
    if not certain and not ((asks or numbered or label) and len(title.split()) <= 20):
        return None
    return [Found(title, node.lines, label=label, certain=certain)]
