"""The coverage page (sources/index.md): every note and what became of its lines, what was left out and
why, repairs and warnings, what landed in the inbox, and the terms that have no glossary entry."""

from __future__ import annotations

import posixpath

from ..model import Handbook, Links
from ..model.marks import MARKDOWN_HEADER
from ..model.names import SOURCES_DIR
from .layout import Locations
from .markdown import escape, escape_cell, front_matter, join


def coverage_page(handbook: Handbook, where: Locations, sources: dict[str, str], links: Links) -> str:
    out = [front_matter("Sources and coverage", "Every note, and what became of each of its lines."), MARKDOWN_HEADER, "",
           "# Sources and coverage", "",
           "Every non-blank line of every note is accounted for: it is on a page of the handbook, "
           "it headed the entries filed under it, or it was left out for the reason given below.", "",
           "| Note | Lines | On pages | Headings | Left out |", "|---|---:|---:|---:|---:|"]
    left_out = []
    for parsed in handbook.notes:
        nonblank = [n for n, line in enumerate(parsed.note.lines, start=1) if line.strip()]
        placed = sum(1 for n in nonblank if (parsed.note.name, n) in where)
        dropped = [d for d in parsed.drops if (parsed.note.name, d.line) not in where]
        page = posixpath.relpath(sources[parsed.note.name], SOURCES_DIR)
        out.append(f"| [{escape(parsed.note.name)}]({page}) | {len(nonblank)} | {placed} | {len(parsed.contexts)} | {len(dropped)} |")
        for drop in parsed.drops:
            left_out.append(f"| [{escape(drop.note)}:{drop.line}]({page}#L{drop.line}) | {escape(drop.reason)} | {escape_cell(drop.text)} |")
    out += ["", "## Left out", ""]
    if left_out:
        out += ["| Where | Why | Text |", "|---|---|---|", *left_out]
    else:
        out.append("Nothing was left out.")
    problems = [p for p in handbook.problems]
    out += ["", "## Repairs and warnings", ""]
    out += [f"- {escape(str(p))}" for p in problems] if problems else ["None."]
    inbox = [q.title for q in handbook.questions if q.placement and q.placement.topic == handbook.config.inbox]
    inbox += [b.title or f"{b.block.kind} notes" for b in handbook.blocks if b.placement.topic == handbook.config.inbox]
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
