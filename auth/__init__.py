"""Sign-in, users, sessions, the role policy and the audit log."""


def require(page_id: str):
    """First line of every page script: who may read this page, and with what scope."""
    from auth.gate import require as _require

    return _require(page_id)
