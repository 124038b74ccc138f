"""PDF stage: print the built site as books, whole and one file per section, with Chromium.

Chromium (through Playwright) prints what the site shows, with Material's own styles, and
writes a PDF whose outline follows the headings. Each section is printed once, on its own
(print/book.js lays out its pages with answers open); the books are then joined with pypdf:
- a section's PDF is its cover and contents, then its printed pages; the handbook is its cover
  and contents, then every section's printed pages, so no page is printed twice;
- the contents are printed apart, once the sections are printed: their page numbers are known
  from the sections' outlines, and fill slots of fixed width (a first print counts the pages
  the contents take, a second one has the numbers);
- every place has the same destination name in every print (book.js), so a link to another
  section, printed as https://kb.invalid/<name>, becomes a link inside the handbook, and a
  plain area in the section's own PDF;
- the footer (book, section, page number) is printed by Chromium on blank pages and laid over
  each page as a form, without rewriting the page's own content.
A section's print is kept in a cache next to the site (.cache/kb/pdf/<site folder>), under a
hash of everything it is made from: its pages' HTML, the site's stylesheets, book.js, book.css,
this module and the browser's version. A section whose hash did not change is not printed again.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias, TypedDict
from urllib.parse import unquote

from playwright.sync_api import Browser, Page
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

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
    outline: bool
    tagged: bool


_PRINT: _PrintOptions = {"format": "A4", "print_background": True, "prefer_css_page_size": True, "outline": True, "tagged": True}
"""Chromium makes the outline from the tagged structure, so the print is tagged (the joined books are not)."""
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
_HEADINGS = "() => Array.from(document.querySelectorAll('#book :is(h1, h2, h3, h4, h5, h6)'), (h) => h.textContent.trim().replace(/\\s+/g, ' '))"
_SITE_DESCRIPTION = "() => (document.querySelector('meta[name=description]') || {content: ''}).content"
_STYLESHEETS = "() => Array.from(document.querySelectorAll('link[rel=stylesheet]'), (l) => l.getAttribute('href'))"
_FOOTER_STYLE = (
    "@page{size:A4;margin:0}body{margin:0;font:8.5pt/1.2 -apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif;color:#555}"
    ".sheet{height:290mm;position:relative;break-after:page}"
    ".foot{position:absolute;left:17mm;right:17mm;top:281mm;display:flex;justify-content:space-between;"
    "border-top:0.5pt solid #bbb;padding-top:1.5mm}"
)


_Outline: TypeAlias = Sequence["Destination | _Outline"]
"""pypdf's outline: bookmarks, each followed by the list of its children when it has some."""
_Levels: TypeAlias = list[tuple[Destination, "_Levels"]]
"""The outline as (bookmark, its children) pairs."""


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


@dataclass(frozen=True, slots=True)
class _Part:
    """One section as printed on its own: its pages, and the headings in the order of its bookmarks."""

    section: NavSection
    pdf: bytes
    headings: tuple[str, ...]

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))


@dataclass(frozen=True, slots=True)
class _Site:
    """What every print of one run shares."""

    root: Path
    stylesheets: tuple[str, ...]
    records: tuple[dict[str, Any], ...]
    date: str
    fingerprint: str
    """Hash of everything the prints are made with besides the pages: see _ASSETS."""


def export(site: Path, date: str | None = None) -> list[Printed]:
    """Print handbook.pdf and one PDF per section into the built site; what was written, the handbook first."""
    date = date or _build_date()
    questions = files.read_text_if_file(site / QUESTIONS_FILE)
    records = tuple(json.loads(questions)["questions"]) if questions is not None else ()
    cache = site.parent / CACHE_DIR / site.name
    used: set[str] = set()
    with chromium() as browser:
        page = browser.new_page()
        page.goto((site / "index.html").as_uri())
        sections = tuple(s for s in _printed_sections(page.evaluate(_READ_NAV)) if s.pages)
        stylesheets = tuple(page.evaluate(_STYLESHEETS))
        title = page.evaluate(_SITE_NAME)
        description = page.evaluate(_SITE_DESCRIPTION)
        page.close()
        shared = _Site(site, stylesheets, records, date, _fingerprint(site, stylesheets, browser.version))
        parts, section_books = [], []
        for section in sections:
            key = _key(shared, section)
            part, part_reused = _cached_part(cache, section, key)
            if part is None:
                part = _print_part(browser, shared, section)
                _keep_part(cache, section, key, part)
            used |= {f"{section.name}.{key}.pdf", f"{section.name}.{key}.json"}
            parts.append(part)
            book = Book(f"{SECTION_DIR}/{section.name}.pdf", title, section.title, (section,))
            book_key = _hash(key, json.dumps([date, title, _counts(shared, book)]))
            cached = files.read_bytes_if_file(cache / f"{section.name}.{book_key}.book.pdf")
            if cached is None:
                cached = _join(browser, shared, book, [part])
                files.write_bytes(cache / f"{section.name}.{book_key}.book.pdf", cached)
            used.add(f"{section.name}.{book_key}.book.pdf")
            section_books.append((book, cached, part_reused))
        whole = Book(WHOLE_BOOK, title, description, sections)
        handbook = _join(browser, shared, whole, parts)
    files.write_bytes(site / WHOLE_BOOK, handbook)
    printed = [Printed(WHOLE_BOOK, len(PdfReader(io.BytesIO(handbook)).pages), len(handbook))]
    for book, data, reused in section_books:
        files.write_bytes(site / book.file, data)
        printed.append(Printed(book.file, len(PdfReader(io.BytesIO(data)).pages), len(data), reused))
    files.remove_files_except(cache, used)
    return printed


