"""Stable question ids, the Practice page's data, and the Anki deck (`kb anki`) read back as SQLite."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

from kb.cli import main
from kb.export.anki import make_deck, note_guid
from kb.model.names import PRACTICE_DATA, PRACTICE_PAGE, PagePath, page_url, question_ids
from kb.pipeline import Build, build


def practice_cards(result: Build) -> list[dict]:
    text = result.files[PRACTICE_DATA]
    return json.loads(re.search(r"window\.kbPracticeData = (.*);\n$", text, re.DOTALL).group(1).replace("<\\/", "</"))["cards"]


def test_question_ids_do_not_depend_on_order():
    titles = ["What is LoRA?", "What is LoRA", "What is RAG?", "Questions"]
    forward = dict(zip(titles, question_ids(titles, {"questions"}), strict=True))
    backward = dict(zip(titles[::-1], question_ids(titles[::-1], {"questions"}), strict=True))
    assert forward == backward
    assert forward["What is RAG?"] == "what-is-rag"
    assert sorted([forward["What is LoRA?"], forward["What is LoRA"]])[0] == "what-is-lora"  # one keeps the bare slug
    assert re.fullmatch(r"what-is-lora-[0-9a-f]{6}", max(forward["What is LoRA?"], forward["What is LoRA"]))
    assert re.fullmatch(r"questions-[0-9a-f]{6}", forward["Questions"])  # a page heading's anchor is taken


def test_moving_a_question_to_another_note_keeps_its_id(config_texts: dict[str, str]):
    a = "# Notes\n\n- What is LoRA?\n- What is RAG?\n- How does attention work?\n"
    b = "# More\n\n- What is a vector database?\n"
    first = build([("a.md", a.encode()), ("b.md", b.encode())], config_texts)
    moved = build([("a.md", a.replace("- What is LoRA?\n", "").encode()), ("b.md", (b + "- What is LoRA?\n").encode())], config_texts)
    ids = {q.title: q.id for q in first.handbook.questions}
    assert len(ids) == 4 and ids == {q.title: q.id for q in moved.handbook.questions}


def test_practice_data_has_every_question_with_its_rendered_answer(corpus: Build):
    cards = practice_cards(corpus)
    records = json.loads(corpus.files["questions.json"])["questions"]
    assert [c["id"] for c in cards] == [r["id"] for r in records]
    assert len({c["id"] for c in cards}) == len(cards)
    answered = [c for c in cards if c["a"]]
    assert len(answered) == sum(r["answered"] for r in records)
    assert any("<li>" in c["a"] for c in answered) and any("<strong>" in c["a"] for c in answered)
    links = [href for c in answered for href in re.findall(r'href="([^"]+)"', c["a"])]
    assert links and not [h for h in links if h.startswith("../") or ".md" in h]  # relative to the Practice page, built URLs
    assert f'href="../{page_url(PagePath(PRACTICE_PAGE))}?topic=statistics"' in corpus.files["foundations/statistics.md"]
    assert 'id="kb-practice"' in corpus.files[PRACTICE_PAGE]


def test_practice_data_never_carries_markup_from_the_notes(config_texts: dict[str, str]):
    note = "Q: What does the attacker want?\nA: <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))\n"
    result = build([("evil.txt", note.encode())], config_texts)
    text = result.files[PRACTICE_DATA]
    answer = practice_cards(result)[0]["a"]
    assert "alert(1)" in answer and "<script" not in answer.lower() and "<img" not in answer.lower()
    assert "javascript:" not in re.sub(r"&[a-z]+;", "", "".join(re.findall(r'href="([^"]*)"', answer)))
    assert "</script" not in text.lower()


def test_practice_data_is_safe_in_a_script_and_reads_back_as_the_cards(config_texts: dict[str, str]):
    note = "Q: What ends a line\u2028of JavaScript?\nA: The separators \u2028 and \u2029, and `</script>` a script.\n\nQ: And this?\nA: Nothing.\n"
    result = build([("script.txt", note.encode())], config_texts)
    text = result.files[PRACTICE_DATA]
    assert "</" not in text and "\u2028" not in text and "\u2029" not in text
    cards = json.loads(re.search(r"window\.kbPracticeData = (.*);\n$", text, re.DOTALL).group(1))["cards"]  # JSON escapes, as JavaScript reads them
    assert len(cards) == 2 and all("</p>" in card["a"] for card in cards) and "&lt;/script&gt;" in cards[0]["a"]


def _notes(apkg: Path) -> dict[str, tuple[str, str]]:
    """GUID -> (fields, tags) of every note in an .apkg."""
    with zipfile.ZipFile(apkg) as z:
        assert "collection.anki2" in z.namelist()
        db = apkg.with_suffix(".anki2")
        db.write_bytes(z.read("collection.anki2"))
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select guid, flds, tags from notes").fetchall()
        decks = json.loads(connection.execute("select decks from col").fetchone()[0])
    assert any("::" in d["name"] for d in decks.values())  # a deck per section, subdecks per topic
    return {guid: (fields, tags) for guid, fields, tags in rows}


def test_anki_deck_one_note_per_question_stable_guids_updates_in_place(corpus: Build, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "questions.json").write_text(corpus.files["questions.json"], encoding="utf-8")
    assert main(["anki", "--site", str(site)]) == 0
    records = json.loads(corpus.files["questions.json"])["questions"]
    first = _notes(site / "handbook.apkg")
    assert len(first) == len(records)
    assert set(first) == {note_guid(r["id"]) for r in records}
    answered = next(r for r in records if r["answered"])
    fields = first[note_guid(answered["id"])][0].split("\x1f")
    assert fields[0] == answered["question"] and fields[1] == answered["answer_html"] and fields[6] == answered["id"]
    assert answered["url"] in fields[5] and answered["sources"][0]["note"] in fields[4]

    data = json.loads(corpus.files["questions.json"])
    data["questions"][records.index(answered)]["answer_html"] = "<p>A better answer</p>"
    (site / "questions.json").write_text(json.dumps(data), encoding="utf-8")
    second = _notes(make_deck(site, tmp_path / "again.apkg").path)
    assert set(second) == set(first)  # same GUIDs: Anki updates the notes instead of adding copies
    assert second[note_guid(answered["id"])][0].split("\x1f")[1] == "<p>A better answer</p>"


def test_public_deck_has_no_private_question(config_texts: dict[str, str], corpus: Build, tmp_path: Path):
    from kb import files
    from tests.conftest import ROOT

    notes, _ = files.read_notes(ROOT / "notes")
    public = build(notes, config_texts, public=True)
    site = tmp_path / "public-site"
    site.mkdir()
    (site / "questions.json").write_text(public.files["questions.json"], encoding="utf-8")
    deck = make_deck(site)
    private = {q.id for q in corpus.handbook.questions if q.placement and q.placement.topic.private}
    assert private and deck.notes == len(json.loads(public.files["questions.json"])["questions"])
    assert not {note_guid(i) for i in private} & set(_notes(deck.path))
    assert not {c["id"] for c in practice_cards(public)} & private
