"""Emit stage: the only module that knows Markdown. Handbook in, {docs path: file text} out.

Everything written here carries GENERATED_MARK, so the writer can tell generated files
(which it may replace or delete) from hand-written ones (which it never touches).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import Counter, defaultdict

from .model import (
    Block,
    Code,
    Content,
    Handbook,
    Item,
    ItemList,
    Label,
    Link,
    Links,
    MergedQuestion,
    Paragraph,
    ParsedNote,
    PlacedBlock,
    Question,
    Slug,
    Stats,
    Term,
    Text,
    Topic,
)
from .model.marks import GENERATED_MARK, MARKDOWN_HEADER, NAV_HEADER, STATS_END, STATS_START
from .model.names import QUESTIONS_FILE, SOURCES_DIR, note_pages
from .terms import mentioned, term_pattern

GLOSSARY_PAGE = "glossary.md"
TAGS_PAGE = "tags.md"
PAGE_TAGS = 8
"""How many glossary terms a topic page carries as tags at most (the ones it mentions most)."""


def emit(handbook: Handbook, links: Links) -> dict[str, str]:
    """Every generated file of docs/, by path relative to docs/."""
    sources: dict[str, str] = dict(note_pages(p.note.name for p in handbook.notes))
    pages = _pages(handbook)
    where = _locations(handbook, pages)
    files: dict[str, str] = {}
    for topic, (questions, blocks) in pages.items():
        files[topic.path] = _topic_page(topic, questions, blocks, sources, links, handbook.config.glossary)
    used = tuple(t for t in handbook.config.glossary if t.slug in links.uses)
    files[GLOSSARY_PAGE] = _glossary_page(used, links)  # always there: the home page links both
    files[TAGS_PAGE] = _tags_page()
    files.update(_nav_files(handbook, pages))
    for parsed in handbook.notes:
        files[sources[parsed.note.name]] = _source_page(parsed, where)
    files[f"{SOURCES_DIR}/index.md"] = _coverage_page(handbook, where, sources, links)
    files[QUESTIONS_FILE] = _questions_json(handbook, pages)
    return files


def stats(handbook: Handbook) -> Stats:
    pages = _pages(handbook)
    lines = sum(1 for p in handbook.notes for line in p.note.lines if line.strip())
    return Stats(
        topics=sum(1 for t in pages if t != handbook.config.inbox),
        questions=len(handbook.questions),
        answered=sum(1 for q in handbook.questions if q.answered),
        notes=len(handbook.notes),
        lines=lines,
        dropped=sum(len(p.drops) for p in handbook.notes),
        sections=tuple(dict.fromkeys((t.section, t.section_slug) for t in pages if t.section)),
    )


def stats_markdown(s: Stats) -> str:
    return (
        f"{STATS_START}\n"
        f"| Topics | Questions | Answered | Notes | Note lines accounted for |\n"
        f"|---:|---:|---:|---:|---:|\n"
        f"| {s.topics} | {s.questions} | {s.answered} ({s.answered_share}%) | {s.notes} | {s.lines} |\n"
        f"\n"
        f"**PDF** for reading offline and printing (made by `kb pdf`): "
        f'<a href="handbook.pdf">the whole handbook</a>'
        + "".join(f' · <a href="pdf/{folder}.pdf">{html.escape(title)}</a>' for title, folder in s.sections)
        + f"\n{STATS_END}"
    )


def splice_stats(page: str, s: Stats) -> str:
    """The hand-written home page with its stats table brought up to date (only between the markers)."""
    pattern = re.compile(re.escape(STATS_START) + ".*?" + re.escape(STATS_END), re.DOTALL)
    return pattern.sub(lambda _: stats_markdown(s), page, count=1)


# --- pages ------------------------------------------------------------------------------------


Pages = dict[Topic, tuple[list[MergedQuestion], list[PlacedBlock]]]


def _pages(handbook: Handbook) -> Pages:
    by_topic: dict[str, tuple[list[MergedQuestion], list[PlacedBlock]]] = defaultdict(lambda: ([], []))
    for question in handbook.questions:
        assert question.placement
        by_topic[question.placement.topic.slug][0].append(question)
    for block in handbook.blocks:
        by_topic[block.placement.topic.slug][1].append(block)
    for questions, _ in by_topic.values():
        questions.sort(key=lambda q: not q.answered)  # answered first; otherwise in note order (stable)
    ordered = [*handbook.config.topics, handbook.config.inbox]
    return {t: by_topic[t.slug] for t in ordered if t.slug in by_topic}


def _locations(handbook: Handbook, pages: Pages) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(note, line) -> (page path, anchor, what) for every line that made it into a page."""
    where: dict[tuple[str, int], tuple[str, str, str]] = {}
    for topic, (questions, blocks) in pages.items():
        for question in questions:
            for asked in question.asked:
                for line in asked.source.lines:
                    where[(asked.source.note, line)] = (topic.path, question.id, f"question “{question.title}”")
        for block in blocks:
            for line in block.block.source.lines:
                label = f"notes “{block.title}”" if block.title else f"{block.block.kind} notes"
                where[(block.block.source.note, line)] = (topic.path, block.id, label)
    return where


