"""Server start-up must not import streamlit-authenticator: its cookie component is
registered only when first imported inside a script run, so importing it while the
server starts would leave the sign-in cookie unset (its frontend answers 404)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_start_up_imports_no_component():
    code = ("import sys, startup.serve, server; "
            "bad = [m for m in ('streamlit_authenticator', 'extra_streamlit_components') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
