"""A topic page: its questions (answer folded, sources, glossary terms, related questions), its blocks of
notes, and how it connects to other pages; the first mention of each term in an entry links to the glossary."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from ..model import Block, Links, MergedQuestion, PlacedBlock, Question, Term, Topic
from ..model.marks import MARKDOWN_HEADER
from ..model.names import GLOSSARY_PAGE, PRACTICE_PAGE
from ..terms import mentioned, term_pattern
from .markdown import anchor_html, attribute, content, escape, escape_html, front_matter, heading, join, link_html, page_href

PAGE_TAGS = 8
"""How many glossary terms a topic page carries as tags at most (the ones it mentions most)."""
UNANSWERED = "No answer in the notes yet"
"""The title of the box under a question the notes do not answer; search-results.js finds unanswered
questions by it (the Unanswered filter); tests/unit/test_search_script.py ties the two."""
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_PROTECTED = re.compile(r"(`+)[^`]*?\1|!?\[(?:\\.|[^\]\n])*\]\([^)\n]*\)|<a\s[^>\n]*>.*?</a>|<[^>\n]*>|&#?\w+;|\{[^}\n]*\}")
"""Inline Markdown that a term link must not go into: code spans, links (Markdown and our HTML ones),
autolinks and HTML, entities, attribute lists."""


def topic_page(topic: Topic, questions: list[MergedQuestion], blocks: list[PlacedBlock], links: Links, glossary: tuple[Term, ...],
               sections: dict[str, str]) -> str:
    """sections: the section of each entry of the page (question_section, block_section), by entry id."""
    tags = ((topic.section,) if topic.section else ()) + _page_tags(questions, blocks, links)
    out = [front_matter(topic.title, topic.description, tags=tags), MARKDOWN_HEADER, "", f"# {topic.title}", ""]
    if topic.description:
        out += _linked([escape(topic.description)], mentioned(topic.description, glossary), topic) + [""]
    answered = sum(1 for q in questions if q.answered)
    counts = []
    if questions:
        counts.append(f"{len(questions)} question{'s' * (len(questions) != 1)}, {answered} answered in the notes")
    if blocks:
        counts.append(f"{len(blocks)} block{'s' * (len(blocks) != 1)} of notes")
    if questions:
        counts.append(link_html(f"{page_href(topic, PRACTICE_PAGE)}?topic={topic.slug}", "Practise this page"))
    out += [_paragraph(" · ".join(counts), "kb-counts"), ""]
    if questions:
        out += ["## Questions", ""]
        out += [sections[question.id] for question in questions]
    titled = [b for b in blocks if b.title]
    loose = [b for b in blocks if not b.title]
    if titled or loose:
        out += ["## Notes", ""]
    out += [sections[block.id] for block in titled]
    if loose:
        out += ["### Loose notes { #loose-notes }", ""]
        out += [sections[block.id] for block in loose]
    out += _connections(topic, links)
    return join(out)


def question_section(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links, answer: str) -> str:
    """A question's section of its topic page (lines of Markdown and HTML); answer: its answer as HTML
    (answers.render_answer), or "" when the notes do not answer it."""
    return "\n".join(_question(topic, question, sources, links, answer))


def block_section(topic: Topic, block: PlacedBlock, sources: dict[str, str], links: Links) -> str:
    """A block's section of its topic page (a titled block under its heading, else among the loose notes)."""
    if block.title:
        out = [heading(3, escape(block.title), block.id), ""]
        out += _source_line(topic, [block.block], "From", sources)
        out += _term_chips(topic, links.terms[block.id])
        out += _linked(content(block.block.body), links.terms[block.id], topic) + [""]
    else:
        source = block.block.source
        out = [anchor_html(block.id, f"Notes from {source.note}, line {source.first}"), ""]
        out += _linked(content(block.block.body), links.terms[block.id], topic) + [""]
        out += _source_line(topic, [block.block], "From", sources)
    return "\n".join(out)


# --- helper functions ------------------------------------------------------------------------------
#
# What kb writes around the notes' text (source lines, term chips, answers, related questions, counts) is
# written as HTML blocks, which Python-Markdown stashes whole instead of parsing: the same HTML its
# Markdown rendered to, at a fraction of the build's time. Headings stay Markdown (the table of contents,
# anchors and permalinks come from them); the notes' own text stays Markdown, with term links as inline
# HTML. Links in HTML point at the built .html pages (MkDocs rewrites only Markdown links; `kb check-site`
# checks them all).


