"""A real headless Chromium (Debian's package) driving the built site."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from kb.export.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site with Pagefind's index, as `make site` leaves it (a copy: other tests read built_site)."""
    out = tmp_path_factory.mktemp("browser") / "site"
    shutil.copytree(built_site, out)
    pagefind(out)
    return out


def pagefind(site: Path) -> None:
    """Index a built site with Pagefind, as `make site` does after the build."""
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")  # closed before other modules start a Playwright of their own (kb pdf)
def browser() -> Iterator[Browser]:
    with chromium() as browser:  # fails, saying how to get Chromium, where it is missing
        yield browser


def assert_no_serious_violations(page: Page) -> None:
    """axe-core on the page as it is now: no serious or critical accessibility violation."""
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})" for v in serious)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass
