"""The walker: recognizers over the document tree -> questions with their answers, blocks of material.

It knows no note convention. Each node is offered to the recognizers (in their order); a question's
answer is what its recognizer gives, plus its children, plus the following siblings its recognizer
accepts, up to the next question. Guesses (bare terms, numbered titles) count only where most of
their siblings are clear questions. Whatever no recognizer claims stays material, in note order.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Block, Config, Content, Context, Drop, Entry, Label, Note, Paragraph, Problem, Question, Source, Text
from .content import Converter
from .recognizers import SERIES, Found, Scope, recognize
from .recognizers.asked_line import is_aside
from .recognizers.base import adjacent_line
from .tree import Node

_GUESS_SHARE = 0.5
"""A guess is a question when at least this share of its siblings are clear questions."""
_LEAD_IN_SHARE = 1 / 3
"""A line leads in the lines under it when at least this share of them are clear questions."""
_TEXTUAL = ("line", "item", "paragraph", "section")


class Walker:
    def __init__(self, note: Note, config: Config) -> None:
        self.note = note
        self.config = config
        self.scope = Scope(note, config)
        self.convert = Converter(config, self.drop)
        self.entries: list[Entry] = []
        self.drops: list[Drop] = []
        self.contexts: list[Context] = []
        self.problems: list[Problem] = []
        # caches by id(); each keeps its key object alive, so an id is never reused while cached
        self._found: dict[int, tuple[Node, list[Found] | None]] = {}
        self._decided: dict[int, tuple[list[Node], list[list[Found] | None]]] = {}
        self._holds: dict[int, tuple[Node, bool]] = {}

    # --- reporting -----------------------------------------------------------------------------

    def drop(self, line: int, reason: str, text: str | None = None) -> None:
        self.drops.append(Drop(self.note.name, line, self.note.lines[line - 1].strip() if text is None else text, reason))

    def context(self, line: int, text: str = "") -> None:
        self.contexts.append(Context(self.note.name, line, text or self.note.lines[line - 1].strip()))

    def source(self, lines: list[int] | tuple[int, ...], original: str = "") -> Source:
        return Source(self.note.name, tuple(sorted(set(lines))), original)

    # --- recognizing ---------------------------------------------------------------------------

    def found(self, node: Node) -> list[Found] | None:
        key = id(node)
        if key not in self._found:
            self._found[key] = (node, recognize(node, self.scope))
        return self._found[key][1]

    def decide(self, nodes: list[Node]) -> list[list[Found] | None]:
        """What each sibling starts, guesses kept only among mostly clear questions."""
        key = id(nodes)
        if key in self._decided:
            return self._decided[key][1]
        results = [self.found(n) for n in nodes]
        textual = [i for i, n in enumerate(nodes) if n.kind in _TEXTUAL]
        clear = sum(1 for i in textual if _clear(results[i]))
        share = clear / len(textual) if textual else 0.0
        guesses_hold = len(textual) >= 3 and share >= _GUESS_SHARE
        # a run of lines holds questions when one is clear, or (among mostly questions) one is a term with its answer
        anchors = [_clear(r) or (share >= _GUESS_SHARE and n.kind == "line" and bool(r) and self.has_answer(n, r or []) and not self.leads_in(n))
                   for n, r in zip(nodes, results, strict=True)]
        run_asks = _runs_with_questions(nodes, anchors)
        series = {f.convention for r in results if _clear(r) for f in r or () if f.convention in SERIES}
        decided: list[list[Found] | None] = []
        for index, (node, result) in enumerate(zip(nodes, results, strict=True)):
            if result and not all(f.certain for f in result):
                holds = guesses_hold
                if node.kind == "line":  # plain text: a run of lines with no blank between is one list
                    holds = run_asks[index]
                holds = holds or any(f.convention in series for f in result)
                if not holds or (self.leads_in(node) and not (node.kind == "line" and run_asks[index])):
                    result = None
            decided.append(result)
        self._decided[key] = (nodes, decided)
        return decided

    def has_answer(self, node: Node, result: list[Found]) -> bool:
        return bool(node.children) or any(f.before for f in result) or node.text.endswith("->")

    def leads_in(self, node: Node) -> bool:
        """A line whose children are mostly questions: it names what they are about."""
        children = [c for c in node.children if c.kind in _TEXTUAL]
        if node.kind not in ("line", "item") or not children:
            return False
        asking = [c for c in children if _clear(self.found(c))]
        if all(f.followup for c in asking for f in self.found(c) or ()):
            return False  # follow-ups join the line above: it is the question
        return len(asking) / len(children) >= _LEAD_IN_SHARE

    def holds_questions(self, node: Node) -> bool:
        key = id(node)
        if key not in self._holds:
            decided = self.decide(node.children)
            self._holds[key] = (node, any(_asks(r) for r in decided) or any(self.holds_questions(c) for c in node.children))
        return self._holds[key][1]

    # --- walking -------------------------------------------------------------------------------

    def root(self, root: Node) -> None:
        self.section(root, "")

    def section(self, node: Node, context: str) -> None:
        """A section that is not itself a question."""
        if node.level and node.text:
            results = [self.found(c) for c in node.children]
            splits = any(f.block in ("video notes", "resource") for r in results if r for f in r)
            if not self.holds_questions(node) and not splits:
                body, lines = self.flatten(node)
                if body:
                    self.entries.append(Block(node.text, tuple(body), self.source([*node.lines, *lines], node.text), "section", context))
                    return
            for line in node.lines:
                self.context(line, node.text)
        self.walk(node.children, node.text or context, node.text)

    def walk(self, nodes: list[Node], context: str, title: str = "") -> None:
        decided = self.decide(nodes)
        pending: list[Node] = []
        last_question: int | None = None
        block_title = title

        def flush() -> None:
            nonlocal pending, block_title, last_question
            if pending:
                self.material(pending, context, block_title)
                block_title = ""
                last_question = None
            pending = []

        index = 0
        while index < len(nodes):
            node, found = nodes[index], decided[index]
            if found:
                flush()
                after = index + 1
                for number, claim in enumerate(found):
                    answer = list(claim.answer)
                    detail_lines: list[int] = []
                    details: list[str] = []
                    if number == len(found) - 1:
                        while (after < len(nodes) and nodes[after].kind == "line" and not nodes[after].blank_before
                               and not nodes[after].children and is_aside(nodes[after].text) and not claim.block):
                            details.append(nodes[after].text)  # '(...)' right below a question clarifies it
                            detail_lines.extend(nodes[after].lines)
                            after += 1
                        if claim.followers is not None:
                            # a line right below a '?' line answers it even if it could pass for a bare term
                            def stops(result: list[Found] | None, claim: Found = claim) -> bool:
                                if claim.followers is adjacent_line:
                                    return _certain(result)
                                return _certain(result) or any(f.convention in (claim.convention, *SERIES) for f in result or ())
                            while (after < len(nodes) and not stops(decided[after]) and claim.followers(nodes[after])
                                   and not (nodes[after].kind in ("list", "quote") and self.holds_questions(nodes[after]))):
                                answer.append(nodes[after])
                                after += 1
                                if claim.until is not None and claim.until(answer[-1]):
                                    break
                    last_question = self.claim(claim, node, answer, context, details, detail_lines, last_question)
                claimed = {n for f in found for n in f.lines} | {n for f in found for n in f.answer_lines}
                if node.kind != "section":
                    for line in node.lines:
                        if line not in claimed:
                            self.context(line)
                index = after
                continue
            if node.kind == "section":
                flush()
                self.section(node, context)
            elif (node.kind == "list" and self.question_list(node)) or (node.kind == "quote" and self.holds_questions(node)):
                flush()
                self.walk(node.children, context)
            elif node.kind in ("line", "item") and node.children and self.leads_in(node):
                flush()
                self.context(node.lines[0], node.text)
                self.walk(node.children, node.text)
            elif node.kind == "line" and node.children:
                flush()
                self.entries.append(Block(node.text, (self.convert.items(node.children),), self.source(node.all_lines(), node.text), "outline", context))
            else:
                if node.kind == "line" and node.blank_before:
                    flush()
                pending.append(node)
            index += 1
        flush()

    def question_list(self, node: Node) -> bool:
        decided = self.decide(node.children)
        asking = [r for r in decided if _asks(r)]
        if not asking:
            return False
        return len(asking) / len(node.children) >= _GUESS_SHARE or any(f.title.endswith("?") for r in asking if r for f in r)

    def claim(self, found: Found, node: Node, answer: list[Node], context: str, details: list[str], detail_lines: list[int],
              last_question: int | None) -> int | None:
        """Record what a recognizer found; returns the index of the question later follow-ups join."""
        lines = [*found.lines, *found.answer_lines, *detail_lines]
        original = self.note.lines[found.lines[0] - 1].strip() if found.lines else ""  # as written, list marker and all
        body: list[Content] = list(found.before)
        subs: list[Node] = []
        if found.block in ("topic", "fields"):
            fields = self.convert.fields(node.children)
            if found.block == "topic":
                self.entries.append(Block(found.title, fields, self.source(lines, original), "topic", context))
                return None
            self.entries.append(Question(found.title, fields, self.source(lines, original), context))
            return len(self.entries) - 1
        if node.kind == "section":
            rest: list[Node] = []
            for child in node.children:
                if child.kind == "section" and _clear(self.found(child)):
                    subs.append(child)
                elif (child.kind == "quote" and self.holds_questions(child)) or (child.kind == "list" and self.question_list(child)):
                    subs.append(child)  # questions of their own under the heading, not its answer
                else:
                    rest.append(child)
            more, more_lines = self.flatten(Node("section", "", (), rest, level=node.level))
            body.extend(more)
            lines.extend(more_lines)
        elif found.children_are_answer:
            rest = []
            for child in node.children:
                child_found = self.found(child)
                if child.kind == "line" and is_aside(child.text) and not rest and not child.children:
                    details.append(child.text)
                    lines.extend(child.lines)
                elif _clear(child_found) and child_found and (child_found[0].followup or not found.certain) and not rest:
                    details.append(child.text)
                    lines.extend(child.lines)
                    rest.extend(child.children)
                elif _clear(child_found) and not child.text.startswith("->"):
                    subs.append(child)
                else:
                    rest.append(child)
            answer = rest + answer
        body.extend(self.convert.nodes(answer))
        lines.extend(n for a in answer for n in a.all_lines())
        if found.block:
            previous = self.entries[-1] if self.entries else None
            if found.joins and isinstance(previous, Block) and previous.kind == found.block and last_question == -1:
                merged = self.source([*previous.source.lines, *lines], previous.source.original)
                self.entries[-1] = Block(previous.title, previous.body + tuple(body), merged, previous.kind, previous.context)
            else:
                self.entries.append(Block(found.title, tuple(body), self.source(lines, original), found.block, ""))
            return -1
        detail = " ".join(details)
        if found.followup and last_question is not None and last_question >= 0:
            previous_q = self.entries[last_question]
            assert isinstance(previous_q, Question)
            joined_detail = " ".join(filter(None, [previous_q.detail, original]))
            merged_lines = self.source([*previous_q.source.lines, *lines], previous_q.source.original)
            self.entries[last_question] = Question(previous_q.title, previous_q.answer + tuple(body), merged_lines, previous_q.context,
                                                   joined_detail, previous_q.label)
            index = last_question
        else:
            self.entries.append(Question(found.title, tuple(body), self.source(lines, original), context, detail, found.label))
            index = len(self.entries) - 1
        if subs:
            self.walk(subs, found.title)
        return index

    def material(self, nodes: list[Node], context: str, title: str) -> None:
        lines = [n for node in nodes for n in node.all_lines()]
        if all(n.kind == "line" for n in nodes):
            if sum(len(n.text) for n in nodes) / len(nodes) > 80 or (len(nodes) == 1 and len(nodes[0].text) > 60 and not nodes[0].children):
                body: tuple[Content, ...] = tuple(Paragraph(Text(n.text)) for n in nodes)
                self.entries.append(Block("", body, self.source(lines), "prose"))
            else:
                self.entries.append(Block("", (self.convert.items(nodes),), self.source(lines), "list"))
            return
        body = tuple(self.convert.nodes(nodes))
        kind = "section" if title else ("list" if all(n.kind == "item" for n in nodes) else "notes")
        self.entries.append(Block(title, body, self.source(lines), kind, context))

    def flatten(self, section: Node) -> tuple[list[Content], list[int]]:
        """A section's text with its sub-sections folded in as labels."""
        body: list[Content] = []
        lines: list[int] = []
        plain: list[Node] = []
        for child in section.children + [Node("section", "", ())]:
            if child.kind == "section":
                if plain:
                    body.extend(self.convert.nodes(plain))
                    plain = []
                if not child.text and not child.lines:
                    break
                body.append(Label(Text(child.text, markdown=True), max(child.level - section.level - 1, 0)))
                lines.extend(child.lines)
                more, more_lines = self.flatten(child)
                body.extend(more)
                lines.extend(more_lines)
            else:
                plain.append(child)
                lines.extend(child.all_lines())
        return body, lines


