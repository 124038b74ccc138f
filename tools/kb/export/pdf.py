"""PDF stage: print the built site as books, whole and one file per section, with Chromium.

Chromium (through Playwright) prints what the site shows, with Material's own styles. Each
section is printed once, on its own (print/book.js lays out its pages with answers open and
lists their headings); the books are then joined from those prints with pypdf:
- a section's PDF is its cover and contents, then its printed pages; the handbook is its cover
  and contents, then every section's printed pages, so no page is printed twice;
- every place has the same destination name in every print (a hash of page and id, made by
  book.js), so a link to another section, printed as https://kb.invalid/<name>, becomes a link
  inside the handbook (in a section's own PDF it is left as text without a link);
- the bookmarks are made from the headings, at their destinations, nested by heading level;
- the covers and contents of all the books to make are printed together once the sections are:
  their page numbers are known from the destinations where sections and topics start, and fill
  slots of fixed width (a first print counts the pages each contents takes, a second one has
  the numbers);
- the footers (book, section, page number) of all the books are printed in one go on blank
  pages, and each is laid over its page as a form, without rewriting the page's own content.
A section's print is kept in a cache next to the site (.cache/kb/pdf/<site folder>/), under a
hash of everything it is made from: its pages' HTML, the site's stylesheets, book.js, book.css,
this module and the browser's version; a section's own PDF is kept under that hash and its
cover's date and counts. A section whose hash did not change is not printed again, and prints
no longer used are deleted.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias, TypedDict
from urllib.parse import unquote

from playwright.sync_api import Browser, Page
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
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
_FOOTERS_PER_PRINT = 250
"""Footers printed at a time: Chromium's time to print grows faster than the number of pages (minutes for 8000)."""
_FOOTER_STYLE = (
    "@page{size:A4;margin:0}body{margin:0;font:8.5pt/1.2 -apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif;color:#555}"
    ".sheet{height:290mm;position:relative;break-after:page}"
    ".foot{position:absolute;left:17mm;right:17mm;top:281mm;display:flex;justify-content:space-between;"
    "border-top:0.5pt solid #bbb;padding-top:1.5mm}"
)




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


@dataclass(frozen=True, slots=True)
class _Part:
    """One section as printed on its own (no cover, contents or footers), read once for every book it goes in."""

    section: NavSection
    pdf: bytes
    layout: _Layout
    reader: PdfReader


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
        parts: list[_Part] = []
        wanted: list[tuple[Book, list[_Part]]] = [(Book(WHOLE_BOOK, title, description, sections), parts)]
        section_books: list[tuple[Book, str, bool, bytes | None, int]] = []
        with _print_page(browser, shared) as page:
            for section in sections:
                key = _key(shared, section)
                part, reused = _cached_part(cache, section, key)
                if part is None:
                    part = _print_part(page, shared, section)
                    _keep_part(cache, section, key, part)
                used |= {f"{section.name}.{key}.pdf", f"{section.name}.{key}.json"}
                parts.append(part)
                book = Book(f"{SECTION_DIR}/{section.name}.pdf", title, section.title, (section,))
                stem = f"{section.name}.{_hash(key, json.dumps([date, title, _counts(shared, book)]))}.book"
                used |= {f"{stem}.pdf", f"{stem}.json"}
                data, info = files.read_bytes_if_file(cache / f"{stem}.pdf"), files.read_text_if_file(cache / f"{stem}.json")
                if data is None or info is None:
                    wanted.append((book, [part]))
                section_books.append((book, stem, reused, data, json.loads(info)["pages"] if info is not None else 0))
            made = _make_books(browser, page, shared, wanted)
    printed = [Printed(WHOLE_BOOK, made[WHOLE_BOOK][1], len(made[WHOLE_BOOK][0]))]
    files.write_bytes(site / WHOLE_BOOK, made[WHOLE_BOOK][0])
    for book, stem, reused, data, pages in section_books:
        if book.file in made:
            data, pages = made[book.file]
            files.write_bytes(cache / f"{stem}.pdf", data)
            files.write_bytes(cache / f"{stem}.json", json.dumps({"pages": pages}).encode())
        assert data is not None
        files.write_bytes(site / book.file, data)
        printed.append(Printed(book.file, pages, len(data), reused))
    files.remove_files_except(cache, used)
    return printed


# --- printing ------------------------------------------------------------------------------


def _print_part(page: Page, site: _Site, section: NavSection) -> _Part:
    """The section's pages printed on their own, without cover, contents or footers."""
    data = {
        "root": site.root.as_uri() + "/",
        "leftOut": list(LEFT_OUT),
        "section": {
            "title": section.title, "name": section.name, "isPage": section.is_page,
            "pages": [{"rel": p.rel, "url": (site.root / p.rel).as_uri(), "html": files.read_text(site.root / p.rel)} for p in section.pages],
        },
    }
    layout: _Layout = page.evaluate("book => kbBook.body(book)", data)
    page.evaluate("document.fonts.ready")
    page.evaluate("h => kbBook.keepShortBoxesWhole(h)", _PAGE_HEIGHT_PX)
    pdf = page.pdf(**_PRINT)
    return _Part(section, pdf, layout, PdfReader(io.BytesIO(pdf)))


