"""PDF stage: print the built site as books, whole and one file per section, with Chromium.

Chromium (through Playwright) prints what the site shows, with Material's own styles. Each
section is printed once, in parts, each part on its own (print/book.js lays out its pages with
answers open and lists their headings); the books are then joined from those prints with pikepdf
(qpdf), which copies the printed pages without parsing them in Python:
- a part is one page of the section, or, for a page longer than _SPLIT_BYTES, a run of its
  questions (cut before top-level headings, or the anchors where loose notes start, where a content
  hash says so once the run is long enough; a question with a long answer is a part of its own):
  Chromium's layout time grows faster than a print's length, and an edit reprints only the part it
  is in; the parts are printed side by side by _WORKERS browsers;
- a section's PDF is its cover and contents, then its printed parts; the handbook is its cover
  and contents, then every section's printed parts, so no page is printed twice;
- every place has the same destination name in every print (a hash of page and id, made by
  book.js), so a link to another part, printed as https://kb.invalid/<name>, becomes a link
  inside the book (in a section's own PDF a link out of the section is left as text without a link);
- the bookmarks are made from the headings, at their destinations, nested by heading level;
- each book's cover and contents are printed once its sections are, for it alone (a print shares
  its fonts among what it holds): their page numbers are known from the destinations where
  sections and topics start, and fill slots of fixed width (a first print counts the pages the
  contents take, a second one has the numbers);
- the footers (book and section, page number) are drawn from pieces printed on blank pages: the
  left halves (one per section) and the words and digits of the page numbers, placed from their
  widths as Chromium measures them; each is laid over its page as forms, without rewriting the
  page's own content.
The prints are kept in a cache next to the site (.cache/kb/pdf/<site folder>/), under a hash of
everything each is made from: a part's HTML, the site's stylesheets, book.js, book.css, this
module and the browser's version. A print whose hash did not change is not made again, and prints
no longer used are deleted. Each book is kept there too (@<name>.pdf), with a record of the prints
it holds: a book none of whose prints changed is not made again, and one whose prints did is
updated in place (see _join), the pages of its other prints kept. The books are joined side by side
in other processes (see _Joiners), the handbook's starting before the changed parts are printed.
Each book is written as it is made, and each print is parsed only while its pages are copied into
a book (see _copy): what a book's join holds is the copies of its pages' objects, about 120 kB a
page for Chromium's prints in qpdf's memory (each number and name of a PDF is an object of its own
there), so about 700 MB for the 5,600-page handbook of a hundred times our notes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import queue
import re
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from html import escape, unescape
from importlib import resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias, TypedDict, TypeVar
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf
from playwright.sync_api import Browser, Page

from .. import files
from ..model.names import QUESTIONS_FILE, make_slug
from .browser import chromium

WHOLE_BOOK = "handbook.pdf"
SECTION_DIR = "pdf"
CACHE_DIR = ".cache/kb/pdf"
"""Where the sections' prints are kept, in the folder that holds the site (under the site's folder name)."""
LEFT_OUT = ("index.html", "tags.html", "sources/")
"""Pages not printed: the home page (the cover replaces it), the tags index (the contents and
glossary do its work on paper) and the line-by-line source listings."""
ELSEWHERE = "https://kb.invalid/"
"""How book.js prints a link to a place outside the print: this, the place's name, ?, its page's name."""

_PAGE_HEIGHT_PX = (297 - 18 - 22) / 25.4 * 96  # A4 less the @page margins of book.css, in CSS px
_PAGE_WIDTH_PX = (210 - 17 - 17) / 25.4 * 96
"""The print area: the page is laid out at this width, so boxes are measured as they will print."""
_ASSETS = ("print/book.js", "print/book.css", "pdf.py")
"""What the prints are made with, besides the site: part of every section's cache key."""


class _PrintOptions(TypedDict):
    """The arguments of Playwright's Page.pdf that print the book."""

    format: str
    print_background: bool
    prefer_css_page_size: bool


_PRINT: _PrintOptions = {"format": "A4", "print_background": True, "prefer_css_page_size": True}
"""Untagged and without Chromium's outline (a tagged print takes twice the time): the bookmarks
are made here, from the headings book.js lists and where their destinations are."""
_READ_NAV = """() => {
  const items = document.querySelector("nav.md-nav--primary > ul.md-nav__list").children;
  const text = (node) => node.textContent.trim().replace(/\\s+/g, " ");
  return Array.from(items).map((item) => {
    const nested = item.querySelector(":scope > nav.md-nav:not(.md-nav--secondary)");
    if (!nested) {
      const link = item.querySelector(":scope > a.md-nav__link");
      return { title: text(link), pages: [{ title: text(link), url: link.getAttribute("href") }], isPage: true };
    }
    const links = nested.querySelectorAll(":scope > ul > li > a.md-nav__link[href]");
    return { title: text(nested.querySelector(":scope > label.md-nav__title")),
             pages: Array.from(links, (a) => ({ title: text(a), url: a.getAttribute("href") })), isPage: false };
  });
}"""
_SITE_NAME = "() => document.querySelector('.md-header__topic .md-ellipsis').textContent.trim()"
_SITE_DESCRIPTION = "() => (document.querySelector('meta[name=description]') || {content: ''}).content"
_STYLESHEETS = "() => Array.from(document.querySelectorAll('link[rel=stylesheet]'), (l) => l.getAttribute('href'))"
_FOOTER_STYLE = (
    "@page{size:A4;margin:0}body{margin:0;font:8.5pt/1.2 -apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif;color:#555}"
    ".sheet{height:290mm;position:relative;break-after:page}"
    ".foot{position:absolute;left:17mm;right:17mm;top:281mm;display:flex;justify-content:space-between;"
    "border-top:0.5pt solid #bbb;padding-top:1.5mm}"
    ".bare{border-top-color:transparent}.piece{white-space:pre}"
)
_NUMBER_PIECES = ("Page ", " of ", *"0123456789")
"""What the right half of every footer (Page 12 of 340) is drawn from."""
_MEASURE = "() => Array.from(document.querySelectorAll('.piece'), (s) => s.getBoundingClientRect().width)"
_PT_PER_PX = 0.75
_FOOTER_EDGES = (17 / 25.4 * 72, (210 - 17) / 25.4 * 72)
"""Where _FOOTER_STYLE's footer starts and ends on the A4 page, in PDF points."""
_SPLIT_BYTES = 200_000
"""A page whose article is longer than this (none of the five notes' pages is a tenth of it) is printed in parts."""
_PART_BYTES = 100_000
"""A part of a long page runs this long at least, then ends before the next top-level heading whose id's hash is a
multiple of 4: an edit moves the ends of its own part at most, as the next cut does not depend on where the last one fell.
A heading whose run (to the next heading) is this long or longer starts a part and the heading after it another."""
_WORKERS = max(1, min(2, os.cpu_count() or 1))
"""Browsers printing side by side."""
_JOINERS = max(1, min(2, os.cpu_count() or 1))
"""Processes joining books side by side."""
_JOIN_TIMEOUT = 1800
"""Seconds to wait for a book to be joined before giving up (at 100x the handbook takes 30 s at most)."""
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">')
_CONTAINERS = "div|details|blockquote|ul|ol|dl|table|section|nav|figure|aside"
_CUTS = re.compile(rf'<(?P<open>{_CONTAINERS})\b[^>]*>|</(?P<close>{_CONTAINERS})>|<h[2-4] id="(?P<id>[^"]+)"|<p><a [^>]*\bid="(?P<anchor>[^"]+)"')
"""The containers that may hold a heading, and the headings a long page may be cut before: those in the same containers
as its first one (the page's own wrappers, not a box in it); and the anchors there that start a paragraph (where each
loose note starts), which cut a long run between two headings."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class NavPage:
    title: str
    url: str
    """Path of the built page relative to the site root, as the navigation links it."""

    @property
    def rel(self) -> str:
        """The path without URL escapes: the page's file under the site, and its name in book.js."""
        return unquote(self.url)


