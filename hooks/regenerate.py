"""Keep docs/ in step with notes/: regenerate on `mkdocs serve`, refuse stale pages on `mkdocs build`.

Content comes from `kb normalize` (plain Markdown, committed); this hook only adds convenience.
It uses the same settings as `kb normalize` (config/), so both agree on what docs/ should hold.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from kb import files, workflow

log = logging.getLogger("mkdocs.hooks.regenerate")
_command = "build"


# --- hooks ---------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_pre_build(config: Any) -> None:
    root = Path(config.config_file_path).parent
    to_write, to_delete = _plan(root)
    if not to_write and not to_delete:
        return
    if _command == "serve":
        files.apply(root / "docs", to_write, to_delete)
        log.info("kb: regenerated %d pages from notes/", len(to_write) + len(to_delete))
    else:
        stale = ", ".join(sorted([*to_write, *to_delete])[:5])
        log.warning("kb: docs/ does not match notes/ (stale: %s); run `kb normalize`", stale)


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root = Path(config.config_file_path).parent
    for folder in ("notes", "config"):
        server.watch(str(root / folder))
    return server


# --- helper functions ----------------------------------------------------------------------


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
