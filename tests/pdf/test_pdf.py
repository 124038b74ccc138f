"""`kb pdf` prints the built site as books; the PDFs are read back with pypdf and pdftotext."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from kb.export import pdf
from kb.export.pdf import export
from kb.model import Config

MM = 72 / 25.4  # PDF points per millimetre
RIGHT_MARGIN_MM = 17  # book.css @page


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    printed = export(built_site, date="2026-01-02")
    assert [p.file for p in printed][0] == "handbook.pdf"
    return built_site


@pytest.fixture(scope="module")
def book(site: Path) -> PdfReader:
    return PdfReader(site / "handbook.pdf")


@pytest.fixture(scope="module")
def text(site: Path) -> str:
    """The whole handbook's text, white space folded, so titles broken over lines still match."""
    return _fold(_pdftotext(site / "handbook.pdf"))


@pytest.fixture(scope="module")
def records(site: Path) -> list[dict]:
    return json.loads((site / "questions.json").read_text())["questions"]


@pytest.fixture(scope="module")
def outline(book: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based page) of every outline entry, in order."""
    return list(_walk(book, book.outline, 0))


def test_every_question_and_topic_title_is_printed(text: str, records: list[dict]):
    missing = [r["question"] for r in records if _fold(r["question"]) not in text]
    assert not missing, f"{len(missing)} questions missing from handbook.pdf: {missing[:5]}"
    topics = {r["topic"] for r in records}
    assert len(topics) > 20
    assert not [t for t in topics if t not in text]


def test_answers_from_collapsed_boxes_are_printed(text: str, records: list[dict]):
    answered = [r for r in records if r["answered"]]
    assert len(answered) >= 10
    for record in answered:
        plain = re.sub(r"[*_`#>\[\]]|\]\([^)]*\)", "", record["answer"])
        phrase = re.search(r"(?:\w{2,}[ ,]+){2}\w{2,}", plain) or re.search(r"\w{4,}", plain)  # a short answer: one word
        assert phrase, record["answer"]
        assert _fold(phrase.group()) in text, f"answer of {record['question']!r} not printed: {phrase.group()!r}"


def test_unanswered_questions_are_marked(text: str, records: list[dict]):
    unanswered = sum(1 for r in records if not r["answered"])
    assert text.count("No answer in the notes yet") == unanswered


def test_outline_is_section_topic_question(book: PdfReader, outline, records: list[dict], site: Path):
    sections = [title for depth, title, _ in outline if depth == 0]
    assert sections[:5] == ["Foundations", "Deep learning and NLP", "Large language models", "Engineering", "Career"]
    assert "Inbox" in sections
    topics = [title for depth, title, _ in outline if depth == 1]
    assert {"Statistics", "Time series", "RAG and vector search", "Docker and Kubernetes"} <= set(topics)
    titles = {_fold(title) for _, title, _ in outline}
    assert not [r["question"] for r in records if _fold(r["question"]) not in titles]
    pages = [page for _, _, page in outline]
    assert pages == sorted(pages)  # the outline follows the book


def test_contents_page_numbers_match_where_topics_start(site: Path, outline, config: Config):
    contents = _fold(_pdftotext(site / "handbook.pdf", first=2, last=2, layout=True))
    sections = {t.section for t in config.topics}  # the others are pages on their own (Inbox, Glossary)
    section = ""
    for depth, title, page in outline:
        section = title if depth == 0 else section
        if depth == 0 or (depth == 1 and section in sections):
            assert re.search(re.escape(title) + rf" {page + 1}\b", contents), f"contents: {title!r} should say page {page + 1}"


def test_cover_footer_and_metadata(site: Path, book: PdfReader, records: list[dict], outline):
    cover = _fold(_pdftotext(site / "handbook.pdf", first=1, last=1))
    answered = sum(1 for r in records if r["answered"])
    assert "Built on 2026-01-02" in cover
    assert f"Questions {len(records)}" in cover and f"Answered in the notes {answered}" in cover
    assert "Page 1 of" not in cover
    total = len(book.pages)
    depth, title, page = next(entry for entry in outline if entry[1] == "Time series")
    footer = _fold(_pdftotext(site / "handbook.pdf", first=page + 1, last=page + 1))
    assert f"Interview Handbook · Foundations Page {page + 1} of {total}" in footer
    assert book.metadata.title.startswith("Interview Handbook")


def test_links_stay_inside_the_pdf(book: PdfReader):
    named = book.named_destinations
    assert named and max(len(name.encode()) for name in named) <= 127  # the PDF spec's limit for names
    internal = 0
    for page in book.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link":
                continue
            action = link.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
                assert uri.startswith(("https://", "http://", "mailto:")), uri
                assert not re.match(r"https?://(127\.|localhost|\[::1\])", uri), uri
                continue
            destination = str(link.get("/Dest") or action.get("/D"))
            assert destination.lstrip("/") in {d.lstrip("/") for d in named}, f"link to a missing destination {destination}"
            internal += 1
    assert internal >= 30  # at least the contents' links to every section and topic
    assert not any("file://" in str(p.get("/Annots")) for p in book.pages)


def test_no_text_runs_past_the_right_margin(site: Path):
    bbox = subprocess.run(["pdftotext", "-bbox", str(site / "handbook.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    limit = width - RIGHT_MARGIN_MM * MM + 1
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    assert len(words) > 5000
    over = [(word, float(x_max)) for _, x_max, word in words if float(x_max) > limit]
    assert not over, f"{len(over)} words past the right margin ({limit:.0f}pt): {over[:5]}"


def test_fonts_are_embedded(book: PdfReader):
    fonts = {}
    for page in book.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                fonts[str(font["/BaseFont"])] = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts
    assert all(fonts.values()), [name for name, embedded in fonts.items() if not embedded]


def test_one_pdf_per_section_with_only_its_topics(site: Path):
    home = (site / "index.html").read_text()
    linked = re.findall(r'href="(pdf/[^"]+\.pdf)"', home)
    assert "handbook.pdf" in home and len(linked) == 5
    for relative in linked:
        assert (site / relative).is_file(), f"the home page links to {relative}, which kb pdf did not write"
    foundations = PdfReader(site / "pdf/foundations.pdf")
    topics = [title for depth, title, _ in _walk(foundations, foundations.outline, 0) if depth == 1]
    assert topics == ["Statistics", "Classical machine learning", "Time series"]
    text = _fold(_pdftotext(site / "pdf/foundations.pdf"))
    assert "Kurtosis vs skewness" in text and "Difference between LSTM and GRU" not in text


def test_without_chromium_the_command_says_how_to_get_it(tmp_path: Path, built_site: Path):
    env = {**os.environ, "KB_CHROMIUM": str(tmp_path / "no-chromium")}
    result = subprocess.run([sys.executable, "-m", "kb", "pdf", "--site", str(built_site)], env=env, capture_output=True, text=True)
    assert result.returncode == 0  # the rest of the build goes on
    assert "no PDF made" in result.stderr and "apt-get install chromium" in result.stderr


def test_without_a_built_site_the_command_says_so(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "kb", "pdf", "--site", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "build the site first" in result.stderr


# --- helper functions ----------------------------------------------------------------------


def _pdftotext(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    options = ["-f", str(first), "-l", str(last)] if first else []
    options += ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _walk(reader: PdfReader, items: list, depth: int):
    for item in items:
        if isinstance(item, list):
            yield from _walk(reader, item, depth + 1)
        else:
            assert isinstance(item, Destination)
            yield depth, str(item.title), reader.get_destination_page_number(item)


# --- the books are joined from sections printed once ----------------------------------------


def test_contents_numbers_are_where_each_section_and_topic_starts(site: Path, book: PdfReader, config: Config):
    """Read from the pages themselves (not the outline): page N, as the contents give it, starts with that section or topic."""
    contents = _pdftotext(site / "handbook.pdf", first=2, last=2, layout=True)
    lines = re.findall(r"^(\s*)(\S.*?)\s{2,}(\d+)$", contents, re.MULTILINE)
    sections = {t.section for t in config.topics}
    assert len(lines) > 25
    total = len(book.pages)
    for indent, title, number in lines:
        page = _fold(_pdftotext(site / "handbook.pdf", first=int(number), last=int(number)))
        assert _fold(title) in page[:200], f"contents: {title!r} on page {number}, which starts {page[:120]!r}"
        if not indent and title in sections:
            assert f"Interview Handbook · {title} Page {number} of {total}" in page
            before = _fold(_pdftotext(site / "handbook.pdf", first=int(number) - 1, last=int(number) - 1))
            assert f"· {title} Page" not in before  # the section starts there, not earlier


def test_links_across_sections_land_where_they_point(site: Path, book: PdfReader):
    """A link from one section to another is a link inside the handbook, to the page that holds what it names."""
    named = {name.lstrip("/"): book.get_destination_page_number(dest) for name, dest in book.named_destinations.items()}
    section_of = {n: _footer_section(site / "handbook.pdf", n) for n in range(len(book.pages))}
    checked = 0
    for number, page in enumerate(book.pages):
        if section_of[number] in (None, "Contents") or checked >= 40:
            continue
        words = None
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") != "/Link" or "/Dest" not in link:
                continue
            target = named[str(link["/Dest"]).lstrip("/")]
            if section_of[target] == section_of[number]:
                continue
            words = words if words is not None else _words(site / "handbook.pdf", number + 1)
            text = _text_in(words, [float(v) for v in link["/Rect"]], float(page.mediabox.height))
            first_word = re.match(r"\W*(\w{3,})", text)  # pdftotext's words may run past the link ("ARIMA-family")
            if not first_word:
                continue
            landed = _fold(_pdftotext(site / "handbook.pdf", first=target + 1, last=target + 1)).lower()
            where = f"page {number + 1}: the link {text!r} to {section_of[target]} lands on page {target + 1}"
            assert first_word.group(1).lower() in landed, f"{where}, which does not hold it"
            checked += 1
    assert checked >= 10


def test_a_sections_own_pdf_links_only_inside_itself(site: Path):
    reader = PdfReader(site / "pdf/foundations.pdf")
    named = {name.lstrip("/") for name in reader.named_destinations}
    links = [a.get_object() for p in reader.pages for a in p.get("/Annots") or []]
    internal = [str(link["/Dest"]).lstrip("/") for link in links if "/Dest" in link]
    assert len(internal) >= 4 and set(internal) <= named
    assert not [link for link in links if "kb.invalid" in str(link.get("/A"))]


def test_unchanged_sections_are_not_printed_again(built_site: Path, tmp_path: Path):
    """A second run reprints nothing; after one page changes, only its section is printed again, and the books that hold
    it are updated in place, the same to the byte as when they are made anew."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    first = export(copy, date="2026-01-02")
    assert not any(p.reused for p in first)
    cache = tmp_path / ".cache/kb/pdf/site"
    kept = {f.name: f.stat().st_mtime_ns for f in cache.iterdir()}
    assert len([name for name in kept if name.startswith("@") and name.endswith(".pdf")]) == len(first)  # every book, kept

    same_day = {**os.environ, "SOURCE_DATE_EPOCH": "1767312000"}  # 2026-01-02: the cover's date is part of a section's PDF
    result = subprocess.run([sys.executable, "-m", "kb", "pdf", "--site", str(copy)], env=same_day, capture_output=True, text=True, check=True)
    sections = len(first) - 1
    assert f"kb: reused {sections} of {sections} sections" in result.stdout
    assert {f.name: f.stat().st_mtime_ns for f in cache.iterdir()} == kept  # nothing printed, nothing written to the cache

    page = copy / "foundations/time-series.html"
    page.write_text(page.read_text().replace("</h1>", "</h1><p>Cache probe paragraph</p>", 1))
    third = {p.file: p for p in export(copy, date="2026-01-02")}
    assert [file for file, p in third.items() if file.startswith("pdf/") and not p.reused] == ["pdf/foundations.pdf"]
    assert "Cache probe paragraph" in _fold(_pdftotext(copy / "pdf/foundations.pdf"))
    assert "Cache probe paragraph" in _fold(_pdftotext(copy / "handbook.pdf"))
    assert "Cache probe paragraph" not in _fold(_pdftotext(copy / "pdf/engineering.pdf"))
    now = {f.name: f.stat().st_mtime_ns for f in cache.iterdir()}
    assert {name for name in kept if not name.startswith("foundations.")} <= now.keys()  # the other sections' prints are kept
    before, after = _part_prints(kept, "foundations"), _part_prints(now, "foundations")
    assert len(before - after) == 1 and len(after - before) == 1  # only the changed page's print is made again, the stale one is gone
    assert all(now[name] == kept[name] for name in before & after)  # the section's other pages are not printed again
    # the handbook and the section's PDF: each had the new print's pages copied in, and kept the others
    new_pages = [p.copied for p in third.values() if not p.reused]
    assert len(new_pages) == 2 and new_pages[0] == new_pages[1] and 0 < new_pages[0] < third["pdf/foundations.pdf"].pages / 2

    updated = {name: (copy / name).read_bytes() for name in ("handbook.pdf", "pdf/foundations.pdf")}
    records = [json.loads((cache / f"@{stem}.json").read_text()) for stem in ("handbook", "foundations")]
    for name in ("@handbook.pdf", "@handbook.json", "@foundations.pdf", "@foundations.json"):
        (cache / name).unlink()  # the two books made anew from the same prints
    anew = export(copy, date="2026-01-02")
    assert sum(p.copied for p in anew) == sum(r["pages"] - r["fronts"] for r in records)  # every page but the covers' and contents' copied this time
    assert {name: (copy / name).read_bytes() for name in updated} == updated

    (cache / "@handbook.pdf").write_bytes((cache / "@handbook.pdf").read_bytes()[:5000])  # a book cut short (a full disk)
    (cache / "@foundations.json").write_text("{")
    page.write_text(page.read_text().replace("Cache probe paragraph", "Cache probe paragraph again", 1))
    export(copy, date="2026-01-02")
    assert "Cache probe paragraph again" in _fold(_pdftotext(copy / "handbook.pdf"))
    assert "Cache probe paragraph again" in _fold(_pdftotext(copy / "pdf/foundations.pdf"))