@dataclass(frozen=True, slots=True)
class NavSection:
    title: str
    pages: tuple[NavPage, ...]
    is_page: bool
    """A page at the top of the navigation, printed as a section of its own."""

    @property
    def name(self) -> str:
        """File name stem of the section's PDF: its folder in the site (`foundations`), or the page's stem (`inbox`)."""
        first = self.pages[0].url
        return first.split("/")[0] if "/" in first else make_slug(first.removesuffix(".html"))


@dataclass(frozen=True, slots=True)
class Book:
    file: str
    """Path of the PDF relative to the site root."""
    title: str
    subtitle: str
    sections: tuple[NavSection, ...]


@dataclass(frozen=True, slots=True)
class Printed:
    file: str
    pages: int
    size: int
    reused: bool = False
    """A section's PDF taken from the cache: none of what it is made from changed since it was printed."""
    copied: int = 0
    """Pages copied in from the parts' prints: all but the cover's and contents' of a book made anew, only those of its
    new prints (or of prints whose links go elsewhere now) of a book updated in place, none of one reused."""


class _Heading(TypedDict):
    level: int
    title: str
    name: str
    """Its destination name in the print."""


class _Layout(TypedDict):
    """What book.js's body() tells of the section it laid out."""

    headings: list[_Heading]
    starts: list[str]
    """Destination names where the section and each of its topics start (the contents lines)."""



_Place: TypeAlias = tuple[int, list[Any]]
"""A destination in a print: its 0-based page, and the rest of its array (/XYZ left top zoom) as plain values (a name as
its string, "/XYZ"), so it goes as it is into a print's JSON and to the processes that join the books."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A part of a section, printed on its own: one page, or a run of a long page's questions."""

    section: NavSection
    page: NavPage
    html: str
    """The page's HTML, or the part of its article this part holds, in an <article> element."""
    start: str | None
    """The id of the top-level heading, or of the anchor where a loose note starts, the part starts at; None: it starts the page."""
    whole: bool
    first: bool
    """The part starts the section (the section's title is printed above it)."""
    key: str

    @property
    def name(self) -> str:
        return f"{self.section.name}/{self.page.rel}#{self.start or ''}"


@dataclass(frozen=True, slots=True)
class _Print:
    """A chunk printed: its PDF (a file in the cache), what book.js told of its layout, and the PDF's destinations
    and page count (kept with the layout, so a print from the cache is not parsed until it is joined)."""

    key: str
    path: Path
    layout: _Layout
    places: dict[str, _Place]
    pages: int
    wants: frozenset[str]
    """The destination names its links to places outside it go to (or fall back to): whether each is in the book decides
    where the link goes, or whether it is dropped."""


@dataclass(slots=True)
class _Part:
    """One section as printed on its own (no cover, contents or footers): its prints' files, parsed for each book it goes in."""

    section: NavSection
    prints: list[_Print]
    """The section's prints, in order: each one's file is parsed while a book is joined, and let go once its pages are
    copied (see _copy)."""
    places: dict[str, _Place]
    """Every named destination of the section's prints, its page counted from the section's first page."""
    pages: int


@dataclass(frozen=True, slots=True)
class _Last:
    """A book as it was last made: its file in the cache, and its record (see _join)."""

    path: Path
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Wanted:
    """A book to make: from its parts, written to target (in the cache), updated from its last version when there is one."""

    book: Book
    parts: list[_Part]
    key: str
    """Hash of everything the book is made from: its prints' keys, its cover's date and counts, its title."""
    target: Path
    last: _Last | None


@dataclass(frozen=True, slots=True)
class _Site:
    """What every print of one run shares."""

    root: Path
    stylesheets: tuple[str, ...]
    records: tuple[tuple[str, bool], ...]
    """Each question's page (its URL without the anchor) and whether the notes answer it: the covers' counts."""
    date: str
    fingerprint: str
    """Hash of everything the prints are made with besides the pages: see _ASSETS."""


