"""Parse stage: find the questions, answers and blocks of material in a note.

Two readers share one output: plain-text outlines (indentation is structure) and
Markdown (read as CommonMark with markdown-it-py, whose tokens carry line maps).
Every non-blank line ends up in exactly one entry, or in a Drop with a reason,
or as a Context (a heading other entries were filed under).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .model import (
    Block,
    Code,
    Config,
    Content,
    Context,
    Drop,
    Entry,
    Item,
    ItemList,
    Label,
    Link,
    Note,
    Paragraph,
    ParsedNote,
    Problem,
    Question,
    Source,
    Text,
)
from .words import looks_like_question

_SEPARATOR = re.compile(r"^\s*([=\-_*~#+])\1{4,}\s*$")
_NUMBERED_TOPIC = re.compile(r"^(\d+)[.)]\s+(\S.*?):\s*$")
_URL = re.compile(r"https?://[^\s<>()\"']+[^\s<>()\"'.,;:!?]")
_VIDEO_HEADING = re.compile(r"^\*\*\s*(?:\d+\.\s*)?(?P<title>.+?)\s*\((?P<time>\d+:\d\d(?:\s*-\s*\d+:\d\d)?)\)\s*\*\*$")
_TOC_ITEM = re.compile(r"^\[[^\]]+\]\(#[^)]*\)$")
_STRAY = re.compile(r"(?<=[a-z)][.!?])(?P<fragment>[A-Z][\w ]{1,40}:)\s*$")
_QUESTION_RUN_SHARE = 0.5
"""In a run of short lines, when at least this share asks something, every line is an interview prompt."""


MAX_DEPTH = 40
"""Nesting (lists, quotes, indentation) deeper than this is flattened to this depth, with a warning."""


def parse_note(note: Note, config: Config) -> ParsedNote:
    """The note's entries, drops and headings; never fails, and accounts for every non-blank line."""
    return keep_unclaimed(_parse(note, config))


def _read(note: Note, config: Config) -> ParsedNote:
    reader: _Reader = _MarkdownReader(note, config) if note.markdown else _TextReader(note, config)
    try:
        reader.read()
    except _TooDeep as deep:
        reader = _TextReader(note, config)
        reader.problems.append(Problem(note.name, deep.line, "lists or quotes nested too deeply to read as Markdown; the note is read as plain text"))
        reader.read()
    return ParsedNote(note, tuple(reader.entries), tuple(sorted(reader.drops, key=lambda d: d.line)),
                      tuple(reader.contexts), tuple(reader.problems))


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


@dataclass
class _Reader:
    note: Note
    config: Config
    entries: list[Entry] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)
    contexts: list[Context] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def drop(self, line: int, reason: str, text: str | None = None) -> None:
        self.drops.append(Drop(self.note.name, line, self.note.lines[line - 1].strip() if text is None else text, reason))

    def drop_reason(self, text: str) -> str | None:
        for pattern, reason in self.config.drop_patterns:
            if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
                return reason
        return None

    def source(self, lines: list[int] | tuple[int, ...], original: str = "") -> Source:
        return Source(self.note.name, tuple(sorted(set(lines))), original)

    def asks(self, text: str) -> bool:
        return looks_like_question(text, self.config)

    def read(self) -> None:
        raise NotImplementedError


# --- plain-text outlines -------------------------------------------------------------------


@dataclass
class _Node:
    no: int
    indent: int
    text: str
    blank_before: bool
    children: list[_Node] = field(default_factory=list)

    def all_lines(self) -> list[int]:
        return [self.no] + [n for child in self.children for n in child.all_lines()]


