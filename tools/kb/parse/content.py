"""Nodes of the document tree -> the answer and block content of the model (paragraphs, lists, code)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Code, Config, Content, Item, ItemList, Label, Paragraph, Text
from .tree import Node

_STRAY = re.compile(r"(?<=[a-z)][.!?])(?P<fragment>[A-Z][\w ]{1,40}:)\s*$")
_WRAPPER_TAGS = re.compile(r"(?i)</?(?:details|summary|b|strong|i|em|p|u)\b[^>]*>")
_BREAK = re.compile(r"(?i)<br\s*/?>")

Drop = Callable[[int, str, str], None]
"""Report a line (or part of one) left out: (line, reason, text)."""


class Converter:
    def __init__(self, config: Config, drop: Drop) -> None:
        self.config = config
        self.drop = drop

    def nodes(self, nodes: list[Node]) -> list[Content]:
        """Content of sibling nodes; consecutive plain-text lines and list items become one list."""
        out: list[Content] = []
        run: list[Node] = []
        for node in nodes:
            if node.kind in ("line", "item"):
                run.append(node)
                continue
            if run:
                out.append(self.items(run))
                run = []
            out.extend(self.node(node))
        if run:
            if len(run) == 1 and run[0].kind == "line" and not run[0].children:
                out.append(Paragraph(Text(strip_arrow_lead(run[0].text))))
            else:
                out.append(self.items(run))
        return out

    def node(self, node: Node) -> list[Content]:
        kind = node.kind
        if kind == "paragraph":
            return [Paragraph(self.stray(node.text, node.lines[0] if node.lines else 0))]
        if kind == "list":
            items = self.items(node.children)
            return [ItemList(items.items, node.info == "ordered", node.start)]
        if kind in ("line", "item"):
            return [self.items([node])]
        if kind == "code":
            return [Code(node.text, node.info)]
        if kind == "heading":
            return [Label(Text(node.text, markdown=True))]
        if kind == "section":
            return [Label(Text(node.text, markdown=True)), *self.nodes(node.children)]
        if kind == "quote":
            return self.nodes(node.children)
        if kind == "callout":
            title = node.text or node.info.capitalize()
            return [Label(Text(title, markdown=True)), *self.nodes(node.children)]
        if kind == "table":
            return [Paragraph(Text(node.text, markdown=True))]
        if kind == "html":
            return [Paragraph(Text(unwrap_html(node.text)))]  # shown as text, never live
        return [Paragraph(Text(node.text))]

    def items(self, nodes: list[Node]) -> ItemList:
        items = []
        for node in nodes:
            if node.kind == "line":
                children = (self.items(node.children),) if node.children else ()
                items.append(Item(Text(strip_arrow_lead(node.text)), children))
            elif node.kind == "item":
                head = self.stray(node.text, node.lines[0]) if node.text else Text("", markdown=True)
                items.append(Item(head, tuple(self.nodes(node.children))))
            else:
                items.append(Item(Text(""), tuple(self.node(node))))
        return ItemList(tuple(items))

    def stray(self, text: str, line: int) -> Text:
        """Cut a fragment glued to the end of a paragraph ('...variations.Supervised Learning:')."""
        match = _STRAY.search(text)
        if not match:
            return Text(text, markdown=True)
        offset = text[: match.start()].count("\n")
        self.drop(line + offset, "stray fragment glued to the end of a paragraph", match.group("fragment"))
        return Text(text[: match.start()], markdown=True)

    def fields(self, nodes: list[Node]) -> tuple[Content, ...]:
        """Lines of 'Label: value Label: value' text, as a list of labelled items."""
        items: list[Item] = []
        nest_next = False
        for node in nodes:
            found = split_fields(node.text, self.config)
            if nest_next and items:
                parent = items[-1]
                items[-1] = Item(parent.text, parent.children + (ItemList(tuple(found)),), parent.label)
            else:
                items.extend(found)
            nest_next = node.text.endswith(":")
        return (ItemList(tuple(items)),) if items else ()


def unwrap_html(html: str) -> str:
    """An HTML block's text with the wrappers people put around Q&A (details, summary, b, br) removed;
    any other markup stays, as text."""
    return "\n".join(line.strip() for line in _WRAPPER_TAGS.sub("", _BREAK.sub("\n", html)).strip().splitlines())


_ARROW_LEAD = re.compile(r"^->\s*")


def strip_arrow_lead(text: str) -> str:
    return _ARROW_LEAD.sub("", text)


def split_fields(text: str, config: Config) -> list[Item]:
    labels = "|".join(re.escape(label) for label in sorted(config.field_labels, key=len, reverse=True)) or "(?!)"
    resources = "|".join(re.escape(label) for label in config.resource_labels) or "(?!)"
    # "Resources:" comes last and holds "Blog: ... Paper: ..." entries, split only at resource labels
    resource_text: str | None = None
    found = re.search(r"(?:^|(?<=[.:)!?]))\s*Resources:", text)
    if found:
        text, resource_text = text[: found.start()], text[found.end():]
    pieces = re.split(
        r"""(?:^|(?<=[.:)!?])\s+)                     # a label starts the line or follows a sentence end
        ((?:[A-Z0-9][\w’'&/,()+-]*)(?:\ [\w’'&/,()+-]+){0,5})  # 1-6 words, the first capitalised
        :(?=\s|$)                                      # and ends in ':'""",
        text,
        flags=re.VERBOSE,
    )
    lead = pieces[0].strip()
    items: list[Item] = [Item(Text(lead))] if lead else []
    groups: list[tuple[Item, list[Item]] | Item] = [items[0]] if items else []
    group: list[Item] | None = None
    for index in range(1, len(pieces), 2):
        label, value = pieces[index].strip(), pieces[index + 1].strip()
        item = Item(Text(value), label=label)
        if group is not None and not re.fullmatch(labels, label):
            group.append(item)
            continue
        group = [] if not value else None
        groups.append((item, group) if group is not None else item)
    out = [g if isinstance(g, Item) else (Item(g[0].text, (ItemList(tuple(g[1])),), g[0].label) if g[1] else g[0]) for g in groups]
    if resource_text is not None:
        parts = re.split(rf"\b({resources}):\s*", resource_text)
        children = tuple(Item(Text(parts[i + 1].strip()), label=parts[i]) for i in range(1, len(parts), 2))
        out.append(Item(Text(parts[0].strip()), (ItemList(children),) if children else (), label="Resources"))
    return out

