"""Python's cycle collector, paused for work that makes objects by the hundred thousand that live on and little garbage in
cycles: unpickling the cache (files.NoteCache), and the stages after parsing (pipeline.build). The collector would look
over all those objects, for nothing, even with the CLI's higher thresholds (cli.GC_THRESHOLD): at 100x, 0.22-0.25 s of
CPU in collections of a run after an edit (then ~0.01 s). Parsing does make garbage in cycles (markdown-it's trees: ~2
million objects at 100x), so it runs with the collector on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(promote: bool = False) -> Iterator[None]:
    """The cycle collector off inside (as it was before, after).

    With promote, what is alive on leaving goes to the collector's oldest generation unscanned (gc.freeze then
    gc.unfreeze), which only a full collection looks at, rather than to the youngest, all of which the collector would
    look over at its next collection. Not done when something else froze objects (gc.get_freeze_count()): unfreezing
    would thaw those too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if promote and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
