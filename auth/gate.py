"""The second wall: each page script re-checks, on every run, that its reader may open it."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from auth.login import current_principal
from auth.policy import Principal, can_open, page, scope_for
from queries.scope import Scope
from ui import runtime as ui_runtime


@dataclass(frozen=True)
class Access:
    principal: Principal
    scope: Scope
    url: str  # the warehouse, for cached reads


def require(page_id: str) -> Access:
    runtime = ui_runtime.get()
    principal = current_principal(runtime)
    if principal is None or not can_open(principal, page_id):
        st.error(f"You do not have access to the page '{page(page_id).title}'.")
        st.stop()
    return Access(principal=principal, scope=scope_for(principal), url=runtime.url)