def _topic_page(topic: Topic, questions: list[MergedQuestion], blocks: list[PlacedBlock], sources: dict[str, str], links: Links,
                glossary: tuple[Term, ...]) -> str:
    tags = ((topic.section,) if topic.section else ()) + _page_tags(questions, blocks, links)
    out = [_front_matter(topic.title, topic.description, tags=tags), MARKDOWN_HEADER, "", f"# {topic.title}", ""]
    if topic.description:
        out += _linked([_escape(topic.description)], mentioned(topic.description, glossary), topic) + [""]
    answered = sum(1 for q in questions if q.answered)
    counts = []
    if questions:
        counts.append(f"{len(questions)} question{'s' * (len(questions) != 1)}, {answered} answered in the notes")
    if blocks:
        counts.append(f"{len(blocks)} block{'s' * (len(blocks) != 1)} of notes")
    out += [" · ".join(counts), "{ .kb-counts }", ""]
    if questions:
        out += ["## Questions", ""]
        for question in questions:
            out += _question(topic, question, sources, links)
    titled = [b for b in blocks if b.title]
    loose = [b for b in blocks if not b.title]
    if titled or loose:
        out += ["## Notes", ""]
    for block in titled:
        out += [_heading(3, _escape(block.title), block.id), ""]
        out += _source_line(topic, [block.block], "From", sources)
        out += _term_chips(topic, links.terms[block.id])
        out += _linked(_content(block.block.body), links.terms[block.id], topic) + [""]
    if loose:
        out += ["### Loose notes { #loose-notes }", ""]
        for block in loose:
            source = block.block.source
            out += [_anchor(block.id, f"Notes from {source.note}, line {source.first}"), ""]
            out += _linked(_content(block.block.body), links.terms[block.id], topic) + [""]
            out += _source_line(topic, [block.block], "From", sources)
    out += _connections(topic, links)
    return _join(out)


def _question(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links) -> list[str]:
    out = [_heading(3, _escape(question.title), question.id), ""]
    details = sorted({q.detail for q in question.asked if q.detail})
    for detail in details:
        out += [f"*{_escape(detail)}*", ""]
    contexts = sorted({q.context for q in question.asked if q.context})
    if contexts:
        out += ["Asked under: " + "; ".join(f"*{_escape(_plain(c))}*" for c in contexts), "{ .kb-context }", ""]
    out += _source_line(topic, question.asked, "Asked in", sources)
    out += _term_chips(topic, links.terms[question.id])
    answered = [q for q in question.asked if q.answer]
    if not answered:
        out += ['!!! warning "No answer in the notes yet"', ""]
    else:
        body: list[str] = []
        for asked in answered:
            if len(answered) > 1:
                body += [f"**From {_source_link(topic, asked, sources)}:**", ""]
            body += _content(asked.answer) + [""]
        out += ['??? success "Answer"', ""] + _indent(_linked(body, links.terms[question.id], topic)) + [""]
    related = links.related.get(question.id, ())
    if related:
        see = " · ".join(f"[{_escape(q.title)}]({_page_link(topic, q.placement.topic)}#{q.id})" for q in related if q.placement)
        out += [f"See also: {see}", "{ .kb-related }", ""]
    return out


