"""The `kb` command: a thin shell around the workflow, the exports and the site check."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from . import files, workflow
from .model import Problem
from .pipeline import Build, Summary
from .read import MAX_BYTES

GC_THRESHOLD = (100_000, 50, 100)
"""Python's collector thresholds for a run: kb builds graphs of millions of small objects that live the whole run (at
100x the notes), which the default first threshold of 700 allocations had scanned again and again (~2 s of a 20 s run)."""


QUICK_EXIT = frozenset({"normalize", "coverage"})
"""The commands after which the `kb` command leaves at once (`run`): they have closed every file they wrote when `main`
returns, and leave objects by the million (the notes' parses, the handbook, the memory tables), which Python would
otherwise free one by one on its way out (~0.1 s at 100x). The exports run Chromium and other libraries' exit hooks,
so they leave the usual way."""


def run(argv: list[str] | None = None) -> NoReturn:
    """The `kb` command (and `python -m kb`): `main`, then the process ends with its exit code; after a command in
    QUICK_EXIT, with `os._exit` once stdout and stderr are flushed. For the command line only: a library caller or the
    MkDocs hook calls `main` or the workflow, and goes on."""
    command, code = _main(argv)
    if command in QUICK_EXIT:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe, say: the usual exit reports it
            sys.exit(code)
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the `kb` command with these arguments (default: the command line's); its exit code."""
    return _main(argv)[1]


def _main(argv: list[str] | None) -> tuple[str, int]:
    """(the command, its exit code)."""
    gc.set_threshold(*GC_THRESHOLD)
    for stream in (sys.stdout, sys.stderr):  # a C or Latin-1 locale must not turn a note's "é" into a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="kb", description="Turn raw study notes into a structured MkDocs handbook.")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder holding notes/, config/ and docs/ (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    normalize = commands.add_parser("normalize", help="write docs/ from notes/ (only files that changed)")
    normalize.add_argument("--check", action="store_true", help="write nothing; exit 1 and name the stale files if docs/ does not match notes/")
    max_help = f"for this run only, refuse notes larger than this (the lasting limit is max_note_bytes in config/cleanup.yml; default {MAX_BYTES:,})"
    normalize.add_argument("--max-bytes", type=_positive, help=max_help)
    normalize.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    normalize.add_argument("--public", type=Path, metavar="DIR",
                           help="write a copy of docs/ without the private topics into DIR, for a public site (docs/ itself is not touched)")
    explain_help = "also print which askings were merged into one question and why, and why each entry is on its page"
    normalize.add_argument("--explain", action="store_true", help=explain_help)
    coverage = commands.add_parser("coverage", help="print where every line of every note went")
    coverage.add_argument("--max-bytes", type=_positive, help=max_help)
    coverage.add_argument("--explain", action="store_true", help=explain_help)
    pdf = commands.add_parser("pdf", help="print the built site to site/handbook.pdf and one PDF per section in site/pdf/")
    pdf.add_argument("--site", type=Path, default=None, help="the built site (default: site/ under --root)")
    check_site = commands.add_parser("check-site", help="fail if the built HTML has script or live markup our templates did not make, or a broken link")
    check_site.add_argument("--site", type=Path, default=None, help="the built site (default: site/ under --root)")
    anki = commands.add_parser("anki", help="write the Anki deck of the built site's questions to site/handbook.apkg")
    anki.add_argument("--site", type=Path, default=None, help="the built site (default: site/ under --root)")
    anki.add_argument("--url", default="", help="the site's address, put before each card's page link (default: the link alone)")
    args = parser.parse_args(argv)
    return args.command, _command(args)


def _command(args: argparse.Namespace) -> int:
    if args.command == "anki":
        return _anki(args.site or args.root / "site", args.url)
    if args.command == "pdf":
        return _pdf(args.site or args.root / "site")
    if args.command == "check-site":
        return _check_site(args.site or args.root / "site")

    root: Path = args.root
    if args.command == "normalize" and args.check and args.public is not None:
        print("kb: error: --check and --public do not go together", file=sys.stderr)
        return 2
    try:
        if args.command == "coverage":
            result, problems = workflow.generate(root, args.max_bytes, whys=args.explain)
            _print_problems(problems)
            _print_coverage(result)
            if args.explain:
                _print_explanation(result)
            return 1 if any(p.fatal for p in problems) else 0
        if not args.check and workflow.recover(root):
            print(f"docs/{files.JOURNAL}: warning: an earlier run was stopped while writing docs/; finished its write", file=sys.stderr)
        plan = workflow.plan(root, args.max_bytes, args.public, full=args.explain)
    except workflow.WorkflowError as error:
        print(f"kb: error: {error}", file=sys.stderr)
        return 2
    _print_problems(plan.problems)
    if args.explain and plan.build is not None:
        _print_explanation(plan.build)
    if args.check:
        for path in plan.to_write:
            print(f"docs/{path}: stale (kb normalize would rewrite it)")
        for path in plan.to_delete:
            print(f"docs/{path}: stale (kb normalize would delete it)")
        if plan.stale:
            print(f"kb: docs/ does not match notes/: {len(plan.stale)} stale files; run `kb normalize`", file=sys.stderr)
            return 1
        if not args.quiet:
            print("kb: docs/ is up to date with notes/")
        return 1 if plan.failed else 0
    changes = workflow.apply(plan)
    if not args.quiet:
        _print_summary(plan.summary, changes, plan.docs)
    return 1 if plan.failed else 0


def _print_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _positive(text: str) -> int:
    """An argparse type: a whole number above 0."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text!r}")
    return int(text)


def _pdf(site: Path) -> int:
    from .export.browser import ChromiumMissingError
    from .export.pdf import export

    if not (site / "index.html").is_file():
        print(f"kb: error: {site}/index.html not found: build the site first (`mkdocs build`)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        printed = export(site.resolve())
    except ChromiumMissingError as error:
        print(f"kb: warning: no PDF made: {error}", file=sys.stderr)
        return 0
    seconds = time.perf_counter() - started
    for p in printed:
        made = "kept as it was" if p.reused else f"{p.copied} pages copied in from the prints"
        print(f"kb: wrote {site}/{p.file}: {p.pages} pages, {p.size / 1e6:.1f} MB ({made})")
    sections = [p for p in printed if p.file.startswith("pdf/")]
    print(f"kb: reused {sum(p.reused for p in sections)} of {len(sections)} sections (unchanged since the last print)")
    print(f"kb: printed {len(printed)} PDFs in {seconds:.1f} s")
    return 0


def _anki(site: Path, url: str) -> int:
    from .export.anki import make_deck

    if not (site / "questions.json").is_file():
        print(f"kb: error: {site}/questions.json not found: build the site first (`mkdocs build`)", file=sys.stderr)
        return 2
    deck = make_deck(site, base_url=url)
    print(f"kb: wrote {deck.path}: {deck.notes} notes in {deck.decks} decks, {deck.path.stat().st_size / 1e3:.0f} kB")
    return 0


def _check_site(site: Path) -> int:
    from .export.sitecheck import check_site

    if not (site / "index.html").is_file():
        print(f"kb: error: {site}/index.html not found: build the site first (`mkdocs build`)", file=sys.stderr)
        return 2
    findings = check_site(site)
    for finding in findings:
        print(f"{site}/{finding}", file=sys.stderr)
    if findings:
        print(f"kb: error: {len(findings)} pieces of live markup the templates did not make, or links that do not land, in the built site", file=sys.stderr)
        return 1
    print(f"kb: {site}/: no script or live markup outside the templates, and every link lands")
    return 0


def _print_summary(summary: Summary, changes: files.Changes, docs: Path) -> None:
    s = summary.stats
    print(f"kb: {s.notes} notes, {s.lines} non-blank lines: {s.questions} questions ({s.answered} answered, {s.answered_share}%) on {s.topics} topic pages")
    if summary.left_out:
        print(f"kb: left out {sum(count for _, count in summary.left_out)} lines (listed in docs/sources/index.md):")
        for reason, count in summary.left_out:
            print(f"  {count:4}  {reason}")
    if summary.unfiled:
        print(f"kb: {len(summary.unfiled)} entries match no topic and are on the Inbox page (add keywords to config/topics.yml):")
        for title in summary.unfiled:
            print(f"  - {title}")
    if summary.missing:
        print(f"kb: {len(summary.missing)} terms in the notes have no glossary entry (add them to config/glossary.yml, or to its ignore list):")
        print("  " + ", ".join(summary.missing))
    written = len(changes.written) + len(changes.deleted)
    state = f"updated: {len(changes.written)} written, {len(changes.deleted)} deleted" if written else "already up to date"
    print(f"kb: {docs.as_posix().rstrip('/')}/ {state}")


def _print_explanation(result: Build) -> None:
    """Why the handbook is as it is: the askings each merged question joined, and why, then each entry's page and why."""
    handbook = result.handbook
    questions = handbook.questions
    askings = sum(len(q.asked) for q in questions)
    merged = [q for q in questions if len(q.asked) > 1]
    print(f"kb: {askings} askings make {len(questions)} questions; {len(merged)} questions were asked more than once:")
    for question in merged:
        assert question.placement
        print(f"  {question.placement.topic.path}#{question.id} “{question.title}”")
        whys = question.merged or ("",) * len(question.asked)
        for asked, why in zip(question.asked, whys, strict=True):
            written = " ".join((asked.source.original or asked.title).split())
            print(f"    notes/{asked.source.note}:{asked.source.first} “{written}”: {why or 'the asking the others joined'}")
    print(f"kb: where the {len(questions)} questions and {len(handbook.blocks)} blocks went:")
    for question in questions:
        assert question.placement
        first = question.asked[0].source
        print(f"  notes/{first.note}:{first.first}\t{question.placement.topic.path}#{question.id}\t{question.placement.why}")
    for block in handbook.blocks:
        source = block.block.source
        print(f"  notes/{source.note}:{source.first}\t{block.placement.topic.path}#{block.id}\t{block.placement.why}")


def _print_coverage(result: Build) -> None:
    where: dict[tuple[str, int], str] = {}
    for question in result.handbook.questions:
        assert question.placement
        for asked in question.asked:
            for number in asked.source.lines:
                where[(asked.source.note, number)] = f"{question.placement.topic.path}#{question.id}"
    for block in result.handbook.blocks:
        for number in block.block.source.lines:
            where[(block.block.source.note, number)] = f"{block.placement.topic.path}#{block.id}"
    for parsed in result.handbook.notes:
        drops = {d.line: d.reason for d in parsed.drops}
        contexts = {c.line for c in parsed.contexts}
        for number, line in enumerate(parsed.note.lines, start=1):
            if not line.strip():
                continue
            key = (parsed.note.name, number)
            if key in where:
                status = where[key] + (f" (part left out: {drops[number]})" if number in drops else "")
            elif number in drops:
                status = f"left out: {drops[number]}"
            else:
                status = "heading" if number in contexts else "UNACCOUNTED"
            print(f"notes/{parsed.note.name}:{number}\t{status}")


if __name__ == "__main__":  # pragma: no cover
    run()
