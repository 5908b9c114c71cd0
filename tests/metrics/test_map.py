"""Map classes and rates: zero apart from no data, breaks at quantiles, rates withheld with
their counts."""

import polars as pl
import pytest

from metrics.map import (
    NO_DATA,
    ZERO,
    class_breaks,
    class_labels,
    class_of,
    classified,
    value_words,
    with_rates,
)


def test_few_values_get_a_class_each():
    assert class_breaks([0, 3, 3, 7, None]) == [3, 7]


def test_many_values_split_at_quantiles_of_the_positive_ones():
    values = [0] * 40 + list(range(1, 21))
    assert class_breaks(values) == [4, 8, 12, 16, 20]
    assert class_breaks([0, 0, None]) == []


@pytest.mark.parametrize(("value", "klass"), [(None, NO_DATA), (0, ZERO), (1, 1), (4, 1),
                                              (5, 2), (20, 5), (25, 5)])
def test_each_value_finds_its_class(value, klass):
    assert class_of(value, [4, 8, 12, 16, 20]) == klass


def test_labels_cover_whole_numbers_without_gaps():
    assert class_labels([4, 8, 9], "count") == ["1–4", "5–8", "9"]
    assert class_labels([0.25, 0.5], "share") == ["up to 25%", "25%–50%"]
    assert class_labels([2.5, 10.25], "per_100k") == ["up to 2.5", "2.5–10.2"]


def test_values_in_words_are_exact():
    assert value_words(1234, "count") == "1,234"
    assert value_words(12.3456, "per_100k") == "12.35 per 100,000"
    assert value_words(0.4545, "share") == "45.5%"


def _counts(**overrides):
    row = {"county_code": "002", "county": "Kwale", "population_2019": 866820,
           "cases_reported": 40, "charged": 12, "convicted": 3, "decided": 4,
           "people_trained": 20, "outreach_participants": 900, "hotline_reports": 55}
    row.update({k: v for k, v in overrides.items() if not k.endswith("_withheld")})
    df = pl.DataFrame([row], schema_overrides={c: pl.Int64 for c in row
                                               if c not in ("county_code", "county")})
    for c in ("cases_reported", "charged", "convicted", "decided", "people_trained",
              "outreach_participants", "hotline_reports"):
        df = df.with_columns(pl.lit(overrides.get(f"{c}_withheld"), dtype=pl.String)
                             .alias(f"{c}_withheld"))
    return df


def test_rates_follow_the_contract():
    got = with_rates(_counts()).row(0, named=True)
    assert got["cases_per_100k"] == pytest.approx(40 * 100000 / 866820)
    assert got["conviction_rate"] == pytest.approx(0.75)
    assert with_rates(_counts(convicted=0, decided=0)).row(0, named=True)[
        "conviction_rate"] is None


def test_a_withheld_count_withholds_its_rate():
    got = with_rates(_counts(cases_reported=None, cases_reported_withheld="small",
                             convicted=None, convicted_withheld="small")).row(0, named=True)
    assert got["cases_per_100k"] is None and got["cases_per_100k_withheld"] == "small"
    assert got["conviction_rate"] is None and got["conviction_rate_withheld"] == "small"
    decided_small = with_rates(_counts(decided=None, decided_withheld="small")).row(0, named=True)
    assert decided_small["conviction_rate"] is None


def test_classified_rows_say_no_data_and_zero_apart():
    table = with_rates(pl.concat([
        _counts(), _counts(county_code="005", county="Lamu", cases_reported=0, convicted=0,
                           decided=0)]))
    shown, breaks = classified(table, "conviction_rate", "share")
    assert shown["klass"].to_list() == [1, NO_DATA]
    assert shown["words"].to_list() == ["75.0%", "no decisions in the period"]
    shown, _ = classified(table, "cases_reported", "count")
    assert shown["klass"].to_list() == [1, ZERO]
