"""The audit log: who did what, when. Details name pages, filters and counts only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection

from warehouse.schema import audit_log


def record(conn: Connection, action: str, username: str | None, **detail) -> None:
    conn.execute(
        audit_log.insert().values(
            at=datetime.now(UTC),
            username=username,
            action=action,
            detail=json.dumps(detail, default=str, sort_keys=True),
        )
    )
