import pytest
from hypothesis import given
from hypothesis import strategies as st

from fordring.domain import kid
from fordring.domain.errors import InvalidInput
from fordring.domain.kid import KidAlgorithm


def test_mod10_example_from_the_nets_manual() -> None:
    assert kid.mod10_check_digit("12345678") == "2"


def test_mod11_examples_including_the_dash() -> None:
    assert kid.mod11_check_digit("12345678") == "5"
    assert kid.mod11_check_digit("1009") == "-"
    assert kid.is_valid("1009-", KidAlgorithm.MOD11)


def test_generate_pads_to_the_length() -> None:
    assert kid.generate(42, KidAlgorithm.MOD10, 10) == "0000000422"
    assert len(kid.generate(1, KidAlgorithm.MOD11, 25)) == 25


def test_generate_refuses_a_number_longer_than_the_kid() -> None:
    with pytest.raises(InvalidInput, match="kid"):
        kid.generate(123456, KidAlgorithm.MOD10, 5)


@pytest.mark.parametrize("bad", ["1", "12a4", "123456783", "-123", "1" * 26, "12345678-"])
def test_validate_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        kid.validate(bad, KidAlgorithm.MOD10, field="kid")
    assert error.value.problems[0].field == "kid"


@given(
    st.integers(min_value=0, max_value=10**20),
    st.sampled_from(list(KidAlgorithm)),
    st.integers(min_value=22, max_value=25),
)
def test_generated_kids_validate(number: int, algorithm: KidAlgorithm, length: int) -> None:
    made = kid.generate(number, algorithm, length)
    assert len(made) == length
    assert kid.is_valid(made, algorithm)
    assert int(made[:-1]) == number


@given(st.text("0123456789", min_size=1, max_size=24), st.data())
def test_mod11_detects_every_single_digit_error(body: str, data: st.DataObject) -> None:
    good = body + kid.mod11_check_digit(body)
    position = data.draw(st.integers(min_value=0, max_value=len(good) - 1))
    original = good[position]
    replacement = data.draw(st.sampled_from([c for c in "0123456789-" if c != original]))
    if replacement == "-" and position != len(good) - 1:
        replacement = "0" if original != "0" else "1"
    damaged = good[:position] + replacement + good[position + 1 :]
    assert not kid.is_valid(damaged, KidAlgorithm.MOD11)


@given(st.text("0123456789", min_size=1, max_size=24), st.data())
def test_mod10_detects_every_single_digit_error(body: str, data: st.DataObject) -> None:
    good = body + kid.mod10_check_digit(body)
    position = data.draw(st.integers(min_value=0, max_value=len(good) - 1))
    replacement = data.draw(st.sampled_from([c for c in "0123456789" if c != good[position]]))
    damaged = good[:position] + replacement + good[position + 1 :]
    assert not kid.is_valid(damaged, KidAlgorithm.MOD10)


def test_a_kid_of_other_digits_than_ascii_is_refused() -> None:
    """str.isdigit() is true for Arabic-Indic and full-width digits: a KID is 0-9 only."""
    assert kid.problem("\u0661\u0662\u0663\u0664\u0665") is not None
    assert kid.problem("\uff11\uff12\uff13\uff14\uff15") is not None
    with pytest.raises(InvalidInput):
        kid.generate("\u0661\u0662", KidAlgorithm.MOD10, 10)


def test_a_kid_value_is_checked_when_made_and_is_the_compact_text() -> None:
    assert kid.Kid("0000 000018") == "0000000018"
    assert kid.parse_kid(" 1009- ") == "1009-"
    assert isinstance(kid.parse_kid("0000000018"), kid.Kid)
    with pytest.raises(InvalidInput) as error:
        kid.Kid("0000000017")
    assert [(p.field, p.code) for p in error.value.problems] == [("kid", "not_a_kid")]
    with pytest.raises(InvalidInput) as error:
        kid.parse_kid("12a", field="reference")
    assert [(p.field, p.code) for p in error.value.problems] == [("reference", "not_a_kid")]
