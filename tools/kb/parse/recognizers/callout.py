"""Obsidian callouts: `> [!question] ...` asks, and the answer is its body or the callouts right after it."""

from __future__ import annotations

from ..tree import Node
from .base import Found, Scope, difficulty

QUESTION_TYPES = frozenset({"question", "faq", "help", "q", "quiz", "ask"})
ANSWER_TYPES = frozenset({"answer", "a", "success", "check", "done", "note", "info", "abstract", "summary", "tldr", "example", "solution"})


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "callout" or node.info not in QUESTION_TYPES:
        return None
    body = list(node.children)
    title = node.text
    lines = node.lines
    if not title and body and body[0].kind == "paragraph":  # `> [!question]` with the question on the next line
        title, lines = body[0].text, lines + body[0].lines
        body = body[1:]
    title, label = difficulty(" ".join(title.split()))
    if not title:
        return None
    return [Found(title, lines, answer=body, label=label, children_are_answer=False,
                  followers=_answer_callout)]


def _answer_callout(node: Node) -> bool:
    return node.kind == "callout" and node.info in ANSWER_TYPES
