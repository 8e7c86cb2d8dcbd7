"""CI cannot pass without its browser tests: without chromium on PATH they skip, but fail
when FORDRING_REQUIRE_BROWSER=1 (.ci/run sets it for the SQLite pass)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
ONE = "tests/browser/test_portal_frame.py::test_signing_out_leads_back_to_the_sign_in"


def _run_without_chromium(tmp_path: Path, required: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    env |= {"PATH": str(tmp_path), "FORDRING_REQUIRE_BROWSER": required}
    command = [sys.executable, "-m", "pytest", ONE, "-p", "no:cacheprovider", "-rs"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("required", "fails"), [("0", False), ("1", True)])
def test_the_browser_tests_fail_without_chromium_only_when_required(
    tmp_path: Path, required: str, fails: bool
) -> None:
    done = _run_without_chromium(tmp_path, required)
    output = done.stdout + done.stderr
    if fails:
        assert done.returncode == 1 and "no chromium on PATH" in output, output
    else:
        assert done.returncode == 0 and "1 skipped" in output, output