def test_long_pages_are_printed_in_parts(built_site: Path, tmp_path: Path, outline, records: list[dict], monkeypatch: pytest.MonkeyPatch):
    """With a small enough limit, the topic pages are printed in several parts: the book reads the same."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    monkeypatch.setattr(pdf, "_SPLIT_BYTES", 6000)
    monkeypatch.setattr(pdf, "_PART_BYTES", 2000)
    export(copy, date="2026-01-02")
    names = {f.name: 0 for f in (tmp_path / ".cache/kb/pdf/site").iterdir()}
    parts, pages = _part_prints(names, "foundations"), len(list((copy / "foundations").glob("*.html")))
    assert len(parts) > 2 * pages  # its three topic pages are printed in many parts
    book = PdfReader(copy / "handbook.pdf")
    split_outline = list(_walk(book, book.outline, 0))
    assert [(depth, title) for depth, title, _ in split_outline] == [(depth, title) for depth, title, _ in outline]
    text = _fold(_pdftotext(copy / "handbook.pdf"))
    assert not [r["question"] for r in records if _fold(r["question"]) not in text]
    contents = _pdftotext(copy / "handbook.pdf", first=2, last=2, layout=True)
    lines = re.findall(r"^(\s*)(\S.*?)\s{2,}(\d+)$", contents, re.MULTILINE)
    assert len(lines) > 25
    for _, title, number in lines:
        page = _fold(_pdftotext(copy / "handbook.pdf", first=int(number), last=int(number)))
        assert _fold(title) in page[:200], f"contents: {title!r} on page {number}, which starts {page[:120]!r}"
    named = {name.lstrip("/") for name in book.named_destinations}
    links = [a.get_object() for p in book.pages for a in p.get("/Annots") or []]
    internal = [str(link["/Dest"]).lstrip("/") for link in links if "/Dest" in link]
    assert len(internal) >= 30 and set(internal) <= named
    assert not [link for link in links if "kb.invalid" in str(link.get("/A"))]


def _part_prints(names: dict[str, int], section: str) -> set[str]:
    """The section's parts' prints among the cache's file names (not its own PDF, nor footers)."""
    return {name for name in names if name.startswith(f"{section}.") and name.endswith(".pdf")}


