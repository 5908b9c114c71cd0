"""Every download goes through ui.components.download: its file name carries the session's
tag, without which the guard (startup/guard.py) hands the file to no one. A page calling
st.download_button itself would offer a file that cannot be fetched, or, without the guard,
one anybody could fetch."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _download_button_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "download_button"]


def test_only_the_shared_download_calls_st_download_button():
    callers = {str(p.relative_to(ROOT)): lines
               for folder in ("views", "ui", "auth", "startup")
               for p in sorted((ROOT / folder).rglob("*.py"))
               if (lines := _download_button_calls(p))}
    callers.update({"app.py": lines} if (lines := _download_button_calls(ROOT / "app.py")) else {})
    assert set(callers) == {"ui/components.py"}, callers
    assert len(callers["ui/components.py"]) == 1
