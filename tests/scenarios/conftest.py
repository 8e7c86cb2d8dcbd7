"""Scenario wiring: a `story` told through the command line, its letters in a paper outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run
from tests.scenarios.story import Story


@pytest.fixture
def story(run: Run, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Story:
    outbox = tmp_path / "outbox"
    monkeypatch.setenv("FORDRING_OUTBOX", str(outbox))
    return Story(run, database_url, outbox)