def _footer_section(pdf: Path, index: int) -> str | None:
    """The section name in the footer of page index (0-based), None on the cover."""
    found = re.search(r"Interview Handbook · (.+?) Page \d+ of \d+", _fold(_pdftotext(pdf, first=index + 1, last=index + 1)))
    return found.group(1) if found else None


def _words(pdf: Path, number: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word on page number (1-based), y from the top."""
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, bbox)]


def _text_in(words: list[tuple[float, float, float, float, str]], rect: list[float], height: float) -> str:
    """The words whose centre lies inside a link's rectangle (PDF coordinates, y from the bottom)."""
    left, bottom, right, top = rect
    inside = [w for x0, y0, x1, y1, w in words if left <= (x0 + x1) / 2 <= right and height - top <= (y0 + y1) / 2 <= height - bottom]
    return " ".join(inside)


def test_a_question_with_a_long_answer_is_a_part_of_its_own(monkeypatch: pytest.MonkeyPatch):
    """A long page is cut before and after a question whose answer alone is a part's length, wherever the other cuts fall."""
    monkeypatch.setattr(pdf, "_SPLIT_BYTES", 2000)
    monkeypatch.setattr(pdf, "_PART_BYTES", 1000)
    questions = [(f"q{n}", 3000 if n in (3, 4, 9) else 200) for n in range(12)]
    body = "".join(f'<h3 id="{ident}">Q</h3><details class="success"><p>{"a" * size}</p></details>' for ident, size in questions)
    html = f'<html><body><article class="md-content__inner md-typeset"><div class="wrap"><h2 id="questions">Questions</h2>{body}</div></article></body></html>'
    parts = pdf._split(html)
    starts = [start for start, _ in parts]
    for long in ("q3", "q4", "q9"):
        following = f"q{int(long[1:]) + 1}"
        assert long in starts and following in starts, starts
        alone = parts[starts.index(long)][1]
        assert f'id="{long}"' in alone and 'id="q' not in alone.replace(f'id="{long}"', "")  # nothing else in its part
    assert "".join(re.sub(r"^<article[^>]*>(<div class=\"wrap\">)?|</article>$", "", p) for _, p in parts) in html


def test_a_print_is_let_go_once_its_pages_are_copied(tmp_path: Path):
    """Joining parses each print only while its pages are copied: no print stays in memory, and the book still saves."""
    cache = tmp_path / "cache"
    cache.mkdir()
    made = [cache / f"{n}.pdf" for n in range(2)]
    for n, path in enumerate(made):
        _one_page_pdf(path, f"BT /F1 12 Tf 72 720 Td (print {n}) Tj ET")
    out = pikepdf.new()
    kids = [page for path in made for page in pdf._copy(out, path)]
    gc.collect()
    assert [o for o in gc.get_objects() if isinstance(o, pikepdf.Pdf) and o is not out] == []
    for kid in kids:
        kid.Parent = out.Root.Pages
    out.Root.Pages.Kids = pikepdf.Array(kids)
    out.Root.Pages.Count = len(kids)
    out.save(tmp_path / "joined.pdf")
    with pikepdf.open(tmp_path / "joined.pdf") as joined:
        assert [p.Contents.read_bytes().decode() for p in joined.pages] == [f"BT /F1 12 Tf 72 720 Td (print {n}) Tj ET" for n in range(2)]


def _one_page_pdf(path: Path, content: str) -> None:
    with pikepdf.new() as doc:
        doc.add_blank_page()
        doc.pages[0].Contents = doc.make_stream(content.encode())
        doc.save(path)


def test_a_long_run_of_loose_notes_is_cut_where_a_note_starts(monkeypatch: pytest.MonkeyPatch):
    """A heading followed by many notes and no other heading is cut before the anchors where notes start, not inside a note."""
    monkeypatch.setattr(pdf, "_SPLIT_BYTES", 2000)
    monkeypatch.setattr(pdf, "_PART_BYTES", 1000)
    notes = "".join(f'<p><a aria-label="Notes, line {n}" href="" id="notes-{n}"></a></p><ul><li>{"word " * 40}</li></ul>' for n in range(60))
    boxed = '<details class="note"><p><a href="" id="inside"></a></p><p>boxed</p></details>'
    html = f'<html><body><article class="md-content__inner md-typeset"><h2 id="loose-notes">Loose notes</h2>{boxed}{notes}</article></body></html>'
    parts = pdf._split(html)
    assert len(parts) >= 4
    assert parts[0][0] is None and all(start is not None and start.startswith("notes-") for start, _ in parts[1:])
    for start, part in parts[1:]:
        assert part.startswith(f'<article class="md-content__inner md-typeset"><p><a aria-label="Notes, line {start[6:]}"')
    assert "".join(p.removeprefix('<article class="md-content__inner md-typeset">').removesuffix("</article>") for _, p in parts) in html
