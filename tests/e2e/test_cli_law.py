"""`fordring law ...` end to end: the calculators on the command line, no database."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from tests.conftest import JsonErrorsRead

from fordring.entrypoints.cli.main import cli

pytestmark = pytest.mark.e2e

RATES_2026_H2 = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = "12.00"
source = "test: operator-supplied rate"
"""


def law(*args: str, json_output: bool = True, env: dict[str, str] | None = None) -> Result:
    base = ["--date", "2026-03-02"] + (["--json"] if json_output else [])
    result = CliRunner().invoke(cli, [*base, "law", *args], env=env)
    if json_output:
        result.__class__ = JsonErrorsRead  # its errors also as the lines people read
    return result


def data(*args: str) -> Any:
    result = law(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_interest_prints_total_and_one_line_per_period() -> None:
    out = data("interest", "--principal", "10000", "--due", "2025-01-10", "--to", "2025-08-01")
    assert out["total"] == "693.02"
    assert out["days"] == 203
    assert out["confirmed"] is False
    assert [(p["from"], p["to"], p["days"], p["rate"], p["amount"]) for p in out["periods"]] == [
        ("2025-01-11", "2025-06-30", 171, "12.50", "585.62"),
        ("2025-07-01", "2025-08-01", 32, "12.25", "107.40"),
    ]


def test_interest_human_output_shows_the_periods() -> None:
    result = law(
        "interest",
        "--principal",
        "10000",
        "--due",
        "2025-01-10",
        "--to",
        "2025-08-01",
        json_output=False,
    )
    assert result.exit_code == 0
    assert "585.62" in result.output
    assert "total 693.02" in result.output
    assert "UNCONFIRMED" in result.output


def test_fees_for_a_consumer_claim() -> None:
    out = data("fees", "--principal", "8000", "--due", "2025-02-10", "--sent", "2025-03-01")
    assert out["reminder_fee"]["allowed"] is True
    assert out["reminder_fee"]["amount"] == "35.00"
    assert out["notice_fee"]["amount"] == "35.00"
    assert out["salaer"]["light"]["amount"] == "560.00"
    assert out["salaer"]["heavy"]["amount"] == "1120.00"
    assert out["standard_compensation"]["applies"] is False


def test_fees_for_a_business_debtor_without_creditor_vat_and_a_previous_fee() -> None:
    out = data(
        "fees",
        "--principal",
        "8000",
        "--due",
        "2025-02-10",
        "--sent",
        "2025-03-20",
        "--business",
        "--no-creditor-vat",
        "--previous-fees",
        "1",
        "--missed-deadline",
    )
    assert out["reminder_fee"]["allowed"] is True
    assert out["salaer"]["light"]["amount"] == "1050.00"
    assert out["salaer"]["heavy"]["amount"] == "2100.00"
    compensation = out["standard_compensation"]
    assert compensation["amount"] == "435.00"
    assert [line["amount"] for line in compensation["explanation"]["lines"]] == ["470.00", "-35.00"]


def test_fees_refuses_a_fee_on_day_13_and_says_why() -> None:
    out = data("fees", "--principal", "8000", "--due", "2025-02-10", "--sent", "2025-02-23")
    assert out["reminder_fee"]["allowed"] is False
    assert "13 days" in out["reminder_fee"]["reason"]


def test_deadline_over_easter_moves_to_the_next_banking_day() -> None:
    out = data("deadline", "--sent", "2026-03-20")
    assert out["deadline"] == "2026-04-07"
    assert out["unadjusted"] == "2026-04-03"
    assert out["moved"] is True
    assert "Good Friday" in out["reason"]


def test_deadline_with_holiday_weeks_is_lengthened_past_christmas_week() -> None:
    out = data("deadline", "--sent", "2026-12-14", "--holiday-weeks")
    assert out["deadline"] == "2027-01-04" and "Christmas week" in out["reason"]
    assert data("deadline", "--sent", "2026-12-14")["deadline"] == "2026-12-28"


def test_deadline_without_moving() -> None:
    out = data("deadline", "--sent", "2026-03-20", "--days", "14", "--no-move")
    assert out["deadline"] == "2026-04-03"
    assert out["moved"] is False


def test_rates_lists_every_table_with_validity_source_and_confirmed_flag() -> None:
    out = data("rates")
    names = [t["name"] for t in out["tables"]]
    assert {
        "inkassosats",
        "reminder_fee_fraction",
        "salaer_scale",
        "forsinkelsesrente",
        "standardkompensasjon",
    } <= set(names)
    rates = next(t for t in out["tables"] if t["name"] == "forsinkelsesrente")["rows"]
    h2_2024 = next(r for r in rates if r["period"] == "2024 H2")
    assert h2_2024["value"] == "12.50"
    assert h2_2024["confirmed"] is False
    assert h2_2024["source"]


def test_rates_human_output_lists_tables() -> None:
    result = law("rates", json_output=False)
    assert result.exit_code == 0
    assert "forsinkelsesrente" in result.output
    assert "1/20" in result.output


def test_rates_file_supplies_the_missing_half_year(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(RATES_2026_H2, encoding="utf-8")
    args = ("interest", "--principal", "10000", "--due", "2026-06-30", "--to", "2026-07-31")
    result = law("--rates", str(path), *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == "101.92"
    by_env = law(*args, env={"FORDRING_RATES_FILE": str(path)})
    assert by_env.exit_code == 0
    assert json.loads(by_env.output)["total"] == "101.92"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("interest", "--principal", "-100", "--due", "2025-01-10", "--to", "2025-08-01"),
            "principal",
        ),
        (
            ("interest", "--principal", "100", "--due", "2025-08-01", "--to", "2025-01-10"),
            "to: 2025-01-10 is before",
        ),
        (
            ("interest", "--principal", "100", "--due", "2026-01-10", "--to", "2026-08-01"),
            "no late-interest rate for 2026 H2",
        ),
        (("interest", "--principal", "100", "--due", "10.01.2025", "--to", "2025-08-01"), "due:"),
        (
            ("interest", "--principal", "ti", "--due", "2025-01-10", "--to", "2025-08-01"),
            "principal: not an amount",
        ),
        (("fees", "--principal", "-1", "--due", "2025-02-10", "--sent", "2025-03-01"), "principal"),
        (
            ("fees", "--principal", "8000", "--due", "2025-02-10", "--sent", "2025-01-01"),
            "sent: 2025-01-01 is before",
        ),
        (("deadline", "--sent", "2026-03-20", "--days", "0"), "days"),
        (("--rates", "/nonexistent/rates.toml", "rates"), "no such rates file"),
    ],
)
def test_bad_input_exits_2_with_a_message_naming_the_field(
    args: tuple[str, ...], message: str
) -> None:
    result = law(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_bad_rates_file_exits_2_naming_table_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text('[[forsinkelsesrente]]\nhalf_year = "2026 H2"\nvalue = 150\n', encoding="utf-8")
    result = law("--rates", str(path), "rates")
    assert result.exit_code == 2
    assert "forsinkelsesrente[1].source" in result.output


OPERATOR_RATES = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 11.75
source = "Finansdepartementet: forsinkelsesrenten fra 1. juli 2026"

[[inkassosats]]
valid_from = 2026-01-01
value = 760
source = "operator override"
"""
INTEREST_INTO_2026_H2 = ("interest", "--principal", "10000", "--due", "2026-06-10")


def test_rates_option_works_after_the_subcommand_too(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(OPERATOR_RATES, encoding="utf-8")
    result = law(*INTEREST_INTO_2026_H2, "--to", "2026-08-01", "--rates", str(path))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [(p["days"], p["rate"], p["amount"]) for p in out["periods"]] == [
        (20, "12.00", "65.75"),  # 10000 × 12 % × 20/365
        (32, "11.75", "103.01"),  # 10000 × 11.75 % × 32/365
    ]
    assert out["total"] == "168.76"


def test_an_overridden_inkassosats_changes_the_fee_and_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    path.write_text(OPERATOR_RATES, encoding="utf-8")
    env = {"FORDRING_RATES_FILE": str(path)}
    out = json.loads(
        law(
            "fees", "--principal", "8000", "--due", "2026-02-10", "--sent", "2026-03-01", env=env
        ).output
    )
    assert out["reminder_fee"]["amount"] == "38.00"  # 1/20 of 760
    assert out["reminder_fee"]["explanation"]["confirmed"] is True
    listed = law("rates", json_output=False, env=env)
    assert listed.exit_code == 0
    assert "2026 H2  11.75 %  yes        Finansdepartementet" in listed.output
    assert "from 2026-01-01  760.00  yes        operator override" in listed.output


def test_fees_human_output_shows_each_computation_and_flags_unconfirmed_values() -> None:
    args = ("fees", "--principal", "8000", "--due", "2025-12-10", "--sent", "2026-01-05")
    result = law(*args, json_output=False)
    assert result.exit_code == 0, result.output
    reminder = result.output.split("\n\n")[1]
    assert reminder.startswith("Reminder fee (purring): 37.50")
    assert "1/20 (due 2025-12-10) × inkassosats 750.00 (sent 2026-01-05)" in reminder
    assert "UNCONFIRMED" in reminder  # the 2026 inkassosats
    assert "day 43" in result.output  # when heavy salær applies


def test_fees_human_output_says_why_a_fee_is_refused() -> None:
    args = ("fees", "--principal", "8000", "--due", "2025-02-10", "--sent", "2025-02-23")
    result = law(*args, json_output=False)
    assert "Reminder fee (purring): not allowed\n  sent 13 days after the due date" in result.output


def test_rates_human_output_shows_the_salaer_scale_as_bands() -> None:
    result = law("rates", json_output=False)
    assert "claim up to and incl.  light × sats  heavy × sats" in result.output
    assert "250000.00          3.60          7.20" in result.output


FEES_8000 = ("fees", "--principal", "8000", "--due", "2025-02-10", "--sent", "2025-03-01")


def _amounts(value: Any, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [a for k, v in value.items() for a in _amounts(v, k)]
    if isinstance(value, list):
        return [a for v in value for a in _amounts(v, key)]
    return [value] if key in {"amount", "total", "principal", "claim_size"} else []


@pytest.mark.parametrize(
    "args",
    [
        ("interest", "--principal", "10000", "--due", "2025-01-10", "--to", "2025-08-01"),
        (*FEES_8000, "--business", "--no-creditor-vat", "--previous-fees", "1"),
    ],
)
def test_json_amounts_are_strings_with_two_decimals(args: tuple[str, ...]) -> None:
    amounts = _amounts(data(*args))
    assert len(amounts) >= 3
    assert all(isinstance(a, str) and re.fullmatch(r"-?\d+\.\d\d", a) for a in amounts), amounts


def test_fees_for_a_claim_due_before_the_2020_change_use_the_old_scale() -> None:
    """Due 2020-02-10 (formerly refused for want of a scale): fee 1/10 × 700 = 70.00; 8000
    is in the band up to 10 000: light 1 × 700, heavy 2 × 700."""
    out = data("fees", "--principal", "8000", "--due", "2020-02-10", "--sent", "2020-03-01")
    assert out["notice_fee"]["amount"] == "70.00"
    assert (out["salaer"]["light"]["amount"], out["salaer"]["heavy"]["amount"]) == (
        "700.00",
        "1400.00",
    )
    assert out["missing"] == []


@pytest.mark.parametrize(
    ("principal", "extra", "light", "heavy"),
    [
        ("2500", (), "350.00", "700.00"),  # band up to 2 500: 0.5 × 700
        ("2500.01", (), "700.00", "1400.00"),  # band up to 10 000: 1 × 700
        ("50000.01", (), "2800.00", "5600.00"),  # up to 250 000: 4 × 700
        ("250000.01", (), "5600.00", "11200.00"),  # above: 8 × 700
        ("500", ("--business",), "525.00", "1050.00"),  # totalkapital.no 2019 table
        ("500", ("--business", "--no-creditor-vat"), "656.25", "1312.50"),
    ],
)
def test_law_fees_answers_old_claims_with_the_scale_before_2020(
    principal: str, extra: tuple[str, ...], light: str, heavy: str
) -> None:
    out = data(
        "fees", "--principal", principal, "--due", "2019-05-01", "--sent", "2019-06-01", *extra
    )
    assert (out["salaer"]["light"]["amount"], out["salaer"]["heavy"]["amount"]) == (light, heavy)
    assert out["salaer"]["light"]["explanation"]["confirmed"] is True


OLD_FEES_ONLY = """
[[inkassosats]]
valid_from = 2009-01-01
value = 590
source = "test: gothiagroup.com, inkassosats 590 from 2009"

[[reminder_fee_fraction]]
valid_from = 2009-01-01
value = "1/10"
source = "test"
"""


def test_law_fees_answers_the_fee_when_the_salaer_table_is_missing(tmp_path: Path) -> None:
    """A claim due in 2009: the rates file gives the sats and the fee fraction, but no salær
    scale covers 2009: the fees are answered, the salær is listed as missing with the lines
    to add, and the command exits 0."""
    path = tmp_path / "rates.toml"
    path.write_text(OLD_FEES_ONLY, encoding="utf-8")
    args = ("fees", "--principal", "8000", "--due", "2009-05-01", "--sent", "2009-06-01")
    result = law("--rates", str(path), *args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["notice_fee"]["amount"] == "59.00"
    assert out["salaer"] is None
    (missing,) = out["missing"]
    assert (missing["part"], missing["table"]) == ("salær", "salaer_scale")
    assert "[[salaer_scale]]\nvalid_from = 2009-05-01\n" in missing["rates_file_lines"]
    assert "FORDRING_RATES_FILE" in missing["where"]
    human = law("--rates", str(path), *args, json_output=False)
    assert human.exit_code == 0
    assert "Collection notice fee (inkassovarsel): 59.00" in human.output
    assert "Salær: MISSING: salaer_scale" in human.output
    assert "    [[salaer_scale]]" in human.output and "--rates FILE" in human.output


def test_law_fees_answers_when_the_compensation_half_year_is_missing() -> None:
    out = data(
        "fees", "--principal", "8000", "--due", "2026-07-01", "--sent", "2026-07-20", "--business"
    )
    assert out["notice_fee"]["amount"] == "37.50"
    assert out["salaer"]["light"]["amount"] == "900.00"
    assert out["standard_compensation"] is None
    (missing,) = out["missing"]
    assert missing["table"] == "standardkompensasjon"
    assert 'half_year = "2026 H2"' in missing["rates_file_lines"]


def test_law_fees_business_shows_the_compensation_deducted_from_salaer() -> None:
    out = data(*FEES_8000, "--business")
    assert out["standard_compensation"]["amount"] == "470.00"
    assert out["standard_compensation"]["deducted_from_salaer"] is True
    after = out["salaer_after_compensation"]
    assert (after["light"]["amount"], after["heavy"]["amount"]) == ("370.00", "1210.00")
    assert [line["amount"] for line in after["light"]["explanation"]["lines"]] == [
        "840.00",
        "-470.00",
    ]
    human = law(*FEES_8000, "--business", json_output=False)
    assert "deducted from later collection costs" in human.output
    assert "light 370.00, heavy 1210.00" in human.output
