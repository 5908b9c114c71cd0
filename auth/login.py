"""Signing in and out. streamlit-authenticator draws the sign-in form and writes the cookie;
Haki decides everything else:

- the password check (auth.signin: lockout, throttle, same time for every failure), put
  in place of the authenticator's own check on this run's instance;
- the server-side session (auth.sessions): the token the authenticator writes is bound
  to a new session row as it is made, and a cookie presented by a new tab is accepted
  only while its row is live. A refused cookie is never handed to the authenticator
  (whose token parsing does not survive malformed or ``alg=none`` tokens): the person
  gets the sign-in page and the reason, and the server drops the cookie
  (startup/guard.py);
- on every rerun: the session is still live (not ended, idle or too old) and the user
  still active with a valid role, else they are signed out and told why.

Signing out ends the session row: that is what signs the browser out, in every tab, at
once. Nothing waits for the browser to delete its cookie (which the authenticator does
from JavaScript, after the page has answered: a reload in between used to send the old,
still valid cookie and sign the person back in).

This is the only module that imports streamlit-authenticator: its cookie component must
first be imported inside a script run (tests/startup/test_serve.py).
"""

from __future__ import annotations

import importlib

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.models import cookie_model

from auth import audit, password_change, sessions, signin, users
from auth.current import SESSION_KEY, current_principal, signed_in_username
from auth.policy import Principal

# Haki's keys in st.session_state: SESSION_KEY (auth.current), the server-side session
# row's id, and the sign-out button (True on the run after it is clicked).
SIGN_OUT_KEY = "haki_sign_out"
FORM_FIELDS = {
    "Form name": "Sign in to Haki",
    "Username": "Username",
    "Password": "Password",
    "Login": "Sign in",
}
ENDED = {
    "logout": "You are signed out: you signed out here or in another tab or window.",
    "idle": "You were signed out after {idle:g} minutes without activity. Please sign in again.",
    "lifetime": "You were signed out: a sign-in lasts at most {hours:g} hours. Please sign in "
                "again.",
    "admin": "An administrator ended your session. Please sign in again.",
    "user_disabled": "Your account was disabled after you signed in. Please sign in again, or "
                     "ask an administrator.",
    "role_changed": "Your role or counties changed. Please sign in again.",
    "password_changed": "Your password was changed. Please sign in with the new one.",
    "password_reset": "An administrator reset your password. Sign in with the temporary "
                      "password you were given.",
    "account_invalid": "This account is disabled or has no valid role. Ask an administrator.",
}
UNKNOWN = ("Your earlier sign-in is no longer valid (it was ended, has expired, or was not "
           "issued by this server). Please sign in again.")


class _CookieWriter(importlib.import_module("extra_streamlit_components.CookieManager")
                    .CookieManager):
    """The authenticator's cookie manager without its 'getAll' component.

    Haki never reads cookies through it (the authenticator reads the request's cookies),
    and that component reports back a second or so after every page load: the rerun it
    starts used to cut short a sign-in submitted in the meantime, losing the click."""

    def __init__(self, key: str = "init"):
        self.cookie_manager = importlib.import_module(
            "extra_streamlit_components.CookieManager")._component_func
        self.cookies = {}


class _Components:
    CookieManager = _CookieWriter


cookie_model.stx = _Components  # the authenticator's only use of the package


def _reason_words(reason: str, settings) -> str:
    words = ENDED.get(reason, UNKNOWN)
    return words.format(idle=settings.session_idle_minutes,
                        hours=settings.session_lifetime_hours)


def _text(value) -> str | None:
    # st.context answers with plain strings in a browser session; anything else (a test
    # harness without a browser) counts as absent.
    return value if isinstance(value, str) and value else None


def client_address(settings) -> str:
    """The client as the proxy names it (HAKI_CLIENT_ADDRESS_HEADER), else the peer."""
    if settings.client_address_header:
        forwarded = _text(st.context.headers.get(settings.client_address_header))
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return _text(st.context.ip_address) or "local"


class _LastAttempt:
    """The outcome of this run's password check, if the form was submitted."""

    outcome: signin.Outcome | None = None


def _authenticator(runtime, last: _LastAttempt) -> stauth.Authenticate:
    with runtime.engine.connect() as conn:
        creds = users.credentials(conn)
    settings = runtime.settings
    authenticator = stauth.Authenticate(
        creds,
        cookie_name=settings.cookie_name,
        cookie_key=settings.cookie_key,
        # The cookie lives as long as a session may; the session row ends it sooner.
        cookie_expiry_days=settings.session_lifetime_hours / 24,
        auto_hash=False,
        login_sleep_time=0,
    )
    _take_over_checks(authenticator, runtime, last)
    return authenticator


