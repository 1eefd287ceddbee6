"""Join codes and bearer tokens: random from :mod:`secrets`, tokens kept only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

#: Letters and digits that cannot be mistaken for each other when read aloud or off a screen (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 10 characters of 31: 31**10 = 8e14 codes; guessing one at 1000 requests a second takes ~13,000 years.
CODE_LENGTH = 10


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """What a person types (``abcde-fghjk``, spaces) as the stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def codes_match(given: str, stored: str) -> bool:
    return secrets.compare_digest(normalise_code(given).encode(), stored.encode())


def new_token() -> str:
    """A bearer token (256 random bits); the store keeps only :func:`hash_token` of it."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
