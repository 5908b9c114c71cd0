"""Who is signed in on this browser tab, as the warehouse says now.

Kept apart from ``auth.login`` on purpose: this module does not import
streamlit-authenticator, whose cookie component must first be imported inside a
script run (a component declared outside one, e.g. while the server starts, is never
registered and its frontend is never served).
"""

from __future__ import annotations

import streamlit as st

from auth import users
from auth.policy import PolicyError, Principal, validate

# The key in st.session_state of this browser's server-side session row (auth.sessions).
SESSION_KEY = "haki_session_id"


def session_id() -> str | None:
    return st.session_state.get(SESSION_KEY)


def signed_in_username() -> str | None:
    if st.session_state.get("authentication_status"):
        return st.session_state.get("username")
    return None


def current_principal(runtime) -> Principal | None:
    """The signed-in person as the warehouse says now: disabled or changed users take
    effect at their next click."""
    username = signed_in_username()
    if not username:
        return None
    with runtime.engine.connect() as conn:
        principal = users.active_principal(conn, username)
    if principal is None:
        return None
    try:
        validate(principal)
    except PolicyError:
        return None
    return principal
