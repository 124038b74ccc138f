"""The public site's PDF holds no private line."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import fold


def test_public_pdf_has_no_private_line(public_site: Path, private_lines: list[str]):
    from kb.export.pdf import export

    export(public_site)
    text = fold(subprocess.run(["pdftotext", str(public_site / "handbook.pdf"), "-"], capture_output=True, text=True, check=True).stdout)
    assert "kubernetes" in text
    assert not [line for line in private_lines if line in text]
