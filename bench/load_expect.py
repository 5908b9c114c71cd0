"""What each load-test session must see, computed up front by plain SQL over the raw tables
(never through Haki's queries, figures or cache), and the checks a session runs on a page.

The overview's caption names the period and counties a page shows ("1 Jan 2026 to 15 Nov
2026, Kilifi · ..."); its "Cases reported" and "Convictions" cards must equal the counts
of the raw rows for exactly those dates and counties. A CUC member's page may name no
county but their own. Either check failing is a cross-scope leak (or a wrong figure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, text

# Cases reported: cases by report date. Convictions: 'convicted' events by their date, in
# the county of their case (figures contract: a case's events belong to its case's county).
_REPORTED = text("SELECT county_code, reported_on, count(*) FROM cases "
                 "GROUP BY county_code, reported_on")
_CONVICTED = text("SELECT c.county_code, e.occurred_on, count(*) FROM case_events e "
                  "JOIN cases c ON c.case_key = e.case_key WHERE e.stage = 'convicted' "
                  "GROUP BY c.county_code, e.occurred_on")
_COUNTIES = text("SELECT code, name FROM counties")
_PERIOD = re.compile(r"(\d{1,2} \w{3} \d{4}) to (\d{1,2} \w{3} \d{4}), (.+?)(?: ·|$)")
_ALL = re.compile(r"all (\d+) counties")
_MANY = re.compile(r"(\d+) counties")
CHECKED = {"Cases reported": "reported", "Convictions": "convicted"}


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class Expected:
    """Raw daily counts per county, and the county names, read once before the run."""
    names: dict[str, str]                        # code -> name
    daily: dict[str, dict[tuple[str, date], int]]  # measure -> (county, day) -> count

    @classmethod
    def read(cls, engine: Engine) -> Expected:
        with engine.connect() as conn:
            names = {code: name for code, name in conn.execute(_COUNTIES)}
            daily = {}
            for measure, sql in (("reported", _REPORTED), ("convicted", _CONVICTED)):
                daily[measure] = {(c, _day(d)): n for c, d, n in conn.execute(sql)}
        return cls(names, daily)

    def count(self, measure: str, start: date, end: date, counties: set[str]) -> int:
        return sum(n for (c, d), n in self.daily[measure].items()
                   if c in counties and start <= d <= end)

    def counties_named(self, place: str, allowed: set[str]) -> set[str]:
        """The county codes a caption's place ('all 47 counties', 'Kilifi and Kwale',
        '44 counties') stands for, within what the reader may see (``allowed``)."""
        if _ALL.fullmatch(place):
            return set(allowed)
        many = _MANY.fullmatch(place)
        if many:  # more than four: the release's "other counties" group
            others = {c for c in allowed if c not in ("001", "002", "003")}
            if len(others) != int(many.group(1)):
                raise ValueError(f"cannot tell which {place} the caption means")
            return others
        words = re.split(r", | and ", place)
        by_name = {n: c for c, n in self.names.items()}
        return {by_name[w] for w in words}


def _parse_day(words: str) -> date:
    return datetime.strptime(words, "%d %b %Y").date()


def check_headline(expected: Expected, main_text: str, cards: dict[str, str],
                   allowed: set[str], suppress_below: int = 0) -> list[str]:
    """Problems with the overview's checked cards (an empty list: all equal). ``cards`` maps
    a card's label to its value as shown; 'Withheld' (small counts for summaries-only
    readers) is not compared. With ``suppress_below`` (the reader's scope withholds counts
    of 1 to suppress_below - 1), a small count shown as a number is a problem too."""
    found = _PERIOD.search(main_text)
    if not found:
        return ["the overview's caption names no period"]
    start, end = _parse_day(found.group(1)), _parse_day(found.group(2))
    place = found.group(3)
    try:
        counties = expected.counties_named(place, allowed)
    except (KeyError, ValueError) as exc:
        return [f"the caption's place {place!r} is not a choice of this reader ({exc})"]
    if not counties <= allowed:
        return [f"the caption names counties outside the reader's scope: {place!r}"]
    problems = []
    for label, measure in CHECKED.items():
        shown = cards.get(label)
        if shown is None or shown == "Withheld":  # a missing card is an error, not a leak
            continue
        want = expected.count(measure, start, end, counties)
        if 0 < want < suppress_below:
            problems.append(f"{label} shows {shown}: a count of 1–{suppress_below - 1} "
                            f"({want}) must be withheld for {start}..{end}, {place}")
        elif shown.replace(",", "") != str(want):
            problems.append(f"{label} shows {shown}, raw rows give {want:,} for {start}..{end}, "
                            f"{place}")
    return problems


def foreign_names(expected: Expected, main_text: str, own: set[str]) -> list[str]:
    """Names of counties outside ``own`` that a page shows (as whole, capitalised words)."""
    return sorted(name for code, name in expected.names.items() if code not in own
                  and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", main_text))

