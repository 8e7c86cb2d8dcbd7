"""The offline participant list: its plain format, the Peppol Directory CSV, its checks."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fordring.adapters.peppol.offline import OfflineParticipantList
from fordring.domain.errors import InvalidInput
from fordring.domain.peppol import CREDIT_NOTE_DOCUMENT_TYPE, INVOICE_DOCUMENT_TYPE, Source
from fordring.services.ports import DeliveryFailed

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PLAIN = f"""# who takes EHF
0192:923456783
0192:988077917 ; invoice   # no credit notes
iso6523-actorid-upis::0192:974760673;{CREDIT_NOTE_DOCUMENT_TYPE}

9915:test ; {INVOICE_DOCUMENT_TYPE.removeprefix("busdox-docid-qns::")}
"""


def _write(tmp_path: Path, text: str, name: str = "participants.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _list(path: Path) -> OfflineParticipantList:
    return OfflineParticipantList(path, now=lambda: NOW)


def test_a_listed_participant_takes_invoices_and_credit_notes(tmp_path: Path) -> None:
    path = _write(tmp_path, PLAIN)
    participants = _list(path)
    receiver = participants.lookup("0192:923456783")
    assert receiver.can_receive
    assert receiver.source is Source.OFFLINE_LIST
    assert receiver.checked_at == NOW
    assert receiver.reason == f"in the offline list {path}"
    assert participants.lookup_document("0192:923456783", CREDIT_NOTE_DOCUMENT_TYPE).can_receive


def test_document_types_given_limit_what_a_participant_takes(tmp_path: Path) -> None:
    participants = _list(_write(tmp_path, PLAIN))
    assert participants.lookup("0192:988077917").can_receive
    no_credit = participants.lookup_document("0192:988077917", CREDIT_NOTE_DOCUMENT_TYPE)
    assert not no_credit.can_receive
    assert no_credit.reason.endswith("but not for Peppol BIS Billing 3.0 credit notes")
    assert not participants.lookup("0192:974760673").can_receive
    assert participants.lookup("9915:test").can_receive  # the scheme was added


def test_an_unlisted_participant_cannot_receive(tmp_path: Path) -> None:
    path = _write(tmp_path, PLAIN)
    receiver = _list(path).lookup("0192:123456785")
    assert not receiver.can_receive
    assert receiver.reason == f"not in the offline list {path}"


def test_every_bad_line_is_named(tmp_path: Path) -> None:
    text = "0192:923456783\n0192:923456784\n\n# fine\n0192:923456783\nx ; invoice\n9915:a;bad\n"
    with pytest.raises(InvalidInput) as caught:
        _list(_write(tmp_path, text))
    wheres = [(p.where.rsplit(", ", 1)[1], p.field) for p in caught.value.problems]
    assert wheres == [
        ("line 2", "participant"),
        ("line 5", "participant"),  # listed twice
        ("line 6", "participant"),
        ("line 7", "document_type"),
    ]


def test_a_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        _list(tmp_path / "nothing.txt")


def test_the_list_is_read_again_when_it_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, "0192:923456783\n")
    participants = _list(path)
    assert not participants.lookup("0192:988077917").can_receive
    path.write_text("0192:923456783\n0192:988077917\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a new stamp even on a coarse clock
    assert participants.lookup("0192:988077917").can_receive


def test_a_list_broken_while_in_use_is_a_delivery_failure(tmp_path: Path) -> None:
    path = _write(tmp_path, "0192:923456783\n")
    participants = _list(path)
    path.write_text("0192:923456784\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    with pytest.raises(DeliveryFailed, match="line 1"):
        participants.lookup("0192:923456783")


DIRECTORY_CSV = (
    '"Participant ID";"Names (per-row)";"Country code";"Document types"\n'
    '"iso6523-actorid-upis::0192:923456783";"Demo AS";"NO";'
    f'"busdox-docid-qns::{INVOICE_DOCUMENT_TYPE.removeprefix("busdox-docid-qns::")}\n'
    f'{CREDIT_NOTE_DOCUMENT_TYPE}"\n'
    '"iso6523-actorid-upis::0192:988077917";"Bare Ordre AS";"NO";'
    '"busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order"\n'
    '"iso6523-actorid-upis::0192:988077917";"Bare Ordre AS, avd. 2";"NO";""\n'
)


def test_the_peppol_directory_csv_export_is_read(tmp_path: Path) -> None:
    participants = _list(_write(tmp_path, DIRECTORY_CSV, "directory.csv"))
    assert participants.lookup("0192:923456783").can_receive
    assert participants.lookup_document("0192:923456783", CREDIT_NOTE_DOCUMENT_TYPE).can_receive
    # the rows of one participant merge; an empty cell means BIS Billing 3.0
    assert participants.lookup("0192:988077917").can_receive
    assert not participants.lookup("0192:974760673").can_receive


def test_the_directory_participant_id_export_with_commas_is_read(tmp_path: Path) -> None:
    text = "Participant ID\niso6523-actorid-upis::0192:923456783\n"
    assert _list(_write(tmp_path, text, "ids.csv")).lookup("0192:923456783").can_receive


def test_a_bad_directory_row_names_its_line(tmp_path: Path) -> None:
    text = DIRECTORY_CSV + '"iso6523-actorid-upis::0192:923456784";"X";"NO";""\n'
    with pytest.raises(InvalidInput, match="line 6"):
        _list(_write(tmp_path, text, "directory.csv"))
