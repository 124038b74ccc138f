"""Benchmark: every stage at 1x, 20x and 100x the notes, cold and warm, against a naive site.

Run with `make bench` (BENCH_SIZES=1,20 for a shorter run). For each corpus it prints one line
per stage: wall seconds, peak memory (the largest process's resident set) and what came out:

- kb normalize, cold (no cache) and warm (one note edited, the cache of the cold run kept; the median of three runs,
  each after one more question added to that note);
- mkdocs build --strict of the generated docs/, and the naive build: the same notes copied in
  as plain Markdown pages, the same theme, plugins and extensions, no kb content (the baseline);
- pagefind (the search index over HTTP), when it is installed, and search over HTTP in headless
  Chromium: bytes fetched to open the home page and show the first results, and milliseconds from
  the last keystroke to the results (median and slowest of a few reader queries);
- kb pdf, cold and warm (after the same edit, the site rebuilt).

Before each stage, the machine is given a few seconds to become idle (`_settle`).
Then the ratios that matter: normalize seconds per MB at 20x against 100x (linearity), the build
over the naive build, warm over cold. The larger corpora are every note N times over, with a
word of each copy's own on every line, so that copies stay separate questions (a few askings
still merge: a tag that lands outside a question's wording) instead of one entry with N askings.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.naive_site import naive_project  # noqa: E402

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "1,20,100").split(","))
EDIT = "\nWhat does a warm rebuild re-read?\n"
"""The change of the warm runs: one question added at the end of one note."""
WARM_EDITS = ("", " Again?", " And a third time?")
"""`kb normalize` after an edit runs three times, each after one more question is added to the same note (EDIT, then EDIT
with these words), and the median is its figure: this machine's speed varies from minute to minute."""

_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=open(sys.argv[0] + '.rss', 'w'))\n"
    "sys.exit(code)\n"
)
"""Runs a command and writes the peak resident set (kB) of its largest process, itself or any
descendant it waited for, next to the script."""


@dataclass
class Figure:
    seconds: float
    peak_mb: float
    result: str


