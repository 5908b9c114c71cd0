"""The schema, created by the migrations, on SQLite and PostgreSQL."""

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select

from warehouse.migrate import current_revision, head_revision, init_warehouse
from warehouse.schema import counties, court_stations, metadata, sub_counties

# Column names that could carry a direct identifier. The contract's DROP columns
# and source ids must have nowhere to land.
IDENTIFYING = re.compile(r"name|phone|email|address|notes|source_|guardian|caller", re.I)
ALLOWED = {("users", "username"), ("users", "display_name"), ("counties", "name"),
           ("sub_counties", "name"), ("court_stations", "name"), ("ingest_batches", "file_name"),
           ("sessions", "username"), ("audit_log", "username")}


def test_migrations_create_every_table_in_the_metadata(empty_warehouse):
    assert set(inspect(empty_warehouse).get_table_names()) >= set(metadata.tables)
    assert current_revision(empty_warehouse) == head_revision()


def test_migrations_match_the_metadata_exactly(empty_warehouse):
    with empty_warehouse.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_init_is_idempotent(empty_warehouse):
    before = _reference_counts(empty_warehouse)
    init_warehouse(empty_warehouse)
    assert _reference_counts(empty_warehouse) == before


def _reference_counts(engine):
    with engine.connect() as conn:
        return [len(conn.execute(select(t)).all()) for t in (counties, sub_counties, court_stations)]


def test_no_column_could_hold_a_direct_identifier():
    offending = [
        (t.name, c.name)
        for t in metadata.sorted_tables
        for c in t.columns
        if IDENTIFYING.search(c.name) and (t.name, c.name) not in ALLOWED
    ]
    assert offending == []


@pytest.mark.parametrize("table", ["cases", "outreach", "hotline_reports", "case_events"])
def test_programme_tables_are_keyed_by_pseudonyms(table):
    keys = [c for c in metadata.tables[table].primary_key.columns]
    assert keys[0].name.endswith("_key") and keys[0].type.length == 64


@pytest.mark.parametrize(
    ("table", "columns"),
    [("cases", ["county_code", "reported_on"]), ("case_events", ["stage", "occurred_on"]),
     ("trainings", ["county_code", "held_on"]), ("outreach", ["county_code", "held_on"])],
)
def test_dashboard_filters_are_indexed(empty_warehouse, table, columns):
    # An index that starts with the filter's columns serves it (it may carry more, to cover).
    indexes = [ix["column_names"] for ix in inspect(empty_warehouse).get_indexes(table)]
    assert any(ix[:len(columns)] == columns for ix in indexes)