def export(site: Path, date: str | None = None) -> list[Printed]:
    """Print handbook.pdf and one PDF per section into the built site; what was written, the handbook first.

    The books are joined in spawned processes (see _Joiners), which import the caller's main module: a script that
    calls this guards its top level with `if __name__ == "__main__":`."""
    date = date or _build_date()
    questions = files.read_text_if_file(site / QUESTIONS_FILE)
    # only what the covers count: all of it (answers and all) would be 60 MB more at 100x while the books are joined
    records = tuple((r["url"].split("#")[0], bool(r["answered"])) for r in json.loads(questions)["questions"]) if questions is not None else ()
    del questions
    cache = site.parent / CACHE_DIR / site.name
    used: set[str] = set()
    with _Joiners() as joiners, chromium() as browser:  # the joiners start (import kb) while Chromium does
        static = browser.new_context(java_script_enabled=False)  # what the navigation is, not what the site's scripts load (1.5 -> 0.5 s at 100x)
        page = static.new_page()
        page.goto((site / "index.html").as_uri())
        sections = tuple(s for s in _printed_sections(page.evaluate(_READ_NAV)) if s.pages)
        stylesheets = tuple(page.evaluate(_STYLESHEETS))
        title = page.evaluate(_SITE_NAME)
        description = page.evaluate(_SITE_DESCRIPTION)
        static.close()
        shared = _Site(site, stylesheets, records, date, _fingerprint(site, stylesheets, browser.version))
        chunks = {section.name: _chunks(shared, section) for section in sections}
        parted = {name: [c.key for c in chunked] for name, chunked in chunks.items()}
        used |= {f"{s.name}.{key}.{ext}" for s in sections for key in parted[s.name] for ext in ("pdf", "json")}
        books = [Book(WHOLE_BOOK, title, description, sections)] + [Book(f"{SECTION_DIR}/{s.name}.pdf", title, s.title, (s,)) for s in sections]
        to_make: list[tuple[Book, str, _Last | None]] = []  # the books to make: each with its key and its last version
        kept: dict[str, dict[str, Any]] = {}  # book file -> its record, for the books kept as they are
        for book in books:
            stem = _book_stem(book)
            used |= {f"{stem}.pdf", f"{stem}.json"}
            key = _hash(*(key for s in book.sections for key in parted[s.name]), json.dumps([date, book.title, book.subtitle, _counts(shared, book)]))
            last = _last(cache / stem)
            if last is not None and last.record["key"] == key:
                kept[book.file] = last.record
            else:
                to_make.append((book, key, last))
        joiners.expect([(last, {key for s in book.sections for key in parted[s.name]}) for book, _, last in to_make])
        with _print_page(browser, shared) as page:
            with _Printers(_Worker(shared, browser, page)) as printers:
                prints = _print_chunks(printers, cache, [c for s in sections for c in chunks[s.name]])
            del chunks  # their HTML (30 MB at 100x), not needed once printed
            _give_back_freed_memory()
            parts = {s.name: _part(s, [prints[key] for key in parted[s.name]]) for s in sections}
            wanted = [_Wanted(book, [parts[s.name] for s in book.sections], key, cache / f"{_book_stem(book)}.pdf", last) for book, key, last in to_make]
            made = _make_books(shared, browser, page, wanted, joiners)
    printed = []
    for book in books:
        stem = _book_stem(book)
        record, copied = made.get(book.file) or (kept[book.file], 0)
        digest, size = files.copy_file(cache / f"{stem}.pdf", site / book.file)
        if book.file in made:  # written once the book is: a book without its record, or not the one it tells of, is made anew
            files.write_bytes(cache / f"{stem}.json", json.dumps({**record, "sha256": digest}).encode())
        printed.append(Printed(book.file, record["pages"], size, book.file not in made, copied))
    files.remove_files_except(cache, used)
    return printed


# --- the parts -----------------------------------------------------------------------------


def _chunks(site: _Site, section: NavSection) -> list[_Chunk]:
    """The parts the section is printed in, in order: one per page, several for a long page."""
    chunks: list[_Chunk] = []
    for page in section.pages:
        html = files.read_text(site.root / page.rel)
        pieces = _split(html)
        for start, piece in pieces:
            first = not chunks
            whole = len(pieces) == 1
            head = json.dumps([section.title, section.name, section.is_page, page.title, page.url, start, whole, first])
            chunks.append(_Chunk(section, page, piece, start, whole, first, _hash(site.fingerprint, head, piece)))
    return chunks


def _split(html: str) -> list[tuple[str | None, str]]:
    """A page's HTML as the parts it is printed in: (id of the heading or anchor the part starts at, or None; the HTML to lay out)."""
    opening = _ARTICLE.search(html)
    end = html.rfind("</article>")
    if opening is None or end < opening.end() or end - opening.end() <= _SPLIT_BYTES:
        return [(None, html)]
    inner = html[opening.end():end]
    stack: list[str] = []
    base: list[str] | None = None
    heads: list[tuple[int, str]] = []  # the headings the page may be cut before: where each starts, its id
    anchors: list[tuple[int, str]] = []  # the anchors it may be cut before
    for match in _CUTS.finditer(inner):
        if match["open"]:
            stack.append(match.group())
        elif match["close"]:
            del stack[-1:]
        elif match["anchor"]:
            if stack == base:
                anchors.append((match.start(), unescape(match["anchor"])))
        else:
            base = list(stack) if base is None else base
            if stack == base:
                heads.append((match.start(), unescape(match["id"])))
    # how long each heading's run is (to the next one): a run of _PART_BYTES or more (a question with a long answer)
    # is a part of its own, so an edit elsewhere does not reprint it, nor an edit in it the questions around it
    lengths = [b - a for (a, _), (b, _) in itertools.pairwise([*heads, (len(inner), "")])]
    long_runs = {a for (a, _), length, previous in zip(heads, lengths, [0, *lengths], strict=False) if max(length, previous) >= _PART_BYTES}
    cuts: list[tuple[int, str]] = []
    last = 0
    for start, ident in sorted([*heads, *anchors]):
        if start == last:
            continue
        if start in long_runs or (start - last >= _PART_BYTES and zlib.crc32(ident.encode()) % 4 == 0):
            cuts.append((start, ident))
            last = start
    if not cuts or base is None:
        return [(None, html)]
    bounds = [(0, None), *cuts, (len(inner), None)]
    # a part after the first opens the page's wrappers again, so its heading sits where it did
    return [(start, f"{opening.group()}{''.join(base) if start else ''}{inner[a:b]}</article>")
            for (a, start), (b, _) in itertools.pairwise(bounds)]


def _print_chunks(printers: _Printers, cache: Path, chunks: list[_Chunk]) -> dict[str, _Print]:
    """Each chunk's print by its key: from the cache, or printed now (side by side) and kept there."""
    prints: dict[str, _Print] = {}
    missing: list[_Chunk] = []
    for chunk in chunks:
        stem = f"{chunk.section.name}.{chunk.key}"
        info = files.read_text_if_file(cache / f"{stem}.json")
        pdf = files.open_binary_if_file(cache / f"{stem}.pdf") if info is not None else None
        if info is not None and pdf is not None:
            pdf.close()
            known = json.loads(info)
            places = {name: (number, rest) for name, (number, rest) in known["places"].items()}
            prints[chunk.key] = _Print(chunk.key, cache / f"{stem}.pdf", known["layout"], places, known["pages"],
                                       frozenset(known["wants"]))
        else:
            missing.append(chunk)
    made = printers.map([_printing(chunk, cache) for chunk in missing])
    for chunk, (laid_out, places, pages, wants) in zip(missing, made, strict=True):
        prints[chunk.key] = _Print(chunk.key, cache / f"{chunk.section.name}.{chunk.key}.pdf", laid_out, places, pages, wants)
    return prints


