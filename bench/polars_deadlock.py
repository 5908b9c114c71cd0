"""Reproduces the server hang bench/load.py found: polars' ``DataFrame.to_pandas()`` in one
thread while ``map_elements`` runs in another stops the whole interpreter.

    python bench/polars_deadlock.py [--via to_pandas|to_arrow] [--seconds 10]

Streamlit runs each browser session's script in a thread of its own: one session's chart
or table calls ``to_pandas()`` (directly, or through ``st.dataframe`` on a polars frame),
which holds the GIL while it waits for polars' thread pool; another session's metrics run
a ``map_elements`` whose Python function, on that pool, waits for the GIL. Neither moves
again, nor does any other thread: the server answers nothing and ignores SIGTERM.

Prints the calls each thread completed in 3 s after a warm-up; a hang prints nothing and
the process must be killed (the script exits non-zero after --seconds + 20 s by itself).
"""

from __future__ import annotations

import argparse
import faulthandler
import sys
import threading
import time
import warnings

import polars as pl


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--via", choices=("to_pandas", "to_arrow"), default="to_pandas")
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    warnings.filterwarnings("ignore", category=pl.exceptions.PolarsInefficientMapWarning)
    # A hang cannot be caught from Python: dump every thread's stack and exit instead.
    faulthandler.dump_traceback_later(args.seconds + 20, exit=True)
    part = pl.DataFrame({"a": list(range(2000)), "b": [str(i) for i in range(2000)]})
    df = pl.concat([part] * 8, rechunk=False)
    done = {"convert": 0, "map_elements": 0}
    stop = threading.Event()

    def convert():
        while not stop.is_set():
            getattr(df, args.via)()
            done["convert"] += 1

    def map_elements():
        while not stop.is_set():
            df.with_columns(pl.col("a").map_elements(lambda x: x + 1, return_dtype=pl.Int64),
                            pl.col("b").map_elements(lambda s: s + "!", return_dtype=pl.String))
            done["map_elements"] += 1

    for work in (convert, map_elements):
        threading.Thread(target=work, daemon=True).start()
    time.sleep(args.seconds)
    before = dict(done)
    time.sleep(3)
    stop.set()
    print(f"polars {pl.__version__}, {args.via}: calls in 3 s after {args.seconds:g} s:",
          {k: done[k] - before[k] for k in done})
    sys.exit(0 if all(done[k] > before[k] for k in done) else 1)


if __name__ == "__main__":
    main()
