"""Shaping the outreach page's figures: the month-by-county grid of outreach, reports and
cases, and the referral shares of trafficking and exploitation reports."""

from __future__ import annotations

import polars as pl

from core.periods import key_words
from metrics.disclosure import flag_column
from metrics.each import each, with_columns
from metrics.tables import (
    COUNT,
    LABEL,
    TEXT,
    readable,
    summed,
    with_names,
    words,
)

MONTHLY = ("outreach_participants", "hotline_reports", "cases_reported")
# The reports the programme follows up: these should all be referred onward.
SERIOUS = ("child_trafficking", "sexual_exploitation")
NOT_REFERRED = "none"


def monthly(parts: dict[str, pl.DataFrame], months: list[str]) -> pl.DataFrame:
    """month, county_code and each measure of MONTHLY (+ withheld reasons): every month of
    the period for every county with at least one of them; a month without any is 0."""
    present = pl.concat([p.select("county_code") for p in parts.values()]).unique()
    grid = pl.DataFrame({"month": months}, schema={"month": pl.String}).join(
        present, how="cross")
    for name in MONTHLY:
        part = parts[name].rename({"n": name, "n_withheld": flag_column(name)})
        grid = grid.join(part, on=["month", "county_code"], how="left").with_columns(
            pl.when(pl.col(flag_column(name)).is_null()).then(pl.col(name).fill_null(0))
            .alias(name))
    flags = [flag_column(n) for n in MONTHLY]
    return grid.sort("month", "county_code").select("month", "county_code", *MONTHLY, *flags)


def referrals(hotline: pl.DataFrame) -> dict[str, int | float | None]:
    """Trafficking and exploitation reports: how many, how many referred onward (anywhere
    but 'none') and how many became cases, with the shares of each (None without reports,
    or when a part is withheld)."""
    serious = hotline.filter(pl.col("category").is_in(list(SERIOUS)))
    withheld = any(serious[flag_column(c)].is_not_null().any()
                   for c in ("reports", "linked_to_case"))
    if withheld:
        return {"reports": None, "referred": None, "linked": None,
                "referred_share": None, "linked_share": None}
    reports = int(serious["reports"].sum())
    referred = int(serious.filter(pl.col("referred_to") != NOT_REFERRED)["reports"].sum())
    linked = int(serious["linked_to_case"].sum())
    return {"reports": reports, "referred": referred, "linked": linked,
            "referred_share": referred / reports if reports else None,
            "linked_share": linked / reports if reports else None}


ATTENDANCE = ["sessions", "participants_female", "participants_male"]


def by_audience(sessions: pl.DataFrame) -> pl.DataFrame:
    """audience, sessions, participants_female, participants_male over the counties read."""
    return summed(sessions, ["audience"], ATTENDANCE)


def by_sub_county(detail: pl.DataFrame) -> pl.DataFrame:
    """county_code, sub_county, sessions and participants over the period."""
    return summed(detail, ["county_code", "sub_county"], ATTENDANCE)


def by_month(detail: pl.DataFrame, months: list[str]) -> pl.DataFrame:
    """month, county_code, sessions and participants: every month, 0 when none were held."""
    totals = summed(detail, ["month", "county_code"], ATTENDANCE)
    grid = pl.DataFrame({"month": months}, schema={"month": pl.String}).join(
        totals.select("county_code").unique(), how="cross")
    out = grid.join(totals, on=["month", "county_code"], how="left")
    return out.with_columns(
        *[pl.when(pl.col(flag_column(c)).is_null()).then(pl.col(c).fill_null(0)).alias(c)
          for c in ATTENDANCE]).sort("month", "county_code")


def by_dimension(hotline: pl.DataFrame, dimension: str) -> pl.DataFrame:
    """Reports and those linked to a case by one of category, channel, referred_to."""
    return summed(hotline, [dimension], ["reports", "linked_to_case"])


ATTENDANCE_COLUMNS = [("sessions", "Sessions", COUNT),
                      ("participants_female", "Female participants", COUNT),
                      ("participants_male", "Male participants", COUNT)]


def audience_view(sessions: pl.DataFrame) -> pl.DataFrame:
    return with_columns(by_audience(sessions), words("audience").alias("group"))


def audience_table(view: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return readable(view, [("group", "Audience", TEXT), *ATTENDANCE_COLUMNS], threshold)


def sub_county_view(detail: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    out = with_columns(with_names(by_sub_county(detail), names),
                       words("sub_county").alias("sub_county_words"))
    return out.with_columns(pl.format("{} · {}", "county", "sub_county_words").alias("group"))


def sub_county_table(view: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return readable(view, [("county", "County", TEXT), ("sub_county_words", "Sub-county", TEXT),
                           *ATTENDANCE_COLUMNS], threshold)


def month_view(detail: pl.DataFrame, months: list[str], names: dict[str, str]) -> pl.DataFrame:
    return with_columns(with_names(by_month(detail, months), names),
                        each(key_words, "month", skip_nulls=True).alias("month_words"))


def month_table(view: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return readable(view, [("month_words", "Month", TEXT), ("county", "County", TEXT),
                           *ATTENDANCE_COLUMNS], threshold)


def reports_view(hotline: pl.DataFrame, dimension: str) -> pl.DataFrame:
    return with_columns(by_dimension(hotline, dimension), words(dimension).alias("group"))


def hotline_table(hotline: pl.DataFrame, names: dict[str, str], threshold: int) -> pl.DataFrame:
    return readable(with_names(hotline, names), [
        ("county", "County", TEXT), ("category", "Category", LABEL),
        ("channel", "Channel", LABEL), ("referred_to", "Referred to", LABEL),
        ("reports", "Reports", COUNT), ("linked_to_case", "Became a case", COUNT)], threshold)


def monthly_view(table: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    return with_columns(with_names(table, names),
                        each(key_words, "month", skip_nulls=True).alias("month_words"))


def monthly_table(view: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return readable(view, [
        ("month_words", "Month", TEXT), ("county", "County", TEXT),
        ("outreach_participants", "Outreach participants", COUNT),
        ("hotline_reports", "Hotline reports", COUNT),
        ("cases_reported", "Cases reported", COUNT)], threshold)
