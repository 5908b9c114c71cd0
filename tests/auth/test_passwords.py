"""Password rules and storage, as a person choosing and typing a password meets them."""

import base64
import hashlib
import unicodedata

import bcrypt
import pytest

from auth import passwords


def test_any_script_counts_by_characters_and_long_passphrases_keep_every_character():
    swahili = "haki kwa watoto wote"
    assert passwords.problems(swahili, "amina") == []
    assert passwords.problems("ንጉሥ ዘነገሥት ዘኢትዮጵያ", "amina") == []  # 15 characters, 39 bytes
    long = "mvua ya masika " * 12  # 180 characters, far past bcrypt's 72 bytes
    stored = passwords.hash_password(long.strip())
    assert passwords.verify(long.strip(), stored)
    # Differs only after the 72nd byte: a truncating scheme would accept it.
    assert not passwords.verify(long.strip()[:-1] + "X", stored)


def test_the_stored_form_is_bcrypt_of_the_sha256_of_the_nfkc_password():
    password = "ﬁsherman's wharf 2024"  # NFKC turns the ligature into "fi"
    stored = passwords.hash_password(password)
    prehash = base64.b64encode(hashlib.sha256(
        unicodedata.normalize("NFKC", password).encode()).digest())
    assert stored.startswith("sha256-bcrypt$")
    assert bcrypt.checkpw(prehash, stored.removeprefix("sha256-bcrypt$").encode())
    assert passwords.verify("fisherman's wharf 2024", stored)


def test_hashes_from_before_the_pre_hash_are_still_accepted_and_flagged_for_rehash():
    old = bcrypt.hashpw(b"an old long password", bcrypt.gensalt(4)).decode()
    assert passwords.verify("an old long password", old)
    assert not passwords.verify("an old long passwore", old)
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(passwords.hash_password("a new long password"))


@pytest.mark.parametrize("stored", [None, "", "not a hash", "sha256-bcrypt$garbage", "$2b$nonsense"])
def test_a_missing_or_corrupt_hash_never_signs_anyone_in(stored):
    assert passwords.verify("whatever it is here", stored) is False


@pytest.mark.parametrize(("password", "words"), [
    ("short", "at least 12"),
    ("x" * 1025, "at most 1024"),
    (" leading space here", "spaces"),
    ("password1234", "most common"),
    ("Sunshine2024!!", "most common"),  # a listed word with digits and symbols added
    ("1qaz2wsx3edc", "most common"),  # a keyboard walk of the list
    ("aaaaaaaaaaaaaaaa", "too few different"),
    ("amina-is-my-password", "username"),
    ("AMINA the great one", "username"),
])
def test_weak_passwords_are_refused_with_the_reason(password, words):
    found = passwords.problems(password, "amina")
    assert any(words in f for f in found), found


def test_sixty_four_characters_and_more_are_accepted():
    assert passwords.problems("k" * 30 + " mombasa " + "z" * 40, "amina") == []


def test_every_check_costs_one_bcrypt_run_of_the_same_cost(monkeypatch):
    """Unknown users, corrupt hashes and real ones take the same work: one bcrypt check
    at the cost of a real hash (the timing figures are in bench/sign_in_timing.py)."""
    real = passwords.hash_password("a real long password")
    calls = []
    original = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: calls.append(h[:7]) or original(pw, h))
    for stored in (real, None, "corrupt"):
        calls.clear()
        passwords.verify("a wrong long password", stored)
        assert calls == [real.removeprefix("sha256-bcrypt$")[:7].encode()], stored
    calls.clear()
    passwords.dummy_check("anything at all")
    assert calls == [real.removeprefix("sha256-bcrypt$")[:7].encode()]