# --- links between pages ----------------------------------------------------------------------


def _page_link(here: Topic, there: Topic | str) -> str:
    """The relative link from one page of docs/ to another (a topic, or a path inside docs/)."""
    path = there.path if isinstance(there, Topic) else there
    return posixpath.relpath(path, posixpath.dirname(here.path) or ".")


def _term_link(here: Topic, term: Term, text: str) -> str:
    title = term.definition.replace('"', "'")
    return f'[{text}]({_page_link(here, GLOSSARY_PAGE)}#{term.slug} "{_escape_plain(title)}")'


def _term_chips(here: Topic, terms: tuple[Term, ...]) -> list[str]:
    """The entry's tags: its glossary terms, each a link to its definition (shown on hover)."""
    if not terms:
        return []
    return [" ".join(_term_link(here, term, _escape(term.name)) for term in terms), "{ .kb-tags }", ""]


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
        out += [" · ".join(f"[{_escape(t.title)}]({_page_link(topic, t)})" for t in related), "{ .kb-related }", ""]
    mentions = links.mentioned_in.get(topic.slug, ())
    if mentions:
        out += ["## Mentioned in { #mentioned-in }", "", "Entries on other pages that use this page's terms:", ""]
        by_page: dict[Topic, list[str]] = defaultdict(list)
        for page, entry_id, title in mentions:
            by_page[page].append(f"[{_escape(_plain(title))}]({_page_link(topic, page)}#{entry_id})")
        out += [f"- [{_escape(page.title)}]({_page_link(topic, page)}): " + " · ".join(entries) for page, entries in by_page.items()]
        out += [""]
    return out


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_PROTECTED = re.compile(r"(`+)[^`]*?\1|!?\[(?:\\.|[^\]\n])*\]\([^)\n]*\)|<[^>\n]*>|&#?\w+;|\{[^}\n]*\}")
"""Inline Markdown that a term link must not go into: code spans, links, autolinks and HTML, entities,
attribute lists."""


def _linked(lines: list[str], terms: tuple[Term, ...], here: Topic) -> list[str]:
    """Markdown lines with the first mention of each term linked to its glossary entry, never inside
    code, headings or links."""
    pending = list(terms)
    out: list[str] = []
    fence = ""
    for line in lines:
        opener = _FENCE.match(line)
        if fence:
            fence = "" if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) else fence
            out.append(line)
        elif opener:
            fence = opener.group(1)
            out.append(line)
        elif not pending or line.lstrip().startswith("#"):
            out.append(line)
        else:
            out.append(_link_line(line, pending, here))
    return out


def _link_line(line: str, pending: list[Term], here: Topic) -> str:
    out = []
    position = 0
    for protected in [*_PROTECTED.finditer(line), None]:
        end = protected.start() if protected else len(line)
        out.append(_link_free_text(line[position:end], pending, here))
        if protected:
            out.append(protected.group(0))
            position = protected.end()
    return "".join(out)


def _link_free_text(text: str, pending: list[Term], here: Topic) -> str:
    out = []
    while pending:
        found = [(m.start(), i, m) for i, t in enumerate(pending) if (m := term_pattern(t).search(text))]
        if not found:
            break
        _, index, match = min(found, key=lambda f: (f[0], f[1]))
        term = pending.pop(index)
        out.append(text[: match.start()] + _term_link(here, term, match.group(0)))
        text = text[match.end():]
    return "".join(out) + text


