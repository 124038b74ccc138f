"""questions.json: every question with its answer (as Markdown), page URL, topic, section and sources;
the site's question list and the PDF export read it."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

from ..model import Links, MergedQuestion, Topic
from ..model.marks import GENERATED_MARK
from ..model.names import page_url
from .answers import Answer

RECORD_INDENT = "\n  "
"""Where a record stands in questions.json: its line break and indent (inside the "questions" list)."""
RECORD_SEPARATOR = "," + RECORD_INDENT
"""What questions.json writes between two records."""


def questions_json(records: list[str]) -> str:
    """records: each question's `record`, in page order (or runs of them joined by RECORD_SEPARATOR). Joined once (the
    file is 15 MB at 100 copies of the notes: each concatenation would copy it)."""
    head = "{\n " + f"{encode_basestring('generator')}: {encode_basestring(GENERATED_MARK)},\n " + f"{encode_basestring('questions')}: "
    if not records:
        return head + "[]\n}\n"
    parts = [head, "[", RECORD_INDENT]
    for one in records:
        parts += (one, RECORD_SEPARATOR)
    parts[-1] = "\n ]\n}\n"
    return "".join(parts)


def record(topic: Topic, question: MergedQuestion, links: Links, answer: Answer | None) -> str:
    """A question's record in questions.json: the question with its answer as Markdown and as HTML (links from the
    site root), page URL, topic, section and sources; `tags`, its glossary terms, are for the Anki deck. As
    indented_json writes it where it stands (RECORD_INDENT)."""
    return indented_json({
        "id": question.id,
        "question": question.title,
        "answer": answer.markdown if answer else "",
        "answer_html": answer.rooted if answer else "",
        "tags": [t.name for t in links.terms.get(question.id, ())],
        "answered": any(q.answer for q in question.asked),
        "marks": sorted({q.label for q in question.asked if q.label}),
        "url": f"{page_url(topic.path)}#{question.id}",
        "topic": topic.title,
        "section": topic.section or topic.title,
        "sources": [{"note": q.source.note, "lines": [q.source.first, q.source.last], "original": q.source.original.strip()} for q in question.asked],
    }, RECORD_INDENT)


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
