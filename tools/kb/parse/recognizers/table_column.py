"""Questions in a Markdown table column (| # | Question | Answer |): one question per row."""

from __future__ import annotations

import re

from ...model import Paragraph, Text
from ..tree import Node, top_blocks
from .base import Found, Scope, difficulty

_QUESTION = re.compile(r"^(q|questions?|interview questions?|prompt)$", re.IGNORECASE)
_ANSWER = re.compile(r"^(a|answers?|solutions?|explanation|short answer)$", re.IGNORECASE)
_LEVEL = re.compile(r"^(difficulty|level)$", re.IGNORECASE)


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "table" or node.tokens is None:
        return None
    rows = _rows(node)
    if not rows:
        return None
    header = [" ".join(cell.split()) for cell in rows[0][1]]
    question = next((i for i, cell in enumerate(header) if _QUESTION.match(cell)), None)
    if question is None:
        return None
    answer = next((i for i, cell in enumerate(header) if _ANSWER.match(cell)), None)
    level = next((i for i, cell in enumerate(header) if _LEVEL.match(cell)), None)
    found = []
    for line, cells in rows[1:]:
        if question >= len(cells) or not cells[question].strip():
            continue
        title, label = difficulty(" ".join(cells[question].split()))
        if level is not None and level < len(cells) and cells[level].strip():
            label = label or difficulty(f"[{cells[level].strip()}]")[1] or cells[level].strip()
        said = cells[answer].strip() if answer is not None and answer < len(cells) else ""
        found.append(Found(title, (line,), before=(Paragraph(Text(said, markdown=True)),) if said else (), label=label))
    return found or None


def _rows(node: Node) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    assert node.tokens is not None
    for block in top_blocks(node.tokens[1:-1]):  # thead, tbody
        for row in top_blocks(block[1:-1]):
            cells = [t.content for t in row if t.type == "inline"]
            line = (row[0].map or [0])[0] + 1
            rows.append((line, cells))
    return rows
