"""Haki's server: ``streamlit run server.py``.

The pages are ``app.py``; this wraps it in a Streamlit ASGI app so that the warehouse is
prepared when the server starts, not on the first browser visit, and so that every HTTP
request passes Haki's guard (startup/guard.py: downloads and metrics only for a live
session, security headers everywhere).
"""

import streamlit as st
from starlette.middleware import Middleware

from startup.guard import Guard
from startup.serve import lifespan

app = st.App("app.py", lifespan=lifespan, middleware=[Middleware(Guard)])