def _printing(chunk: _Chunk, cache: Path) -> Callable[[_Worker], tuple[_Layout, dict[str, _Place], int, frozenset[str]]]:
    """The job that prints the chunk on its own, without cover, contents or footers, and writes the print to the cache
    (not held until every chunk is printed: at 100x the prints are 140 MB); its layout, destinations, page count and the
    names its links to other places want."""

    def job(worker: _Worker) -> tuple[_Layout, dict[str, _Place], int, frozenset[str]]:
        page = worker.page
        data = {
            "root": worker.site.root.as_uri() + "/",
            "leftOut": list(LEFT_OUT),
            "chunk": chunk.name,
            "first": chunk.first,
            "section": {"title": chunk.section.title, "name": chunk.section.name, "isPage": chunk.section.is_page,
                        "pages": [{"rel": p.rel} for p in chunk.section.pages]},
            "page": {"rel": chunk.page.rel, "url": (worker.site.root / chunk.page.rel).as_uri(), "html": chunk.html,
                     "from": chunk.start, "whole": chunk.whole},
        }
        layout: _Layout = page.evaluate("book => kbBook.body(book)", data)
        page.evaluate("document.fonts.ready")
        page.evaluate("h => kbBook.keepShortBoxesWhole(h)", _PAGE_HEIGHT_PX)
        printed = page.pdf(**_PRINT)
        with pikepdf.open(io.BytesIO(printed)) as doc:
            places, pages, wants = _destinations(doc), len(doc.pages), _wants(doc)
        stem = f"{chunk.section.name}.{chunk.key}"
        files.write_bytes(cache / f"{stem}.pdf", printed)
        known = {"layout": layout, "places": places, "pages": pages, "wants": sorted(wants)}
        files.write_bytes(cache / f"{stem}.json", json.dumps(known).encode())
        return layout, places, pages, wants

    return job


def _part(section: NavSection, prints: list[_Print]) -> _Part:
    """The section's prints, one after the other, with their destinations."""
    places: dict[str, _Place] = {}
    offset = 0
    for p in prints:
        places |= {name: (number + offset, rest) for name, (number, rest) in p.places.items()}
        offset += p.pages
    return _Part(section, prints, places, offset)


# --- printing ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Worker:
    """What a job of _Printers runs with: a browser of its own, and its page holding the print skeleton."""

    site: _Site
    browser: Browser
    page: Page


