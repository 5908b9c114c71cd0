"""``hotline_months``: hotline reports by county, month received, category, channel and
referral, with how many are linked to a case in the warehouse, maintained from
``hotline_reports`` and ``cases``.

The outreach page reads it for the whole months of its period, and ``hotline_select``
(the same select) over the reports of the days left over (``queries.outreach``).

Two kinds of load change it, so it is registered twice in ``warehouse.maintained``:
- a load of hotline reports (refreshed by their report keys): the months and counties
  the reports were in before the load (``note``, read before the rows are written) and
  after it are counted again;
- a load of cases (refreshed by case keys): a report may arrive before the case it
  became, so the months and counties of the reports naming those cases are counted again
  (their ``linked_to_case``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, Select, case, func, select

from warehouse import maintained_progress as progress
from warehouse.constructs import keys_in, month_key
from warehouse.schema import cases, hotline_months, hotline_reports

h = hotline_reports.c


def hotline_select(where: Sequence[ColumnElement] = ()) -> Select:
    """county_code, received_month, category, channel, referred_to, reports, linked_to_case:
    the reports meeting ``where``."""
    keys = (h.county_code, month_key(h.received_on).label("received_month"), h.category,
            h.channel, h.referred_to)
    linked = func.sum(case((cases.c.case_key.is_not(None), 1), else_=0))
    stmt = (select(*keys, func.count().label("reports"), linked.label("linked_to_case"))
            .select_from(hotline_reports.outerjoin(cases, cases.c.case_key == h.case_key))
            .group_by(*keys))
    return stmt.where(*where) if where else stmt


def rebuild(conn: Connection) -> None:
    conn.execute(hotline_months.delete())
    progress.write(conn, hotline_months, hotline_select())


def _groups(conn: Connection, column: ColumnElement, keys: list[str]) -> progress.Groups:
    found: progress.Groups = (set(), set())
    for lo in range(0, len(keys), progress.KEYS_PER_STATEMENT):
        found = progress.merge(found, progress.groups_of(
            conn, select(h.county_code, month_key(h.received_on))
            .where(keys_in(column, keys[lo:lo + progress.KEYS_PER_STATEMENT]))))
    return found


def recount(conn: Connection, groups: progress.Groups) -> None:
    progress.recount(conn, hotline_months, "received_month", groups,
                     lambda months, counties: hotline_select(
                         progress.in_months(h.county_code, h.received_on, months, counties)))


def report_groups(conn: Connection, report_keys: list[str]) -> progress.Groups:
    """The counties and months of these reports."""
    return _groups(conn, h.report_key, report_keys)


def case_groups(conn: Connection, case_keys: list[str]) -> progress.Groups:
    """The counties and months of the reports linked to these cases."""
    return _groups(conn, h.case_key, case_keys)
