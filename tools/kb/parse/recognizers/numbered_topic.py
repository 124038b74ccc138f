"""Web text flattened to plain text: `3. Title:` with the lines under it as `Label: value` fields."""

from __future__ import annotations

import re

from ..tree import Node
from .base import Found, Scope

NUMBERED_TOPIC = re.compile(r"^(\d+)[.)]\s+(\S.*?):\s*$")


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind != "line" or not node.children:
        return None
    match = NUMBERED_TOPIC.match(node.text)
    if not match:
        return None
    if match.group(2).endswith("?"):
        return [Found(node.text, tuple(node.all_lines()), children_are_answer=False, block="fields")]
    return [Found(match.group(2), tuple(node.all_lines()), children_are_answer=False, block="topic")]
