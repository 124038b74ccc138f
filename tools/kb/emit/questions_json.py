"""questions.json: every question with its answer (as Markdown), page URL, topic, section and sources;
the site's question list and the PDF export read it."""

from __future__ import annotations

import json
import re

from ..model import Handbook, Links
from ..model.marks import GENERATED_MARK
from .layout import Pages
from .markdown import content


def questions_json(handbook: Handbook, pages: Pages, links: Links | None = None, answers_html: dict[str, str] | None = None) -> str:
    """With links and answers_html (by question id), each record also has `answer_html`, the answer as the
    site renders it, and `tags`, its glossary terms (the Anki deck reads both)."""
    records = []
    for topic, (questions, _) in pages.items():
        url = re.sub(r"\.md$", ".html", topic.path)
        for question in questions:
            answered = [q for q in question.asked if q.answer]
            answer = "\n\n".join("\n".join(content(q.answer)).strip() for q in answered)
            records.append({
                "id": question.id,
                "question": question.title,
                "answer": answer,
                **({"answer_html": answers_html.get(question.id, "")} if answers_html is not None else {}),
                **({"tags": [t.name for t in links.terms.get(question.id, ())]} if links is not None else {}),
                "answered": bool(answered),
                "marks": sorted({q.label for q in question.asked if q.label}),
                "url": f"{url}#{question.id}",
                "topic": topic.title,
                "section": topic.section or topic.title,
                "sources": [{"note": q.source.note, "lines": [q.source.first, q.source.last], "original": q.source.original.strip()} for q in question.asked],
            })
    return json.dumps({"generator": GENERATED_MARK, "questions": records}, ensure_ascii=False, indent=1) + "\n"
