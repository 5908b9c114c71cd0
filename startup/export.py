"""``manage.py export``: what a user sees on a page, written as JSON, CSV or XLSX.

Resolves the user, checks they may open the page, turns the options into their Scope and
Filters, and asks ``figures.registry`` for the page's tables: the very computation the
page itself shows. Every export is audited (who, page, scope, choices; never figures).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from auth import audit, users
from auth.policy import can_open, scope_for
from core.clock import today
from core.periods import (
    PeriodError,
    last_complete_quarter,
    parse_period,
    quarter_end,
    quarter_start,
)
from core.scope import Filters, ScopeError, effective_counties
from figures import registry
from figures.export import Release, to_csv, to_json, to_xlsx
from queries.release import ReleaseError, other_counties
from queries.status import county_names, last_load_at
from warehouse.config import Settings
from warehouse.engine import get_engine, warehouse_exists
from warehouse.runtime import check_schema, missing_warehouse


class ExportError(ValueError):
    """A usage error: unknown user or page, a page the user may not open, bad choices."""


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ExportError(f"{option} must be a date written YYYY-MM-DD, not {text!r}") from None


def choose_period(period: str | None, start: str | None, end: str | None,
                  as_of: date) -> tuple[date, date]:
    if period and (start or end):
        raise ExportError("give either --period or --from/--to, not both")
    if period:
        try:
            return parse_period(period)
        except PeriodError as exc:
            raise ExportError(str(exc)) from None
    if start or end:
        if not (start and end):
            raise ExportError("--from and --to go together")
        return _day(start, "--from"), _day(end, "--to")
    q = last_complete_quarter(as_of)
    return quarter_start(q), quarter_end(q)


def export(settings: Settings, *, page: str, username: str, period: str | None = None,
           start: str | None = None, end: str | None = None, counties: str | None = None,
           as_of: str | None = None, fmt: str = "json", table: str | None = None) -> bytes:
    if not warehouse_exists(settings.warehouse_url):
        raise missing_warehouse(settings.warehouse_url)
    engine = get_engine(settings.warehouse_url)
    demo = check_schema(engine)
    if page not in registry.PAGES:
        raise ExportError(f"no page {page!r} with figures; pages: {', '.join(registry.PAGES)}")
    with engine.connect() as conn:
        principal = users.active_principal(conn, username)
        if principal is None:
            raise ExportError(f"no active user {username!r}")
        try:
            codes = (other_counties(list(county_names(engine))) if counties == "other"
                     else users.parse_counties(conn, counties))
        except users.UserError as exc:
            raise ExportError(str(exc)) from None
    if not can_open(principal, page):
        raise ExportError(f"{username} ({principal.role}) may not open the page {page!r}")
    scope = scope_for(principal, suppress_below=settings.suppress_below)
    as_of_day = _day(as_of, "--as-of") if as_of else today()
    first, last = choose_period(period, start, end, as_of_day)
    try:
        filters = Filters(first, last, counties=codes or None, as_of=as_of_day)
        chosen = effective_counties(scope, filters)
    except (ValueError, ScopeError) as exc:
        raise ExportError(str(exc)) from None
    try:
        tables = registry.tables(page, engine, scope, filters)
    except ReleaseError as exc:
        raise ExportError(str(exc)) from None
    if table is not None:
        if table not in tables:
            raise ExportError(f"page {page!r} has no table {table!r}; tables: "
                              + ", ".join(tables))
        tables = {table: tables[table]}
    release = Release(
        page=page, username=username, role=principal.role, start=filters.start,
        end=filters.end, as_of=filters.as_of, counties=chosen,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        data_last_loaded=last_load_at(engine), demo=demo,
        suppressed_below=scope.suppress_below or None, tables=tables)
    with engine.begin() as conn:
        audit.record(conn, "export", username, via="manage.py", page=page, format=fmt,
                     tables=list(tables), period=[filters.start, filters.end],
                     as_of=filters.as_of, counties=list(chosen) if chosen else "all in scope",
                     scope_counties=list(scope.counties) if scope.counties else "all",
                     suppress_below=scope.suppress_below)
    if fmt == "csv":
        return to_csv(next(iter(tables.values())))
    if fmt == "xlsx":
        return to_xlsx(release)
    return to_json(release).encode("utf-8")
