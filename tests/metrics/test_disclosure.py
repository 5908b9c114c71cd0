import polars as pl
import pytest

from metrics.disclosure import suppress, suppress_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (1, None), (10, None), (11, 11), (None, None), (250, 250)],
)
def test_headline_values(value, expected):
    assert suppress_value(value, 11) == expected


def test_no_threshold_means_no_suppression():
    assert suppress_value(3, 0) == 3
    df = suppress(pl.DataFrame({"n": [3, 0, 40]}), "n", 0)
    assert df["n"].to_list() == [3, 0, 40]
    assert not df["n_suppressed"].any()


def test_primary_suppression_keeps_zeros_and_large_counts():
    df = suppress(pl.DataFrame({"n": [0, 5, 12, 3, 40]}), "n", 11)
    assert df["n"].to_list() == [0, None, 12, None, 40]
    assert df["n_suppressed"].to_list() == [False, True, False, True, False]


def test_single_suppressed_cell_gets_a_partner_so_the_total_cannot_reveal_it():
    df = suppress(pl.DataFrame({"n": [4, 30, 12, 0]}), "n", 11)
    # 4 alone would be total - 30 - 12; the smallest other non-zero cell (12) goes too.
    assert df["n"].to_list() == [None, 30, None, 0]
    assert df["n_suppressed"].sum() == 2