class _TextReader(_Reader):
    def read(self) -> None:
        chunk: list[_Node] = []
        stack: list[_Node] = []
        blank = flattened = False
        previous = ""
        for no, raw in enumerate(self.note.lines, start=1):
            text = re.sub(r"\s+", " ", raw).strip()
            if not text:
                blank = True
                continue
            if _SEPARATOR.match(raw):
                self.drop(no, "separator line (used to split the note into parts)")
                self.read_chunk(chunk)
                chunk, stack, blank, previous = [], [], False, ""
                continue
            if reason := self.drop_reason(text):
                self.drop(no, reason)
                continue
            if text == previous:
                if no == 2 or (chunk and len(chunk) == 1 and not chunk[0].children and chunk[0].no == no - 1 and no <= 3):
                    # a title repeated by copying from a web page: the first copy is the note's title
                    self.contexts.append(Context(self.note.name, chunk.pop().no, text))
                    stack = []
                self.drop(no, f"repeats line {no - 1} word for word")
                continue
            previous = text
            node = _Node(no, _indent(raw), text, blank)
            blank = False
            while stack and stack[-1].indent >= node.indent:
                stack.pop()
            if len(stack) >= MAX_DEPTH:  # deeper than that: a sibling of the deepest line kept
                if len(stack) == MAX_DEPTH and not flattened:
                    self.problems.append(Problem(self.note.name, no, f"indented deeper than {MAX_DEPTH} levels; deeper lines are shown at that depth"))
                    flattened = True
                del stack[MAX_DEPTH - 1:]
            (stack[-1].children if stack else chunk).append(node)
            stack.append(node)
        self.read_chunk(chunk)

    def read_chunk(self, roots: list[_Node]) -> None:
        roots = _absorb_numbered_topics(roots)
        run: list[_Node] = []
        for node in roots:
            if node.children or node.blank_before:
                self.read_run(run)
                run = []
            if node.children:
                self.read_tree(node)
            else:
                run.append(node)
        self.read_run(run)

    def read_tree(self, node: _Node, context: str = "") -> None:
        numbered = _NUMBERED_TOPIC.match(node.text)
        if numbered and self.asks(node.text):
            self.entries.append(Question(node.text, self.fields(node.children), self.source(node.all_lines(), node.text), context))
        elif self.asks(node.text):
            self.read_question(node, context)
        elif numbered:
            title = numbered.group(2)
            self.entries.append(Block(title, self.fields(node.children), self.source(node.all_lines(), node.text), "topic", context))
        elif _share(node.children, lambda n: self.asks(n.text)) > _QUESTION_RUN_SHARE:
            self.contexts.append(Context(self.note.name, node.no, node.text))
            rest = []
            for child in node.children:
                if self.asks(child.text):
                    self.read_question(child, node.text)
                else:
                    rest.append(child)
            if rest:
                self.entries.append(Block(node.text, (_items(rest),), self.source([n for c in rest for n in c.all_lines()]), "outline", node.text))
        else:
            self.entries.append(Block(node.text, (_items(node.children),), self.source(node.all_lines(), node.text), "outline", context))

    def read_question(self, node: _Node, context: str, answer_nodes: list[_Node] = (), detail: str = "", detail_lines: list[int] = ()) -> None:  # type: ignore[assignment]
        title, inline_answer = _split_answer(node.text, self.asks)
        answer: list[Content] = [Paragraph(Text(inline_answer))] if inline_answer else []
        lines = [node.no, *detail_lines]
        follow_ups: list[_Node] = []
        rest: list[_Node] = []
        for child in node.children:
            if _parenthesised(child.text) and not child.children and not rest:
                detail = (detail + " " + child.text).strip()
                lines.append(child.no)
            elif self.asks(child.text) and not child.text.startswith("->"):
                follow_ups.append(child)
            else:
                rest.append(child)
        rest.extend(answer_nodes)
        if rest:
            answer.extend(_answer_from(rest))
            lines.extend(n for r in rest for n in r.all_lines())
        self.entries.append(Question(title, tuple(answer), self.source(lines, node.text), context, detail))
        for child in follow_ups:
            self.read_question(child, _strip_arrow(title))

    def read_run(self, run: list[_Node]) -> None:
        """A run of sibling lines with no blank line between them and no children."""
        if not run:
            return
        # '... ?' followed by a plain line: the plain line is the answer; '(...)' is a detail
        units: list[_Unit] = []
        for node in run:
            last = units[-1] if units else None
            if last and not last.answers and _parenthesised(node.text) and self.asks(last.node.text):
                last.detail = (last.detail + " " + node.text).strip()
                last.detail_lines.append(node.no)
            elif last and not last.answers and not self.asks(node.text) and last.node.text.endswith("?"):
                last.answers.append(node)
            else:
                units.append(_Unit(node))
        asking = [bool(u.answers) or self.asks(u.node.text) for u in units]
        prompts = len(units) >= 3 and sum(asking) / len(units) >= _QUESTION_RUN_SHARE
        pending: list[_Node] = []
        for unit, asks in zip(units, asking, strict=True):
            if prompts or asks:
                self.flush_material(pending)
                pending = []
                self.read_question(unit.node, "", unit.answers, unit.detail, unit.detail_lines)
            else:
                pending.append(unit.node)
        self.flush_material(pending)

    def flush_material(self, nodes: list[_Node]) -> None:
        if not nodes:
            return
        lines = [n.no for n in nodes]
        if sum(len(n.text) for n in nodes) / len(nodes) > 80 or (len(nodes) == 1 and len(nodes[0].text) > 60):
            body: tuple[Content, ...] = tuple(Paragraph(Text(n.text)) for n in nodes)
            self.entries.append(Block("", body, self.source(lines), "prose"))
        else:
            self.entries.append(Block("", (_items(nodes),), self.source(lines), "list"))

    def fields(self, nodes: list[_Node]) -> tuple[Content, ...]:
        """Lines of 'Label: value Label: value' text, as a list of labelled items."""
        items: list[Item] = []
        nest_next = False
        for node in nodes:
            found = _split_fields(node.text, self.config)
            if nest_next and items:
                parent = items[-1]
                items[-1] = Item(parent.text, parent.children + (ItemList(tuple(found)),), parent.label)
            else:
                items.extend(found)
            nest_next = node.text.endswith(":")
        return (ItemList(tuple(items)),) if items else ()


