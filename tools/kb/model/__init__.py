"""The data that flows through the pipeline: small, frozen, typed.

read -> Note; parse -> ParsedNote (entries, drops, contexts); classify -> Handbook (placed questions and
blocks); link -> Links; emit -> files. Names (slugs, page paths, URLs) are made in `names` only.
"""

from .config import Config, Term, Topic
from .handbook import Handbook, Links, MergedQuestion, PlacedBlock, Placement, Stats
from .names import NoteName, PagePath, Slug, Url
from .notes import (
    Block,
    Code,
    Content,
    Context,
    Drop,
    Entry,
    Item,
    ItemList,
    Label,
    Link,
    Note,
    Paragraph,
    ParsedNote,
    Problem,
    Question,
    Source,
    Text,
)

__all__ = [
    "Block", "Code", "Config", "Content", "Context", "Drop", "Entry", "Handbook", "Item", "ItemList", "Label", "Link",
    "Links", "MergedQuestion", "Note", "NoteName", "PagePath", "Paragraph", "ParsedNote", "PlacedBlock", "Placement",
    "Problem", "Question", "Slug", "Source", "Stats", "Term", "Text", "Topic", "Url",
]