def _runs_with_questions(nodes: list[Node], anchors: list[bool]) -> list[bool]:
    """For each plain-text line: whether its run (lines with no blank line between) holds a question anchoring it."""
    out = [False] * len(nodes)
    start = 0
    for index in range(len(nodes) + 1):
        if index == len(nodes) or (index > start and nodes[index].blank_before):
            asks = any(anchors[start:index])
            for i in range(start, index):
                out[i] = asks
            start = index
    return out


def _certain(result: list[Found] | None) -> bool:
    """A clear question or a typed block: where an answer that runs on stops."""
    return bool(result) and any(f.certain for f in result or ())


def _asks(result: list[Found] | None) -> bool:
    """A decided result: a question (not material)."""
    return bool(result) and any(not f.block for f in result or ())


def _clear(result: list[Found] | None) -> bool:
    """A question whatever its neighbours (not a guess)."""
    return bool(result) and any(f.certain and not f.block for f in result or ())


def remove_dropped(node: Node, reason_of: Callable[[str], str | None], drop: Callable[[int, str], None]) -> None:
    """Paragraphs the config says to leave out (sign-offs, ads), removed from the tree and reported."""
    keep = []
    for child in node.children:
        reason = reason_of(child.text.split("\n", 1)[0]) if child.kind == "paragraph" else None
        if reason:
            for line in child.lines:
                drop(line, reason)
            continue
        remove_dropped(child, reason_of, drop)
        keep.append(child)
    node.children = keep

