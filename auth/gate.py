"""The second wall: each page script re-checks, on every run, that its reader may open it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from auth import audit
from auth.current import current_principal, signed_in_username
from auth.policy import Principal, as_previewed, can_open, page, scope_for
from core.scope import Scope
from warehouse import runtime as warehouse_runtime

# The sidebar toggle (app.py) with which a project manager previews a page as a monitor.
PREVIEW_KEY = "preview_as_monitor"


@dataclass(frozen=True)
class Access:
    principal: Principal
    scope: Scope
    url: str  # the warehouse, for cached reads
    preview: bool = False  # a manager looking as a monitor would


def require(page_id: str) -> Access:
    """Who is reading this page and with what scope; anyone else sees a refusal, no data."""
    runtime = warehouse_runtime.current()
    principal = current_principal(runtime)
    if principal is None or not can_open(principal, page_id):
        with runtime.engine.begin() as conn:
            audit.record(conn, "access_refused", signed_in_username(), page=page_id)
        st.error(f"You do not have access to the page '{page(page_id).title}'.")
        st.stop()
    viewer = as_previewed(principal, bool(st.session_state.get(PREVIEW_KEY)))
    if not can_open(viewer, page_id):
        st.info(f"A monitor does not see the page '{page(page_id).title}'. Turn off "
                "'Preview as a monitor' to see it.")
        st.stop()
    scope = scope_for(viewer, suppress_below=runtime.settings.suppress_below)
    return Access(principal=principal, scope=scope, url=runtime.url,
                  preview=viewer is not principal)
