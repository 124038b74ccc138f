"""The Practice page (practice.md) and its data (assets/javascripts/practice-data.js): every question with
its answer as HTML, topic, section, tags and marks, for the flashcards of docs/assets/javascripts/practice.js.

The data is a script, not JSON, so the page works straight from disk (Chromium refuses to fetch a
local file). Answers are the HTML the topic pages show (emit/answers.py), their links made relative to
the site root. Nothing here depends on the site engine, so the page works the same under MkDocs or Zensical.
"""

from __future__ import annotations

import json

from ..model import Links, MergedQuestion, Topic
from ..model.marks import MARKDOWN_HEADER, SCRIPT_HEADER
from ..model.names import DECK_FILE, PRACTICE_DATA, PRACTICE_PAGE, PagePath, page_url
from .answers import Answer
from .layout import Pages
from .markdown import front_matter, join
from .topic_page import DIFFICULTY

CARD_SEPARATOR = ","
"""What the Practice data writes between two cards."""


def practice_data(pages: Pages, cards: list[str]) -> str:
    """assets/javascripts/practice-data.js: `window.kbPracticeData = {...}` with a record per question (cards: each
    question's `card`, in page order, or runs of them joined by CARD_SEPARATOR)."""
    sections = list(dict.fromkeys(topic.section or topic.title for topic in pages))
    head = json.dumps({"deck": DECK_FILE, "sections": sections}, ensure_ascii=False, separators=(",", ":"))
    parts = [f"{SCRIPT_HEADER}\nwindow.kbPracticeData = ", script_safe(head[:-1]), ',"cards":[']
    for one in cards:
        parts += (one, CARD_SEPARATOR)
    if cards:
        parts.pop()
    parts.append("]};\n")
    return "".join(parts)  # joined once: the data is 8 MB at 100 copies of the notes


def script_safe(text: str) -> str:
    """JSON as it may stand in a script: no line or paragraph separators (which end a line of JavaScript before ES2019) and
    no "</" (which would end a script element), each written as a JSON escape."""
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("</", "<\\/")


def card(topic: Topic, question: MergedQuestion, links: Links, answer: Answer | None) -> str:
    """A question's record in the Practice data (JSON, `script_safe`): its answer as HTML (links from the site root),
    topic, section, tags, marks, page URL and first source."""
    marks = sorted({q.label for q in question.asked if q.label})
    first = question.asked[0].source
    return script_safe(json.dumps({
        "id": question.id,
        "q": question.title,
        "a": answer.rooted if answer else "",
        "topic": topic.title,
        "topicSlug": topic.slug,
        "section": topic.section or topic.title,
        "tags": [term.name for term in links.terms.get(question.id, ())],
        "marks": [DIFFICULTY.get(m, m) for m in marks],
        "url": f"{page_url(topic.path)}#{question.id}",
        "source": f"{first.note}, line {first.first}",
    }, ensure_ascii=False, separators=(",", ":")))


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
