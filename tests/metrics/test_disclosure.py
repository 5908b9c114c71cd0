import polars as pl
import pytest

from metrics.disclosure import PROTECTS, SMALL, rule_words, suppress, withheld_words


@pytest.mark.parametrize(
    ("value", "shown", "reason"),
    [(0, 0, None), (1, None, SMALL), (10, None, SMALL), (11, 11, None), (None, None, None),
     (250, 250, None)],
)
def test_edges_of_the_threshold(value, shown, reason):
    df = suppress(pl.DataFrame({"n": [value]}, schema={"n": pl.Int64}), "n", 11,
                  additive=False)
    assert df["n"].to_list() == [shown]
    assert df["n_withheld"].to_list() == [reason]


def test_another_threshold_moves_the_edges():
    df = suppress(pl.DataFrame({"n": [14, 15]}), "n", 15, additive=False)
    assert df["n"].to_list() == [None, 15]


def test_no_threshold_means_no_suppression():
    df = suppress(pl.DataFrame({"n": [3, 0, 40]}), "n", 0)
    assert df["n"].to_list() == [3, 0, 40]
    assert df["n_withheld"].null_count() == 3


def test_primary_suppression_keeps_zeros_and_large_counts():
    df = suppress(pl.DataFrame({"n": [0, 5, 12, 3, 40]}), "n", 11)
    assert df["n"].to_list() == [0, None, 12, None, 40]
    assert df["n_withheld"].to_list() == [None, SMALL, None, SMALL, None]


def test_single_suppressed_cell_gets_a_partner_so_the_total_cannot_reveal_it():
    df = suppress(pl.DataFrame({"n": [4, 30, 12, 0]}), "n", 11)
    # 4 alone would be total - 30 - 12; the smallest other non-zero cell (12) goes too,
    # and says why in its own words.
    assert df["n"].to_list() == [None, 30, None, 0]
    assert df["n_withheld"].to_list() == [SMALL, None, PROTECTS, None]


def test_independent_figures_are_withheld_each_on_its_own():
    df = suppress(pl.DataFrame({"n": [4, 30, 12]}), "n", 11, additive=False)
    assert df["n"].to_list() == [None, 30, 12]


def test_words_come_from_the_threshold():
    assert withheld_words(SMALL, 11) == "withheld (1–10)"
    assert withheld_words(PROTECTS, 11) == "withheld (protects a small count)"
    assert "1–14" in rule_words(15)