# --- printing ------------------------------------------------------------------------------


def _print_part(browser: Browser, site: _Site, section: NavSection) -> _Part:
    """The section's pages printed on their own, without cover, contents or footers."""
    data = {
        "root": site.root.as_uri() + "/",
        "leftOut": list(LEFT_OUT),
        "section": {
            "title": section.title, "name": section.name, "isPage": section.is_page,
            "pages": [{"rel": p.rel, "url": (site.root / p.rel).as_uri(), "html": files.read_text(site.root / p.rel)} for p in section.pages],
        },
    }
    with _print_page(browser, site, section.title) as page:
        page.evaluate("book => kbBook.body(book)", data)
        page.evaluate("document.fonts.ready")
        page.evaluate("h => kbBook.keepShortBoxesWhole(h)", _PAGE_HEIGHT_PX)
        pdf = page.pdf(**_PRINT)
        headings = tuple(page.evaluate(_HEADINGS))
    return _Part(section, pdf, headings)


def _print_front(browser: Browser, site: _Site, book: Book, starts: list[int]) -> bytes:
    """The cover and contents; starts: the 0-based page, after the contents, where each contents line starts."""
    data = {
        "title": book.title, "subtitle": book.subtitle, "date": site.date, "counts": _counts(site, book),
        "sections": [
            {"title": s.title, "name": s.name, "isPage": s.is_page, "pages": [{"title": p.title, "rel": p.rel} for p in s.pages]}
            for s in book.sections
        ],
    }
    with _print_page(browser, site, book.title) as page:
        page.evaluate("book => kbBook.front(book)", data)
        page.evaluate("document.fonts.ready")
        first = len(PdfReader(io.BytesIO(page.pdf(**_PRINT))).pages)
        page.evaluate("numbers => kbBook.fillPageNumbers(numbers)", [first + n + 1 for n in starts])
        return page.pdf(**_PRINT)


class _print_page:  # noqa: N801 (a context manager, used like a function)
    """A browser page holding the print skeleton (site stylesheets, book.css and book.js), closed on exit."""

    def __init__(self, browser: Browser, site: _Site, title: str) -> None:
        self._browser, self._site, self._title = browser, site, title

    def __enter__(self) -> Page:
        self._file = files.temporary_file(self._site.root, ".kb-print-", ".html", _skeleton(self._title, self._site.stylesheets))
        skeleton = self._file.__enter__()
        self._page = self._browser.new_page(viewport={"width": round(_PAGE_WIDTH_PX), "height": round(_PAGE_HEIGHT_PX)})
        self._page.goto(skeleton.as_uri())
        return self._page

    def __exit__(self, *exc: object) -> None:
        try:
            self._page.close()
        finally:
            self._file.__exit__(None, None, None)


def _skeleton(title: str, stylesheets: Sequence[str]) -> str:
    css = _asset("print/book.css").decode("utf-8")
    script = _asset("print/book.js").decode("utf-8")
    links = "".join(f'<link rel="stylesheet" href="{escape(href)}">' for href in stylesheets)
    return (
        f'<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{escape(title)}</title>{links}'
        f"<style>{css}</style></head>"
        f'<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        f'<main id="book"></main><script>{script}</script></body></html>'
    )


