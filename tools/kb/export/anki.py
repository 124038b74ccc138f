"""`kb anki`: the Anki deck (handbook.apkg) made from a built site's questions.json, with genanki.

One note per question; a deck per section with a subdeck per topic ("Interview Handbook::Section::Topic");
the answer as the site renders it (HTML from `kb normalize`, made from escaped note text), the source
note and line and the page URL on the card; the question's glossary terms and difficulty marks as tags.
Note GUIDs come from the question's stable id, and the model and deck ids are fixed, so importing a newer
deck updates the cards already in Anki instead of adding copies. The deck is made from the questions.json
of the site it goes into, so the public site's deck holds only the public questions.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from ..model.names import DECK_FILE, QUESTIONS_FILE

DECK_ROOT = "Interview Handbook"
MODEL_ID = 1_607_392_319
"""Fixed forever: Anki matches notes of a re-imported deck by GUID within the same note type."""
GUID_PREFIX = "kb-handbook"
FIELDS = ["Question", "Answer", "Topic", "Section", "Source", "URL", "Id"]
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: #222; background: #fff; }
.kb-meta { font-size: 13px; color: #555; }
.kb-none { font-style: italic; }
pre, code { font-family: ui-monospace, monospace; font-size: 15px; white-space: pre-wrap; }
.nightMode .card, .card.nightMode { color: #eee; background: #222; }
.nightMode .kb-meta { color: #bbb; }"""
FRONT = '<div class="kb-meta">{{Section}} · {{Topic}}</div>\n<h2>{{Question}}</h2>'
BACK = ('{{FrontSide}}\n<hr id="answer">\n{{Answer}}\n'
        '<p class="kb-meta">Asked in {{Source}} · {{URL}}</p>')
NO_ANSWER = '<p class="kb-none">The notes do not answer this yet: answer it aloud, then rate yourself.</p>'


@dataclass(frozen=True)
class Deck:
    path: Path
    notes: int
    decks: int


def _id(name: str) -> int:
    """A deck id that depends only on the deck's name (Anki wants a positive 63-bit number)."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:15], 16) + 1


def note_guid(question_id: str) -> str:
    """The GUID of a question's note: from its stable id, so a newer deck updates it in place."""
    return str(genanki.guid_for(GUID_PREFIX, question_id))


def _tag(text: str) -> str:
    """An Anki tag (no spaces)."""
    return re.sub(r"\s+", "_", text.strip()).replace('"', "")


def _text(value: str) -> str:
    """Plain text for an HTML field."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MODEL = genanki.Model(
    MODEL_ID,
    "Interview Handbook question",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
    css=CSS,
    sort_field_index=0,
)


def make_deck(site: Path, target: Path | None = None, base_url: str = "") -> Deck:
    """Write the deck for the site's questions.json to target (default: site/handbook.apkg)."""
    data: dict[str, Any] = json.loads((site / QUESTIONS_FILE).read_text(encoding="utf-8"))
    decks: dict[str, genanki.Deck] = {}
    count = 0
    for record in data["questions"]:
        name = "::".join([DECK_ROOT, record["section"]] + ([record["topic"]] if record["topic"] != record["section"] else []))
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = genanki.Deck(_id(name), name)
        source = record["sources"][0] if record["sources"] else None
        where = f"{source['note']}, line {source['lines'][0]}" if source else ""
        answer = record.get("answer_html") or ""
        tags = [_tag(t) for t in record.get("tags", [])] + [_tag(f"section::{record['section']}")]
        tags += [{"E": "easy", "M": "medium", "H": "hard"}.get(m, _tag(m)) for m in record.get("marks", [])]
        fields = [_text(record["question"]), answer or NO_ANSWER, _text(record["topic"]), _text(record["section"]), _text(where),
                  _text(base_url + record["url"]), record["id"]]
        deck.add_note(genanki.Note(model=MODEL, fields=fields, tags=sorted(set(tags)), guid=note_guid(record["id"])))
        count += 1
    out = target or site / DECK_FILE
    package = genanki.Package(sorted(decks.values(), key=lambda d: d.name))
    package.write_to_file(str(out))
    return Deck(out, count, len(decks))
