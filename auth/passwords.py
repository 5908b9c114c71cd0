"""Passwords: the rules a new one must meet, and how one is stored and checked.

Stored as ``sha256-bcrypt$`` + a bcrypt hash of the base64 SHA-256 of the password
(NFKC-normalized, UTF-8). bcrypt reads at most 72 bytes; the pre-hash is 44 bytes, so
every character of a long passphrase counts and nothing is ever cut off silently. Hashes
written before this scheme (plain bcrypt, ``$2b$...``) are still accepted and are
rewritten in the new scheme at the next successful sign-in.

Checking costs one bcrypt run whatever happens: an unknown user, a locked account or a
malformed stored hash check a dummy hash of the same cost, so the time a sign-in takes
does not tell whether the account exists.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import string
import unicodedata
from pathlib import Path

import bcrypt

SCHEME = "sha256-bcrypt$"
MIN_LENGTH = 12
MAX_LENGTH = 1024  # characters; far beyond any passphrase, short of a denial of service
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
_DECORATION = string.digits + string.punctuation + " "


def _prehash(password: str) -> bytes:
    normalized = unicodedata.normalize("NFKC", password).encode("utf-8")
    return base64.b64encode(hashlib.sha256(normalized).digest())


def hash_password(password: str) -> str:
    return SCHEME + bcrypt.hashpw(_prehash(password), bcrypt.gensalt()).decode()


@functools.cache
def _dummy_hash() -> str:
    # Same cost as a real hash (bcrypt's default rounds), made once per process.
    return hash_password("not a password: only makes a failed check take its usual time")


def verify(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; always one bcrypt run of the usual cost."""
    if stored and stored.startswith(SCHEME):
        return _checkpw(_prehash(password), stored.removeprefix(SCHEME))
    raw = password.encode("utf-8")
    if stored and stored.startswith("$2") and len(raw) <= 72:
        return _checkpw(raw, stored)  # a hash from before the pre-hash scheme
    dummy_check(password)
    return False


def dummy_check(password: str) -> None:
    """Spend the time a real check takes, for a user who does not exist or may not try."""
    _checkpw(_prehash(password), _dummy_hash().removeprefix(SCHEME))


def _checkpw(candidate: bytes, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(candidate, hashed.encode("ascii"))
    except ValueError:  # a corrupt stored hash never signs anyone in
        return False


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(SCHEME)


@functools.cache
def _common() -> frozenset[str]:
    return frozenset(COMMON_LIST.read_text(encoding="utf-8").split())


def problems(password: str, username: str) -> list[str]:
    """What is wrong with ``password`` as a new password for ``username`` (empty: nothing).

    Length is counted in characters (after NFKC normalization), so any script counts
    the same; there are no composition rules."""
    normalized = unicodedata.normalize("NFKC", password)
    found = []
    if len(normalized) < MIN_LENGTH:
        found.append(f"the password must be at least {MIN_LENGTH} characters long")
    if len(normalized) > MAX_LENGTH:
        found.append(f"the password must be at most {MAX_LENGTH} characters long")
    if normalized.strip() != normalized:
        # The sign-in form strips them, so such a password could never be typed back.
        found.append("the password must not begin or end with spaces")
    folded = normalized.casefold()
    if username and username.casefold() in folded:
        found.append("the password must not contain the username")
    if len(set(folded)) < 3:
        found.append("the password repeats too few different characters")
    core = folded.strip(_DECORATION)
    if folded in _common() or (core and core in _common()):
        found.append("the password is one of the most common passwords (or one with only "
                     "digits or symbols added); choose another")
    return found
