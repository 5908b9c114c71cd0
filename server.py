"""Haki's server: ``streamlit run server.py``.

The pages are ``app.py``; this wraps it in a Streamlit ASGI app so that the warehouse is
prepared when the server starts, not on the first browser visit.
"""

import streamlit as st

from startup.serve import lifespan

app = st.App("app.py", lifespan=lifespan)
