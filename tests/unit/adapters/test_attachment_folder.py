"""The debtor's attached files on disk: a random name in the company's folder, read back
whole, removed; a name that is not one of ours, or a planted link, is never followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.attachments import PDF

from fordring.adapters.attachment_folder import FolderAttachments
from fordring.adapters.safe_files import RefusedPath


def test_a_file_is_kept_under_a_random_name_in_its_companys_folder(tmp_path: Path) -> None:
    store = FolderAttachments(tmp_path / "attachments")
    first, second = store.put(7, PDF), store.put(7, PDF)
    assert first != second and len(first) == 32
    assert (tmp_path / "attachments" / "7" / first).read_bytes() == PDF
    assert store.read(7, first) == PDF
    assert store.read(8, first) is None  # another company's folder has none
    store.remove(7, first)
    assert store.read(7, first) is None
    store.remove(7, first)  # again: nothing happens


@pytest.mark.parametrize("key", ["../7/x", "..", "", "A" * 32, "0" * 31])
def test_a_name_that_is_not_one_of_ours_reads_nothing(tmp_path: Path, key: str) -> None:
    store = FolderAttachments(tmp_path)
    assert store.read(7, key) is None
    store.remove(7, key)


def test_a_planted_link_is_not_read_through(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"not yours")
    (tmp_path / "attachments" / "7").mkdir(parents=True)
    key = "a" * 32
    os.symlink(secret, tmp_path / "attachments" / "7" / key)
    with pytest.raises(RefusedPath):
        FolderAttachments(tmp_path / "attachments").read(7, key)
