"""Haki: page config, sign-in, and navigation built from the role policy."""

import streamlit as st

from auth.login import sign_in, sign_out_button
from auth.policy import pages_for
from ui import runtime as ui_runtime
from ui.components import demo_banner, sign_in_page_extras, signed_in_as

st.set_page_config(page_title="Haki", page_icon=":material/balance:", layout="wide")

runtime = ui_runtime.get()
demo_banner(runtime.demo)
with st.container(width=640):  # the sign-in form reads better narrow, even on a wide page
    principal = sign_in(runtime)
    if principal is None:
        sign_in_page_extras(runtime)
if principal is None:
    st.stop()

signed_in_as(principal, runtime.url)
sign_out_button()
pages = [
    st.Page(p.script, title=p.title, icon=p.icon, url_path=p.id, default=(i == 0))
    for i, p in enumerate(pages_for(principal))
]
st.navigation(pages).run()
