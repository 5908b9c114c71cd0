"""Imported before ``ui``: outside a Streamlit server, ``st.cache_data`` warns on every
cached function that no runtime runs (the harness calls them without one on purpose)."""

import streamlit.logger

streamlit.logger.set_log_level("error")
