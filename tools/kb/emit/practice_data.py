"""The Practice page (practice.md) and its data (assets/javascripts/practice-data.js): every question with
its answer as HTML, topic, section, tags and marks, for the flashcards of docs/assets/javascripts/practice.js.

The data is a script, not JSON, so the page works straight from disk (Chromium refuses to fetch a
local file). Answers are rendered here, at build time, from the same Markdown the topic page shows
(note text escaped by emit, so the HTML holds no markup from the notes), with the Markdown
extensions of mkdocs.yml; their links are made relative to the Practice page. Nothing here depends
on the site engine, so the page works the same under MkDocs or Zensical.
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import partial
from typing import Any

import markdown

from ..model import Handbook, Links
from ..model.marks import MARKDOWN_HEADER, SCRIPT_HEADER
from ..model.names import DECK_FILE, PRACTICE_DATA, PRACTICE_PAGE, PagePath, page_url
from .layout import Pages
from .markdown import front_matter, join
from .topic_page import DIFFICULTY, answer_markdown

EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.details", "pymdownx.superfences",
              "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys"]
"""The Markdown extensions of mkdocs.yml that answers can use (no toc: answers have no headings)."""
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def answers_html(handbook: Handbook, pages: Pages, sources: dict[str, str], links: Links) -> dict[str, str]:
    """Each answered question's answer as the site renders it, links relative to the site root."""
    renderer = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"pymdownx.highlight": {"anchor_linenums": True}})
    out: dict[str, str] = {}
    for topic, (questions, _) in pages.items():
        for question in questions:
            body = answer_markdown(topic, question, sources, links)
            if body:
                renderer.reset()
                html = renderer.convert("\n".join(body))
                out[question.id] = _URL_ATTRIBUTE.sub(partial(_rebase, topic.path), html)
    return out


def _rebase(page: str, match: re.Match[str]) -> str:
    return f'{match.group(1)}="{_from_root(page, match.group(2))}"'


def _from_root(page: str, url: str) -> str:
    """A link written on docs/page, as a link from a page at the top of the site (built .html URL)."""
    if not url or _SCHEME.match(url) or url.startswith("/"):
        return url
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    target = re.sub(r"\.md$", ".html", target)
    return target + (f"#{anchor}" if anchor else "")


def practice_data(handbook: Handbook, pages: Pages, links: Links, answers: dict[str, str]) -> str:
    """assets/javascripts/practice-data.js: `window.kbPracticeData = {...}` with a record per question."""
    cards: list[dict[str, Any]] = []
    sections: list[str] = []
    for topic, (questions, _) in pages.items():
        section = topic.section or topic.title
        if section not in sections:
            sections.append(section)
        for question in questions:
            marks = sorted({q.label for q in question.asked if q.label})
            first = question.asked[0].source
            cards.append({
                "id": question.id,
                "q": question.title,
                "a": answers.get(question.id, ""),
                "topic": topic.title,
                "topicSlug": topic.slug,
                "section": section,
                "tags": [term.name for term in links.terms.get(question.id, ())],
                "marks": [DIFFICULTY.get(m, m) for m in marks],
                "url": f"{page_url(topic.path)}#{question.id}",
                "source": f"{first.note}, line {first.first}",
            })
    data = {"deck": DECK_FILE, "sections": sections, "cards": cards}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("</", "<\\/")
    return f"{SCRIPT_HEADER}\nwindow.kbPracticeData = {text};\n"


def practice_page() -> str:
    """practice.md: the page the flashcards are drawn in (by practice.js; the data loads from PRACTICE_DATA)."""
    lines = [
        front_matter("Practice", "Flashcards with spaced repetition over every question of the handbook, and an interview drill."),
        MARKDOWN_HEADER,
        "",
        "# Practice",
        "",
        "Recall before you read: one question at a time, answer it (aloud is best), show the answer, and rate "
        "how well you knew it. Questions come back when you are about to forget them (FSRS spaced repetition). "
        "Your progress stays in this browser; export it to move it to another one.",
        "",
        f'<div id="kb-practice" class="kb-practice" data-src="{PRACTICE_DATA}" data-fsrs="assets/javascripts/ts-fsrs.umd.js" '
        f'data-deck="{DECK_FILE}" data-page="{page_url(PagePath(PRACTICE_PAGE))}">',
        '<p class="kb-practice-noscript">The flashcards need JavaScript. Every question and answer is also on the topic '
        'pages.</p>',
        "</div>",
        "",
        f'Prefer Anki? <a href="{DECK_FILE}">Download the Anki deck</a> (`{DECK_FILE}`, made by `kb anki`): one note per question, '
        "a deck per section with a subdeck per topic; importing a newer deck updates your cards instead of duplicating them.",
        "",
    ]
    return join(lines)
