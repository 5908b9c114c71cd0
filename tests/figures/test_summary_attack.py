"""Everything a summaries-only reader can open, in every format, over every choice, attacked.

The overview and the summary are the pages a monitor (or an administrator) opens; each can be
exported as JSON, CSV and XLSX, and the summary as PDF. For every choice the pages offer
(each completed quarter and year x Mombasa, Kwale, Kilifi, the other counties, all
counties), this test:

1. writes every format and reads it back: CSV, XLSX and the PDF's text carry exactly the
   JSON's figures;
2. maps every figure to its release cell (measure, period, group) and checks that a cell is
   the same number wherever it appears, or withheld everywhere, and that no count from 1 to
   10 is shown;
3. checks every published cell against an independent count over the raw tables, and every
   rate against its two published cells;
4. hands an attacker all of it — every table's totals, and that linked measures are sums of
   their parts (decided = convictions + acquittals and withdrawals; hotline reports =
   referred + not referred trafficking reports + the rest) — and finds that no small count
   comes out, by plain subtraction or by exact Gauss-Jordan elimination.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import numpy as np
import polars as pl
import pypdfium2
import pytest
from openpyxl import load_workbook

from auth.policy import Principal, scope_for
from core.periods import parse_period
from core.scope import Filters
from figures import registry
from figures.export import Release, to_csv, to_json, to_xlsx
from figures.indicator_values import MEASURED
from figures.report import summary_pdf
from queries import release
from tests.conftest import DEMO_UNTIL
from tests.figures.test_overview import _table
from tests.metrics.test_protection import recovered, subtraction_attack
from tests.metrics.test_protection_linked import attack
from warehouse.indicators import BY_CODE
from warehouse.schema import case_events, cases, hotline_reports, outreach, services, trainings

MONITOR = scope_for(Principal("m", "M", "monitor"))
AS_OF = DEMO_UNTIL
PROGRAMME = ("001", "002", "003")
ROWS = (*PROGRAMME, "other", "ALL")
SERIOUS = ("child_trafficking", "sexual_exploitation")
# measure -> (adds across counties, adds across quarters), from the counting rules.
SINGLE = {"cases_reported": (True, True), "cases_charged": (True, True),
          "investigations_opened": (True, True), "survivors_served": (True, False),
          "people_trained": (False, False), "outreach_participants": (True, True)}
# Linked measures: the disjoint parts, and each published measure as a sum of them.
LINKED = {
    "verdicts": (("convicted", "acquitted_or_withdrawn"),
                 {"convictions": (1, 0), "decided": (1, 1)}),
    "hotline": (("tip_referred", "tip_unreferred", "other_reports"),
                {"hotline_reports": (1, 1, 1), "hotline_tip_reports": (1, 1, 0),
                 "hotline_referred": (1, 0, 0)}),
}


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return {t.name: _table(demo_warehouse, t)
            for t in (cases, case_events, services, trainings, outreach, hotline_reports)}


def _rows(raw, what):
    """(day, county_code, weight, who) for a measure or a part, by hand from the raw tables."""
    home = raw["cases"].select("case_key", pl.col("county_code").alias("home"))
    events = {"cases_charged": ("charged",), "investigations_opened": ("investigation_opened",),
              "convicted": ("convicted",), "acquitted_or_withdrawn": ("acquitted", "withdrawn")}
    if what in events:
        ev = raw["case_events"].filter(pl.col("stage").is_in(events[what])).join(home,
                                                                                 on="case_key")
        return ev.select(pl.col("occurred_on").alias("day"), pl.col("home").alias("county_code"),
                         pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if what in ("tip_referred", "tip_unreferred", "other_reports"):
        h = raw["hotline_reports"]
        serious, referred = pl.col("category").is_in(SERIOUS), pl.col("referred_to") != "none"
        keep = {"tip_referred": serious & referred, "tip_unreferred": serious & ~referred,
                "other_reports": ~serious}[what]
        return h.filter(keep).select(pl.col("received_on").alias("day"), "county_code",
                                     pl.lit(1).alias("w"), pl.col("report_key").alias("who"))
    if what == "cases_reported":
        return raw["cases"].select(pl.col("reported_on").alias("day"), "county_code",
                                   pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if what == "survivors_served":
        sv = raw["services"].join(home, on="case_key")
        return sv.select(pl.col("provided_on").alias("day"), pl.col("home").alias("county_code"),
                         pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if what == "people_trained":
        return raw["trainings"].select(pl.col("held_on").alias("day"), "county_code",
                                       pl.lit(1).alias("w"), pl.col("participant_key").alias("who"))
    assert what == "outreach_participants"
    return raw["outreach"].select(
        pl.col("held_on").alias("day"), "county_code",
        (pl.col("participants_female") + pl.col("participants_male")).alias("w"),
        pl.col("event_key").alias("who"))


def count(raw, what, period, group) -> int:
    if what in ("convictions",):
        what = "convicted"
    for _, (parts, sums) in LINKED.items():
        if what in sums:
            return sum(count(raw, p, period, group) for p, on in zip(parts, sums[what],
                                                                    strict=True) if on)
    start, end = parse_period(period)
    rows = _rows(raw, what).filter(pl.col("day").is_between(start, end))
    if group == "other":
        rows = rows.filter(~pl.col("county_code").is_in(PROGRAMME))
    elif group != "ALL":
        rows = rows.filter(pl.col("county_code") == group)
    if what in ("survivors_served", "people_trained"):
        return rows["who"].n_unique()
    return int(rows["w"].sum())


def _choices():
    names = [f"{i:03d}" for i in range(1, 48)]
    groups = {"ALL": None, **{c: (c,) for c in PROGRAMME}, "other": release.other_counties(names)}
    periods = [f"{q[0]}-Q{q[1]}" for q in release.published_quarters(AS_OF)]
    periods += [str(y) for y in release.published_years(AS_OF)]
    return [(p, g, Filters(*parse_period(p), counties, as_of=AS_OF))
            for p in periods for g, counties in groups.items()]


def _release(page, filters, tables) -> Release:
    return Release(page=page, username="demo-monitor", role="monitor", start=filters.start,
                   end=filters.end, as_of=filters.as_of, counties=filters.counties,
                   generated_at=datetime(2026, 11, 16, tzinfo=UTC), data_last_loaded=None,
                   demo=True, suppressed_below=MONITOR.suppress_below, tables=tables)


def _read_back(rel: Release) -> dict:
    """{table: rows} from the JSON; CSV and XLSX must hold the same rows."""
    body = json.loads(to_json(rel))
    tables = {name: t["rows"] for name, t in body["tables"].items()}
    book = load_workbook(io.BytesIO(to_xlsx(rel)), read_only=True)
    for name, rows in tables.items():
        lines = list(csv.reader(io.StringIO(to_csv(rel.tables[name]).decode())))
        assert [[None if v in ("", "suppressed") else v for v in row] for row in lines[1:]] \
            == [[None if v is None else str(v) for v in row] for row in rows], name
        width = len(lines[0])  # a sheet's row stops at its last written cell: pad it
        sheet = [[*r, *[None] * (width - len(r))]
                 for r in book[name].iter_rows(values_only=True)][1:]
        read = [[None if v == "suppressed" else v for v in row] for row in sheet]
        assert len(read) == len(rows) and all(
            _same(a, b) for got, want in zip(read, rows, strict=True)
            for a, b in zip(got, want, strict=True)), name
    return tables


def _same(got, want) -> bool:
    """A spreadsheet keeps 15 to 17 significant digits, and writes 341.0 as 341."""
    if isinstance(want, float) and isinstance(got, int | float):
        return got == pytest.approx(want, rel=1e-14)
    return got == want


def _pdf_text(rel: Release) -> str:
    doc = pypdfium2.PdfDocument(summary_pdf(rel, {f"{i:03d}": f"County {i}"
                                                  for i in range(1, 48)}))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return " ".join(text.split())


def _check_pdf(text: str, tables: dict) -> None:
    """The PDF shows each figure of the JSON: its number, or that it is withheld."""
    from figures.report import LABELS

    for name in ("funnel", "training", "outreach"):
        for measure, value in tables[name]:
            shown = "withheld" if value is None else f"{value:,}"
            assert f"{LABELS[measure]} {shown}" in text, (measure, value)
    for code, actual, *_ in tables["headline"]:
        if BY_CODE[code].kind == "count":
            shown = "withheld" if actual is None else f"{int(actual):,}"
            assert f"{BY_CODE[code].name} {shown}" in text, (code, actual)


def everything_shown(engine):
    """{(measure, period, group): {values}} over every choice, from every table of both pages
    read back from every file format; and the rates shown, with their choice."""
    seen: dict[tuple, set] = {}
    rates = []
    for period, group, filters in _choices():
        for page in ("overview", "summary"):
            rel = _release(page, filters, registry.tables(page, engine, MONITOR, filters))
            for key, value in _cells(page, period, group, _read_back(rel), rates):
                seen.setdefault(key, set()).add(value)
    return seen, rates


def _cells(page, period, group, tables, rates):
    if page == "overview":
        for measure, current, previous in tables["headline"]:
            yield (measure, period, group), current
            if previous is not None:
                yield (measure, str(int(period[:4]) - 1) + period[4:], group), previous
        for p, code, _, n in tables["trend"]:
            yield ("cases_reported", p, code), n
        return
    for code, actual, *_ in tables["headline"]:
        if code in MEASURED:
            yield (MEASURED[code], period, group), None if actual is None else int(actual)
        else:
            rates.append((code, period, group, actual))
    for name in ("funnel", "training", "outreach"):
        for measure, value in tables[name]:
            yield (measure, period, group), value


def _consistent(seen) -> dict:
    shown = {}
    for key, values in seen.items():
        numbers = {v for v in values if v is not None}
        assert len(numbers) <= 1 and not (numbers and None in values), (key, values)
        shown[key] = numbers.pop() if numbers else None
    return shown


def _columns(year: int) -> list[str]:
    quarters = [f"{q[0]}-Q{q[1]}" for q in release.published_quarters(AS_OF) if q[0] == year]
    return quarters + ([str(year)] if len(quarters) == 4 else [])


def _attack_all(raw, shown) -> int:
    """Withheld cells attacked; fails on the first one that comes out."""
    years = sorted({q[0] for q in release.published_quarters(AS_OF)})
    attacked = 0
    for year in years:
        cols = _columns(year)
        whole = len(cols) == 5
        for measure, (rows_add, cols_add) in SINGLE.items():
            truth = np.array([[count(raw, measure, p, g) for p in cols] for g in ROWS])
            hidden = np.array([[shown.get((measure, p, g)) is None for p in cols] for g in ROWS])
            assert recovered(truth, hidden, rows_add, cols_add and whole) == set(), measure
            assert subtraction_attack(truth, hidden, rows_add, cols_add and whole) == set()
            attacked += int(hidden.sum())
        for parts, sums in LINKED.values():
            truth = np.array([[[count(raw, p, c, g) for c in cols] for g in ROWS]
                              for p in parts])
            reasons = np.array([[[None if shown.get((m, c, g)) is not None else "withheld"
                                  for c in cols] for g in ROWS] for m in sums], dtype=object)
            assert attack(truth, np.array(list(sums.values())), reasons, whole) == set(), sums
            attacked += int((reasons != None).sum())  # noqa: E711 (elementwise)
    return attacked


def test_every_format_of_every_choice_gives_no_small_count_away(demo_warehouse, raw):
    seen, rates = everything_shown(demo_warehouse)
    shown = _consistent(seen)
    assert not [k for k, v in shown.items() if v is not None and 1 <= v <= 10]
    for (measure, period, group), value in shown.items():
        if value is not None:
            assert value == count(raw, measure, period, group), (measure, period, group)
    for _code, period, group, actual in rates:  # conviction rate: from its published cells
        n, d = shown[("convictions", period, group)], shown[("decided", period, group)]
        if n is None or d is None:
            assert actual is None, (period, group)
        else:
            assert actual == (n / d if d else None)
    assert _attack_all(raw, shown) > 0, "the demo warehouse should have withheld cells"


def test_the_pdf_shows_the_summarys_figures_and_no_more(demo_warehouse):
    """The PDF's text carries each figure of the summary's tables, or that it is withheld,
    for every county group of the newest published year's quarters and the newest whole
    year and its quarters (drawing a PDF takes a second or two: not all 140 choices; the
    tables themselves are attacked over every choice above, in every other format)."""
    newest = max(release.published_years(AS_OF))
    periods = {str(newest), *(f"{newest}-Q{q}" for q in range(1, 5))}
    periods |= {f"{q[0]}-Q{q[1]}" for q in release.published_quarters(AS_OF) if q[0] > newest}
    checked = 0
    for period, _group, filters in _choices():
        if period in periods:
            rel = _release("summary", filters,
                           registry.tables("summary", demo_warehouse, MONITOR, filters))
            tables = {k: v["rows"] for k, v in json.loads(to_json(rel))["tables"].items()}
            _check_pdf(_pdf_text(rel), tables)
            checked += 1
    assert checked == len(periods) * 5
