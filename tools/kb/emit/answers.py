"""Every answered question's answer as HTML, rendered once: topic pages put it into their answer boxes
as it is (MkDocs passes HTML through instead of parsing the answer again), and the Practice data and
questions.json carry it with its links made relative to the site root.

Answers are rendered from the Markdown the topic page would show (note text escaped by emit, so the
HTML holds no markup from the notes), with the Markdown extensions of mkdocs.yml, links written to the
built .html pages. Nothing here depends on the site engine: MkDocs and Zensical show the same HTML.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import TYPE_CHECKING

from ..model import Links, MergedQuestion, Topic
from .topic_page import answer_lines, answer_markdown

if TYPE_CHECKING:
    import markdown

EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.details", "pymdownx.superfences",
              "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.keys"]
"""The Markdown extensions of mkdocs.yml that answers can use (no toc: answers have no headings)."""
CODE_LINE_ANCHOR = "__codelineno"
"""The prefix of the ids pymdownx.highlight gives code lines (anchor_linenums)."""
_CODE_LINE = re.compile(rf'\b(id|name|href)="(#?){CODE_LINE_ANCHOR}-(\d+)-')
_URL_ATTRIBUTE = re.compile(r'\b(href|src)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


Rendered = tuple[str, str, int]
"""A question's answers as the notes give them (Markdown, one after another: questions.json's), as its topic page
shows them (HTML, links relative to that page, code lines numbered from 0), and how many code lines that numbered."""


@dataclass(frozen=True, slots=True)
class Answer:
    markdown: str
    """The answers as the notes give them (Markdown, one after another): questions.json's."""
    html: str
    """As the question's topic page shows it (HTML, links relative to that page)."""
    rooted: str
    """The HTML with its links made relative to the site root (for the Practice data and questions.json)."""


def render_answer(topic: Topic, question: MergedQuestion, sources: dict[str, str], links: Links) -> Rendered | None:
    """A question's answer as its topic page shows it, links relative to that page, before `place_answer` numbers its
    code lines; None when the notes do not answer it."""
    answered = answer_lines(question)
    if not answered:
        return None
    markdown = "\n\n".join("\n".join(lines).strip() for _, lines in answered)
    html = _html("\n".join(answer_markdown(topic, question, sources, links, answered)))
    count = max((int(m.group(3)) + 1 for m in _CODE_LINE.finditer(html)), default=0) if CODE_LINE_ANCHOR in html else 0
    return markdown, html, count


def place_answer(topic: Topic, rendered: Rendered, numbered: int) -> Answer:
    """A rendered answer where it stands on its topic page, after answers that numbered `numbered` code lines.

    Each answer is rendered on its own, so pymdownx.highlight would number the code blocks of every
    answer from 0, and MkDocs numbers the code blocks of the rest of the page from 0 too: the code
    line ids of answers are renumbered through the page, as a0, a1... (`__codelineno-a1-3`), so no id
    is on a page twice."""
    markdown, html, count = rendered
    if count:
        html = _CODE_LINE.sub(partial(_renumber, numbered), html)
    return Answer(markdown, html, _URL_ATTRIBUTE.sub(partial(_rebase, topic.path), html))


# --- helper functions ------------------------------------------------------------------------------


def _html(text: str) -> str:
    """Markdown as HTML (rendering is most of what emit does the first time: pieces.py remembers what it rendered)."""
    renderer = _renderer()
    renderer.reset()
    html: str = renderer.convert(text)
    return html


@cache
def _renderer() -> markdown.Markdown:
    """Python-Markdown with the extensions of mkdocs.yml; imported here, as a run renders an answer only when one is new
    (~0.03 s of imports that a run after an edit of a question without an answer need not pay)."""
    import markdown

    return markdown.Markdown(extensions=EXTENSIONS, extension_configs={"pymdownx.highlight": {"anchor_linenums": True}})


def _renumber(base: int, match: re.Match[str]) -> str:
    return f'{match.group(1)}="{match.group(2)}{CODE_LINE_ANCHOR}-a{base + int(match.group(3))}-'


def _rebase(page: str, match: re.Match[str]) -> str:
    return f'{match.group(1)}="{_from_root(page, match.group(2))}"'


@lru_cache(maxsize=1 << 16)
def _from_root(page: str, url: str) -> str:
    """A link written on docs/page, as a link from a page at the top of the site (built .html URL)."""
    if not url or _SCHEME.match(url) or url.startswith("/"):
        return url
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    target = re.sub(r"\.md$", ".html", target)
    return target + (f"#{anchor}" if anchor else "")
