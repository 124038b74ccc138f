"""Keep docs/ in step with notes/: regenerate on `mkdocs serve`, refuse stale pages on `mkdocs build`.

Content comes from `kb normalize` (plain Markdown, committed); this hook only adds convenience.
It uses the same settings as `kb normalize` (config/), so both agree on what docs/ should hold.
On `mkdocs build` the check runs in a process of its own while MkDocs builds and reports at the end of
the build, which a strict build fails on. When the notes, config and kb are as the last `kb normalize`
saw them, the check compares docs/ with what that run made (kept in .cache/kb) instead of running the
pipeline again.
"""

from __future__ import annotations

import logging
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from kb import files, workflow

log = logging.getLogger("mkdocs.hooks.regenerate")
_command = "build"
_check: tuple[BaseProcess, Connection] | None = None
"""The stale check running beside the build: its process and the end of the pipe it answers on."""


# --- hooks ---------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_pre_build(config: Any) -> None:
    global _check
    root = Path(config.config_file_path).parent
    if _command != "serve" and "fork" in multiprocessing.get_all_start_methods():
        receive, send = multiprocessing.Pipe(duplex=False)
        process = multiprocessing.get_context("fork").Process(target=_check_in_background, args=(root, send), daemon=True)
        process.start()
        send.close()
        _check = (process, receive)
        return
    to_write, to_delete = _plan(root)
    if not to_write and not to_delete:
        return
    if _command == "serve":
        files.apply(root / "docs", to_write, to_delete)
        log.info("kb: regenerated %d pages from notes/", len(to_write) + len(to_delete))
    else:
        _warn_stale([*to_write, *to_delete])


def on_post_build(config: Any) -> None:
    global _check
    if _check is None:
        return
    process, receive = _check
    _check = None
    try:
        outcome: tuple[str, list[str], list[str]] = receive.recv()
    except EOFError:
        outcome = ("the check of docs/ against notes/ stopped without an answer", [], [])
    finally:
        receive.close()
        process.join()
    error, problems, stale = outcome
    if error:
        raise PluginError(error)
    for problem in problems:
        log.warning("kb: %s", problem)
    if stale:
        _warn_stale(stale)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = Path(config.config_file_path).parent
    for folder in ("notes", "config"):
        server.watch(str(root / folder))
    return server


# --- helper functions ----------------------------------------------------------------------


def _check_in_background(root: Path, send: Connection) -> None:
    """The stale check, in the forked process: sends (error, fatal problems, stale paths), logging nothing."""
    logging.getLogger("mkdocs").handlers.clear()  # the build counts warnings: this process must not log them
    logging.getLogger("mkdocs").propagate = False
    try:
        problems, stale = workflow.check(root)
        outcome = ("", [str(p) for p in problems if p.fatal], stale)
    except workflow.WorkflowError as error:
        outcome = (f"kb: {error}", [], [])
    send.send(outcome)
    send.close()


def _warn_stale(paths: list[str]) -> None:
    stale = ", ".join(sorted(paths)[:5])
    log.warning("kb: docs/ does not match notes/ (stale: %s); run `kb normalize`", stale)


def _plan(root: Path) -> tuple[dict[str, str], list[str]]:
    """What kb normalize would change in docs/; its errors become MkDocs errors, not tracebacks."""
    try:
        plan = workflow.plan(root)
    except workflow.WorkflowError as error:
        raise PluginError(f"kb: {error}") from None
    for problem in plan.problems:
        if problem.fatal:
            log.warning("kb: %s", problem)
    return plan.to_write, plan.to_delete