def _make_books(browser: Browser, page: Page, site: _Site, wanted: list[tuple[Book, list[_Part]]]) -> dict[str, tuple[bytes, int]]:
    """Each book joined from its parts (file -> PDF, pages); the covers and contents in one print, the footers in another."""
    places = {part.section.name: _places(part) for _, parts in wanted for part in parts}
    starts = []
    for _, parts in wanted:
        offset, lines = 0, []
        for part in parts:
            lines += [offset + _place(places[part.section.name], name, part)[0] for name in part.layout["starts"]]
            offset += len(part.reader.pages)
        starts.append(lines)
    fronts = _print_fronts(page, site, [book for book, _ in wanted], starts)
    where: list[list[str | None]] = []
    for (_, parts), front in zip(wanted, fronts, strict=True):
        where.append([None] + ["Contents"] * (len(front) - 1) + [p.section.title for p in parts for _ in p.reader.pages])
    footers = _footers(browser, [(book.title, places_) for (book, _), places_ in zip(wanted, where, strict=True)])
    return {book.file: _join(book, parts, front, footer, places)
            for (book, parts), front, footer in zip(wanted, fronts, footers, strict=True)}


def _print_fronts(page: Page, site: _Site, books: list[Book], starts: list[list[int]]) -> list[list[PageObject]]:
    """The cover and contents of each book; starts: the 0-based page, after the contents, where each of its contents lines starts.

    A first print tells how many pages each book's contents take; the page numbers fill slots of
    fixed width, so the second print, with the numbers, breaks its pages at the same places.
    """
    data = [
        {
            "title": book.title, "subtitle": book.subtitle, "date": site.date, "counts": _counts(site, book),
            "sections": [
                {"title": s.title, "name": s.name, "isPage": s.is_page, "pages": [{"title": p.title, "rel": p.rel} for p in s.pages]}
                for s in book.sections
            ],
        }
        for book in books
    ]
    page.evaluate("books => kbBook.fronts(books)", data)
    page.evaluate("document.fonts.ready")
    first = _split_fronts(PdfReader(io.BytesIO(page.pdf(**_PRINT))), len(books))
    page.evaluate("numbers => kbBook.fillPageNumbers(numbers)", [[len(f) + n + 1 for n in s] for f, s in zip(first, starts, strict=True)])
    final = _split_fronts(PdfReader(io.BytesIO(page.pdf(**_PRINT))), len(books))
    if [len(f) for f in final] != [len(f) for f in first]:
        raise RuntimeError("the contents took other pages once their page numbers were filled in")
    return final


def _split_fronts(reader: PdfReader, count: int) -> list[list[PageObject]]:
    """The pages of each book's cover and contents in a print of several (front-<n> is where book n starts)."""
    places = _destinations(reader)
    firsts = [places[f"front-{n}"][0] for n in range(count)] + [len(reader.pages)]
    return [list(reader.pages[a:b]) for a, b in itertools.pairwise(firsts)]


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
    scope = [r for r in site.records if r["url"].split("#")[0] in urls]
    answered = sum(1 for r in scope if r["answered"])
    share = f" ({round(100 * answered / len(scope))}%)" if scope else ""
    topics = sum(len(s.pages) for s in book.sections if not s.is_page)
    return [["Topics", str(topics)], ["Questions", str(len(scope))], ["Answered in the notes", f"{answered}{share}"]]


def _footers(browser: Browser, books: list[tuple[str, list[str | None]]]) -> list[list[PageObject]]:
    """For each book (title, section name of each page), one A4 page per page with its footer: book and section name,
    page number; none where the name is None. All books in one print."""
    sheets = []
    for title, where in books:
        for number, place in enumerate(where):
            if place is None:
                sheets.append('<div class="sheet"></div>')
                continue
            foot = f'<div class="foot"><span>{escape(title)} · {escape(place)}</span><span>Page {number + 1} of {len(where)}</span></div>'
            sheets.append(f'<div class="sheet">{foot}</div>')
    printed: list[PageObject] = []
    page: Page = browser.new_page()
    try:
        for start in range(0, len(sheets), _FOOTERS_PER_PRINT):
            batch = sheets[start:start + _FOOTERS_PER_PRINT]
            page.set_content(f"<!doctype html><html><head><meta charset='utf-8'><style>{_FOOTER_STYLE}</style></head><body>{''.join(batch)}</body></html>")
            printed += PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True))).pages
    finally:
        page.close()
    if len(printed) != len(sheets):
        raise RuntimeError(f"{len(printed)} footers printed for {len(sheets)} pages")
    ends = list(itertools.accumulate(len(where) for _, where in books))
    return [printed[end - len(where):end] for (_, where), end in zip(books, ends, strict=True)]


# --- joining -------------------------------------------------------------------------------


