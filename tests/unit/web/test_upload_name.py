"""The name an uploaded bank file is kept by (web/payments_page.upload_name)."""

from __future__ import annotations

import pytest

from fordring.entrypoints.web.payments_page import upload_name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("OCR.D061226", "OCR.D061226"),
        ("", "upload"),
        (".", "upload"),
        ("..", "upload"),
        ("a/..", "upload"),
        ("../../etc/passwd", "passwd"),
        ("C:\\bank\\OCR.txt", "OCR.txt"),
        ("a\0b.txt", "ab.txt"),
        ("\0", "upload"),
        ("x" * 300, "x" * 200),
        ("å" * 300, "å" * 100),  # 2 bytes each: 200 bytes, never half a letter
        ("x" + "å" * 150, "x" + "å" * 99),
    ],
)
def test_a_sent_name_is_made_one_to_keep(sent: str, kept: str) -> None:
    assert upload_name(sent) == kept
    assert len(upload_name(sent).encode()) <= 200
