"""Sign-in, users, sessions, the role policy and the audit log."""

from auth.gate import require

__all__ = ["require"]
