"""Starting the command line does not load lxml for SAF-T (`fordring --help` stays quick)."""

from __future__ import annotations

import subprocess
import sys


def test_the_command_line_starts_without_lxml() -> None:
    code = "import sys, fordring.entrypoints.cli.main; print('lxml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