def _join(book: Book, parts: Sequence[_Part], front: list[PageObject], footers: list[PageObject],
          places: dict[str, dict[str, _Place]]) -> tuple[bytes, int]:
    """The book and its number of pages: its cover and contents, then the parts' pages, one outline, links resolved, footers laid over."""
    writer = PdfWriter()
    for page in front:
        writer.add_page(page)
    destinations = DictionaryObject()
    for part in parts:
        first = len(writer.pages)
        added = [writer.add_page(page).indirect_reference for page in part.reader.pages]
        for name, (number, rest) in places[part.section.name].items():
            destinations[NameObject(f"/{name}")] = ArrayObject([added[number], *rest])
        _add_outline(writer, part, places[part.section.name], first)
    writer._root_object[NameObject("/Dests")] = writer._add_object(destinations)
    for page in writer.pages:
        _resolve_links(page, destinations)
    _lay_over(writer, footers)
    title = book.title if book.file == WHOLE_BOOK else f"{book.title}: {book.subtitle}"
    writer.add_metadata({"/Title": title, "/Subject": book.subtitle, "/Creator": "kb pdf"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


_Place: TypeAlias = tuple[int, list[Any]]
"""A destination in a print: its 0-based page, and the rest of its array (/XYZ left top zoom)."""


def _places(part: _Part) -> dict[str, _Place]:
    """Every named destination of the part's print."""
    return _destinations(part.reader)


def _destinations(reader: PdfReader) -> dict[str, _Place]:
    """Every named destination of a print of Chromium's (a /Dests dictionary)."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages) if page.indirect_reference is not None}
    places = {}
    for name, target in _dictionary(_dictionary(reader.trailer.get("/Root")).get("/Dests")).items():
        target = target.get_object()
        if isinstance(target, DictionaryObject):
            target = target["/D"]
        places[str(name).removeprefix("/")] = (numbers[target[0].idnum], list(target[1:]))
    return places


def _place(places: dict[str, _Place], name: str, part: _Part) -> _Place:
    place = places.get(name)
    if place is None:
        raise RuntimeError(f"the print of section {part.section.title!r} has no destination {name}")
    return place


def _add_outline(writer: PdfWriter, part: _Part, places: dict[str, _Place], first: int) -> None:
    """One bookmark per heading of the part, nested by heading level, on its page in the book.

    A heading that was not printed (hidden) has no destination and no bookmark.
    """
    parents: list[tuple[int, IndirectObject]] = []
    for heading in part.layout["headings"]:
        place = places.get(heading["name"])
        if place is None:
            continue
        number, rest = place
        while parents and parents[-1][0] >= heading["level"]:
            parents.pop()
        left, top, zoom = (_number(v) for v in (rest + [None, None, None])[1:4])
        item = writer.add_outline_item(title=heading["title"], page_number=first + number, parent=parents[-1][1] if parents else None,
                                       fit=Fit.xyz(left, top, zoom))
        parents.append((heading["level"], item))


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


def _lay_over(writer: PdfWriter, footers: list[PageObject]) -> None:
    """Each footer page drawn over the book's page as a form, the page's own content left as it is."""
    save = DecodedStreamObject()
    save.set_data(b"q\n")
    save_ref = writer._add_object(save)
    draw = DecodedStreamObject()
    draw.set_data(b"\nQ\nq /KbFooter Do Q\n")
    draw_ref = writer._add_object(draw)
    for page, footer in zip(writer.pages, footers, strict=True):
        form = DecodedStreamObject()
        contents = footer.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in footer.mediabox),
            NameObject("/Resources"): footer["/Resources"].clone(writer),
        })
        resources = DictionaryObject(_dictionary(page.get("/Resources")))  # a copy: pages may share theirs
        xobjects = DictionaryObject(_dictionary(resources.get("/XObject")))
        xobjects[NameObject("/KbFooter")] = writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        own = page.raw_get("/Contents")
        resolved = own.get_object() if isinstance(own, IndirectObject) else own
        streams = list(resolved) if isinstance(resolved, ArrayObject) else [own]
        page[NameObject("/Contents")] = ArrayObject([save_ref, *streams, draw_ref])


def _dictionary(value: object) -> DictionaryObject:
    """value (an indirect reference resolved) if it is a dictionary, else an empty one."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


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
    layout = files.read_text_if_file(cache / f"{section.name}.{key}.json")
    if pdf is None or layout is None:
        return None, False
    return _Part(section, pdf, json.loads(layout), PdfReader(io.BytesIO(pdf))), True


def _keep_part(cache: Path, section: NavSection, key: str, part: _Part) -> None:
    files.write_bytes(cache / f"{section.name}.{key}.pdf", part.pdf)
    files.write_bytes(cache / f"{section.name}.{key}.json", json.dumps(part.layout).encode())


def _asset(name: str) -> bytes:
    return resources.files("kb.export").joinpath(name).read_bytes()


# --- helper functions ----------------------------------------------------------------------


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
