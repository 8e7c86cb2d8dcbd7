"""The company (creditor and tenant): who invoices, into which account, with which KID."""

from __future__ import annotations

from dataclasses import dataclass, field

from fordring.domain.errors import InvalidInput
from fordring.domain.kid import MAX_LENGTH, KidAlgorithm


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NO"

    def is_complete(self) -> bool:
        return bool(self.street and self.postcode and self.city)

    def problems(self, field: str = "address") -> list[str]:
        """Why this cannot be a Norwegian postal address (empty when it can or is blank)."""
        code = self.postcode
        if (
            self.country == "NO"
            and code
            and not (len(code) == 4 and code.isascii() and code.isdigit())
        ):
            return [f"postcode {self.postcode!r} is not four digits"]
        return []


@dataclass(frozen=True, slots=True)
class KidPolicy:
    """How invoice KIDs are made: the invoice number, zero-padded, plus a check digit."""

    algorithm: KidAlgorithm = KidAlgorithm.MOD10
    length: int = 10

    def __post_init__(self) -> None:
        if not 2 <= self.length <= MAX_LENGTH:
            raise InvalidInput.one("kid_length", f"must be 2-{MAX_LENGTH}, not {self.length}")


@dataclass(frozen=True, slots=True)
class Company:
    """A creditor. Every stored record belongs to exactly one company."""

    id: int | None
    orgnr: str
    name: str
    account: str
    address: Address = field(default_factory=Address)
    vat_registered: bool = True
    foretaksregisteret: bool = True
    kid_policy: KidPolicy = field(default_factory=KidPolicy)
    default_terms_days: int = 14
    email: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInput.one("name", "the company needs a name")
        if not 0 <= self.default_terms_days <= 365:
            raise InvalidInput.one("terms", f"must be 0-365 days, not {self.default_terms_days}")