def _counts(site: _Site, book: Book) -> list[list[str]]:
    """The cover's table: topics, questions, answered."""
    urls = {p.url for s in book.sections for p in s.pages}
    scope = [r for r in site.records if r["url"].split("#")[0] in urls]
    answered = sum(1 for r in scope if r["answered"])
    share = f" ({round(100 * answered / len(scope))}%)" if scope else ""
    topics = sum(len(s.pages) for s in book.sections if not s.is_page)
    return [["Topics", str(topics)], ["Questions", str(len(scope))], ["Answered in the notes", f"{answered}{share}"]]


def _footers(browser: Browser, title: str, where: list[str | None]) -> PdfReader:
    """One A4 page per page of the book with its footer: book and section name (where), page number; none where None."""
    total = len(where)
    sheets = []
    for number, place in enumerate(where):
        foot = "" if place is None else f'<div class="foot"><span>{escape(title)} · {escape(place)}</span><span>Page {number + 1} of {total}</span></div>'
        sheets.append(f'<div class="sheet">{foot}</div>')
    page: Page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><html><head><meta charset='utf-8'><style>{_FOOTER_STYLE}</style></head><body>{''.join(sheets)}</body></html>")
        return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    finally:
        page.close()


# --- joining -------------------------------------------------------------------------------


def _join(browser: Browser, site: _Site, book: Book, parts: Sequence[_Part]) -> bytes:
    """The book: its cover and contents, then the parts' pages, with one outline, the links resolved, footers laid over."""
    readers = [part.reader for part in parts]
    starts: list[int] = []
    offset = 0
    for part, reader in zip(parts, readers, strict=True):
        starts += [offset + n for n in _starts(reader, part)]
        offset += len(reader.pages)
    front = PdfReader(io.BytesIO(_print_front(browser, site, book, starts)))
    writer = PdfWriter()
    for page in front.pages:
        writer.add_page(page)
    destinations = DictionaryObject()
    where: list[str | None] = [None] + ["Contents"] * (len(front.pages) - 1)
    for part, reader in zip(parts, readers, strict=True):
        first = len(writer.pages)
        moved: dict[int, IndirectObject] = {}
        for page in reader.pages:
            added = writer.add_page(page)
            if page.indirect_reference is not None and added.indirect_reference is not None:
                moved[page.indirect_reference.idnum] = added.indirect_reference
        where += [part.section.title] * len(reader.pages)
        dests = reader.trailer["/Root"].get("/Dests")
        for name, target in (dests.get_object() if dests is not None else {}).items():
            target = target.get_object()
            if isinstance(target, DictionaryObject):
                target = target["/D"]
            destinations[NameObject(name)] = ArrayObject([moved[target[0].idnum], *target[1:]])
        titles = iter(part.headings)
        _add_outline(writer, reader, _outline_levels(reader.outline), titles, first, None, book.file)
    writer._root_object[NameObject("/Dests")] = writer._add_object(destinations)
    for page in writer.pages:
        _resolve_links(page, destinations)
        page.pop(NameObject("/StructParents"), None)
    _lay_over(writer, _footers(browser, book.title, where))
    title = book.title if book.file == WHOLE_BOOK else f"{book.title}: {book.subtitle}"
    writer.add_metadata({"/Title": title, "/Subject": book.subtitle, "/Creator": "kb pdf"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _starts(reader: PdfReader, part: _Part) -> list[int]:
    """0-based pages of the part where its contents lines start: the section, then each of its topics."""
    top = _outline_levels(reader.outline)
    if not top:
        raise RuntimeError(f"the print of section {part.section.title!r} has no bookmarks")
    heading, children = top[0]
    starts = [_page_number(reader, heading)]
    if not part.section.is_page:
        starts += [_page_number(reader, child) for child, _ in children[: len(part.section.pages)]]
    return starts


def _add_outline(writer: PdfWriter, reader: PdfReader, levels: _Levels, titles: Iterator[str], first: int,
                 parent: IndirectObject | None, file: str) -> None:
    """The part's bookmarks added under parent, titled as the headings read, on the part's pages in the book.

    Chromium's bookmark titles glue the lines of a wrapped heading together without a space;
    the outline holds one entry per heading, in order, so the titles are set again from the headings.
    """
    for entry, children in levels:
        title = next(titles, None)
        if title is None:
            raise RuntimeError(f"{file}: more bookmarks than headings")
        fit = Fit.xyz(_number(entry.get("/Left")), _number(entry.get("/Top")), _number(entry.get("/Zoom")))
        item = writer.add_outline_item(title=title, page_number=first + _page_number(reader, entry), parent=parent, fit=fit)
        _add_outline(writer, reader, children, titles, first, item, file)


def _resolve_links(page: Any, destinations: DictionaryObject) -> None:
    """Links to kb.invalid names become links to those places in the book (or to their page), or are dropped."""
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations:
        link = reference.get_object()
        link.pop(NameObject("/StructParent"), None)
        action = link.get("/A")
        uri = str(action.get("/URI", "")) if isinstance(action, DictionaryObject) else ""
        if uri.startswith(ELSEWHERE):
            name, _, fallback = uri.removeprefix(ELSEWHERE).partition("?")
            target = next((n for n in (name, fallback) if n and f"/{n}" in destinations), None)
            if target is None:
                continue
            del link["/A"]
            link[NameObject("/Dest")] = NameObject(f"/{target}")
        kept.append(reference)
    page[NameObject("/Annots")] = kept


def _lay_over(writer: PdfWriter, footers: PdfReader) -> None:
    """Each footer page drawn over the book's page as a form, the page's own content left as it is."""
    if len(footers.pages) != len(writer.pages):
        raise RuntimeError(f"{len(footers.pages)} footers for {len(writer.pages)} pages")
    save = DecodedStreamObject()
    save.set_data(b"q\n")
    save_ref = writer._add_object(save)
    draw = DecodedStreamObject()
    draw.set_data(b"\nQ\nq /KbFooter Do Q\n")
    draw_ref = writer._add_object(draw)
    for page, footer in zip(writer.pages, footers.pages, strict=True):
        form = DecodedStreamObject()
        contents = footer.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in footer.mediabox),
            NameObject("/Resources"): footer["/Resources"].clone(writer),
        })
        resources_ = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources_.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/KbFooter")] = writer._add_object(form.flate_encode())
        resources_[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources_
        own = page["/Contents"]
        own_list = list(own.get_object()) if isinstance(own.get_object(), ArrayObject) else [own]
        page[NameObject("/Contents")] = ArrayObject([save_ref, *own_list, draw_ref])


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


def _key(site: _Site, section: NavSection) -> str:
    """Hash of everything the section's print is made from."""
    digest = hashlib.sha256(site.fingerprint.encode())
    digest.update(json.dumps([section.title, section.name, section.is_page]).encode())
    for page in section.pages:
        digest.update(json.dumps([page.title, page.url]).encode())
        digest.update(files.read_text(site.root / page.rel).encode())
    return digest.hexdigest()[:32]


def _hash(*texts: str) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:32]


