"""Print the exact distributions the requirement files resolve to in this environment
(name==version, dependencies included), for pip-audit to check without installing
anything: the versions CI has just installed and tested are the ones audited."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement


def top_level(path: Path) -> list[Requirement]:
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found += top_level(path.parent / line[3:].strip())
        else:
            found.append(Requirement(line))
    return found


def closure(requirements: list[Requirement]) -> dict[str, str]:
    pinned: dict[str, str] = {}
    todo = [(r, frozenset()) for r in requirements]
    while todo:
        req, extras = todo.pop()
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        if name in pinned:
            continue
        dist = metadata.distribution(req.name)
        pinned[name] = dist.version
        wanted = set(req.extras) | set(extras)
        for spec in dist.requires or []:
            dep = Requirement(spec)
            env = [{"extra": e} for e in wanted] or [{"extra": ""}]
            if dep.marker is None or any(dep.marker.evaluate(e) for e in env):
                todo.append((dep, frozenset()))
    return pinned


if __name__ == "__main__":
    for name, version in sorted(closure(top_level(Path(sys.argv[1]))).items()):
        print(f"{name}=={version}")