def main() -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    has_pagefind = subprocess.run([sys.executable, "-c", "import pagefind_bin"], capture_output=True).returncode == 0
    figures: dict[tuple[int, str], Figure] = {}
    sizes: dict[int, float] = {}
    print(f"{'corpus':<6} {'stage':<22} {'seconds':>8} {'peak MB':>8}  result")
    speeds = [_machine_speed()]
    for copies in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            project, naive = Path(folder) / "project", Path(folder) / "naive"
            _project(project, copies)
            naive_project(project / "notes", naive)
            notes = sorted((project / "notes").iterdir())
            sizes[copies] = sum(p.stat().st_size for p in notes) / 1e6
            lines = sum(len(p.read_bytes().splitlines()) for p in notes)
            print(f"{copies:>4}x  {'notes':<22} {'':>8} {'':>8}  {len(notes)} notes, {lines} lines, {sizes[copies]:.2f} MB")
            kb, mkdocs = str(bin_dir / "kb"), str(bin_dir / "mkdocs")
            steps: list[tuple[str, Path, list[str]]] = [
                ("kb normalize", project, [kb, "normalize", "--quiet"]),
                ("mkdocs build", project, [mkdocs, "build", "--strict", "--quiet"]),
                ("naive mkdocs build", naive, [mkdocs, "build", "--quiet"]),
            ]
            if has_pagefind:
                steps.append(("pagefind", project, [sys.executable, "-m", "pagefind", "--quiet", "--site", "site"]))
                steps.append(("search over HTTP", project, []))
            steps.append(("kb pdf", project, [kb, "pdf"]))
            steps += [
                ("kb normalize warm", project, [kb, "normalize", "--quiet"]),
                ("mkdocs build again", project, [mkdocs, "build", "--strict", "--quiet"]),
                ("kb pdf warm", project, [kb, "pdf"]),
            ]
            for stage, cwd, command in steps:
                if stage == "search over HTTP":
                    print(f"{copies:>4}x  {stage:<22} {'':>8} {'':>8}  {_search(project / 'site')}", flush=True)
                    continue
                if stage == "kb normalize warm":
                    runs = []
                    for words in WARM_EDITS:
                        with notes[0].open("a", encoding="utf-8") as note:
                            note.write(EDIT.replace("?\n", f"?{words}\n"))
                        runs.append(_run(stage, cwd, command, env, Path(folder)))
                    if None in runs:
                        return 1
                    done = sorted((run for run in runs if run is not None), key=lambda run: run.seconds)
                    middle = done[len(done) // 2]
                    each = ", ".join(f"{run.seconds:.1f}" for run in runs if run is not None)
                    figure: Figure | None = Figure(middle.seconds, max(run.peak_mb for run in done), f"{middle.result}; median of {len(done)} edits ({each} s)")
                else:
                    figure = _run(stage, cwd, command, env, Path(folder))
                if figure is None:
                    return 1
                figures[copies, stage] = figure
                print(f"{copies:>4}x  {stage:<22} {figure.seconds:8.1f} {figure.peak_mb:8.0f}  {figure.result}", flush=True)
    speeds.append(_machine_speed())
    print()
    _ratios(figures, sizes)
    print(f"{'machine speed probe, s (before, after; lower is faster)':<58} {speeds[0]:6.2f} {speeds[1]:6.2f}")
    return 0


SETTLE_IDLE = 0.9
SETTLE_FOR_AT_MOST = 60.0
"""Before each stage, the machine is given up to this many seconds to become idle (this share of its CPU time idle
over a second, from /proc/stat): right after `kb pdf`, Chromium's processes still run for some seconds, and plain
CPU work ran up to 1.7 times slower here meanwhile, which the next stage would otherwise be charged."""


def _idle_share(seconds: float = 1.0) -> float:
    def times() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            numbers = [int(n) for n in stat.readline().split()[1:]]
        return sum(numbers), numbers[3] + (numbers[4] if len(numbers) > 4 else 0)  # all, idle + waiting for disk

    (total, idle), _ = times(), time.sleep(seconds)
    total_after, idle_after = times()
    return (idle_after - idle) / max(1, total_after - total)


def _machine_speed() -> float:
    """Seconds of a fixed pure-Python workload on an idle machine (the best of three), printed with the figures: the speed
    of a virtual machine can vary by 2x from hour to hour, and every figure here moves with it."""
    _settle()
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(6_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - started)
    return best


def _settle() -> None:
    if not Path("/proc/stat").exists():
        return
    deadline = time.monotonic() + SETTLE_FOR_AT_MOST
    while _idle_share() < SETTLE_IDLE and time.monotonic() < deadline:
        pass


def _run(stage: str, cwd: Path, command: list[str], env: dict[str, str], scratch: Path) -> Figure | None:
    _settle()
    script = scratch / "measure.py"
    script.write_text(_MEASURE, encoding="utf-8")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(script), *command], cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(f"{stage} failed in {cwd}:\n{result.stdout}\n{result.stderr}", file=sys.stderr)
        return None
    peak_kb = int((scratch / "measure.py.rss").read_text(encoding="utf-8"))
    return Figure(seconds, peak_kb / 1e3, _outcome(stage, cwd, result.stdout))


