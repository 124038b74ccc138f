"""Benchmark: normalize, strict site build and PDF for the notes and for a corpus 20x larger.

Run with `make bench`. Prints one line per stage and corpus: seconds, output size, pages.
The larger corpus is every note 20 times over; each copy's question lines get a tag of their
own so they stay separate questions instead of merging into one entry.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
COPIES = 20
_TAGS = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa quebec romeo sierra tango".split()


def main() -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    print(f"{'corpus':<10} {'stage':<16} {'seconds':>8}  result")
    for name, copies in (("notes", 1), (f"notes x{COPIES}", COPIES)):
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            _project(project, copies)
            size = sum(p.stat().st_size for p in (project / "notes").iterdir())
            lines = sum(len(p.read_text(encoding="utf-8", errors="replace").splitlines()) for p in (project / "notes").iterdir())
            print(f"{name:<10} {'input':<16} {'':>8}  {len(list((project / 'notes').iterdir()))} notes, {lines} lines, {size / 1e3:.0f} kB")
            for stage, command in (
                ("kb normalize", [bin_dir / "kb", "normalize", "--quiet"]),
                ("mkdocs build", [bin_dir / "mkdocs", "build", "--strict", "--quiet"]),
                ("kb pdf", [bin_dir / "kb", "pdf"]),
            ):
                started = time.perf_counter()
                result = subprocess.run([str(c) for c in command], cwd=project, env=env, capture_output=True, text=True)
                seconds = time.perf_counter() - started
                if result.returncode != 0:
                    print(result.stdout, result.stderr, file=sys.stderr)
                    return 1
                print(f"{name:<10} {stage:<16} {seconds:8.1f}  {_outcome(stage, project, result.stdout)}")
    return 0


def _project(project: Path, copies: int) -> None:
    for folder in ("config", "docs", "hooks", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "notes").mkdir()
    for note in sorted((ROOT / "notes").iterdir()):
        for copy in range(copies):
            text = note.read_bytes()
            if copy:
                tag = f" ({_TAGS[copy]} set {copy + 1})".encode()
                text = re.sub(rb"\?[ \t]*$", b"?" + tag, text, flags=re.MULTILINE)
            target = note.stem + (f"-copy{copy + 1:02}" if copy else "") + note.suffix
            (project / "notes" / target).write_bytes(text)


def _outcome(stage: str, project: Path, stdout: str) -> str:
    site = project / "site"
    if stage == "kb normalize":
        pages = list((project / "docs").rglob("*.md"))
        return f"{len(pages)} pages, {sum(p.stat().st_size for p in pages) / 1e6:.1f} MB of Markdown"
    if stage == "mkdocs build":
        html = list(site.rglob("*.html"))
        return f"{len(html)} HTML pages, {sum(p.stat().st_size for p in html) / 1e6:.1f} MB"
    book = site / "handbook.pdf"
    sections = list((site / "pdf").glob("*.pdf"))
    return (
        f"handbook.pdf {len(PdfReader(book).pages)} pages {book.stat().st_size / 1e6:.1f} MB; "
        f"{len(sections)} section PDFs {sum(p.stat().st_size for p in sections) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    sys.exit(main())