def _question(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links, answer: str) -> list[str]:
    out = [heading(3, escape(question.title), question.id), ""]
    labels = sorted({q.label for q in question.asked if q.label})
    if labels:
        marks = ", ".join(f"<strong>{escape_html(DIFFICULTY.get(label, label))}</strong>" for label in labels)
        out += [_paragraph(f"Marked: {marks}", "kb-context"), ""]
    details = sorted({q.detail for q in question.asked if q.detail})
    for detail in details:
        out += [_paragraph(f"<em>{escape_html(detail)}</em>"), ""]
    contexts = sorted({q.context for q in question.asked if q.context})
    if contexts:
        out += [_paragraph("Asked under: " + "; ".join(f"<em>{escape_html(_plain(c))}</em>" for c in contexts), "kb-context"), ""]
    out += _source_line(topic, question.asked, "Asked in", sources)
    out += _term_chips(topic, links.terms[question.id])
    if not any(q.answer for q in question.asked):
        out += [f'<div class="admonition warning">\n<p class="admonition-title">{UNANSWERED}</p>\n</div>', ""]
    else:
        out += [f'<details class="success">\n<summary>Answer</summary>\n{answer}\n</details>', ""]
    related = links.related.get(question.id, ())
    if related:
        see = " · ".join(link_html(f"{page_href(topic, q.placement.topic)}#{q.id}", escape_html(q.title)) for q in related if q.placement)
        out += [_paragraph(f"See also: {see}", "kb-related"), ""]
    return out


def answer_lines(question: MergedQuestion) -> list[tuple[Question, tuple[str, ...]]]:
    """The askings of a question that the notes answer, each with its answer as Markdown lines (made once
    for the topic page, the Practice data and questions.json)."""
    return [(asked, tuple(content(asked.answer))) for asked in question.asked if asked.answer]


def answer_markdown(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links,
                    answered: list[tuple[Question, tuple[str, ...]]] | None = None) -> list[str]:
    """The answer of a question as its topic page shows it (Markdown, links relative to the page), or
    nothing when the notes do not answer it. The Practice page shows the same answer. answered: the
    question's answer_lines, when the caller has them."""
    if answered is None:
        answered = answer_lines(question)
    same: dict[tuple[str, ...], list[Question]] = {}  # an answer given word for word in several places is shown once
    for asked, lines in answered:
        same.setdefault(lines, []).append(asked)
    body: list[str] = []
    for answer, askings in same.items():
        if len(answered) > 1:
            body += [f"**From {', '.join(_source_link(topic, asked, sources) for asked in askings)}:**", ""]
        body += [*answer, ""]
    return _linked(body, links.terms[question.id], topic) if body else []


DIFFICULTY = {"E": "easy", "M": "medium", "H": "hard"}
"""The difficulty marks notes give questions ([E], [M], [H])."""


def _paragraph(text: str, css_class: str = "") -> str:
    """A paragraph of HTML (text: HTML), as Markdown renders `text` followed by `{ .css_class }`."""
    return f'<p class="{css_class}">{text}</p>' if css_class else f"<p>{text}</p>"


def _term_link(here: Topic, term: Term, text: str) -> str:
    """A link to a term's glossary entry showing its definition on hover (inline HTML: text stays
    Markdown when the link is in a line of Markdown)."""
    return f'<a href="{page_href(here, GLOSSARY_PAGE)}#{term.slug}"{_title(term.definition)}>{text}</a>'


@lru_cache(maxsize=4096)
def _title(definition: str) -> str:
    """The title attribute link_html writes for a term's definition (the same for every link to the term)."""
    title = definition.replace('"', "'")
    return f' title="{attribute(title)}"' if title else ""


def _term_chips(here: Topic, terms: tuple[Term, ...]) -> list[str]:
    """The entry's tags: its glossary terms, each a link to its definition (shown on hover)."""
    if not terms:
        return []
    return [_paragraph(" ".join(_term_link(here, term, escape_html(term.name)) for term in terms), "kb-tags"), ""]


def _page_tags(questions: list[MergedQuestion], blocks: list[PlacedBlock], links: Links) -> tuple[str, ...]:
    counts: Counter[Term] = Counter()
    for entry_id in [q.id for q in questions] + [b.id for b in blocks]:
        counts.update(links.terms[entry_id])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].name.lower()))
    return tuple(term.name for term, _ in ranked[:PAGE_TAGS])


def _connections(topic: Topic, links: Links) -> list[str]:
    """The end of a topic page: related topics, and the entries elsewhere that mention its terms."""
    out: list[str] = []
    related = links.related_topics.get(topic.slug, ())
    if related:
        out += ["## Related topics { #related-topics }", ""]
        out += [_paragraph(" · ".join(link_html(page_href(topic, t), escape_html(t.title)) for t in related), "kb-related"), ""]
    mentions = links.mentioned_in.get(topic.slug, ())
    if mentions:
        out += ["## Mentioned in { #mentioned-in }", "", _paragraph("Entries on other pages that use this page's terms:"), ""]
        by_page: dict[Topic, list[str]] = defaultdict(list)
        for page, entry_id, title in mentions:
            by_page[page].append(link_html(f"{page_href(topic, page)}#{entry_id}", escape_html(_plain(title))))
        items = [f"<li>{link_html(page_href(topic, page), escape_html(page.title))}: {' · '.join(entries)}</li>" for page, entries in by_page.items()]
        out += ["<ul>\n" + "\n".join(items) + "\n</ul>", ""]
    return out


