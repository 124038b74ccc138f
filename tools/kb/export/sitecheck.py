"""`kb check-site`: the built HTML must carry no script or live markup that did not come from our templates,
and every link between its pages must land.

A second line of defence after emit's escaping: it reads every built page (stdlib html.parser
only) and reports, by page and where it can by note line, anything from the page content that
could run or navigate on its own. Material's own template markup is outside the page's
<article>; inside it, everything came from docs/ and so, mostly, from the notes.

Links: MkDocs checks the links and anchors of Markdown, but topic pages write most of theirs in HTML
(emit/topic_page.py), which MkDocs passes through unchecked. So every relative link and image of every
built page is checked here: its file exists and, on a page, the anchor it names is an id there. Links to
an anchor of the same page alone ("#setup") are left to the notes, as MkDocs leaves them: kb writes
none, and a note's hand-written table of contents may name headings by other ids than the site's.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCRIPT_DIR = "assets/javascripts/"
"""Where Material's scripts, the offline plugin's and our extra_javascript live in the built site."""
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
TEMPLATE_URLS = frozenset({"javascript:void(0)"})
"""Material's search button: the one script URL its templates write (outside the content)."""
CONTENT_ONLY_FORBIDDEN = frozenset({"iframe", "object", "embed", "form", "frame", "frameset", "base"})
"""Elements our templates use (the search and palette forms) but the content never should."""
MADE_AFTER_THE_BUILD = (".pdf", ".apkg")
"""Files the home page links that `kb pdf` and `kb anki` write into the site after the build (and check-site)."""
UNCHECKED_PAGES = frozenset({"404.html"})
"""Material's error page links from the site root, wherever it is served."""


@dataclass(frozen=True)
class Finding:
    page: str
    what: str
    near: str
    """The note line nearest before it ("hostile.md, line 3"), or empty."""

    def __str__(self) -> str:
        return f"{self.page}: {self.what}" + (f" (near notes/{self.near})" if self.near else "")


class _PageChecker(HTMLParser):
    def __init__(self, page: str, note: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.note = note
        """The note a source listing page lists (its title), else empty."""
        self.content = 0
        """Depth inside <article>: the page content made from docs/."""
        self.near = ""
        self.source_link: str | None = None
        self.findings: list[Finding] = []
        self.ids: set[str] = set()
        """The anchors a link can name on this page: ids, and the names of <a name=…>."""
        self.links: list[tuple[str, str]] = []
        """Each relative link and image source on the page, with the note line nearest before it."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "article":
            self.content += 1
        row = re.fullmatch(r"L(\d+)", values.get("id", ""))
        if self.content and row and self.note:
            self.near = f"{self.note}, line {row.group(1)}"
        if tag == "a" and re.search(r"sources/[^#]*#L\d+$", values.get("href", "")):
            self.source_link = ""  # collects the link text: "hostile.md, lines 3–5"
        if tag == "script":
            self._script(values)
        elif self.content and tag in CONTENT_ONLY_FORBIDDEN:
            self._report(f"<{tag}> in the content")
        elif self.content and tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._report("<meta http-equiv=refresh> in the content")
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        url = values.get("href") if tag == "a" else values.get("src") if tag == "img" else None
        if url is not None and not _SCHEME.match(url) and not url.startswith(("/", "#")):
            self.links.append((url, self.near if self.content else ""))
        for name, value in values.items():
            if name.startswith("on"):
                self._report(f"<{tag} {name}=…> event handler")
            elif name in URL_ATTRIBUTES and _bad_url(value, template=not self.content):
                self._report(f"<{tag} {name}=\"{value[:40]}\">")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self.content:
            self.content -= 1
        if tag == "a" and self.source_link is not None:
            self.near, self.source_link = self.source_link.strip(), None

    def handle_data(self, data: str) -> None:
        if self.source_link is not None:
            self.source_link += data

    def _script(self, values: dict[str, str]) -> None:
        src = values.get("src")
        if self.content:
            self._report("<script> in the content")
        elif src is not None:
            base = "/" if src.startswith("/") else posixpath.dirname(self.page)  # 404.html links from the site root
            path = posixpath.normpath(posixpath.join(base, src)).lstrip("/")
            if "://" in src or not path.startswith(SCRIPT_DIR):
                self._report(f'<script src="{src[:60]}"> from outside {SCRIPT_DIR}')
        # inline scripts outside the content are Material's (palette, __config, scope)

    def _report(self, what: str) -> None:
        self.findings.append(Finding(self.page, what, self.near if self.content else ""))


def _bad_url(value: str, template: bool) -> bool:
    url = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21)))).lower()
    return url.startswith(BAD_SCHEMES) and not (template and url in TEMPLATE_URLS)


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//")


def check_page(page: str, text: str) -> list[Finding]:
    """What is wrong with one built page (page: its path inside the site, e.g. sources/x.html); its links
    are checked by check_site, which knows the other pages."""
    return _read_page(page, text).findings


def check_site(site: Path) -> list[Finding]:
    """Every finding in every page of a built site (the theme's own assets/ are not pages), and every
    relative link or image that does not land: a file missing, or an anchor missing on its page."""
    findings = []
    pages: dict[str, _PageChecker] = {}
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        if not page.startswith("assets/"):
            pages[page] = _read_page(page, path.read_text(encoding="utf-8", errors="replace"))
            findings += pages[page].findings
    for page, checker in pages.items():
        if page not in UNCHECKED_PAGES:
            findings += [Finding(page, what, near) for url, near in checker.links if (what := _broken(site, pages, page, url))]
    return findings


def _read_page(page: str, text: str) -> _PageChecker:
    title = re.search(r"<h1[^>]*>(.*?)<", text, re.DOTALL)
    note = html.unescape(title.group(1)).strip() if page.startswith("sources/") and title else ""
    checker = _PageChecker(page, note)
    checker.feed(text)
    checker.close()
    return checker


def _broken(site: Path, pages: dict[str, _PageChecker], page: str, url: str) -> str:
    """What is wrong with a relative link on page, or nothing."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    if path.endswith("/") or (path and (site / target).is_dir()):
        target = posixpath.join(target, "index.html")
    if target.startswith("../"):
        return f'link to "{url[:80]}" outside the site'
    if target in pages:
        anchor = unquote(parts.fragment)
        return f'link to a missing anchor: "{url[:80]}"' if anchor and anchor not in pages[target].ids else ""
    if target.endswith(MADE_AFTER_THE_BUILD) or (site / target).is_file():
        return ""
    return f'link to a missing file: "{url[:80]}"'

