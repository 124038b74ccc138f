"""`kb check-site`: the built HTML must carry no script or live markup that did not come from our templates.

A second line of defence after emit's escaping: it reads every built page (stdlib html.parser
only) and reports, by page and where it can by note line, anything from the page content that
could run or navigate on its own. Material's own template markup is outside the page's
<article>; inside it, everything came from docs/ and so, mostly, from the notes.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SCRIPT_DIR = "assets/javascripts/"
"""Where Material's scripts, the offline plugin's and our extra_javascript live in the built site."""
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "background"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
TEMPLATE_URLS = frozenset({"javascript:void(0)"})
"""Material's search button: the one script URL its templates write (outside the content)."""
CONTENT_ONLY_FORBIDDEN = frozenset({"iframe", "object", "embed", "form", "frame", "frameset", "base"})
"""Elements our templates use (the search and palette forms) but the content never should."""


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


def check_page(page: str, text: str) -> list[Finding]:
    """What is wrong with one built page (page: its path inside the site, e.g. sources/x.html)."""
    title = re.search(r"<h1[^>]*>(.*?)<", text, re.DOTALL)
    note = html.unescape(title.group(1)).strip() if page.startswith("sources/") and title else ""
    checker = _PageChecker(page, note)
    checker.feed(text)
    checker.close()
    return checker.findings


def check_site(site: Path) -> list[Finding]:
    """Every finding in every page of a built site (the theme's own assets/ are not pages)."""
    findings = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        if not page.startswith("assets/"):
            findings += check_page(page, path.read_text(encoding="utf-8", errors="replace"))
    return findings
