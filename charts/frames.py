"""Polars frames handed to libraries that want pandas (Altair) or Arrow (st.dataframe).

Never ``DataFrame.to_pandas()`` in the server: polars (2.1) holds the GIL there while it
waits for its thread pool, and a ``map_elements`` running in another session's script
thread needs the GIL on that pool, so the two wait on each other and the whole server
hangs (bench/polars_deadlock.py reproduces it in two threads; bench/load.py in the app).
``to_arrow()`` does not hold the GIL while it waits; pyarrow then makes the pandas frame.
"""

from __future__ import annotations

import pandas as pd
import polars as pl


def pandas(df: pl.DataFrame) -> pd.DataFrame:
    """``df.to_pandas()`` (dates as datetime64, as polars gives them), without the deadlock."""
    return df.to_arrow().to_pandas(date_as_object=False)