def _cached_part(cache: Path, section: NavSection, key: str) -> tuple[_Part | None, bool]:
    pdf = files.read_bytes_if_file(cache / f"{section.name}.{key}.pdf")
    headings = files.read_text_if_file(cache / f"{section.name}.{key}.json")
    if pdf is None or headings is None:
        return None, False
    return _Part(section, pdf, tuple(json.loads(headings))), True


def _keep_part(cache: Path, section: NavSection, key: str, part: _Part) -> None:
    files.write_bytes(cache / f"{section.name}.{key}.pdf", part.pdf)
    files.write_bytes(cache / f"{section.name}.{key}.json", json.dumps(part.headings).encode())


def _asset(name: str) -> bytes:
    return resources.files("kb.export").joinpath(name).read_bytes()


# --- helper functions ----------------------------------------------------------------------


def _outline_levels(outline: _Outline) -> _Levels:
    """pypdf's flat outline ([entry, [its children], entry, ...]) as (entry, children) pairs."""
    pairs: _Levels = []
    for item in outline:
        if isinstance(item, Destination):
            pairs.append((item, []))
        elif pairs:
            pairs[-1] = (pairs[-1][0], _outline_levels(item))
    return pairs


def _page_number(reader: PdfReader, destination: Destination) -> int:
    """The 0-based page a bookmark points to."""
    number = reader.get_destination_page_number(destination)
    if number is None:
        raise RuntimeError(f"bookmark {destination.title!r} points to no page of the PDF")
    return number


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float, FloatObject, NumberObject)) else None


def _printed_sections(nav: list[dict[str, Any]]) -> list[NavSection]:
    sections = []
    for item in nav:
        # Zensical writes the navigation's links as "./foundations/statistics.html", MkDocs without the "./"
        urls = [(p["title"], p["url"].removeprefix("./")) for p in item["pages"]]
        pages = tuple(NavPage(title, url) for title, url in urls if not url.startswith(LEFT_OUT))
        sections.append(NavSection(item["title"], pages, item["isPage"]))
    return sections


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()
