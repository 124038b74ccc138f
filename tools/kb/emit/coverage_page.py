"""The coverage page (sources/index.md): every note and what became of its lines, what was left out and
why, repairs and warnings, what landed in the inbox, and the terms that have no glossary entry."""

from __future__ import annotations

import posixpath
from collections import Counter

from ..model import Handbook, Links, ParsedNote, Topic
from ..model.marks import MARKDOWN_HEADER
from ..model.names import SOURCES_DIR
from .layout import Locations
from .markdown import escape, front_matter, join

NoteCoverage = tuple[str, tuple[tuple[str, str, int], ...]]
"""A note's row of the coverage table, and for each reason lines of it were left out: (reason, the note's entry in
the list of that reason, how many lines)."""


def coverage_page(handbook: Handbook, notes: list[NoteCoverage], links: Links) -> str:
    """notes: each note's `note_coverage`, in order."""
    out = [front_matter("Sources and coverage", "Every note, and what became of each of its lines."), MARKDOWN_HEADER, "",
           "# Sources and coverage", "",
           "Every non-blank line of every note is accounted for: it is on a page of the handbook, "
           "it headed the entries filed under it, or it was left out for the reason given below.", "",
           "| Note | Lines | On pages | Headings | Left out |", "|---|---:|---:|---:|---:|"]
    by_reason: dict[str, list[str]] = {}
    counts: Counter[str] = Counter()
    for row, reasons in notes:
        out.append(row)
        for reason, entry, count in reasons:
            by_reason.setdefault(reason, []).append(entry)
            counts[reason] += count
    out += ["", "## Left out", ""]
    if by_reason:
        out += ["Each note's listing shows the lines left out, and why; by reason:", ""]
        out += [f"- **{escape(reason)}** ({counts[reason]} line{'s' * (counts[reason] != 1)}): " + "; ".join(entries)
                for reason, entries in by_reason.items()]
    else:
        out.append("Nothing was left out.")
    problems = [p for p in handbook.problems]
    out += ["", "## Repairs and warnings", ""]
    out += [f"- {escape(str(p))}" for p in problems] if problems else ["None."]
    at_inbox = _IsInbox(handbook.config.inbox)
    inbox = [q.title for q in handbook.questions if q.placement and at_inbox(q.placement.topic)]
    inbox += [b.title or f"{b.block.kind} notes" for b in handbook.blocks if at_inbox(b.placement.topic)]
    out += ["", "## Not filed under a topic", ""]
    out += [f"{len(inbox)} entries are on the [Inbox]({posixpath.relpath(handbook.config.inbox.path, SOURCES_DIR)}) page: "
            "add keywords to `config/topics.yml` to file them."] if inbox else ["Everything is filed under a topic."]
    out += ["", "## Terms without a glossary entry", ""]
    if links.missing:
        out += [f"{len(links.missing)} words of the notes look like terms but have no entry in `config/glossary.yml` "
                "(add them, or list them under `ignore`): " + ", ".join(f"`{m}`" for m in links.missing) + "."]
    else:
        out.append("Every term the notes use is in the glossary.")
    return join(out + [""])


class _IsInbox:
    """Whether a topic is the inbox, asked once per topic object (of which a handbook holds a few), not compared field by
    field for each of its entries."""

    def __init__(self, inbox: Topic) -> None:
        self.inbox = inbox
        self.known: dict[int, tuple[Topic, bool]] = {}

    def __call__(self, topic: Topic) -> bool:
        found = self.known.get(id(topic))
        if found is None or found[0] is not topic:
            found = self.known[id(topic)] = (topic, topic == self.inbox)
        return found[1]


def note_coverage(parsed: ParsedNote, where: Locations, sources: dict[str, str]) -> NoteCoverage:
    """A note's part of the coverage page."""
    nonblank = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip()]
    placed = sum(1 for n in nonblank if (parsed.note.name, n) in where)
    dropped = [d for d in parsed.drops if (parsed.note.name, d.line) not in where]
    page = posixpath.relpath(sources[parsed.note.name], SOURCES_DIR)
    row = f"| [{escape(parsed.note.name)}]({page}) | {len(nonblank)} | {placed} | {len(parsed.contexts)} | {len(dropped)} |"
    lines: dict[str, list[int]] = {}
    for drop in parsed.drops:
        lines.setdefault(drop.reason, []).append(drop.line)
    reasons = tuple((reason, f"[{escape(parsed.note.name)}]({page}#L{numbers[0]}) {_ranges(numbers)}", len(numbers)) for reason, numbers in lines.items())
    return row, reasons


def _ranges(numbers: list[int]) -> str:
    """Line numbers as "line 4" or "lines 4, 9–12" (consecutive lines as a range)."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)
    return f"line{'s' * (len(numbers) > 1)} {text}"