class _Printers:
    """_WORKERS browsers running jobs side by side: this thread's (here) and others, each in a thread of its own
    (Playwright's sync API keeps to the thread that starts it), started at the first job that would wait for one."""

    def __init__(self, here: _Worker) -> None:
        self._here = here
        self._jobs: queue.SimpleQueue[tuple[Callable[[_Worker], Any], Future[Any]] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> _Printers:
        return self

    def __exit__(self, *exc: object) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def map(self, jobs: Sequence[Callable[[_Worker], _T]]) -> list[_T]:
        """Each job's result, in order; the first job's error, if one failed. This thread runs jobs too, while any is left."""
        if len(jobs) > 1 and not self._threads:
            # no more browsers than jobs: after an edit one part is printed, here, and another browser would only start
            self._threads = [threading.Thread(target=self._work, name=f"kb-pdf-{n}", daemon=True) for n in range(min(len(jobs), _WORKERS) - 1)]
            for thread in self._threads:
                thread.start()
        futures: list[Future[_T]] = []
        for job in jobs:
            futures.append(Future())
            self._jobs.put((job, futures[-1]))
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            assert item is not None  # put by __exit__ only
            self._run(item, self._here)
        return [future.result() for future in futures]

    @staticmethod
    def _run(item: tuple[Callable[[_Worker], Any], Future[Any]], worker: _Worker) -> None:
        job, future = item
        try:
            future.set_result(job(worker))
        except BaseException as error:  # handed to the caller, which raises it
            future.set_exception(error)

    def _work(self) -> None:
        try:
            with chromium() as browser, _print_page(browser, self._here.site) as page:
                worker = _Worker(self._here.site, browser, page)
                while (item := self._jobs.get()) is not None:
                    self._run(item, worker)
        except BaseException as error:  # the browser did not start, or died: the jobs it would have run fail with this
            while (item := self._jobs.get()) is not None:
                item[1].set_exception(error)


def _make_books(site: _Site, browser: Browser, page: Page, wanted: list[_Wanted], joiners: _Joiners) -> dict[str, tuple[dict[str, Any], int]]:
    """Each book joined from its parts and written to its target, by the joiners: by its file, its record and how many
    pages were copied in. Here each book's cover and contents and its footers' pieces are printed, for it alone (a print
    of several books' shares its fonts among them, so a book's bytes would depend on which others were made with it),
    while the joiners join the books handed to them before."""
    if not wanted:
        return {}
    sheet = browser.new_page()  # where the footers' pieces are printed
    try:
        for n, w in enumerate(wanted):
            joiners.join(n, w, *_print_front_and_footers(site, w, page, sheet))
    finally:
        sheet.close()
    return {w.book.file: made for w, made in zip(wanted, joiners.results(), strict=True)}


class _Joiners:
    """_JOINERS processes that join books (see _joined), started with the run: they load kb while Chromium starts.

    The books are joined side by side, as they are handed over: the first book to make (the handbook, the longest) in
    a process of its own, the others in the next one, one after the other (each book is freed before the next; held
    until then, the handbook's 700 MB at 100x were still there while the first section's PDF was joined). A process
    opens ahead the last version of its first book, when most of its prints stay (see _open_last: qpdf parses all of a
    book once anything is copied into it, 3 s for the handbook at 100x), while Chromium prints the changed parts.
    Spawned, not forked: Playwright's threads run in this one. Where no process may start (in a daemon process), the
    books are joined here.
    """

    def __init__(self) -> None:
        self._local = multiprocessing.current_process().daemon
        self._told = False
        self._results: list[tuple[int, tuple[dict[str, Any], int] | BaseException]] = []
        self._sent = 0
        self._received: queue.SimpleQueue[tuple[int, tuple[dict[str, Any], int] | BaseException] | None] = queue.SimpleQueue()
        self._outboxes: list[queue.SimpleQueue[_Last | tuple[int, tuple[_Wanted, bytes, bytes, list[_Footer | None]]] | None]] = []
        """What each process is sent: first the book to open ahead (or None), then the books to join, then None."""
        self._senders: list[threading.Thread] = []
        self._processes: list[multiprocessing.process.BaseProcess] = []
        if self._local:
            return
        context = multiprocessing.get_context("spawn")
        for n in range(_JOINERS):
            ours, theirs = context.Pipe()
            process = context.Process(target=_joining, args=(theirs,), name=f"kb-pdf-join-{n}", daemon=True)
            process.start()
            theirs.close()
            self._processes.append(process)
            self._outboxes.append(queue.SimpleQueue())
            self._senders.append(threading.Thread(target=self._send, args=(ours, self._outboxes[-1]), name=f"kb-pdf-join-{n}", daemon=True))
            self._senders[-1].start()
            threading.Thread(target=self._receive, args=(ours,), name=f"kb-pdf-joined-{n}", daemon=True).start()

    @staticmethod
    def _send(end: Connection, outbox: queue.SimpleQueue[Any]) -> None:
        """Hands the books put in outbox to the process, then None (not here, in the caller's thread: the process takes
        a book once it has opened its last version ahead, and the next book's front is printed meanwhile)."""
        for n in itertools.count():
            item = outbox.get()
            try:
                end.send(item)
            except OSError:  # the process is gone: _receive tells
                return
            if item is None and n > 0:  # the first is the book to open ahead, or None
                return

    def _receive(self, end: Connection) -> None:
        """What a process sends back, taken as it comes (while the next books are handed over: were neither read while
        the other is written, both ends would wait on each other once their messages fill the pipe); then None once
        the process is gone."""
        while True:
            try:
                self._received.put(end.recv())
            except (EOFError, OSError):
                self._received.put(None)
                return

    def __enter__(self) -> _Joiners:
        return self

    def expect(self, books: list[tuple[_Last | None, set[str]]]) -> None:
        """Tell the processes what books they will join: each book to make, in order, with its last version and the keys
        of the prints it will hold (so each process may open its first book's last version ahead)."""
        for n, outbox in enumerate(self._outboxes):
            outbox.put(next((last for last, keys in books[n:n + 1] if last is not None and _mostly_staying(last.record, keys)), None))
        self._told = True

    def __exit__(self, *exc: object) -> None:
        """Tell each process to end once it is done; one with a book still to join (the run failed) is stopped now.
        The others are not waited for: freeing the handbook takes them 2 s at 100x (daemons: stopped at exit if not
        done by then)."""
        for outbox in self._outboxes:
            if not self._told:
                outbox.put(None)  # what a process expects first: no book to open ahead
            outbox.put(None)
        if self._sent:
            for process in self._processes:
                process.kill()
        for sender in self._senders:
            sender.join()
        if self._sent:
            for process in self._processes:
                process.join()

    def join(self, n: int, wanted: _Wanted, front: bytes, pieces: bytes, footers: list[_Footer | None]) -> None:
        """Hand over the n-th book to make (in the order given when they were started), with its front and footers."""
        if self._local:
            with _joined(wanted, front, pieces, footers, None) as joined:
                self._results.append((n, joined))
            return
        self._outboxes[min(n, len(self._outboxes) - 1)].put((n, (wanted, front, pieces, footers)))
        self._sent += 1

    def results(self) -> list[tuple[dict[str, Any], int]]:
        """What _joined gave for each book handed over, in their order; the first book's error, if one failed."""
        while self._sent:
            try:
                received = self._received.get(timeout=_JOIN_TIMEOUT)
            except queue.Empty:
                raise RuntimeError(f"no PDF book was joined in {_JOIN_TIMEOUT} s") from None
            if received is None:
                raise RuntimeError("a process joining the PDF books stopped before it was done (out of memory?)")
            self._results.append(received)
            self._sent -= 1
        done = sorted(self._results, key=lambda result: result[0])
        for _, result in done:
            if isinstance(result, BaseException):
                raise result
        return [result for _, result in done if not isinstance(result, BaseException)]


def _joining(end: Connection) -> None:
    """A joiner's process: joins each book handed over through end, and sends back what _joined gave, or the error;
    first opens ahead the last version of the first book it will join, when told to (the first thing it gets)."""
    ahead: _Last | None = end.recv()
    opened = _open_last(ahead) if ahead is not None else None
    while (job := end.recv()) is not None:
        n, (wanted, front, pieces, footers) = job
        if opened is not None and wanted.last != ahead:
            opened[0].close()
            opened = None
        try:
            with _joined(wanted, front, pieces, footers, opened) as joined:
                end.send((n, joined))
        except Exception as error:  # sent back, raised by the caller (as a RuntimeError when it cannot be sent as it is)
            try:
                end.send((n, error))
            except Exception:
                end.send((n, RuntimeError(f"{wanted.book.file}: {error!r}")))
        opened = None  # the book's join took it over


def _print_front_and_footers(site: _Site, wanted: _Wanted, page: Page, sheet: Page) -> tuple[bytes, bytes, list[_Footer | None]]:
    """The book's cover and contents, printed; its footers' pieces, printed; and the footer of each of its pages."""
    offset, starts = 0, []
    for part in wanted.parts:
        starts += [offset + _place(part, name)[0] for p in part.prints for name in p.layout["starts"]]
        offset += part.pages
    front, length = _print_front(page, site, wanted.book, starts)
    where: list[str | None] = [None] + ["Contents"] * (length - 1) + [p.section.title for p in wanted.parts for _ in range(p.pages)]
    return front, *_footers(sheet, wanted.book.title, where)


@contextlib.contextmanager
def _joined(wanted: _Wanted, front: bytes, pieces: bytes, footers: list[_Footer | None], opened: _Opened | None) -> Iterator[tuple[dict[str, Any], int]]:
    """The book joined (see _join) from the prints of its front and of its footers' pieces, and written to its target:
    gives its record, and how many pages were copied in from the prints; all of it is freed on exit (2 s for the
    handbook at 100x: what it gives is handed over first). opened: its last version, opened ahead (see _open_last),
    which it takes over."""
    with pikepdf.open(io.BytesIO(front)) as fronts, pikepdf.open(io.BytesIO(pieces)) as forms:
        out, record, copied = _join(wanted, list(fronts.pages), list(forms.pages), footers, opened)
        with out:

            def save(stream: BinaryIO) -> None:
                # streams as they are: one qpdf compressed when it wrote the book would be written otherwise once kept
                out.save(stream, deterministic_id=True, compress_streams=False)

            files.write_with(wanted.target, save)
            yield record, copied
    _give_back_freed_memory()  # before the next book (or the copies into the site) needs memory


def _print_front(page: Page, site: _Site, book: Book, starts: list[int]) -> tuple[bytes, int]:
    """The book's cover and contents, printed, and how many pages they take; starts: the 0-based page, after the
    contents, where each of its contents lines starts.

    A first print tells how many pages the contents take; the page numbers fill slots of fixed
    width, so the second print, with the numbers, breaks its pages at the same places.
    """
    data = {
        "title": book.title, "subtitle": book.subtitle, "date": site.date, "counts": _counts(site, book),
        "sections": [
            {"title": s.title, "name": s.name, "isPage": s.is_page, "pages": [{"title": p.title, "rel": p.rel} for p in s.pages]}
            for s in book.sections
        ],
    }
    page.evaluate("book => kbBook.fronts([book])", data)
    page.evaluate("document.fonts.ready")
    with pikepdf.open(io.BytesIO(page.pdf(**_PRINT))) as first:
        length = len(first.pages)
    page.evaluate("numbers => kbBook.fillPageNumbers([numbers])", [length + n + 1 for n in starts])
    printed = page.pdf(**_PRINT)
    with pikepdf.open(io.BytesIO(printed)) as second:
        if len(second.pages) != length:
            raise RuntimeError("the contents took other pages once their page numbers were filled in")
    return printed, length


class _print_page:  # noqa: N801 (a context manager, used like a function)
    """A browser page holding the print skeleton (site stylesheets, book.css and book.js), closed on exit."""

    def __init__(self, browser: Browser, site: _Site) -> None:
        self._browser, self._site = browser, site

    def __enter__(self) -> Page:
        self._file = files.temporary_file(self._site.root, ".kb-print-", ".html", _skeleton(self._site.stylesheets))
        skeleton = self._file.__enter__()
        self._page = self._browser.new_page(viewport={"width": round(_PAGE_WIDTH_PX), "height": round(_PAGE_HEIGHT_PX)})
        self._page.goto(skeleton.as_uri())
        return self._page

    def __exit__(self, *exc: object) -> None:
        try:
            self._page.close()
        finally:
            self._file.__exit__(None, None, None)


def _skeleton(stylesheets: Sequence[str]) -> str:
    css = _asset("print/book.css").decode("utf-8")
    script = _asset("print/book.js").decode("utf-8")
    links = "".join(f'<link rel="stylesheet" href="{escape(href)}">' for href in stylesheets)
    return (
        f'<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>kb pdf</title>{links}'
        f"<style>{css}</style></head>"
        f'<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        f'<main id="book"></main><script>{script}</script></body></html>'
    )


def _counts(site: _Site, book: Book) -> list[list[str]]:
    """The cover's table: topics, questions, answered."""
    urls = {p.url for s in book.sections for p in s.pages}
    scope = [answered for url, answered in site.records if url in urls]
    answered = sum(scope)
    share = f" ({round(100 * answered / len(scope))}%)" if scope else ""
    topics = sum(len(s.pages) for s in book.sections if not s.is_page)
    return [["Topics", str(topics)], ["Questions", str(len(scope))], ["Answered in the notes", f"{answered}{share}"]]


_Footer: TypeAlias = tuple[int, list[tuple[int, float]]]
"""A page's footer: the form of its left half (book and section, and the rule above), and the forms of its page number's
pieces, each with how far right of where it was printed it is drawn (PDF points)."""


def _footers(sheet: Page, title: str, where: list[str | None]) -> tuple[bytes, list[_Footer | None]]:
    """The footers of a book (its title, the section name of each page; no footer where it is None): book and section
    name on the left, page number on the right, each page's footer drawn from pieces printed once (all in one print, on
    sheet, the first thing returned): the left halves, and the words and digits of the page numbers, which are placed
    from their widths as Chromium measures them."""
    lefts = sorted({f"{title} · {place}" for place in where if place is not None})
    sheets = [f'<div class="sheet"><div class="foot"><span>{escape(left)}</span></div></div>' for left in lefts]
    sheets += [f'<div class="sheet"><div class="foot bare"><span class="piece">{escape(p)}</span></div></div>' for p in _NUMBER_PIECES]
    sheet.set_content(f"<!doctype html><html><head><meta charset='utf-8'><style>{_FOOTER_STYLE}</style></head><body>{''.join(sheets)}</body></html>")
    measured = sheet.evaluate(_MEASURE)
    printed = sheet.pdf(format="A4", prefer_css_page_size=True)
    with pikepdf.open(io.BytesIO(printed)) as forms:
        if len(forms.pages) != len(sheets):
            raise RuntimeError(f"{len(forms.pages)} footer pieces printed for {len(sheets)}")
    widths = [w * _PT_PER_PX for w in measured]
    left_edge, right = _FOOTER_EDGES  # the pieces are printed at the left edge, the page numbers end at the right one
    pieces = {piece: len(lefts) + n for n, piece in enumerate(_NUMBER_PIECES)}
    left_form = {left: n for n, left in enumerate(lefts)}
    footers: list[_Footer | None] = []
    for number, place in enumerate(where):
        if place is None:
            footers.append(None)
            continue
        text = ["Page ", *str(number + 1), " of ", *str(len(where))]
        x = right - sum(widths[pieces[p] - len(lefts)] for p in text)
        placed = []
        for p in text:
            placed.append((pieces[p], x - left_edge))
            x += widths[pieces[p] - len(lefts)]
        footers.append((left_form[f"{title} · {place}"], placed))
    return printed, footers


# --- joining -------------------------------------------------------------------------------


def _join(wanted: _Wanted, front: list[pikepdf.Page], forms: list[pikepdf.Page], footers: list[_Footer | None],
          opened: _Opened | None = None) -> tuple[Pdf, dict[str, Any], int]:
    """The book: its cover and contents, then the parts' pages, one outline, links resolved, footers laid over; what
    it is made of (its record, kept with it); and how many of its pages were copied in from the prints.

    The book as it was last made, when there is one, is updated in place: the pages of the prints it already holds are
    kept (their footers drawn again), and only the others are copied in, which at 100x takes seconds where copying all
    5,600 pages of the handbook took 10. A kept print's links stay as they were resolved unless one of the names they
    go to came into the book or left it; then its pages are copied from its print again. The book is the same either
    way, byte for byte: qpdf numbers the objects it writes in the order it reaches them from the catalog. opened: the
    last version, opened ahead (see _open_last), which it takes over.
    """
    parts = wanted.parts
    names = {name for part in parts for name in part.places}
    out, kept = _last_pages(wanted.last, names, {p.key: p.wants for part in parts for p in part.prints}, opened)
    if Name.ID in out.trailer:  # qpdf keeps the first half of a file's /ID: the book's is made from its content alone
        del out.trailer.ID
    kids = [out.copy_foreign(page.obj) for page in front]
    copied = list(kids)  # the pages whose links are to resolve: all but those kept (the contents link to where topics start)
    firsts = []
    for part in parts:
        firsts.append(len(kids))
        for p in part.prints:
            pages = kept.pop(p.key, None)
            if pages is None:
                pages = _copy(out, p.path)
                copied += pages
            kids += pages
    tree = out.Root.Pages
    for kid in kids:
        kid[Name.Parent] = tree
    tree.Kids = Array(kids)
    tree.Count = len(kids)
    destinations = Dictionary()
    if Name.Outlines in out.Root:
        del out.Root.Outlines
    with out.open_outline() as outline:
        for part, first in zip(parts, firsts, strict=True):
            added = kids[first:first + part.pages]
            for name, (number, rest) in part.places.items():
                destinations[f"/{name}"] = _destination(added[number], rest)
            _add_outline(outline.root, part, added)
    out.Root.Dests = out.make_indirect(destinations)
    for page in copied:
        _resolve_links(page, names)
    _lay_over(out, kids, forms, footers)
    book = wanted.book
    out.docinfo[Name.Title] = book.title if book.file == WHOLE_BOOK else f"{book.title}: {book.subtitle}"
    out.docinfo[Name.Subject] = book.subtitle
    out.docinfo[Name.Creator] = "kb pdf"
    out.Root.PageMode = Name.UseOutlines
    record = {"key": wanted.key, "pages": len(kids), "fronts": len(front), "prints": [[p.key, p.pages] for part in parts for p in part.prints],
              "names": sorted(names)}
    return out, record, len(copied) - len(front)


_Opened: TypeAlias = tuple[Pdf, list[pikepdf.Object]]
"""A book as last made, opened: the PDF, and its pages, their footers taken off."""


def _last_pages(last: _Last | None, names: set[str], wanting: dict[str, frozenset[str]], opened: _Opened | None) -> tuple[Pdf, dict[str, list[pikepdf.Object]]]:
    """The book as last made, opened (opened: when it was, ahead), and the pages of each print it holds that can stay
    (wanting: the names the links of each print of the book to make want), their footers taken off; a new PDF and none
    when there is no such book, it is not the one its record tells of, or most of it would go (see _mostly_staying)."""
    if last is None:
        return pikepdf.new(), {}
    changed = set(last.record["names"]) ^ names
    staying = {key for key, _ in last.record["prints"] if key in wanting and not wanting[key] & changed}
    if not _mostly_staying(last.record, staying):
        if opened is not None:
            opened[0].close()
        return pikepdf.new(), {}
    opened = opened or _open_last(last)
    if opened is None:
        return pikepdf.new(), {}
    out, pages = opened
    kept: dict[str, list[pikepdf.Object]] = {}
    at = last.record["fronts"]
    for key, count in last.record["prints"]:
        if key in staying:
            kept[key] = pages[at:at + count]
        at += count
    return out, kept


def _mostly_staying(record: dict[str, Any], staying: set[str]) -> bool:
    """Whether half the pages of a book as last made (its record) or more are of prints that stay: then it is updated in
    place, else made anew. qpdf parses all of a book once anything is copied into it, so a book updated in place costs
    its old pages' memory besides the new ones'."""
    return bool(2 * sum(n for key, n in record["prints"] if key in staying) >= record["pages"])


def _open_last(last: _Last) -> _Opened | None:
    """The book as last made, opened, its pages' footers taken off, and all of it parsed (which qpdf does once anything
    is copied into it: ahead of the join, this takes no time from it); None when it is not the book its record tells of."""
    try:
        found = files.open_pdf(last.path)
    except pikepdf.PdfError:
        found = None
    if found is None:
        return None
    record = last.record
    kids = found.Root.Pages.get(Name.Kids)
    if (not isinstance(kids, Array) or len(kids) != record["pages"] or record["fronts"] + sum(n for _, n in record["prints"]) != len(kids)
            or not all(isinstance(k, Dictionary) and k.get(Name.Type) == Name.Page for k in kids)):
        found.close()
        return None
    pages = list(kids)
    for page in pages[record["fronts"]:]:
        _take_off_footer(page)
    found.make_stream(b"")  # parses all of it (qpdf numbers a new object past every other); not in the book, not written
    return found, pages


def _copy(out: Pdf, path: Path) -> list[pikepdf.Object]:
    """A print's pages copied into out (not yet in its pages); the print is parsed here and let go once they are copied.

    qpdf holds every object it has parsed until its Pdf is freed, and copying a page copies its objects (all but the
    streams' data, which stays in the print's file, read when out is saved): about 100 kB a page either side for
    Chromium's prints (many small forms, link annotations and graphics states, each number and name of them an object
    of its own). A print held open until its books are saved doubled what a book's join held; freed as soon as its
    pages are copied (nothing else refers to it: the stream data keeps its own handle on the file), only the copies
    stay. The print is read by qpdf itself (files.open_pdf).
    """
    doc = files.open_pdf(path)
    if doc is None:
        raise RuntimeError(f"{path}: the print is gone from the cache")
    with doc:
        return [out.copy_foreign(page.obj) for page in doc.pages]


def _destinations(doc: Pdf) -> dict[str, _Place]:
    """Every named destination of a print of Chromium's (a /Dests dictionary)."""
    numbers = {page.obj.objgen: n for n, page in enumerate(doc.pages)}
    places = {}
    dests = doc.Root.get(Name.Dests)
    for name, target in (dests.items() if isinstance(dests, Dictionary) else ()):
        if isinstance(target, Dictionary):
            target = target[Name.D]
        places[str(name).removeprefix("/")] = (numbers[target[0].objgen], [_plain(v) for v in list(target)[1:]])
    return places


def _place(part: _Part, name: str) -> _Place:
    place = part.places.get(name)
    if place is None:
        raise RuntimeError(f"the print of section {part.section.title!r} has no destination {name}")
    return place


def _add_outline(root: list[OutlineItem], part: _Part, pages: Sequence[pikepdf.Object]) -> None:
    """One bookmark per heading of the part, nested by heading level, on its page in the book.

    A heading that was not printed (hidden) has no destination and no bookmark.
    """
    parents: list[tuple[int, OutlineItem]] = []
    for p in part.prints:
        for heading in p.layout["headings"]:
            place = part.places.get(heading["name"])
            if place is None:
                continue
            number, rest = place
            while parents and parents[-1][0] >= heading["level"]:
                parents.pop()
            item = OutlineItem(heading["title"], _destination(pages[number], rest))
            (parents[-1][1].children if parents else root).append(item)
            parents.append((heading["level"], item))


def _resolve_links(page: pikepdf.Object, names: set[str]) -> None:
    """Links to kb.invalid names become links to those places in the book (or to their page), or are dropped."""
    annotations = page.get(Name.Annots)
    if not isinstance(annotations, Array):
        return
    kept = Array()
    for link in annotations:
        if Name.StructParent in link:
            del link[Name.StructParent]
        elsewhere = _elsewhere(link)
        if elsewhere is not None:
            target = next((n for n in elsewhere if n and n in names), None)
            if target is None:
                continue
            del link[Name.A]
            link[Name.Dest] = Name(f"/{target}")
        kept.append(link)
    page[Name.Annots] = kept


def _wants(doc: Pdf) -> frozenset[str]:
    """The names a print's links to other places go to, or fall back to (see _resolve_links)."""
    wanted: set[str] = set()
    for page in doc.pages:
        annotations = page.obj.get(Name.Annots)
        for link in annotations if isinstance(annotations, Array) else ():
            wanted.update(n for n in _elsewhere(link) or () if n)
    return frozenset(wanted)


def _elsewhere(link: pikepdf.Object) -> tuple[str, str] | None:
    """The name a link printed by book.js to a place outside its print goes to, and the name of that place's page."""
    action = link.get(Name.A)
    uri = str(action.get(Name.URI, "")) if isinstance(action, Dictionary) else ""
    if not uri.startswith(ELSEWHERE):
        return None
    name, _, fallback = uri.removeprefix(ELSEWHERE).partition("?")
    return name, fallback


def _take_off_footer(page: pikepdf.Object) -> None:
    """A page of a book as _lay_over left it, as it was before: its footer's forms and drawing taken off."""
    contents = page.get(Name.Contents)
    if isinstance(contents, Array) and len(contents) >= 2:
        page[Name.Contents] = Array(list(contents)[1:-1])
    resources = page.get(Name.Resources)
    xobjects = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
    if isinstance(xobjects, Dictionary):
        for name in [str(k) for k in xobjects if str(k).startswith("/KbF")]:
            del xobjects[name]


def _lay_over(out: Pdf, pages: list[pikepdf.Object], forms: list[pikepdf.Page], footers: list[_Footer | None]) -> None:
    """Each page's footer drawn over it, from the pieces' forms, the page's own content left as it is."""
    save = out.make_stream(b"q\n")
    copied: dict[int, pikepdf.Object] = {}
    for page, footer in zip(pages, footers, strict=True):
        if footer is None:
            continue
        left, placed = footer
        used = [left, *(n for n, _ in placed)]
        for n in used:
            if n not in copied:
                copied[n] = out.copy_foreign(forms[n].as_form_xobject())
        draw = f"\nQ\nq /KbF{left} Do Q\n" + "".join(f"q 1 0 0 1 {dx:.3f} 0 cm /KbF{n} Do Q\n" for n, dx in placed)
        resources = Dictionary({k: v for k, v in (page.get(Name.Resources) or Dictionary()).items()})  # a copy: pages may share theirs
        xobjects = resources.get(Name.XObject)
        xobjects = Dictionary({k: v for k, v in xobjects.items()}) if isinstance(xobjects, Dictionary) else Dictionary()
        for n in used:
            xobjects[Name(f"/KbF{n}")] = copied[n]
        resources[Name.XObject] = xobjects
        page[Name.Resources] = resources
        own = page.get(Name.Contents)
        streams = list(own) if isinstance(own, Array) else [own] if own is not None else []
        page[Name.Contents] = Array([save, *streams, out.make_stream(draw.encode())])


# --- the cache -----------------------------------------------------------------------------


def _fingerprint(site: Path, stylesheets: Sequence[str], browser_version: str) -> str:
    """Hash of what every print is made with besides the pages: the print assets, this module, the stylesheets, the browser."""
    digest = hashlib.sha256(browser_version.encode())
    for asset in _ASSETS:
        digest.update(_asset(asset))
    for href in stylesheets:
        digest.update(href.encode())
        digest.update(files.read_bytes_if_file(site / unquote(href.split("?")[0].split("#")[0])) or b"")
    return digest.hexdigest()




def _last(stem: Path) -> _Last | None:
    """The book kept under stem (its PDF and its record), if its record is whole and tells of that PDF."""
    record = _record(files.read_text_if_file(stem.with_name(f"{stem.name}.json")))
    kept = files.open_binary_if_file(stem.with_name(f"{stem.name}.pdf")) if record is not None else None
    if kept is None or record is None:
        return None
    digest = hashlib.sha256()
    with kept:
        for block in iter(lambda: kept.read(1 << 20), b""):
            digest.update(block)
    return _Last(stem.with_name(f"{stem.name}.pdf"), record) if digest.hexdigest() == record.get("sha256") else None


def _record(text: str | None) -> dict[str, Any] | None:
    """A book's record (see _join) from its JSON; None when there is none, or it is not one."""
    try:
        record = json.loads(text) if text is not None else None
    except ValueError:
        return None
    fields = {"key": str, "pages": int, "fronts": int, "prints": list, "names": list}
    if not (isinstance(record, dict) and all(isinstance(record.get(k), t) for k, t in fields.items())):
        return None
    prints_ok = all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], int) for p in record["prints"])
    return record if prints_ok and all(isinstance(n, str) for n in record["names"]) else None