def _take_over_checks(authenticator, runtime, last: _LastAttempt) -> None:
    """Haki's password check and session binding, on this run's authenticator only."""
    settings, engine = runtime.settings, runtime.engine
    model = authenticator.authentication_controller.authentication_model
    cookie = authenticator.cookie_controller.cookie_model
    client = client_address(settings)

    def check_credentials(username: str, password: str) -> bool:
        last.outcome = signin.attempt(engine, settings, username, password, client)
        return last.outcome.ok

    encode = cookie._token_encode

    def encode_and_bind() -> str:
        token = encode()
        with engine.begin() as conn:
            st.session_state[SESSION_KEY] = sessions.start(
                conn, st.session_state["username"], token)
            audit.record(conn, "login", st.session_state["username"], client=client)
        return token

    model.check_credentials = check_credentials
    cookie._token_encode = encode_and_bind
    if settings.cookie_secure:
        manager = cookie.cookie_manager
        plain_set = manager.set
        manager.set = lambda name, value, **kw: plain_set(name, value, secure=True, **kw)


def _forget(authenticator) -> None:
    """Signed out in this tab: the authenticator's keys cleared, its cookie ignored."""
    st.session_state.pop(SESSION_KEY, None)
    if st.session_state.get("authentication_status"):
        authenticator.authentication_controller.logout()
    st.session_state["logout"] = True


def _sign_out(authenticator, runtime, reason: str, action: str) -> None:
    """End this browser's session on the server, then forget it here."""
    username = signed_in_username()
    with runtime.engine.begin() as conn:
        session_id = st.session_state.get(SESSION_KEY)
        if session_id:
            sessions.end(conn, session_id, reason)
        audit.record(conn, action, username, reason=reason)
    _forget(authenticator)


def _settle(authenticator, runtime) -> str | None:
    """Before the form: sign-out, the session's check, or a cookie from a new tab. Returns
    what to tell the person, if anything."""
    settings = runtime.settings
    if signed_in_username():
        if st.session_state.get(SIGN_OUT_KEY):
            _sign_out(authenticator, runtime, "logout", "logout")
            return "You have signed out."
        with runtime.engine.begin() as conn:
            found = sessions.check(conn, st.session_state.get(SESSION_KEY),
                                   sessions.Limits.of(settings))
            if found is not None:
                audit.record(conn, "session_ended" if found in ("idle", "lifetime")
                             else "session_refused", signed_in_username(), reason=found)
        if found is None:
            return None
        _forget(authenticator)
        return _reason_words(found, settings)
    token = _text(st.context.cookies.get(settings.cookie_name))
    if not token or st.session_state.get("logout"):
        return None
    with runtime.engine.begin() as conn:
        session_id, found = sessions.resume(conn, token, sessions.Limits.of(settings))
        if found is not None:
            audit.record(conn, "cookie_refused", None, reason=found,
                         client=client_address(settings))
    if found is None:
        st.session_state[SESSION_KEY] = session_id
        return None
    st.session_state["logout"] = True  # never let the authenticator read this cookie
    return _reason_words(found, settings)


def sign_in(runtime) -> Principal | None:
    """Draws the sign-in form when needed; returns the principal once signed in."""
    last = _LastAttempt()
    authenticator = _authenticator(runtime, last)
    notice = _settle(authenticator, runtime)
    if notice:
        st.info(notice, icon=":material/logout:")
    authenticator.login(location="main", fields=FORM_FIELDS)
    if last.outcome is not None and not last.outcome.ok:
        st.error(last.outcome.message())
    if signed_in_username() is None:
        st.session_state.pop(SESSION_KEY, None)
        return None
    if last.outcome is not None:
        # Signed in by the form in this run: the cookie component drawn by the
        # authenticator reports back once the browser holds the cookie, and that rerun
        # shows the pages. Nothing else is drawn now, so no click can be lost to it.
        st.info("Signing in…", icon=":material/hourglass_top:")
        st.stop()
    principal = current_principal(runtime)
    if principal is None or not st.session_state.get(SESSION_KEY):
        _sign_out(authenticator, runtime, "account_invalid", "access_refused")
        st.error(ENDED["account_invalid"])
        return None
    if password_change.required(runtime, principal.username):
        password_change.form(runtime, principal.username, st.session_state[SESSION_KEY])
        st.stop()
    return principal


def sign_out_button() -> None:
    """Handled at the start of the next run by ``sign_in``."""
    st.sidebar.button("Sign out", icon=":material/logout:", key=SIGN_OUT_KEY)
