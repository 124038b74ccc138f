"""Speed only, MkDocs only: the HTML blocks kb writes into its pages go around Python-Markdown.

kb writes what it adds around the notes (source lines, term chips, answers, the source listings) as
HTML blocks, which Markdown passes through as they are: but Python-Markdown reads every tag of them
to find where they end, and MkDocs reads them all again for their ids. Before MkDocs renders a page kb
generated, each such block is swapped for a comment (kb.emit.set_aside_html), and after, swapped back;
the ids in the blocks are added to the page's anchors, so the strict build still checks links to them.
The page is the same HTML either way (Zensical, which runs no hooks, renders the blocks itself).
"""

from __future__ import annotations

import html
import re
import secrets
from typing import Any

from mkdocs.exceptions import PluginError

from kb.emit import put_back_html, set_aside_html
from kb.model.marks import MARKDOWN_HEADER

_MARK = f"kb-html-{secrets.token_hex(4)}"
"""The comments' word: new each build, so nothing in a page can name a block."""
_ID = re.compile(r'<[a-z][^>]*?\s(?:id|name)="([^"]*)"')
_set_aside: dict[str, list[str]] = {}
"""The blocks taken out of each page being built, by its path in docs/."""


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if not markdown.startswith(MARKDOWN_HEADER):
        return markdown  # a page kb did not write
    text, blocks = set_aside_html(markdown, _MARK)
    _set_aside[page.file.src_uri] = blocks
    return text


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    blocks = _set_aside.pop(page.file.src_uri, None)
    if not blocks:
        return content
    content, put = put_back_html(content, _MARK, blocks)
    if put != len(blocks):
        raise PluginError(f"docs/{page.file.src_uri}: {len(blocks) - put} of its HTML blocks did not come back after Markdown")
    if isinstance(page.present_anchor_ids, set):
        page.present_anchor_ids.update(html.unescape(i) for block in blocks for i in _ID.findall(block))
    return content
