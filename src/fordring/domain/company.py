"""The company (creditor and tenant): who invoices, into which account, with which KID."""

from __future__ import annotations

from dataclasses import dataclass, field

from fordring.domain.errors import InvalidInput
from fordring.domain.kid import MAX_LENGTH, KidAlgorithm, generate, is_valid


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

    @property
    def case_length(self) -> int:
        """A case KID is one digit longer than an invoice KID, so the two never meet
        (a company made before 25 was refused keeps 25 for both)."""
        return min(self.length + 1, MAX_LENGTH)

    def invoice_kid(self, number: int) -> str:
        return generate(number, self.algorithm, self.length)

    def case_kid(self, number: int) -> str:
        return generate(number, self.algorithm, self.case_length)

    def made_for(self, kid: str) -> str | None:
        """The invoice or case fordring gives `kid` to under this policy ("invoice 12",
        "case 3"), or None for a KID it never makes: a KID given by hand must not be one
        of these, or a later invoice or case would get it too (issue 14)."""
        body = kid[:-1]
        if not body.isdigit() or not is_valid(kid, self.algorithm):
            return None
        if len(kid) == self.length:
            return f"invoice {int(body)}"
        if len(kid) == self.case_length:
            return f"case {int(body)}"
        return None


MAX_TERMS_DAYS = 365  # a company's default payment terms, days: at most a year


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
        if not 0 <= self.default_terms_days <= MAX_TERMS_DAYS:
            reason = f"must be 0-{MAX_TERMS_DAYS} days, not {self.default_terms_days}"
            raise InvalidInput.one("terms", reason)
