"""What a check needs beyond the file: reference data, and the cases and events it may refer to.

A file may refer to cases already in the warehouse or to cases in an earlier file of
the same upload. When loading, earlier files are written in their own committed
transactions (and earlier sheets of a workbook in the same one), so reading the
warehouse through the load's connection sees them. A dry run writes nothing, so what
each file would have loaded is kept in ``Pending`` and read alongside the warehouse.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import Connection, select

from warehouse.maintained import KEYS_PER_STATEMENT
from warehouse.pseudonym import Pseudonymizer
from warehouse.schema import case_events, cases, counties, court_stations, sub_counties

CASE_SCHEMA = {"case_key": pl.String, "county_code": pl.String, "reported_on": pl.Date}
EVENT_SCHEMA = {"case_key": pl.String, "stage": pl.String, "occurred_on": pl.Date}


def norm_name(text: str) -> str:
    """How a county, sub-county or court name is matched: case, spaces, hyphens and
    apostrophes do not matter ("Taita Taveta" = "Taita-Taveta", "Muranga" = "Murang'a")."""
    return re.sub(r"[ \-]", "_", re.sub(r"['’`]", "", text.strip().lower()))


def norm_name_expr(expr: pl.Expr) -> pl.Expr:
    """``norm_name`` for a column of text (the same rule, vectorized)."""
    return (
        expr.str.strip_chars().str.to_lowercase()
        .str.replace_all(r"['’`]", "").str.replace_all(r"[ \-]", "_")
    )


@dataclass(frozen=True)
class Reference:
    """Counties, sub-counties and court stations as this warehouse has them."""

    county_codes: dict[str, str]  # normalized name or code -> "001"
    sub_county_ids: dict[str, int]  # "001|changamwe" -> id
    court_ids: dict[str, int]  # normalized court name -> id

    @classmethod
    def read(cls, conn: Connection) -> Reference:
        codes: dict[str, str] = {}
        for code, name in conn.execute(select(counties.c.code, counties.c.name)):
            number = int(code)
            codes.update({norm_name(name): code, code: code, str(number): code,
                          f"{number:02d}": code})
        subs = {
            f"{county}|{norm_name(name)}": sid
            for sid, county, name in conn.execute(
                select(sub_counties.c.id, sub_counties.c.county_code, sub_counties.c.name))
        }
        courts = {
            norm_name(name): cid
            for cid, name in conn.execute(select(court_stations.c.id, court_stations.c.name))
        }
        return cls(codes, subs, courts)


class Keys:
    """One pseudonymizer per namespace, under the warehouse's secret key."""

    def __init__(self, secret: str):
        self._secret = secret
        self._made: dict[str, Pseudonymizer] = {}
        Pseudonymizer(secret, "case")  # no key, no ingest: fail before reading anything

    def hash_series(self, namespace: str, ids: pl.Series) -> pl.Series:
        """Keys for a column of source ids. HMAC has no vectorized form, so each distinct id
        is hashed once (in C, through ``hmac``) and the column is mapped in one step."""
        made = self._made.setdefault(namespace, Pseudonymizer(self._secret, namespace))
        distinct = ids.drop_nulls().unique()
        mapping = dict(zip(distinct.to_list(), map(made, distinct.to_list()), strict=True))
        return ids.replace_strict(mapping, default=None, return_dtype=pl.String)


@dataclass
class Pending:
    """Cases and events that earlier files of a dry run would have loaded."""

    cases: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CASE_SCHEMA))
    events: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EVENT_SCHEMA))

    def add(self, template: str, rows: pl.DataFrame) -> None:
        if template == "cases":
            self.cases = _replace(self.cases, rows.select(list(CASE_SCHEMA)), ["case_key"])
        elif template == "case_events":
            self.events = _replace(self.events, rows.select(list(EVENT_SCHEMA)), ["case_key", "stage"])

    def merge(self, other: Pending) -> None:
        self.add("cases", other.cases)
        self.add("case_events", other.events)


def _replace(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    return pl.concat([old.join(new.select(key), on=key, how="anti"), new])


@dataclass
class Context:
    conn: Connection
    reference: Reference
    keys: Keys
    today: dt.date
    pending: Pending = field(default_factory=Pending)

    def cases_for(self, keys: pl.Series) -> pl.DataFrame:
        """case_key, county_code, reported_on of these cases, where they exist."""
        stored = _fetch(self.conn, cases, CASE_SCHEMA, keys)
        return _replace(stored, self.pending.cases.filter(pl.col("case_key").is_in(keys.implode())),
                        ["case_key"])

    def events_for(self, keys: pl.Series) -> pl.DataFrame:
        stored = _fetch(self.conn, case_events, EVENT_SCHEMA, keys)
        mine = self.pending.events.filter(pl.col("case_key").is_in(keys.implode()))
        return _replace(stored, mine, ["case_key", "stage"])


def _fetch(conn: Connection, table, schema: dict, keys: pl.Series) -> pl.DataFrame:
    wanted = keys.drop_nulls().unique().sort().to_list()
    parts = [pl.DataFrame(schema=schema)]
    columns = [table.c[name] for name in schema]
    for lo in range(0, len(wanted), KEYS_PER_STATEMENT):
        chunk = wanted[lo:lo + KEYS_PER_STATEMENT]
        rows = conn.execute(select(*columns).where(table.c.case_key.in_(chunk))).all()
        if rows:
            parts.append(pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row"))
    return pl.concat(parts)
