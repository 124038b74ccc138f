"""Private topics: which one a text mentions, by the topics' keywords (the strict test of `words.private_mentions`).

Both parts of the classify stage ask it: placing decides private topics first, and merging leaves out blocks that
mention one, so no private line reaches a public question by a merge.
"""

from __future__ import annotations

from ..memory import remembered_this_run
from ..model import Config, Placement
from ..words import correct, private_mentions


def private_placement(text: str, config: Config) -> Placement | None:
    """The private topic whose keywords the text mentions anywhere, even glued to a figure."""
    private = private_topic(text, config)
    return Placement(config.topics[private[0]], private[1]) if private else None


@remembered_this_run
def private_topic(text: str, config: Config) -> tuple[int, str] | None:
    """What `private_placement` finds, as plain data: the private topic's number and why."""
    found = private_mentions(correct(text, config), config) or private_mentions(text, config)
    for number, topic in enumerate(config.topics):
        if topic.slug in found:
            return number, f"mentions {', '.join(sorted(found[topic.slug]))} of the private topic"
    return None