def _source_line(topic: Topic, entries: list[Question] | list[Block], verb: str, sources: dict[str, str]) -> list[str]:
    parts = []
    for entry in entries:
        link = _source_link(topic, entry, sources)
        written = _plain(entry.source.original).strip()
        if isinstance(entry, Question) and written:
            parts.append(f"{link} as “{_escape(written)}”")
        else:
            parts.append(link)
    return [f"{verb} " + "; ".join(parts), "{ .kb-source }", ""]


def _source_link(topic: Topic, entry: Question | Block, sources: dict[str, str]) -> str:
    source = entry.source
    span = f"line {source.first}" if source.first == source.last else f"lines {source.first}–{source.last}"
    target = posixpath.relpath(sources[source.note], posixpath.dirname(topic.path) or ".")
    return f"[{_escape(source.note)}, {span}]({target}#L{source.first})"


def _nav_files(handbook: Handbook, pages: Pages) -> dict[str, str]:
    files: dict[str, str] = {}
    sections: dict[str, list[Topic]] = defaultdict(list)
    for topic in pages:
        sections[topic.section_slug].append(topic)
    root = ["index.md"]
    for section_slug, topics in sections.items():
        if topics[0] == handbook.config.inbox:
            root.append(topics[0].path)
            continue
        root.append(section_slug)
        nav = "\n".join(f"  - {posixpath.basename(t.path)}" for t in topics)
        files[f"{section_slug}/.pages"] = f"{NAV_HEADER}\ntitle: {json.dumps(topics[0].section)}\nnav:\n{nav}\n"
    root += [GLOSSARY_PAGE, TAGS_PAGE]
    root += ["...", SOURCES_DIR]
    files[".pages"] = f"{NAV_HEADER}\nnav:\n" + "".join(f"  - {entry}\n" for entry in root)
    files[f"{SOURCES_DIR}/.pages"] = f"{NAV_HEADER}\ntitle: Sources and coverage\nnav:\n  - index.md\n  - ...\n"
    return files


# --- glossary and tags ------------------------------------------------------------------------


def _glossary_page(glossary: tuple[Term, ...], links: Links) -> str:
    here = Topic(Slug("glossary"), "Glossary", "", Slug("glossary"), ())
    out = [_front_matter("Glossary", "The terms these notes use, each in one line, with the pages that explain and use it."),
           MARKDOWN_HEADER, "", "# Glossary", "",
           f"{len(glossary)} terms the notes use. Every page links the first mention of a term in each "
           "question or block of notes to its entry here; hover the link to read the definition. "
           "The definitions come from `config/glossary.yml`, not from the notes.", ""]
    for term in sorted(glossary, key=lambda t: t.name.lower()):
        out += [_heading(2, _escape(term.name), term.slug), "", _escape(term.definition), ""]
        if term.aliases:
            out += ["Also written: " + ", ".join(_escape(a) for a in term.aliases), "{ .kb-context }", ""]
        facts = []
        home = links.home.get(term.slug)
        if home:
            facts.append(f"Explained in [{_escape(home.title)}]({_page_link(here, home)})")
        others = [t for t in links.uses.get(term.slug, ()) if t != home]
        if others:
            facts.append("mentioned in " + ", ".join(f"[{_escape(t.title)}]({_page_link(here, t)})" for t in others))
        if facts:
            out += ["; ".join(facts), "{ .kb-source }", ""]
    return _join(out)


def _tags_page() -> str:
    return _join([
        _front_matter("Tags", "Topic pages by the glossary terms they mention most."), MARKDOWN_HEADER, "", "# Tags", "",
        "Each topic page is tagged with the glossary terms it mentions most; "
        "the [Glossary](glossary.md) defines them.", "",
        "<!-- material/tags -->", "",
    ])


