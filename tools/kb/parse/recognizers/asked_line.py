"""A line, list item or paragraph that asks: `...?`, `what/why/how ...`, `X vs Y`, `explain ...`.

The answer is what is nested under it; in plain text also the lines right below a `?` line, and
in Markdown the blocks after a paragraph that ends in `?`. A line that only makes sense after the
question before it ('why do we need above', 'and its diff') is marked as a follow-up.
"""

from __future__ import annotations

import re

from ...model import Paragraph, Text
from ..tree import Node
from .base import Found, Scope, adjacent_line, difficulty, first_line

_URL = re.compile(r"https?://\S+|www\.\S+")
_DOUBT = re.compile(r"\(\s*\?+\s*\)")
"""A doubt the author writes as '(?)' is not a question."""
_NOTE_TO_SELF = re.compile(r"\?{2,}(?=\s*\w)")
"""'helps calibration?? check paper': doubled marks before more words are a doubt, not a question."""
_HOW_TO_LABEL = re.compile(r"^(?:how\ to|what)\b[^?:]{0,40}:\s+\S+(?:\s+\S+){2,}[^?]*$", re.IGNORECASE | re.VERBOSE)
"""'How to evaluate: recall@k for retrieval, ...': a labelled statement, a question only among questions."""
_MISSPELT_DIFFERENCE = re.compile(r"^(?:\d+[.)]\s*)?di+f+e*r+e*n+c+e?s?\b", re.IGNORECASE)
"""'diffrence between union and union all', 'diifference between ...'."""
_FOLLOW_UP = re.compile(
    r"""^(?:->\s*)?(?:
        and\b|also\b|then\b|what\ about\b|how\ about\b      # 'and its diff', 'what about X'
      | (?:why|how|what)\b[^?]{0,40}\b(?:above|that\ one|the\ same|them|those)\b  # 'why do we need above'
      | (?:why|how)\s+(?:is|does|do|are|did|was)\s+(?:it|they|this|that|these)\b   # 'why is it cheaper ...?'
      | \w+(?:\ \w+)?\s*\?\s*$                          # a bare 'why?', 'cost?'
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_MAX_TITLE = 300
_WRAPPED = re.compile(r"^(?P<mark>\*\*|__|\*|_)(?P<inner>[^*_].*?)(?P=mark)$")
_OPENS_A_QUESTION = re.compile(
    r"""^(?:\d+[.)]\s*)?                     # an optional number
    (?:what|why|how|when|where|which|who|explain|describe|compare|contrast|define|discuss|outline|
       list|name|state|give|tell|distinguish|mention|justify|present|share|is|are|can|could|should|
       would|will|do|does|did|diff|difference)\b""",
    re.IGNORECASE | re.VERBOSE,
)
"""How a sentence ending in '.' can still ask ('Explain gradient descent.')."""
_TOPIC_THEN_QUESTION = re.compile(r"^(?P<topic>[^?]{1,40}?)\s+(?:-+>?|:|=>)\s+(?P<question>\S.*)$")
"""'missing values - what to do if ...', 'posin encoding -> which method used'."""
_SLASH_LIST = re.compile(r"^[^/?]{1,30}(?:\s/\s[^/?]{1,30}){2,}$")
"""'data drift / model drift / concept drift': the same comparison as with 'vs'."""
_ASKS_INSIDE = re.compile(r"\b(?:how\ to|how\ do|how\ does|what\ is|whats|what's|why)\b", re.IGNORECASE | re.VERBOSE)
"""A question word inside a short line ('in imbalance classification how to ...'): a guess."""
_MAX_GUESS_WORDS = 30


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind not in ("line", "item", "paragraph"):
        return None
    line = _unwrap(first_line(node))
    if not line or is_aside(line) or _statement(line):
        return None
    certain = not _HOW_TO_LABEL.match(line)
    if not asks(line, scope) and not _MISSPELT_DIFFERENCE.search(line):
        topic = _TOPIC_THEN_QUESTION.match(line)
        if not (topic and asks(topic.group("question"), scope)) and not _SLASH_LIST.match(line):
            if node.kind != "line" or len(line.split()) > _MAX_GUESS_WORDS or not _ASKS_INSIDE.search(line):
                return None
            certain = False
    title_text, rest = line, ""
    if node.kind != "line" and "\n" in node.text:
        joined = _unwrap(" ".join(node.text.split()))
        if joined.endswith("?") and len(joined) <= _MAX_TITLE:  # one question wrapped over lines
            title_text = joined
        else:
            rest = node.text.split("\n", 1)[1]
    title, inline = split_answer(title_text, scope)
    title, label = difficulty(title)
    before = tuple(Paragraph(Text(t, markdown=node.kind != "line")) for t in (inline, rest) if t.strip())
    followers = None
    if node.kind == "line" and title.endswith("?") and not inline:
        followers = adjacent_line
    elif node.kind == "paragraph" and title.endswith("?"):
        followers = _markdown_answer
    return [Found(title, node.lines[:1] if rest else node.lines, before=before, answer_lines=node.lines[1:] if rest else (),
                  label=label, certain=certain, followers=followers, followup=bool(_FOLLOW_UP.match(line)))]


def _unwrap(text: str) -> str:
    """'**What is overfitting?**' -> 'What is overfitting?': a question set in bold or italics."""
    match = _WRAPPED.match(text)
    return match.group("inner").strip() if match else text


def _statement(text: str) -> bool:
    """'A table of predicted vs actual classes.': a sentence that only mentions a comparison."""
    return text.endswith(".") and "?" not in text and not _OPENS_A_QUESTION.match(text) and len(text.split()) > 4


def asks(text: str, scope: Scope) -> bool:
    """Whether the words ask, not counting URLs (query strings), '(?)' doubts or '?? check' notes to self."""
    cleaned = _NOTE_TO_SELF.sub(" ", _DOUBT.sub("", _URL.sub("", text))).strip()
    return bool(cleaned) and scope.asks(cleaned)


def is_aside(text: str) -> bool:
    return text.startswith("(") and text.rstrip().endswith(")")


def _markdown_answer(node: Node) -> bool:
    return node.kind in ("paragraph", "list", "code", "quote", "table", "html")


def split_answer(text: str, scope: Scope) -> tuple[str, str]:
    """'question -> answer' or 'question ? answer' on one line; never inside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth:
            continue
        if text.startswith("->", index):
            head, tail = text[:index].strip(), text[index + 2:].strip()
            if head and tail and scope.asks(head) and not tail.endswith("?"):
                return head, strip_arrow(tail)
            return text, ""
        if char == "?":
            head, tail = text[: index + 1].strip(), text[index + 1:].strip()
            if len(tail.split()) >= 3 and not tail.startswith(("(", "-")) and not tail.endswith("?"):
                return head, tail
    return text, ""


_TRAILING_ARROW = re.compile(r"\s*(->|:-|:)\s*$")


def strip_arrow(text: str) -> str:
    return _TRAILING_ARROW.sub("", text).strip()
