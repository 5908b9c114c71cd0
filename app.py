"""Haki: page config, sign-in, and navigation built from the role policy."""

import base64
from pathlib import Path

import streamlit as st

from auth.login import sign_in, sign_out_button
from auth.policy import pages_for
from ui import runtime as ui_runtime
from ui.components import demo_banner, preview_toggle, sign_in_page_extras, signed_in_as

# A local icon: a Material icon as favicon would be fetched from Google's font servers. Given
# as a data URL, not an image, so it is not a /media file (those are served only to a
# signed-in browser, startup/guard.py) and the sign-in page shows it too.
ICON = "data:image/png;base64," + base64.b64encode(
    (Path(__file__).parent / "ui" / "static" / "haki-icon.png").read_bytes()).decode()
st.set_page_config(page_title="Haki", page_icon=ICON, layout="wide")

runtime = ui_runtime.get()
demo_banner(runtime.demo)
principal = sign_in(runtime)
if principal is None:
    sign_in_page_extras(runtime)
    st.stop()

signed_in_as(principal, runtime.url)
preview_toggle(principal)
sign_out_button()
pages = [
    st.Page(p.script, title=p.title, icon=p.icon, url_path=p.id, default=(i == 0))
    for i, p in enumerate(pages_for(principal))
]
st.navigation(pages).run()