# --- sources and coverage -------------------------------------------------------------------------


def _source_page(parsed: ParsedNote, where: dict[tuple[str, int], tuple[str, str, str]]) -> str:
    note = parsed.note
    drops = {d.line: d for d in parsed.drops}
    contexts = {c.line for c in parsed.contexts}
    out = [_front_matter(note.name, f"The note {note.name}, line by line, and where each line went.", search=False),
           MARKDOWN_HEADER, "", f"# {_escape(note.name)}", "",
           f"The note as written, line by line ({'Markdown' if note.markdown else 'plain text'}, "
           f"{len(note.lines)} lines). The last column says where each line went in the handbook, "
           "or why it was left out.", "",
           "| Line | Text | Where it went |", "|---:|---|---|"]
    for number, line in enumerate(note.lines, start=1):
        cell = _escape_cell(line)
        if not line.strip():
            target = ""
        elif (note.name, number) in where:
            page, anchor, label = where[(note.name, number)]
            target = f"[{_escape(label)}]({posixpath.relpath(page, SOURCES_DIR)}#{anchor})"
            if number in drops:
                target += f"; part left out: {_escape(drops[number].reason)} (“{_escape(drops[number].text)}”)"
        elif number in drops:
            target = f"left out: {_escape(drops[number].reason)}"
        elif number in contexts:
            target = "heading the entries below were filed under"
        else:  # pragma: no cover - the pipeline refuses to emit when a line is unaccounted for
            raise AssertionError(f"{note.name}:{number} is not accounted for")
        out.append(f"| [{number}](#L{number}){{ #L{number} }} | {cell} | {target} |")
    return _join(out + [""])


