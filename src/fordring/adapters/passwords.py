"""Users' passwords hashed with argon2id (argon2-cffi, RFC 9106's parameters): the
hash string carries its salt and parameters, so a stored hash stays checkable after the
parameters are raised (and is then hashed anew at the next sign-in)."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    """`hash`, `verify` and `needs_rehash` of services/ports/users.py `PasswordHasher`."""

    def __init__(self, *, time_cost: int = 3, memory_cost: int = 65536) -> None:
        # argon2-cffi's defaults (RFC 9106's second recommendation: 64 MiB, 3 passes)
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=4, type=Type.ID
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
