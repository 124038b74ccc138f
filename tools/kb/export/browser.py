"""Headless Chromium through Playwright: Debian's package, never a downloaded browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
"""The browser binary; `KB_CHROMIUM` (the Makefile's `CHROMIUM`) points at another one."""

INSTALL_HINT = "install Debian's chromium (`sudo apt-get install chromium`, or `make site`), or set KB_CHROMIUM to a Chromium or Chrome binary"

_ARGS = [
    # flags that keep Chromium from calling home on a machine without a network
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic", "--disable-features=Translate,OptimizationHints",
]


class ChromiumMissingError(RuntimeError):
    pass


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    if not CHROMIUM.exists():
        raise ChromiumMissingError(f"{CHROMIUM} not found: {INSTALL_HINT}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
