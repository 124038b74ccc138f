"""PDF stage: print the built site as a book, whole and one file per section, with Chromium.

Chromium (through Playwright) prints what the site shows, with Material's own styles, and
writes a tagged PDF whose outline follows the headings. The book is assembled from the built
pages in the print page itself (print/book.js): cover, contents, then every section and topic
with answers open and links between topics pointing inside the document. Two things Chromium
cannot do are done around it:
- page numbers in the contents: a first print tells on which page each section and topic
  starts (from the PDF's outline); the numbers are filled into slots of fixed width and the
  book is printed again, with the same page breaks;
- the section name in the footer: a second, tiny print makes one footer per page, which pypdf
  lays over the book's pages.
"""

from __future__ import annotations

import datetime
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias, TypedDict

from playwright.sync_api import Browser, Page
from pypdf import PdfReader, PdfWriter
from pypdf.generic import Destination, DictionaryObject, NameObject, TextStringObject

from .. import files
from ..model.names import QUESTIONS_FILE, make_slug
from .browser import chromium

WHOLE_BOOK = "handbook.pdf"
SECTION_DIR = "pdf"
LEFT_OUT = ("index.html", "tags.html", "sources/")
"""Pages not printed: the home page (the cover replaces it), the tags index (the contents and
glossary do its work on paper) and the line-by-line source listings."""

_PAGE_HEIGHT_PX = (297 - 18 - 22) / 25.4 * 96  # A4 less the @page margins of book.css, in CSS px
_PAGE_WIDTH_PX = (210 - 17 - 17) / 25.4 * 96
"""The print area: the page is laid out at this width, so boxes are measured as they will print."""


class _PrintOptions(TypedDict):
    """The arguments of Playwright's Page.pdf that print the book."""

    format: str
    print_background: bool
    prefer_css_page_size: bool
    outline: bool
    tagged: bool


_PRINT: _PrintOptions = {"format": "A4", "print_background": True, "prefer_css_page_size": True, "outline": True, "tagged": True}
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


_Outline: TypeAlias = Sequence["Destination | _Outline"]
"""pypdf's outline: bookmarks, each followed by the list of its children when it has some."""
_Levels: TypeAlias = list[tuple[Destination, "_Levels"]]
"""The outline as (bookmark, its children) pairs."""


@dataclass(frozen=True, slots=True)
class NavPage:
    title: str
    url: str
    """Path of the built page relative to the site root, as the navigation links it."""


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


def export(site: Path, date: str | None = None) -> list[Printed]:
    """Print handbook.pdf and one PDF per section into the built site; what was written."""
    date = date or _build_date()
    records = json.loads(files.read_text(site / QUESTIONS_FILE))["questions"] if (site / QUESTIONS_FILE).is_file() else []
    printed = []
    with chromium() as browser:
        page = browser.new_page()
        page.goto((site / "index.html").as_uri())
        sections = tuple(s for s in _printed_sections(page.evaluate(_READ_NAV)) if s.pages)
        stylesheets = page.evaluate(_STYLESHEETS)
        title = page.evaluate(_SITE_NAME)
        description = page.evaluate(_SITE_DESCRIPTION)
        page.close()
        books = [Book(WHOLE_BOOK, title, description, sections)]
        books += [Book(f"{SECTION_DIR}/{s.name}.pdf", title, s.title, (s,)) for s in sections]
        for book in books:
            data, pages = _print(browser, site, book, stylesheets, records, date)
            files.write_bytes(site / book.file, data)
            printed.append(Printed(book.file, pages, len(data)))
    return printed


# --- printing ------------------------------------------------------------------------------


def _print(browser: Browser, site: Path, book: Book, stylesheets: list[str], records: list[dict[str, Any]], date: str) -> tuple[bytes, int]:
    """The book's PDF and its number of pages."""
    html = _skeleton(book.title, stylesheets)
    with files.temporary_file(site, ".kb-print-", ".html", html) as skeleton:
        page = browser.new_page(viewport={"width": round(_PAGE_WIDTH_PX), "height": round(_PAGE_HEIGHT_PX)})
        try:
            page.goto(skeleton.as_uri())
            page.evaluate("book => kbBook.assemble(book)", _book_data(site, book, records, date))
            page.evaluate("document.fonts.ready")
            page.evaluate("h => kbBook.keepShortBoxesWhole(h)", _PAGE_HEIGHT_PX)
            first = page.pdf(**_PRINT)
            starts = _starts(first, book)
            page.evaluate("numbers => kbBook.fillPageNumbers(numbers)", [n + 1 for n, _ in starts])
            final = page.pdf(**_PRINT)
            headings = page.evaluate(_HEADINGS)
        finally:
            page.close()
    footers = _footers(browser, book, final)
    return _stamped(final, footers, headings, book)


