import hashlib
import hmac

import pytest

from warehouse.pseudonym import Pseudonymizer

KEY = "k" * 40


def test_same_id_same_key_links_and_matches_plain_hmac():
    p = Pseudonymizer(KEY, "case")
    assert p("MSA/CR/123/2024") == p(" MSA/CR/123/2024 ")  # trimmed, as ingest trims cells
    expected = hmac.new(KEY.encode(), b"case\x00MSA/CR/123/2024", hashlib.sha256).hexdigest()
    assert p("MSA/CR/123/2024") == expected and len(expected) == 64


def test_other_key_or_namespace_gives_an_unrelated_value():
    case_id = "MSA/CR/123/2024"
    assert Pseudonymizer(KEY, "case")(case_id) != Pseudonymizer(KEY + "x", "case")(case_id)
    assert Pseudonymizer(KEY, "case")(case_id) != Pseudonymizer(KEY, "participant")(case_id)
    assert case_id not in Pseudonymizer(KEY, "case")(case_id)


def test_a_key_is_required():
    with pytest.raises(ValueError):
        Pseudonymizer("", "case")


def test_digests_of_many_ids_are_the_keys_of_each():
    p = Pseudonymizer(KEY, "case")
    ids = ["DEMO-C-000001", " MSA/CR/123/2024 ", "x" * 300, ""]
    raw = p.digests(ids)
    assert [raw[i : i + 32].hex() for i in range(0, len(raw), 32)] == [p(i) for i in ids]
    assert p.digests([]) == b""
