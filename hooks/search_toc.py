"""Speed only, MkDocs only: Material's search plugin finds the table-of-contents entry of each section of a page by
walking the page's whole table of contents, once per section. A topic page at 100x the notes has ~1,000 headings, so
that is ~1,000 walks of ~1,000 entries per page (6 million calls, ~1-2 s of a 25 s build). Here the entries of the page
being indexed are looked up in a dict made once per page: the same entry, the first in document order with that id.
The search index is the same either way (Zensical, which runs no hooks, has its own search).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from material.plugins.search.plugin import SearchIndex
except ImportError:  # another theme, or a Material without this plugin: nothing to speed up
    SearchIndex = None


def entries_by_id(toc: Iterable[Any]) -> dict[object, Any]:
    """Each id of the table of contents and its first entry in document order (a parent before its children)."""
    found: dict[object, Any] = {}
    stack = list(reversed(list(toc)))
    while stack:
        item = stack.pop()
        found.setdefault(item.id, item)
        stack.extend(reversed(list(item.children)))
    return found


_indexed: list[Any] = [None, {}]
"""The table of contents last indexed, and its entries by id (pages are indexed one after another)."""


def _find_toc_by_id(self: Any, toc: Any, id: object) -> Any:  # noqa: A002  # the name Material's method gives it
    if _indexed[0] is not toc:
        _indexed[0], _indexed[1] = toc, entries_by_id(toc)
    return _indexed[1].get(id)


if SearchIndex is not None and callable(getattr(SearchIndex, "_find_toc_by_id", None)):
    SearchIndex._find_toc_by_id = _find_toc_by_id