def _book_stem(book: Book) -> str:
    """The name a book is kept under in the cache ("@" cannot start a section's name, a slug: no print is called so)."""
    return "@" + (book.file.removesuffix(".pdf") if book.file == WHOLE_BOOK else book.sections[0].name)


def _hash(*texts: str) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:32]


def _asset(name: str) -> bytes:
    return resources.files("kb.export").joinpath(name).read_bytes()


# --- helper functions ----------------------------------------------------------------------


def _plain(value: pikepdf.Object) -> Any:
    """A value of a destination array as a plain value: a name as its string, a number or null."""
    if isinstance(value, Name):
        return str(value)
    return None if value is None else float(value)


def _destination(page: pikepdf.Object, rest: list[Any]) -> Array:
    """A destination's array in a book: its page, then the rest of it as _plain wrote it."""
    return Array([page, *(Name(v) if isinstance(v, str) else v for v in rest)])


def _printed_sections(nav: list[dict[str, Any]]) -> list[NavSection]:
    sections = []
    for item in nav:
        # Zensical writes the navigation's links as "./foundations/statistics.html", MkDocs without the "./"
        urls = [(p["title"], p["url"].removeprefix("./")) for p in item["pages"]]
        pages = tuple(NavPage(title, url) for title, url in urls if not url.startswith(LEFT_OUT))
        sections.append(NavSection(item["title"], pages, item["isPage"]))
    return sections


def _give_back_freed_memory() -> None:
    """Return the memory freed so far to the system, where the C library can (glibc's malloc_trim).

    The prints are made by the browsers' threads, whose memory (the prints' bytes as Playwright hands them over, each
    parsed once for its destinations) glibc keeps in those threads' arenas once freed: about 55 MB at 100x, which the
    join, on the main thread, cannot reuse and which would add to its peak.
    """
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()
