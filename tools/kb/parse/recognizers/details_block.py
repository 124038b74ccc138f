"""`<details><summary>question</summary> answer </details>`: the summary is the question, the rest its answer."""

from __future__ import annotations

import re

from ...model import Paragraph, Text
from ..content import unwrap_html
from ..tree import Node
from .base import Found, Scope, any_block, difficulty, strip_tags

_DETAILS = re.compile(
    r"""<details\b[^>]*>\s*             # the block opens
    <summary\b[^>]*>(?P<summary>.*?)</summary>  # the question
    (?P<rest>.*?)                      # the answer written inside the same HTML block
    (?P<close></details>|(?=<details\b)|\Z)  # up to its end, the next block, or the HTML block's end""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


_NOT_A_QUESTION = re.compile(
    r"^(?:show|see|view|click|expand|toggle|reveal)?\s*(?:here\s*)?(?:to|for)?\s*(?:the\s*)?"
    r"(?:answers?|solutions?|explanation|hints?|resources?|more|details?|code|output|example)\b",
    re.IGNORECASE,
)
"""'Show answer', 'Solution', 'Show resources': a fold, not a question."""


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "html" or "<summary" not in node.text.lower():
        return None
    found = []
    for match in _DETAILS.finditer(node.text):
        title, label = difficulty(" ".join(strip_tags(match.group("summary")).split()))
        if not title or _NOT_A_QUESTION.match(title):
            continue
        first = node.text[: match.start()].count("\n")
        last = first + node.text[match.start(): match.end()].rstrip("\n").count("\n")
        lines = tuple(n for n in node.lines if node.lines[0] + first <= n <= node.lines[0] + last)
        inside = unwrap_html(match.group("rest"))
        closed = bool(match.group("close"))
        found.append(Found(
            title, lines,
            before=(Paragraph(Text(inside)),) if inside else (),
            label=label,
            certain=scope.asks(title),
            followers=None if closed else any_block,
            until=None if closed else _closes,
        ))
    return found  # no question in it (a "Show answer" fold): material


def _closes(node: Node) -> bool:
    return node.kind == "html" and "</details>" in node.text.lower()
