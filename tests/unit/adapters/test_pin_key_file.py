"""The debtor's PIN key (adapters/pin_key_file.py, `Application.debtor_pin_key`): the
setting when it is set (long enough, or refused naming it), else a key file in the outbox
made once, private, reused, and one key however many processes make it at once."""

from __future__ import annotations

import multiprocessing
import os
import stat
from multiprocessing import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest

from fordring.adapters.pin_key_file import KEY_FILE, pin_key_from_file
from fordring.bootstrap import Application
from fordring.domain.errors import InvalidInput
from fordring.settings import DEBTOR_PIN_KEY_ENV, Settings


def test_the_key_file_is_made_once_private_and_then_reused(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"  # not there yet: made with the file
    key = pin_key_from_file(str(folder))
    path = folder / KEY_FILE
    assert len(key) == 32
    assert path.read_text().strip() == key.hex()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pin_key_from_file(str(folder)) == key
    assert [p.name for p in folder.iterdir()] == [KEY_FILE]  # no temporary file left


def _make(folder: str, start: Event, out: Queue[str]) -> None:
    start.wait()
    out.put(pin_key_from_file(folder).hex())


def test_processes_making_the_key_at_once_end_with_one_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Event()
    out: Queue[str] = context.Queue()
    makers = [context.Process(target=_make, args=(str(tmp_path), start, out)) for _ in range(6)]
    for maker in makers:
        maker.start()
    start.set()
    keys = {out.get(timeout=20) for _ in makers}
    for maker in makers:
        maker.join(timeout=20)
    assert len(keys) == 1
    assert (tmp_path / KEY_FILE).read_text().strip() == keys.pop()


def test_a_key_file_that_is_no_key_is_refused_not_replaced(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("not a key\n")
    with pytest.raises(ValueError, match=KEY_FILE):
        pin_key_from_file(str(tmp_path))
    assert (tmp_path / KEY_FILE).read_text() == "not a key\n"


def test_the_setting_is_the_key_and_no_file_is_made(tmp_path: Path) -> None:
    value = "k" * 32
    app = Application(
        Settings.from_env({DEBTOR_PIN_KEY_ENV: value, "FORDRING_OUTBOX": str(tmp_path)})
    )
    assert app.debtor_pin_key == value.encode()
    assert not (tmp_path / KEY_FILE).exists()


def test_a_short_setting_is_refused_naming_it(tmp_path: Path) -> None:
    app = Application(
        Settings.from_env({DEBTOR_PIN_KEY_ENV: "short", "FORDRING_OUTBOX": str(tmp_path)})
    )
    with pytest.raises(InvalidInput) as refused:
        _ = app.debtor_pin_key
    assert DEBTOR_PIN_KEY_ENV in str(refused.value)
    assert not (tmp_path / KEY_FILE).exists()


def test_without_the_setting_the_outbox_key_file_is_the_key(tmp_path: Path) -> None:
    app = Application(Settings.from_env({"FORDRING_OUTBOX": str(tmp_path)}))
    key = app.debtor_pin_key
    assert (tmp_path / KEY_FILE).read_text().strip() == key.hex()
    assert Application(Settings.from_env({"FORDRING_OUTBOX": str(tmp_path)})).debtor_pin_key == key
    assert os.stat(tmp_path / KEY_FILE).st_size == 65
