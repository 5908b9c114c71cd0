"""After an administrator's reset: the user must choose a new password before anything else.

Haki's own small form (never streamlit-authenticator's reset or forgot-password widgets).
The new password must meet the rules; saving it ends the user's other sessions and
keeps this one, so they go straight on to their pages.
"""

from __future__ import annotations

import streamlit as st

from auth import audit, users

FORM_KEY = "haki_new_password"


def required(runtime, username: str) -> bool:
    with runtime.engine.connect() as conn:
        return users.must_change_password(conn, username)


def form(runtime, username: str, session_id: str) -> None:
    st.subheader("Choose a new password")
    st.write("An administrator reset your password. Choose a new one to continue: at least "
             "12 characters (a few words make a good one), not a common password, not "
             "containing your username.")
    with st.form(FORM_KEY, clear_on_submit=True):
        first = st.text_input("New password", type="password", autocomplete="new-password")
        second = st.text_input("New password, again", type="password",
                               autocomplete="new-password")
        submitted = st.form_submit_button("Save the new password")
    if not submitted:
        return
    if first != second:
        st.error("The two passwords differ.")
        return
    try:
        with runtime.engine.begin() as conn:
            users.set_password(conn, username, first, keep_session=session_id)
            audit.record(conn, "password_changed", username, by="the user, after a reset")
    except users.UserError as exc:
        st.error(f"Not saved: {exc}.")
        return
    st.rerun()
