"""Signing in and out. streamlit-authenticator draws the form and checks the password;
Haki owns everything else: who the user is now (the ``users`` table, read on every
rerun), the session record and the audit trail.
"""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities.exceptions import LoginError

from auth import audit, sessions, users
from auth.current import current_principal, signed_in_username
from auth.policy import Principal

# Keys Haki adds to st.session_state: the server-side session record's id, and the
# sign-out button (True on the run after it is clicked).
SESSION_KEY = "haki_session_id"
SIGN_OUT_KEY = "haki_sign_out"
FORM_FIELDS = {
    "Form name": "Sign in to Haki",
    "Username": "Username",
    "Password": "Password",
    "Login": "Sign in",
}


def _authenticator(runtime) -> stauth.Authenticate:
    with runtime.engine.connect() as conn:
        creds = users.credentials(conn)
    settings = runtime.settings
    return stauth.Authenticate(
        creds,
        cookie_name=settings.cookie_name,
        cookie_key=settings.cookie_key,
        cookie_expiry_days=settings.cookie_expiry_days,
        auto_hash=False,  # the table holds bcrypt hashes only
        login_sleep_time=0,
    )


def sign_in(runtime) -> Principal | None:
    """Draws the sign-in form when needed; returns the principal once signed in."""
    authenticator = _authenticator(runtime)
    if st.session_state.get(SIGN_OUT_KEY) and signed_in_username():
        # Sign out before drawing anything, and without a rerun: the cookie is deleted by a
        # component drawn in this very run, which a rerun would cancel.
        with runtime.engine.begin() as conn:
            audit.record(conn, "logout", signed_in_username())
            _end(conn, "logout")
        authenticator.logout(location="unrendered")
        st.success("You have signed out.")
    try:
        authenticator.login(location="main", fields=FORM_FIELDS)
    except LoginError:
        # A valid cookie for a user who is no longer active: forget it, ask again.
        st.session_state["logout"] = True
        st.session_state["authentication_status"] = None
        authenticator.login(location="main", fields=FORM_FIELDS)
    if st.session_state.get("authentication_status") is False:
        st.error("That username and password do not match an active account.")
    username = signed_in_username()
    if username is None:
        return None
    principal = current_principal(runtime)
    with runtime.engine.begin() as conn:
        if principal is None:
            audit.record(conn, "access_refused", username, reason="inactive or invalid account")
            _end(conn, "account_disabled")
            authenticator.logout(location="unrendered")
            st.error("This account is disabled or has no valid role. Ask an administrator.")
            return None
        if st.session_state.get(SESSION_KEY) is None:
            st.session_state[SESSION_KEY] = sessions.start(conn, username)
            audit.record(conn, "login", username, role=principal.role)
        else:
            sessions.touch(conn, st.session_state[SESSION_KEY])
    return principal


def _end(conn, reason: str) -> None:
    session_id = st.session_state.pop(SESSION_KEY, None)
    if session_id:
        sessions.end(conn, session_id, reason)


def sign_out_button() -> None:
    """Handled at the start of the next run by ``sign_in``."""
    st.sidebar.button("Sign out", icon=":material/logout:", key=SIGN_OUT_KEY)