def _linked(lines: list[str], terms: tuple[Term, ...], here: Topic) -> list[str]:
    """Markdown lines with the first mention of each term linked to its glossary entry, never inside
    code, headings or links."""
    pending = [(term, term_pattern(term)) for term in terms]
    if not pending:
        return list(lines)
    mentions = _Mentions(lines, pending)
    out: list[str] = []
    fence = ""
    for line in lines:
        opener = _FENCE.match(line) if "`" in line or "~" in line else None
        if fence:
            fence = "" if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) else fence
            out.append(line)
        elif opener:
            fence = opener.group(1)
            out.append(line)
        elif not pending or line.lstrip().startswith("#"):
            out.append(line)
        else:
            out.append(_link_line(line, pending, mentions.terms(line, pending), here))
        mentions.skip(line)
    return out


class _Mentions:
    """Which pending terms each line mentions, line after line: found with one search per term and line that
    mentions it, over the lines joined by NUL characters (which no term's pattern takes in or stands next to
    otherwise than a line's ends), instead of a search per term and line."""

    def __init__(self, lines: list[str], pending: list[tuple[Term, re.Pattern[str]]]) -> None:
        self.text = "\0".join(lines)
        self.joined = self.text.count("\0") == len(lines) - 1 and not any("\0" in p.pattern for _, p in pending)
        """False when a line or a term holds a NUL itself: then each line is searched on its own."""
        self.start = 0
        """Where the current line starts in text."""
        self.next: dict[int, re.Match[str] | None] = {}
        """By term id: its first match from the start of the current line or an earlier one (None: no more)."""

    def terms(self, line: str, pending: list[tuple[Term, re.Pattern[str]]]) -> set[int]:
        """The ids of the pending terms the current line mentions."""
        if not self.joined:
            return {id(term) for term, pattern in pending if pattern.search(line)}
        found = set()
        end = self.start + len(line)
        for term, pattern in pending:
            match = self.next.get(id(term), _UNSEARCHED)
            if match is _UNSEARCHED or (match is not None and match.start() < self.start):
                match = self.next[id(term)] = pattern.search(self.text, self.start)
            if match is not None and match.start() < end:
                found.add(id(term))
        return found

    def skip(self, line: str) -> None:
        """Go on to the next line."""
        self.start += len(line) + 1


_UNSEARCHED = re.match("", "")
"""Stands for "not searched yet" in _Mentions.next (a match no search there returns)."""


def _link_line(line: str, pending: list[tuple[Term, re.Pattern[str]]], mentioned: set[int], here: Topic) -> str:
    """The line with the first mention of each pending term linked (those linked leave pending).

    mentioned: the ids of the pending terms a search of the whole line finds. Most lines mention none; a term
    that the whole line lacks is in none of its free pieces either (a protected piece starts and ends with
    characters a term's pattern may stand next to), so the pieces are searched only for those."""
    if not mentioned:
        return line
    out = []
    position = 0
    for protected in [*_PROTECTED.finditer(line), None]:
        end = protected.start() if protected else len(line)
        out.append(_link_free_text(line[position:end], pending, mentioned, here))
        if protected:
            out.append(protected.group(0))
            position = protected.end()
    return "".join(out)


def _link_free_text(text: str, pending: list[tuple[Term, re.Pattern[str]]], mentioned: set[int], here: Topic) -> str:
    """The text with the first mention of each pending term linked, earliest first (of two at one place,
    the one pending first). mentioned: the ids of the pending terms the whole line mentions. After a link,
    the rest of the text starts right after it, where a term the line does not mention may yet match (the
    line's character before it no longer precedes it): those are tried there only."""
    out = []
    rest = False
    while pending:
        found = []
        for index, (term, pattern) in enumerate(pending):
            if id(term) in mentioned:
                match = pattern.search(text)
            elif rest:
                match = pattern.match(text)
            else:
                continue
            if match:
                found.append((match.start(), index, match))
        if not found:
            break
        _, index, match = min(found, key=lambda f: (f[0], f[1]))
        term, _ = pending.pop(index)
        out.append(text[: match.start()] + _term_link(here, term, match.group(0)))
        text = text[match.end():]
        rest = True
    return "".join(out) + text


def _source_line(topic: Topic, entries: Sequence[Question] | Sequence[Block], verb: str, sources: dict[str, str]) -> list[str]:
    parts = []
    for entry in entries:
        link = _source_link(topic, entry, sources)
        written = _plain(entry.source.original).strip()
        if isinstance(entry, Question) and written:
            parts.append(f"{link} as “{escape_html(written)}”")
        else:
            parts.append(link)
    return [_paragraph(f"{verb} " + "; ".join(parts), "kb-source"), ""]


def _source_link(topic: Topic, entry: Question | Block, sources: dict[str, str]) -> str:
    """A link to the entry's first line in its note's listing (inline HTML: also used in Markdown lines)."""
    source = entry.source
    span = f"line {source.first}" if source.first == source.last else f"lines {source.first}–{source.last}"
    return link_html(f"{page_href(topic, sources[source.note])}#L{source.first}", f"{_note_label(source.note)}, {span}")


@lru_cache(maxsize=1 << 12)
def _note_label(note: str) -> str:
    return attribute(note)


def _plain(text: str) -> str:
    """Whitespace runs as one space, none at the ends (as re.sub(r"\\s+", " ", text).strip(): str.split and \\s
    know the same whitespace)."""
    return " ".join(text.split())
