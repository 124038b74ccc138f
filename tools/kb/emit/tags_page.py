"""The tags page: Material's index of topic pages by tag (the glossary terms each page mentions most)."""

from __future__ import annotations

from ..model.marks import MARKDOWN_HEADER
from .markdown import front_matter, join


def tags_page() -> str:
    return join([
        front_matter("Tags", "Topic pages by the glossary terms they mention most."), MARKDOWN_HEADER, "", "# Tags", "",
        "Each topic page is tagged with the glossary terms it mentions most; "
        "the [Glossary](glossary.md) defines them.", "",
        "<!-- material/tags -->", "",
    ])