def _search(site: Path) -> str:
    """Search over HTTP in headless Chromium, for a fresh browser per query (test_search_scale's)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from kb.export.browser import chromium
    from tests.browser.test_search_scale import QUERIES, Server, search

    server = Server(site)
    try:
        with chromium() as browser:
            runs = [search(browser, server, query) for query in QUERIES for _ in range(2)]
    finally:
        server.close()
    fetched = sorted(sum(size for _, size in sent) for sent, _, _, _ in runs)
    ms = sorted(took for _, took, _, _ in runs)
    return (
        f"{len(QUERIES)} queries twice: {ms[len(ms) // 2]:.0f} ms median, {ms[-1]:.0f} ms slowest from the last keystroke; "
        f"{fetched[-1] / 1e3:.0f} kB fetched at most"
    )


def _ratios(figures: dict[tuple[int, str], Figure], sizes: dict[int, float]) -> None:
    def ratio(label: str, top: tuple[int, str], bottom: tuple[int, str], per: tuple[float, float] = (1, 1)) -> None:
        if top in figures and bottom in figures:
            value = (figures[top].seconds / per[0]) / (figures[bottom].seconds / per[1])
            print(f"{label:<58} {value:6.2f}")

    largest = max(sizes)
    print(f"{'ratio':<58} {'value':>6}")
    for copies in sizes:
        if copies != largest:
            ratio(
                f"normalize s/MB, {largest}x over {copies}x (1.0 = linear)",
                (largest, "kb normalize"),
                (copies, "kb normalize"),
                (sizes[largest], sizes[copies]),
            )
    for copies in sizes:
        ratio(f"mkdocs build over the naive build, {copies}x", (copies, "mkdocs build"), (copies, "naive mkdocs build"))
    for copies in sizes:
        ratio(f"normalize warm over cold, {copies}x", (copies, "kb normalize warm"), (copies, "kb normalize"))
        ratio(f"pdf warm over cold, {copies}x", (copies, "kb pdf warm"), (copies, "kb pdf"))
    peak = max(figures.items(), key=lambda item: item[1].peak_mb)
    print(f"{'highest peak memory: ' + peak[0][1] + f' at {peak[0][0]}x, MB':<58} {peak[1].peak_mb:6.0f}")


def _project(project: Path, copies: int) -> None:
    """The project with every note `copies` times over, each copy's lines made its own (see _distinct)."""
    for folder in ("config", "docs", "hooks", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "notes").mkdir()
    for note in sorted((ROOT / "notes").iterdir()):
        for copy in range(copies):
            text = note.read_bytes().decode("utf-8", errors="surrogateescape")
            if copies > 1:
                text = _distinct(text, "zz" + _word(copy))
            target = note.stem + (f"-copy{copy + 1:03}" if copy else "") + note.suffix
            (project / "notes" / target).write_bytes(text.encode("utf-8", errors="surrogateescape"))


_KEPT = re.compile(r"^\s*(?:$|```|~~~|<|\$\$|[-=_*#~+|:\s]+$)")
"""Lines a word added at the end would break: blank, fences, HTML, math, rules and table rulers."""


def _distinct(text: str, word: str) -> str:
    """The note with a word of its own on every line (before a closing "?"), so that no question of
    one copy has the words of another's, and copies do not merge into one entry."""
    lines = []
    for line in text.split("\n"):
        asked = re.match(r"^(.*?)(\s*\?+\s*)$", line)
        lines.append(line if _KEPT.match(line) else f"{asked.group(1)} {word}{asked.group(2)}" if asked else f"{line} {word}")
    return "\n".join(lines)


def _word(number: int) -> str:
    """A word of letters for a number (0 -> "ba", 1 -> "bb"): digits would not count as a word."""
    letters = ""
    number += 26
    while number:
        number, rest = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return letters


def _outcome(stage: str, cwd: Path, stdout: str) -> str:
    site = cwd / "site"
    if stage.startswith("kb normalize"):
        pages = list((cwd / "docs").rglob("*.md"))
        listings = sum(p.stat().st_size for p in (cwd / "docs" / "sources").glob("*.md"))
        size = sum(p.stat().st_size for p in pages)
        return f"{len(pages)} pages, {size / 1e6:.1f} MB of Markdown ({listings / 1e6:.1f} MB source listings)"
    if "build" in stage:
        html = list(site.rglob("*.html"))
        index = site / "search" / "search_index.json"
        return (
            f"{len(html)} HTML pages, {sum(p.stat().st_size for p in html) / 1e6:.1f} MB; "
            f"search index {index.stat().st_size / 1e6 if index.exists() else 0:.1f} MB"
        )
    if stage == "pagefind":
        chunks = list((site / "pagefind").rglob("*"))
        return f"{sum(p.stat().st_size for p in chunks if p.is_file()) / 1e6:.1f} MB in {len(chunks)} files"
    from pypdf import PdfReader

    book = site / "handbook.pdf"
    sections = list((site / "pdf").glob("*.pdf"))
    reused = re.search(r"reused \d+ of \d+[^\n]*", stdout)
    return (
        f"handbook.pdf {len(PdfReader(book).pages)} pages {book.stat().st_size / 1e6:.1f} MB; "
        f"{len(sections)} section PDFs {sum(p.stat().st_size for p in sections) / 1e6:.1f} MB"
        + (f"; {reused.group(0)}" if reused else "")
    )


if __name__ == "__main__":
    sys.exit(main())
