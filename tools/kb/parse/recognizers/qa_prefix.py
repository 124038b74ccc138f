"""`Q:` / `A:`, `Q.` / `Ans:` / `Answer:` pairs: the answer runs to the next question."""

from __future__ import annotations

import re

from ...model import Paragraph, Text
from ..tree import Node
from .base import Found, Scope, any_block, difficulty, first_line

QUESTION_MARK = re.compile(
    r"""^(?:\*\*(?:Q|Question)\s*\d{0,3}[:.)-]?\*\*\s+   # **Q** / **Q1:** in bold
    |(?:\*\*)?                       # or optionally bold
    (?:Q|Ques|Question)\s*\d{0,3}\s*     # Q, Ques, Question, with a number or not
    [:.)-]                               # then a colon, dot, bracket or dash
    (?:\*\*)?\s+)""",
    re.IGNORECASE | re.VERBOSE,
)
ANSWER_MARK = re.compile(r"^(?:\*\*)?(?:A|Ans|Answer)\s*\d{0,3}\s*[:.)-](?:\*\*)?(?:\s+|$)", re.IGNORECASE)


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind not in ("line", "paragraph", "item"):
        return None
    line = first_line(node)
    if ANSWER_MARK.match(line):
        return []  # an answer: never a question of its own
    mark = QUESTION_MARK.match(line)
    if not mark:
        return None
    rest_lines = node.text.split("\n")[1:] if node.kind != "line" else []
    title_lines = [re.sub(r"(\*\*|__)$", "", line[mark.end():].strip()).strip()]
    if not title_lines[0].endswith("?"):  # a question wrapped over lines ends in '?' before any answer
        for index, rest in enumerate(rest_lines[:3]):
            if ANSWER_MARK.match(rest.strip()):
                break
            if rest.rstrip().endswith("?"):
                title_lines += [r.strip() for r in rest_lines[: index + 1]]
                rest_lines = rest_lines[index + 1:]
                break
    title, label = difficulty(" ".join(" ".join(title_lines).split()))
    if not title:
        return None
    said = "\n".join(rest_lines).strip()
    said = ANSWER_MARK.sub("", said, count=1).strip()
    return [Found(title, node.lines, before=(Paragraph(Text(said, markdown=node.kind != "line")),) if said else (),
                  label=label, followers=any_block)]
