"""``service_days.previous_any_on``: for each service row, the day of the case's service row
just before it, whatever the service (rows in order of day, then service; null for its
first).

The survivors served in [start, end] are then the rows in the period whose
``previous_any_on`` is null or before ``start``: exactly one row per survivor (their first
row in the period), counted without DISTINCT (``queries.measures``); per service, the same
with ``previous_on`` (``warehouse.maintained_progress``). Registered after ``service_days``
in ``warehouse.maintained.MAINTAINED``, whose rows it completes: ``rebuild`` fills every
row, ``refresh`` the rows of the cases given, from the same statement.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, update

from warehouse.schema import service_days, services


def _previous_any(keys: list[str] | None):
    s = services.c
    stmt = select(s.case_key, s.service, s.provided_on,
                  func.lag(s.provided_on).over(partition_by=s.case_key,
                                               order_by=(s.provided_on, s.service))
                  .label("previous_any_on"))
    if keys is not None:
        stmt = stmt.where(s.case_key.in_(keys))
    previous = stmt.subquery("previous_any")
    d = service_days.c
    return (update(service_days)
            .where(d.case_key == previous.c.case_key, d.service == previous.c.service,
                   d.provided_on == previous.c.provided_on)
            .values(previous_any_on=previous.c.previous_any_on))


def rebuild(conn: Connection) -> None:
    conn.execute(_previous_any(None))


def refresh(conn: Connection, keys: list[str], _before=None) -> None:
    conn.execute(_previous_any(keys))
