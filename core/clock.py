"""Today's date, in one place, so tests and screenshots can pin it.

``HAKI_TODAY=YYYY-MM-DD`` fixes "today" for a whole process (the app server a browser
test starts, an AppTest run, ``manage.py``). Unset, it is the real date.
"""

from __future__ import annotations

import os
from datetime import date

TODAY_SETTING = "HAKI_TODAY"


def today() -> date:
    pinned = os.environ.get(TODAY_SETTING)
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise ValueError(f"{TODAY_SETTING} must be a date written YYYY-MM-DD, not {pinned!r}") from None
