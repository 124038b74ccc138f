"""The navigation files (.pages, read by the awesome-pages plugin): the site's top level, each section's
topic pages in order, and the sources folder with its coverage page first."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict

from ..model import Handbook, Topic
from ..model.marks import NAV_HEADER
from ..model.names import GLOSSARY_PAGE, SOURCES_DIR, TAGS_PAGE
from .layout import Pages


def nav_files(handbook: Handbook, pages: Pages) -> dict[str, str]:
    files: dict[str, str] = {}
    sections: dict[str, list[Topic]] = defaultdict(list)
    for topic in pages:
        sections[topic.section_slug].append(topic)
    root = ["index.md"]
    for section_slug, topics in sections.items():
        if topics[0] == handbook.config.inbox:
            root.append(topics[0].path)
            continue
        root.append(section_slug)
        nav = "\n".join(f"  - {posixpath.basename(t.path)}" for t in topics)
        files[f"{section_slug}/.pages"] = f"{NAV_HEADER}\ntitle: {json.dumps(topics[0].section)}\nnav:\n{nav}\n"
    root += [GLOSSARY_PAGE, TAGS_PAGE]
    root += ["...", SOURCES_DIR]
    files[".pages"] = f"{NAV_HEADER}\nnav:\n" + "".join(f"  - {entry}\n" for entry in root)
    files[f"{SOURCES_DIR}/.pages"] = f"{NAV_HEADER}\ntitle: Sources and coverage\nnav:\n  - index.md\n  - ...\n"
    return files
