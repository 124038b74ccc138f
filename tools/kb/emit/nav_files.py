"""The navigation files, written both ways so both builders show the same sections, order and titles:
`.pages` for MkDocs (the awesome-pages plugin) and `.nav.yml` for Zensical (its built-in awesome-nav,
switched on by zensical.yml). Both list the site's top level, each section's topic pages in order, and the
sources folder with its coverage page first (and the notes' listings, unless there are many); pages kb does not list (hand-written ones) come where the
"rest" entry stands, sorted by name.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass

from ..model import Handbook, Topic
from ..model.marks import NAV_HEADER
from ..model.names import GLOSSARY_PAGE, SOURCES_DIR, TAGS_PAGE
from .layout import Pages

REST = "..."
"""The entry that stands for every page and folder of the folder that the list does not name."""
LISTINGS_IN_NAV = 25
"""Up to this many notes, each note's source listing has an entry of its own in the navigation (under Sources
and coverage). With more, the coverage page, which links every listing, stands for them: the theme writes the
whole navigation into every page, so with 500 notes the entries would cost the build more than all the text."""


@dataclass(frozen=True)
class _Folder:
    title: str | None
    """The section title, or None to keep the default."""
    entries: tuple[str, ...]
    """File and folder names in navigation order, REST among them."""
    quoted: bool = True
    """Whether the title is written as a quoted YAML string (a section's title comes from config/topics.yml)."""


def nav_files(handbook: Handbook, pages: Pages) -> dict[str, str]:
    files: dict[str, str] = {}
    for folder, nav in _folders(handbook, pages).items():
        prefix = f"{folder}/" if folder else ""
        files[f"{prefix}.pages"] = _awesome_pages(nav)
        files[f"{prefix}.nav.yml"] = _awesome_nav(nav, root=not folder)
    return files


def _folders(handbook: Handbook, pages: Pages) -> dict[str, _Folder]:
    """The navigation of each folder of docs/ ("" is the top level)."""
    folders: dict[str, _Folder] = {}
    sections: dict[str, list[Topic]] = defaultdict(list)
    for topic in pages:
        sections[topic.section_slug].append(topic)
    root = ["index.md"]
    for section_slug, topics in sections.items():
        if topics[0] == handbook.config.inbox:
            root.append(topics[0].path)
            continue
        root.append(section_slug)
        folders[section_slug] = _Folder(topics[0].section, tuple(posixpath.basename(t.path) for t in topics))
    root += [GLOSSARY_PAGE, TAGS_PAGE, REST, SOURCES_DIR]
    listings = (REST,) if len(handbook.notes) <= LISTINGS_IN_NAV else ()
    folders[SOURCES_DIR] = _Folder("Sources and coverage", ("index.md", *listings), quoted=False)
    return {"": _Folder(None, tuple(root)), **folders}


def _awesome_pages(nav: _Folder) -> str:
    """A `.pages` file: awesome-pages' "..." is the rest, in MkDocs' order (by name)."""
    title = f"title: {json.dumps(nav.title) if nav.quoted else nav.title}\n" if nav.title else ""
    return f"{NAV_HEADER}\n{title}nav:\n" + "".join(f"  - {entry}\n" for entry in nav.entries)


def _awesome_nav(nav: _Folder, root: bool) -> str:
    """A `.nav.yml` file: the rest is a glob that matches only what the list does not name (and may match
    nothing without a warning, which Zensical's strict build would fail on); sorted by name as MkDocs does,
    not awesome-nav's natural order (set at the top, the folders below inherit it)."""
    lines = [NAV_HEADER]
    if nav.title:  # with the characters as they are: Zensical's YAML reader rejects escaped surrogate pairs ("\ud83d\ude00")
        lines.append(f"title: {json.dumps(nav.title, ensure_ascii=False) if nav.quoted else nav.title}")
    if root:
        lines += ["sort:", "  type: alphabetical"]
    lines.append("nav:")
    for entry in nav.entries:
        lines += ['  - glob: "*"', "    ignore_no_matches: true"] if entry == REST else [f"  - {entry}"]
    return "\n".join(lines) + "\n"
