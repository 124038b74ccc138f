"""hooks/search_toc.py: Material's search finds each section's table-of-contents entry in a dict made once per page,
the same entry its own walk finds (the first in document order with that id), for every id and for ids not there."""

from __future__ import annotations

import importlib.util
import sys

import markdown
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.toc import get_toc

from tests.conftest import ROOT

ORIGINAL = SearchIndex._find_toc_by_id


def _hook():
    spec = importlib.util.spec_from_file_location("search_toc_under_test", ROOT / "hooks" / "search_toc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        SearchIndex._find_toc_by_id = ORIGINAL  # the test compares with Material's own; the build's hook is loaded by MkDocs
    return module


def _toc(text: str):
    md = markdown.Markdown(extensions=["toc", "attr_list"])
    md.convert(text)
    return get_toc(md.toc_tokens)


def test_the_dict_finds_what_materials_walk_finds():
    hook = _hook()
    page = "\n\n".join([
        "# Title", "## A", "### A one", "#### deep", "## B", "### Same {#same}", "## Other {#same}", "### A one",
        "## C", "### c1", "### c2", "#### c2 deep {#deep}", "## D {#deep}",
    ])
    toc = _toc(page)
    ids = [*hook.entries_by_id(toc), "missing", None, ""]
    assert {"title", "a", "a-one", "deep", "b", "same", "c2"} <= set(ids)
    plugin = SearchIndex()
    for found_id in ids:
        assert hook._find_toc_by_id(plugin, toc, found_id) is ORIGINAL(plugin, toc, found_id), found_id
    other = _toc("# Else\n\n## A\n")  # the next page's table: indexed anew, not the last one's
    assert hook._find_toc_by_id(plugin, other, "a") is ORIGINAL(plugin, other, "a") is not None
    assert hook._find_toc_by_id(plugin, other, "same") is None


def test_the_hook_replaces_materials_walk_when_mkdocs_loads_it():
    hook = _hook()
    assert SearchIndex._find_toc_by_id is ORIGINAL
    SearchIndex._find_toc_by_id = hook._find_toc_by_id
    try:
        spec = importlib.util.spec_from_file_location("search_toc_loaded", ROOT / "hooks" / "search_toc.py")
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
        assert SearchIndex._find_toc_by_id is not ORIGINAL and SearchIndex._find_toc_by_id.__module__ == "search_toc_loaded"
    finally:
        SearchIndex._find_toc_by_id = ORIGINAL