@dataclass
class _Unit:
    node: _Node
    answers: list[_Node] = field(default_factory=list)
    detail: str = ""
    detail_lines: list[int] = field(default_factory=list)


def _absorb_numbered_topics(roots: list[_Node]) -> list[_Node]:
    """'3. Title:' followed by unindented lines (web text): those lines belong to the title."""
    out: list[_Node] = []
    owner: _Node | None = None
    for node in roots:
        if _NUMBERED_TOPIC.match(node.text) and not node.children:
            owner = node
            out.append(node)
        elif owner is not None and not node.blank_before and not node.children and not re.match(r"^\d+[.)]\s", node.text):
            owner.children.append(node)
        else:
            owner = None
            out.append(node)
    return out


def _split_fields(text: str, config: Config) -> list[Item]:
    labels = "|".join(re.escape(label) for label in sorted(config.field_labels, key=len, reverse=True)) or "(?!)"
    resources = "|".join(re.escape(label) for label in config.resource_labels) or "(?!)"
    # "Resources:" comes last and holds "Blog: ... Paper: ..." entries, split only at resource labels
    resource_text: str | None = None
    found = re.search(r"(?:^|(?<=[.:)!?]))\s*Resources:", text)
    if found:
        text, resource_text = text[: found.start()], text[found.end():]
    # a label starts the line or follows a sentence end; it is 1-6 words and ends in ':'
    pieces = re.split(r"(?:^|(?<=[.:)!?])\s+)((?:[A-Z0-9][\w’'&/,()+-]*)(?: [\w’'&/,()+-]+){0,5}):(?=\s|$)", text)
    lead = pieces[0].strip()
    items: list[Item] = [Item(Text(lead))] if lead else []
    group: list[Item] | None = None
    for index in range(1, len(pieces), 2):
        label, value = pieces[index].strip(), pieces[index + 1].strip()
        item = Item(Text(value), label=label)
        if group is not None and not re.fullmatch(labels, label):
            group.append(item)
            continue
        group = [] if not value else None
        items.append(_GroupItem(item, group) if group is not None else item)  # type: ignore[arg-type]
    if resource_text is not None:
        parts = re.split(rf"\b({resources}):\s*", resource_text)
        children = tuple(Item(Text(parts[i + 1].strip()), label=parts[i]) for i in range(1, len(parts), 2))
        items.append(Item(Text(parts[0].strip()), (ItemList(children),) if children else (), label="Resources"))
    return [i.freeze() if isinstance(i, _GroupItem) else i for i in items]


@dataclass
class _GroupItem:
    item: Item
    members: list[Item]

    def freeze(self) -> Item:
        if not self.members:
            return self.item
        return Item(self.item.text, (ItemList(tuple(self.members)),), self.item.label)


def _indent(raw: str) -> int:
    width = 0
    for char in raw:
        if char == "\t":
            width += 4
        elif char == " ":
            width += 1
        else:
            break
    return width


def _share(nodes: list[_Node], test) -> float:  # type: ignore[no-untyped-def]
    real = [n for n in nodes if n.text]
    return sum(1 for n in real if test(n)) / len(real) if real else 0.0


def _parenthesised(text: str) -> bool:
    return text.startswith("(") and text.rstrip().endswith(")")


def _strip_arrow(text: str) -> str:
    return re.sub(r"\s*(->|:-|:)\s*$", "", text).strip()