def _coverage_page(handbook: Handbook, where: dict[tuple[str, int], tuple[str, str, str]], sources: dict[str, str], links: Links) -> str:
    out = [_front_matter("Sources and coverage", "Every note, and what became of each of its lines."), MARKDOWN_HEADER, "",
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
        out.append(f"| [{_escape(parsed.note.name)}]({page}) | {len(nonblank)} | {placed} | {len(parsed.contexts)} | {len(dropped)} |")
        for drop in parsed.drops:
            left_out.append(f"| [{_escape(drop.note)}:{drop.line}]({page}#L{drop.line}) | {_escape(drop.reason)} | {_escape_cell(drop.text)} |")
    out += ["", "## Left out", ""]
    if left_out:
        out += ["| Where | Why | Text |", "|---|---|---|", *left_out]
    else:
        out.append("Nothing was left out.")
    problems = [p for p in handbook.problems]
    out += ["", "## Repairs and warnings", ""]
    out += [f"- {_escape(str(p))}" for p in problems] if problems else ["None."]
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
    return _join(out + [""])


def _questions_json(handbook: Handbook, pages: Pages) -> str:
    records = []
    for topic, (questions, _) in pages.items():
        url = re.sub(r"\.md$", ".html", topic.path)
        for question in questions:
            answered = [q for q in question.asked if q.answer]
            answer = "\n\n".join("\n".join(_content(q.answer)).strip() for q in answered)
            records.append({
                "id": question.id,
                "question": question.title,
                "answer": answer,
                "answered": bool(answered),
                "url": f"{url}#{question.id}",
                "topic": topic.title,
                "section": topic.section or topic.title,
                "sources": [{"note": q.source.note, "lines": [q.source.first, q.source.last], "original": q.source.original.strip()} for q in question.asked],
            })
    return json.dumps({"generator": GENERATED_MARK, "questions": records}, ensure_ascii=False, indent=1) + "\n"


# --- content --------------------------------------------------------------------------------------


def _content(pieces: tuple[Content, ...]) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if out:
            out.append("")
        if isinstance(piece, Paragraph):
            out += _text(piece.text).split("\n")
        elif isinstance(piece, Label):
            out.append(f"**{_text(piece.text)}**")
        elif isinstance(piece, ItemList):
            out += _list(piece)
        elif isinstance(piece, Code):
            fence = "`" * max(3, _longest_run(piece.text, "`") + 1)
            out += [f"{fence}{piece.language}", *piece.text.split("\n"), fence]
        elif isinstance(piece, Link):
            out.append(_url_link(piece.url))
    return out


def _list(items: ItemList) -> list[str]:
    out: list[str] = []
    for number, item in enumerate(items.items, start=items.start):
        marker = f"{number}. " if items.ordered else "- "
        head = _item_head(item)
        lines = head.split("\n") if head else [""]
        out.append(marker + lines[0])
        out += _indent(lines[1:])
        if item.children:
            children = _content(item.children)
            if any(not isinstance(c, ItemList) for c in item.children):
                out.append("")
            out += _indent(children)
    return out


def _item_head(item: Item) -> str:
    text = _text(item.text)
    if item.label:
        return f"**{_escape(item.label)}:** {text}".rstrip()
    return text if text else "&nbsp;"


def _text(text: Text) -> str:
    return _sanitize_markdown(text.value) if text.markdown else _escape(text.value)


_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")


def _escape(text: str) -> str:
    """Plain text as Markdown that renders exactly that text (URLs become links)."""
    out = []
    position = 0
    for match in _URL.finditer(text):
        out.append(_escape_plain(text[position:match.start()]))
        out.append(_url_link(match.group(0)))
        position = match.end()
    out.append(_escape_plain(text[position:]))
    return _escape_line_start(re.sub(r"^(\s*\d+)([.)])(?=\s)", r"\1\\\2", "".join(out)))


_SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_IGNORED_BY_BROWSERS = "".join(map(chr, range(0x21)))
"""Browsers strip C0 controls and spaces around a URL, and drop tabs and newlines inside it."""


def _safe_url(url: str) -> str | None:
    """The URL as a browser reads it (entities decoded, tabs and newlines dropped, outer spaces and
    controls stripped) if it is http, https, mailto or relative (one of our pages); else None."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip(_IGNORED_BY_BROWSERS)
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(0)[:-1].lower() not in _SAFE_SCHEMES:
        return None
    return url


def _url_markdown(url: str) -> str:
    """A safe URL as a Markdown link target: characters that could end it or start markup percent-encoded."""
    encoded = re.sub(r"[\x00-\x20<>\"'()\\`\x7f]", lambda m: f"%{ord(m.group(0)):02X}", url)
    return encoded.replace("&", "&amp;")  # Python-Markdown passes entities through to the href


def _url_link(url: str) -> str:
    """A URL from a note: a link showing the URL when it is safe, else the URL as plain text."""
    safe = _safe_url(url)
    return f"[{_escape_plain(url)}]({_url_markdown(safe)})" if safe else _escape_plain(url)


_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")
_BLOCK_START = re.compile(r"^(\s*)(#|[-+*](?=\s)|\d+(?=[.)]\s)|=+\s*$|-+\s*$|!!!|\?\?\?|///|\[TOC\])", re.IGNORECASE)


def _escape_plain(text: str) -> str:
    text = text.replace("\t", "    ").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\+(?=\+[\w-])", r"\\+", text)  # "++ctrl++" would be a key (pymdownx.keys); "C++" stays


def _escape_line_start(text: str) -> str:
    """Lines that would start a heading, list, admonition or rule start with an entity instead."""
    return "\n".join(_BLOCK_START.sub(_entity_first, line) for line in text.split("\n"))


def _entity_first(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():  # numbered lines are escaped by the caller ('1\\. ')
        return match.group(0)
    return f"{match.group(1)}&#{ord(marker[0])};{marker[1:]}"


_INLINE = re.compile(r"""
    (?P<link>!?\[(?P<text>[^\[\]\n]*)\]\(              # [text]( or ![alt](
        \s*(?P<url><[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)   # target, maybe <wrapped>, maybe (parens)
        (?:\s+(?P<title>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))?  # optional "title"
    \s*\))
    | (?P<autolink><https?://[^<>\s]*>)                # <https://...>
    | (?P<html><)                                      # raw HTML and comments
    | (?P<open>\]\()                                   # a link target the pattern above did not take
    | (?P<definition>\[(?=[^\[\]\n]*\]:))              # [ref]: url and *[abbr]: text definitions
    | (?P<attrs>[{}])                                  # { #id .class } attribute lists
    | (?P<key>\+(?=\+[\w-]))                           # ++ctrl++ keys
""", re.VERBOSE)


def _sanitize_markdown(text: str) -> str:
    """Inline Markdown from a Markdown note, with raw HTML, block syntax and unsafe links made harmless."""
    out = []
    for index, piece in enumerate(re.split(r"(`+[^`]*?`+)", text)):
        out.append(piece if index % 2 else _INLINE.sub(_sanitize_inline, piece))  # code spans are literal already
    return _escape_line_start("\n".join(line.rstrip() for line in "".join(out).split("\n")))


def _sanitize_inline(match: re.Match[str]) -> str:
    if match.group("link"):
        url = _safe_url(match.group("url").removeprefix("<").removesuffix(">"))
        if url is None:
            return _escape_plain(match.group(0))
        title = re.sub(r"\\(.)", r"\1", (match.group("title") or "")[1:-1])  # without quotes and backslash escapes
        title = f' "{html.escape(title)}"' if title else ""
        bang = "!" if match.group(0).startswith("!") else ""
        return f"{bang}[{_INLINE.sub(_sanitize_inline, match.group('text'))}]({_url_markdown(url)}{title})"
    if match.group("autolink"):
        return _url_link(match.group("autolink")[1:-1])
    return {"<": "&lt;", "](": "]\\(", "[": "\\[", "{": "\\{", "}": "\\}", "+": "\\+"}[match.group(0)]


def _escape_cell(line: str) -> str:
    """A note line inside a table cell: escaped, with its indentation kept visible."""
    expanded = line.replace("\t", "    ")
    indent = len(expanded) - len(expanded.lstrip(" "))
    body = _escape_plain(expanded.strip())  # escapes '|' already: escaping it again would end the cell
    return "&nbsp;" * indent + body


# --- helpers ---------------------------------------------------------------------------------------


def _front_matter(title: str, description: str, search: bool = True, tags: tuple[str, ...] = ()) -> str:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(description, ensure_ascii=False)}")
    if tags:
        lines += ["tags:", *(f"  - {json.dumps(tag, ensure_ascii=False)}" for tag in tags)]
    if not search:
        lines += ["search:", "  exclude: true"]
    return "\n".join(lines + ["---"])


def _heading(level: int, text: str, anchor: str) -> str:
    """A heading (text: Markdown) with its id. Python-Markdown reads a heading's text, attribute list
    included, for emphasis before it sets the id, so '{ #what-is-_init_ }' would lose its underscores
    (and an escaped '\\_' leaves a placeholder where MkDocs checks anchors): such ids are given in HTML."""
    if "_" in anchor:
        return f'<h{level} id="{anchor}" markdown="span">{text}</h{level}>'
    return f"{'#' * level} {text} {{ #{anchor} }}"


def _anchor(anchor: str, label: str) -> str:
    """An empty element with this id, labelled for screen readers (in HTML when '_' could make emphasis)."""
    if "_" in anchor + label:
        return f'<div id="{anchor}" aria-label="{html.escape(label)}" markdown="1"></div>'
    label = re.sub(r"[^\w .,:()-]", "", label)  # nothing that ends the value or makes markup
    return f'[](){{ #{anchor} aria-label="{label}" }}'


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _indent(lines: list[str]) -> list[str]:
    return [("    " + line) if line else "" for line in lines]


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def _join(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
