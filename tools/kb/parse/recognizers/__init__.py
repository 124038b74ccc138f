"""Recognizers: one module per note convention, each finding questions (or typed material) on one node.

A recognizer looks at one node of the document tree and answers with
- None: not its convention, let the next recognizer look;
- []: its convention, and the node is not a question (an answer line, a note-to-self): it stays material;
- a list of Found: the questions (or blocks of material) the node starts.
The walker (parse/walk.py) attaches answers by position and never needs to know a convention.
Adding a convention is one module and one line in RECOGNIZERS.
"""

from __future__ import annotations

from collections.abc import Callable

from ..tree import Node
from . import (
    asked_line,
    bare_prompt,
    bold_number,
    callout,
    details_block,
    heading_question,
    numbered_topic,
    qa_prefix,
    resource_link,
    table_column,
    video_notes,
)
from .base import Found, Scope

Recognizer = Callable[[Node, Scope], list[Found] | None]

RECOGNIZERS: tuple[tuple[str, Recognizer], ...] = (
    ("details-block", details_block.recognize),
    ("callout", callout.recognize),
    ("table-column", table_column.recognize),
    ("heading-question", heading_question.recognize),
    ("qa-prefix", qa_prefix.recognize),
    ("video-notes", video_notes.recognize),
    ("bold-number", bold_number.recognize),
    ("numbered-topic", numbered_topic.recognize),
    ("resource-link", resource_link.recognize),
    ("asked-line", asked_line.recognize),
    ("bare-prompt", bare_prompt.recognize),
)
"""In order: the first recognizer that answers for a node decides."""

SERIES = frozenset({"bold-number", "heading-question"})
"""Conventions that number their questions: among siblings, one that clearly asks vouches for the rest."""


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    for _name, rule in RECOGNIZERS:
        found = rule(node, scope)
        if found is not None:
            for claim in found:
                claim.convention = _name
            return found
    return None


__all__ = ["RECOGNIZERS", "Found", "Scope", "recognize"]