def _split_answer(text: str, asks) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """'question -> answer' or 'question ? answer' on one line; never inside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth:
            continue
        if text.startswith("->", index):
            head, tail = text[:index].strip(), text[index + 2:].strip()
            if head and tail and asks(head) and not tail.endswith("?"):
                return head, _strip_arrow(tail)
            return text, ""
        if char == "?":
            head, tail = text[: index + 1].strip(), text[index + 1:].strip()
            if len(tail.split()) >= 3 and not tail.startswith(("(", "-")) and not tail.endswith("?"):
                return head, tail
    return text, ""


def _items(nodes: list[_Node]) -> ItemList:
    return ItemList(tuple(Item(Text(_strip_arrow_lead(n.text)), (_items(n.children),) if n.children else ()) for n in nodes if n.text))


def _strip_arrow_lead(text: str) -> str:
    return re.sub(r"^->\s*", "", text)


def _answer_from(nodes: list[_Node]) -> list[Content]:
    nodes = [n for n in nodes if n.text]
    if len(nodes) == 1 and not nodes[0].children:
        return [Paragraph(Text(_strip_arrow_lead(nodes[0].text)))]
    return [_items(nodes)]


# --- Markdown ------------------------------------------------------------------------------


_md = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH + 1}).enable("table")


@dataclass
class _Section:
    level: int
    title: str
    line: int
    tokens: list[Token]
    """Block tokens up to the next heading of any level."""
    children: list[_Section] = field(default_factory=list)


class _MarkdownReader(_Reader):
    def read(self) -> None:
        tokens = _md.parse("\n".join(self.note.lines))
        deep = next((t for t in tokens if t.level >= MAX_DEPTH), None)
        if deep is not None:  # markdown-it stops reading below its nesting limit: never lose those lines
            raise _TooDeep(next((t.map[0] + 1 for t in reversed(tokens[: tokens.index(deep) + 1]) if t.map), 1))
        root = _Section(0, "", 0, [])
        stack = [root]
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open":
                level = int(token.tag[1])
                inline = tokens[index + 1]
                assert token.map is not None
                section = _Section(level, inline.content, token.map[0] + 1, [])
                while stack[-1].level >= level:
                    stack.pop()
                stack[-1].children.append(section)
                stack.append(section)
                index += 3
                continue
            stack[-1].tokens.append(token)
            index += 1
        self.read_body(root.tokens, "")
        for section in root.children:
            self.read_section(section, "")

    def heading_asks(self, title: str) -> bool:
        """A Markdown heading is a question when it says so: '?' or a comparison."""
        return self.asks(title) and ("?" in title or bool(re.search(r"\b(vs\.?|versus)\s", title, re.IGNORECASE)))

    def has_questions(self, section: _Section) -> bool:
        return (any(self.question_list(b) for b in _top_blocks(section.tokens))
                or any(self.heading_asks(c.title) or self.has_questions(c) for c in section.children))

    def read_section(self, section: _Section, context: str) -> None:
        if self.heading_asks(section.title):
            body, lines = self.flatten(section)
            self.entries.append(Question(section.title, tuple(body), self.source([section.line] + lines, section.title), context))
            return
        if not self.has_questions(section) and not self.splits(_top_blocks(section.tokens)):
            body, lines = self.flatten(section)
            if body:
                self.entries.append(Block(section.title, tuple(body), self.source([section.line] + lines, section.title), "section", context))
                return
        self.contexts.append(Context(self.note.name, section.line, section.title))
        self.read_body(section.tokens, section.title)
        for child in section.children:
            self.read_section(child, section.title)

    def splits(self, blocks: list[list[Token]]) -> bool:
        """Whether a section's body holds its own blocks (video notes, resources) rather than one text."""
        return any(self.block_start(b) for b in blocks)

    def block_start(self, block: list[Token]) -> str | None:
        if block[0].type != "paragraph_open":
            return None
        content = block[1].content.strip()
        if _VIDEO_HEADING.match(content.split("\n")[0]):
            return "video notes"
        if re.match(r"^https?://\S+\s*-->", content):
            return "resource"
        return None

    def question_list(self, block: list[Token]) -> bool:
        if block[0].type not in ("ordered_list_open", "bullet_list_open"):
            return False
        titles = [_item_title(item) for item in _list_items(block)]
        return bool(titles) and _share_of(titles, self.asks) > _QUESTION_RUN_SHARE

    def read_body(self, tokens: list[Token], context: str) -> None:
        """The blocks between a heading and the next: question lists, material, sign-offs."""
        pending: list[list[Token]] = []
        # (kind, title) of the block being collected; text right under a heading takes its title
        current: tuple[str, str] | None = ("section", context) if context else None

        def flush() -> None:
            nonlocal pending, current
            if pending:
                body, lines = self.convert(pending)
                kind, title = current or ("notes", "")
                self.entries.append(Block(title, tuple(body), self.source(lines), kind, context if kind in ("section", "notes") else ""))
            pending, current = [], None

        for block in _top_blocks(tokens):
            first, last = _span(block)
            if block[0].type == "bullet_list_open" and all(_TOC_ITEM.match(_item_title(i)) for i in _list_items(block)):
                for no in self.nonblank(first, last):
                    self.drop(no, "hand-written table of contents (the site makes its own)")
                continue
            if block[0].type == "paragraph_open" and (reason := self.drop_reason(block[1].content.split("\n")[0])):
                flush()
                for no in self.nonblank(first, last):
                    self.drop(no, reason)
                continue
            if block[0].type == "hr":
                self.drop(first, "horizontal rule (layout only)")
                continue
            if self.question_list(block):
                flush()
                self.read_question_list(block, context)
                continue
            kind = self.block_start(block)
            if kind == "video notes":
                content = block[1].content
                match = _VIDEO_HEADING.match(content.split("\n")[0])
                assert match
                if not current or current[0] != "video notes":
                    flush()
                    current = ("video notes", "Video notes: " + match.group("title"))
                pending.append(block)
                continue
            if kind == "resource":
                flush()
                url = re.match(r"^(https?://\S+)", block[1].content)
                assert url
                current = ("resource", _title_from_url(url.group(1)))
                pending.append(block)
                continue
            pending.append(block)
        flush()

    def read_question_list(self, block: list[Token], context: str) -> None:
        for item in _list_items(block):
            title = _item_title(item)
            first, last = _span(item)
            if not self.asks(title):
                body, lines = self.convert([item[1:-1]])
                self.entries.append(Block("", tuple(body), self.source(lines), "list", context))
                continue
            answer_tokens = _top_blocks(item[1:-1])[1:]  # the item's first paragraph is the question
            body, lines = self.convert(answer_tokens)
            self.entries.append(Question(title, tuple(body), self.source([first + 1] + lines, self.note.lines[first].strip()), context))

    def flatten(self, section: _Section) -> tuple[list[Content], list[int]]:
        """A section's text with its sub-sections folded in as labels."""
        body, lines = self.convert(_top_blocks(section.tokens))
        for child in section.children:
            body.append(Label(Text(child.title, markdown=True), child.level - section.level - 1))
            lines.append(child.line)
            more, more_lines = self.flatten(child)
            body.extend(more)
            lines.extend(more_lines)
        return body, lines

    def convert(self, blocks: list[list[Token]]) -> tuple[list[Content], list[int]]:
        body: list[Content] = []
        lines: list[int] = []
        for block in blocks:
            first, last = _span(block)
            if block[0].type == "paragraph_open" and (reason := self.drop_reason(block[1].content.split("\n")[0])):
                for no in self.nonblank(first, last):
                    self.drop(no, reason)
                continue
            lines.extend(self.nonblank(first, last))
            body.extend(self.content(block))
        return body, lines

    def content(self, block: list[Token]) -> list[Content]:
        kind = block[0].type
        if kind == "paragraph_open":
            text = block[1].content
            line = (block[0].map or [0])[0] + 1
            video = _VIDEO_HEADING.match(text.split("\n")[0])
            if video:
                rest = text.split("\n", 1)[1:]
                out: list[Content] = [Label(Text(f"{video.group('title')} ({video.group('time')})"))]
                return out + ([Paragraph(self.stray(rest[0], line + 1))] if rest else [])
            resource = re.match(r"^(https?://\S+)\s*-->\s*", text)
            if resource:
                rest_text = text[resource.end():]
                return [Link(resource.group(1))] + ([Paragraph(self.stray(rest_text, line))] if rest_text.strip() else [])
            return [Paragraph(self.stray(text, line))]
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = []
            for item in _list_items(block):
                inner = _top_blocks(item[1:-1])
                head: Text = Text("", markdown=True)
                children: list[Content] = []
                for index, sub in enumerate(inner):
                    if index == 0 and sub[0].type == "paragraph_open":
                        head = self.stray(sub[1].content, (sub[0].map or [0])[0] + 1)
                    else:
                        children.extend(self.content(sub))
                items.append(Item(head, tuple(children)))
            start = int(block[0].attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 1
            return [ItemList(tuple(items), kind == "ordered_list_open", start)]
        if kind in ("fence", "code_block"):
            return [Code(block[0].content.rstrip("\n"), block[0].info.strip())]
        if kind == "heading_open":
            return [Label(Text(block[1].content, markdown=True))]
        if kind == "blockquote_open":
            return [c for sub in _top_blocks(block[1:-1]) for c in self.content(sub)]
        if kind == "table_open":
            first, last = _span(block)
            return [Paragraph(Text("\n".join(self.note.lines[first:last]), markdown=True))]
        if kind == "html_block":
            return [Paragraph(Text(block[0].content.strip()))]  # shown as text, never live
        if kind == "hr":
            return []
        raise AssertionError(f"unexpected Markdown block {kind}")  # pragma: no cover

    def stray(self, text: str, line: int) -> Text:
        """Cut a fragment glued to the end of a paragraph ('...variations.Supervised Learning:')."""
        match = _STRAY.search(text)
        if not match:
            return Text(text, markdown=True)
        offset = text[: match.start()].count("\n")
        self.drop(line + offset, "stray fragment glued to the end of a paragraph", match.group("fragment"))
        return Text(text[: match.start()], markdown=True)

    def nonblank(self, first: int, last: int) -> list[int]:
        return [no for no in range(first + 1, last + 1) if self.note.lines[no - 1].strip()]


def _top_blocks(tokens: list[Token]) -> list[list[Token]]:
    """Group a flat token stream into its top-level blocks."""
    blocks: list[list[Token]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            blocks.append([])
        blocks[-1].append(token)
        depth += token.nesting
    return blocks


def _list_items(block: list[Token]) -> list[list[Token]]:
    return _top_blocks(block[1:-1])


def _item_title(item: list[Token]) -> str:
    for token in item:
        if token.type == "inline":
            return token.content.strip()
    return ""


def _span(block: list[Token]) -> tuple[int, int]:
    maps = [t.map for t in block if t.map]
    return min(m[0] for m in maps), max(m[1] for m in maps)


def _share_of(texts: list[str], test) -> float:  # type: ignore[no-untyped-def]
    return sum(1 for t in texts if test(t)) / len(texts) if texts else 0.0


def _title_from_url(url: str) -> str:
    path = re.sub(r"[?#].*$", "", url).rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in re.split(r"[-_]+", re.sub(r"\.\w+$", "", path)) if w and not re.fullmatch(r"[0-9a-f]{8,}", w)]
    if not words:
        return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return " ".join(words).capitalize()


# --- never lose a line ---------------------------------------------------------------------


def _parse(note: Note, config: Config) -> ParsedNote:
    """The note parsed; should the parser fail on it, the note's lines as plain material and a warning."""
    try:
        return _read(note, config)
    except Exception as error:  # a parser bug must not stop the build: the note is still shown, and reported
        problem = Problem(note.name, None, f"could not be read as notes ({type(error).__name__}: {error}); shown as it is written")
        return ParsedNote(note, (), (), (), (problem,))


def keep_unclaimed(parsed: ParsedNote) -> ParsedNote:
    """Every non-blank line that no entry, drop or heading accounts for becomes material as written,
    with a warning naming it: nothing is lost, and a note the parser does not understand still builds."""
    accounted = {line for entry in parsed.entries for line in entry.source.lines}
    accounted |= {d.line for d in parsed.drops} | {c.line for c in parsed.contexts}
    missing = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip() and n not in accounted]
    if not missing:
        return parsed
    runs: list[list[int]] = []
    for number in missing:
        if runs and all(not parsed.note.lines[n - 1].strip() for n in range(runs[-1][-1] + 1, number)):
            runs[-1].append(number)
        else:
            runs.append([number])
    blocks = tuple(
        Block("", (Code("\n".join(parsed.note.lines[n - 1] for n in range(run[0], run[-1] + 1))),), Source(parsed.note.name, tuple(run)), "unrecognized")
        for run in runs
    )
    problems = tuple(
        Problem(parsed.note.name, run[0], f"{_lines(run)} not recognized by any note convention; shown as written")
        for run in runs
    )
    return dataclasses.replace(parsed, entries=parsed.entries + blocks, problems=parsed.problems + problems)


def _lines(run: list[int]) -> str:
    return f"line {run[0]}" if len(run) == 1 else f"lines {run[0]}-{run[-1]}"
