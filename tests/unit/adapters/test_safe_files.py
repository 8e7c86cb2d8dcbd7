"""Every writer of the folders others can write to (the settlement archive, the mail pickup
folder, the access-point folder, a file the user names) writes nothing through a link
planted there (issue 14, 8); the paper outbox's own cases are in test_paper_outbox.py."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pytest

from fordring.adapters.email.pickup import PickupFolderMailer
from fordring.adapters.peppol.access_point import FolderAccessPoint
from fordring.adapters.safe_files import RefusedPath, write_new
from fordring.adapters.settlement_documents import FolderArchive
from fordring.domain.peppol import INVOICE_DOCUMENT_TYPE
from fordring.services.ports import DeliveryFailed, OutgoingEhf, OutgoingMail


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_text("keep me\n")
    return path


def test_the_archive_refuses_a_linked_folder_below_its_root(tmp_path: Path, victim: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "settlements").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(RefusedPath, match="settlements is a symbolic link"):
        FolderArchive(tmp_path / "archive").put("settlements/923609016/oppgjor-1.csv", b"x")
    assert list(elsewhere.iterdir()) == []


def test_the_archive_replaces_a_linked_document_and_never_writes_its_target(
    tmp_path: Path, victim: Path
) -> None:
    archive = FolderArchive(tmp_path / "archive")
    folder = tmp_path / "archive" / "settlements" / "923609016"
    folder.mkdir(parents=True)
    (folder / ".oppgjor-1.csv.part").symlink_to(victim)  # the name it used to write
    assert archive.put("settlements/923609016/oppgjor-1.csv", b"new") == str(
        folder / "oppgjor-1.csv"
    )
    assert victim.read_text() == "keep me\n"


def test_the_mail_pickup_folder_never_writes_through_a_planted_part(
    tmp_path: Path, victim: Path
) -> None:
    pickup = tmp_path / "mail"
    pickup.mkdir()
    mail = OutgoingMail("kari@example.no", "Faktura 1", "Hei", ())
    mailer = PickupFolderMailer(pickup)
    mailer.send(mail)
    (sent,) = pickup.iterdir()
    sent.unlink()
    (pickup / f".{sent.stem}.eml.part").symlink_to(victim)  # the name it used to write
    mailer.send(mail)
    assert victim.read_text() == "keep me\n"
    assert sent.read_bytes().endswith(b"\n\nHei\n") and not sent.is_symlink()


def test_the_access_point_folder_refuses_a_linked_document(tmp_path: Path, victim: Path) -> None:
    folder = tmp_path / "ap"
    folder.mkdir()
    (folder / "923456783-invoice-1001.xml").symlink_to(victim)
    document = OutgoingEhf(
        "923456783-invoice-1001", "0192:923456783", "0192:988077917", INVOICE_DOCUMENT_TYPE, b"<x/>"
    )
    with pytest.raises(DeliveryFailed, match="symbolic link"):
        FolderAccessPoint(folder).submit(document)
    assert victim.read_text() == "keep me\n"


def test_a_named_file_is_made_new_or_replaced_never_written_through(
    tmp_path: Path, victim: Path
) -> None:
    link = tmp_path / "out.pdf"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_new(link, b"%PDF")
    write_new(link, b"%PDF", replace=True)  # --force: the link itself is replaced
    assert victim.read_text() == "keep me\n"
    assert link.read_bytes() == b"%PDF" and not link.is_symlink()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_new(tmp_path / "missing" / "out.pdf", b"%PDF")


def test_a_file_can_be_written_by_a_function_as_it_is_made(tmp_path: Path) -> None:
    def produce(handle: IO[bytes]) -> None:
        for part in (b"first ", b"second"):
            handle.write(part)

    write_new(tmp_path / "streamed.xml", produce)
    assert (tmp_path / "streamed.xml").read_bytes() == b"first second"
    with pytest.raises(FileExistsError):
        write_new(tmp_path / "streamed.xml", produce)


def test_a_function_that_fails_leaves_no_file_behind(tmp_path: Path) -> None:
    def failing(handle: IO[bytes]) -> None:
        handle.write(b"half")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_new(tmp_path / "export.xml", failing)
    assert list(tmp_path.iterdir()) == []