def _skeleton(title: str, stylesheets: list[str]) -> str:
    css = resources.files("kb.export").joinpath("print/book.css").read_text(encoding="utf-8")
    script = resources.files("kb.export").joinpath("print/book.js").read_text(encoding="utf-8")
    links = "".join(f'<link rel="stylesheet" href="{escape(href)}">' for href in stylesheets)
    return (
        f'<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{escape(title)}</title>{links}'
        f"<style>{css}</style></head>"
        f'<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        f'<main id="book"></main><script>{script}</script></body></html>'
    )


def _book_data(site: Path, book: Book, records: list[dict[str, Any]], date: str) -> dict[str, Any]:
    urls = {p.url for s in book.sections for p in s.pages}
    scope = [r for r in records if r["url"].split("#")[0] in urls]
    answered = sum(1 for r in scope if r["answered"])
    share = f" ({round(100 * answered / len(scope))}%)" if scope else ""
    topics = sum(len(s.pages) for s in book.sections if not s.is_page)
    return {
        "title": book.title,
        "subtitle": book.subtitle,
        "date": date,
        "counts": [["Topics", str(topics)], ["Questions", str(len(scope))], ["Answered in the notes", f"{answered}{share}"]],
        "sections": [
            {
                "title": s.title,
                "isPage": s.is_page,
                "pages": [{"title": p.title, "url": (site / p.url).as_uri(), "html": files.read_text(site / p.url)} for p in s.pages],
            }
            for s in book.sections
        ],
    }


def _starts(pdf: bytes, book: Book) -> list[tuple[int, str]]:
    """(0-based page, section title) where each contents line starts, in contents order, from the PDF's outline."""
    reader = PdfReader(io.BytesIO(pdf))
    top = _outline_levels(reader.outline)
    starts: list[tuple[int, str]] = []
    for section, (heading, children) in zip(book.sections, top, strict=False):
        starts.append((_page_number(reader, heading), section.title))
        if not section.is_page:
            starts += [(_page_number(reader, child), section.title) for child, _ in children[: len(section.pages)]]
    return starts


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


def _footers(browser: Browser, book: Book, pdf: bytes) -> PdfReader:
    """One A4 page per page of the book with its footer: book and section name, page number."""
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    section_starts = sorted((_page_number(reader, h), s.title) for s, (h, _) in zip(book.sections, _outline_levels(reader.outline), strict=False))
    sheets = []
    for number in range(total):
        here = [title for start, title in section_starts if start <= number]
        where = here[-1] if here else "Contents"
        foot = f'<div class="foot"><span>{escape(book.title)} · {escape(where)}</span><span>Page {number + 1} of {total}</span></div>'
        sheets.append(f'<div class="sheet">{foot if number else ""}</div>')  # the cover has none
    page: Page = browser.new_page()
    try:
        page.set_content(
            "<!doctype html><html><head><meta charset='utf-8'><style>"
            "@page{size:A4;margin:0}body{margin:0;font:8.5pt/1.2 -apple-system,BlinkMacSystemFont,Helvetica,Arial,sans-serif;color:#555}"
            ".sheet{height:290mm;position:relative;break-after:page}"
            ".foot{position:absolute;left:17mm;right:17mm;top:281mm;display:flex;justify-content:space-between;"
            "border-top:0.5pt solid #bbb;padding-top:1.5mm}</style></head><body>" + "".join(sheets) + "</body></html>"
        )
        return PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    finally:
        page.close()


def _stamped(pdf: bytes, footers: PdfReader, headings: list[str], book: Book) -> tuple[bytes, int]:
    """The book with its footers laid over, and its bookmarks titled as the headings read.

    Chromium's bookmark titles glue the lines of a wrapped heading together without a space;
    the outline holds one entry per heading, in order, so the titles are set again from the headings.
    """
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    if len(footers.pages) != len(writer.pages):
        raise RuntimeError(f"{book.file}: {len(footers.pages)} footers for {len(writer.pages)} pages")
    for page, footer in zip(writer.pages, footers.pages, strict=True):
        page.merge_page(footer)
        page.compress_content_streams()  # merging leaves them uncompressed
    outlines = writer._root_object["/Outlines"]
    if not isinstance(outlines, DictionaryObject):
        raise RuntimeError(f"{book.file}: the outline is not a dictionary")
    entries = list(_outline_entries(outlines))
    if len(entries) != len(headings):
        raise RuntimeError(f"{book.file}: {len(entries)} bookmarks for {len(headings)} headings")
    for entry, heading in zip(entries, headings, strict=True):
        entry[NameObject("/Title")] = TextStringObject(heading)
    title = book.title if book.file == WHOLE_BOOK else f"{book.title}: {book.subtitle}"
    writer.add_metadata({"/Title": title, "/Subject": book.subtitle, "/Creator": "kb pdf"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


# --- helper functions ----------------------------------------------------------------------


def _outline_entries(node: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every bookmark below node, depth first, in document order."""
    child = node.get("/First")
    while child is not None:
        entry = child.get_object()
        yield entry
        yield from _outline_entries(entry)
        child = entry.get("/Next")


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
