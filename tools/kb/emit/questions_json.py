"""questions.json: every question with its answer (as Markdown), page URL, topic, section and sources;
the site's question list and the PDF export read it."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

from ..model import Links
from ..model.marks import GENERATED_MARK
from ..model.names import page_url
from .layout import Pages


def questions_json(pages: Pages, links: Links, answers: dict[str, str], answers_html: dict[str, str]) -> str:
    """answers: each answered question's answers as Markdown (answers.Answers.markdown); answers_html: as the
    site renders them, links from the site root; both by question id. Each record has `answer_html` and
    `tags`, its glossary terms, for the Anki deck."""
    records = []
    for topic, (questions, _) in pages.items():
        url = page_url(topic.path)
        section = topic.section or topic.title
        for question in questions:
            records.append({
                "id": question.id,
                "question": question.title,
                "answer": answers.get(question.id, ""),
                "answer_html": answers_html.get(question.id, ""),
                "tags": [t.name for t in links.terms.get(question.id, ())],
                "answered": any(q.answer for q in question.asked),
                "marks": sorted({q.label for q in question.asked if q.label}),
                "url": f"{url}#{question.id}",
                "topic": topic.title,
                "section": section,
                "sources": [{"note": q.source.note, "lines": [q.source.first, q.source.last], "original": q.source.original.strip()} for q in question.asked],
            })
    return indented_json({"generator": GENERATED_MARK, "questions": records}) + "\n"


def indented_json(value: object, indent: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, at several times its speed: with an indent, json
    encodes in Python, a generator per value; here strings (most values) are encoded by json's C function
    where they stand. indent: the line break and indent before the value's own lines."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = indent + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{encode_basestring(key)}: {encode_basestring(item) if type(item) is str else indented_json(item, inner)}"
                 for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = (encode_basestring(item) if type(item) is str else indented_json(item, inner) for item in value)
        return "[" + inner + ("," + inner).join(items) + indent + "]"
    if value is True or value is False or value is None:
        return "true" if value else "false" if value is False else "null"
    if type(value) is int:
        return int.__repr__(value)
    return json.dumps(value)  # other numbers, as json writes them (or its TypeError)
