from datetime import date
from pathlib import Path

from fordring.adapters.paper_outbox import FolderOutbox
from fordring.services.ports import PaperDocument

DOC = PaperDocument(
    date(2026, 3, 3), "case-1-collection_notice", b"%PDF-1", "Kari Nordmann", "Vei 3, 0565 Oslo"
)


def test_a_letter_lands_in_the_day_folder_with_a_manifest_line(tmp_path: Path) -> None:
    where = FolderOutbox(tmp_path).put(DOC)
    assert Path(where).read_bytes() == b"%PDF-1"
    manifest = (tmp_path / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert manifest.splitlines() == [
        "file;recipient;address",
        "case-1-collection_notice.pdf;Kari Nordmann;Vei 3, 0565 Oslo",
    ]


def test_putting_the_same_letter_twice_changes_nothing(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(DOC)
    outbox.put(DOC)
    manifest = (tmp_path / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert len(manifest.splitlines()) == 2
    names = sorted(p.name for p in (tmp_path / "2026-03-03").iterdir())
    assert names == ["case-1-collection_notice.pdf", "manifest.csv"]  # no half-written parts


def test_a_new_version_replaces_the_file_without_a_second_manifest_line(tmp_path: Path) -> None:
    outbox = FolderOutbox(tmp_path)
    outbox.put(DOC)
    where = outbox.put(PaperDocument(DOC.day, DOC.name, b"%PDF-2", DOC.recipient, DOC.address))
    assert Path(where).read_bytes() == b"%PDF-2"
    manifest = (tmp_path / "2026-03-03" / "manifest.csv").read_text(encoding="utf-8")
    assert len(manifest.splitlines()) == 2
