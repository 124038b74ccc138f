"""Bold-numbered questions: `**1)** question`, `**Q3.** question`, `**4. Title**`, the answer below."""

from __future__ import annotations

import re

from ...model import Paragraph, Text
from ..tree import Node
from .base import Found, Scope, any_block, difficulty, first_line

_NUMBER_IN_BOLD = re.compile(
    r"""^(?:\*\*|__)\s*(?:Q\s*)?\d{1,3}\s*[.):]?\s*(?:\*\*|__)  # **1)**  **Q3.**  __2.__
    \s*(?P<title>\S.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
_TITLE_IN_BOLD = re.compile(
    r"""^(?:\*\*|__)\s*(?:Q\s*)?\d{1,3}\s*[.):]\s*   # **4.  or **Q4)
    (?P<title>[^*_].*?)\s*(?:\*\*|__)                 # the title, then the bold ends
    [\s:.-]*(?P<after>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)


def recognize(node: Node, scope: Scope) -> list[Found] | None:
    if node.kind not in ("paragraph", "item", "line"):
        return None
    line = first_line(node)
    match = _NUMBER_IN_BOLD.match(line) or _TITLE_IN_BOLD.match(line)
    if not match:
        return None
    title, label = difficulty(" ".join(match.group("title").split()))
    after = match.groupdict().get("after") or ""
    rest = "\n".join(filter(None, [after.strip(), *node.text.split("\n")[1:]])).strip()
    return [Found(title, node.lines[:1], before=(Paragraph(Text(rest, markdown=True)),) if rest else (),
                  answer_lines=node.lines[1:], label=label, certain=scope.asks(title) or line.lstrip("*_ ").upper().startswith("Q"),
                  followers=any_block)]
