"""CI: known vulnerabilities in the exact dependency versions CI installed (pip-audit), and
the security linter (bandit) on Haki's code. A finding fails the run unless
.ci/security-accepted.toml records it with a reason; an accepted entry that no longer
matches anything fails too, so the file never outlives what it excuses.

pip-audit asks PyPI's JSON API about each pinned version (a package registry, reached
like pip reaches it). Where a version cannot be audited because that API does not answer
for it (some registry mirrors serve only the per-project JSON), this says so by name and
falls back to what the per-project JSON does tell: the vulnerabilities PyPI lists for the
latest release when it is the version installed, and whether the installed version was
yanked. It never reports "no vulnerabilities" for a version it could not check.

    python .ci/audit_dependencies.py requirements-dev.txt
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCEPTED = tomllib.loads((ROOT / ".ci" / "security-accepted.toml").read_text())
CODE = ["app.py", "server.py", "manage.py", "auth", "core", "warehouse", "metrics", "queries",
        "charts", "figures", "startup", "ui", "views", "bench"]


def pinned(requirements: str) -> Path:
    out = subprocess.run([sys.executable, str(ROOT / ".ci" / "pinned_requirements.py"),
                          requirements], capture_output=True, text=True, check=True).stdout
    path = ROOT / ".ci" / ".pinned-requirements.txt"
    path.write_text(out)
    return path


def pip_audit(requirements: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(package, version, vulnerability id) found, and (package, version) not auditable."""
    run = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps",
                          "--disable-pip", "--progress-spinner", "off", "-f", "json"],
                         capture_output=True, text=True)
    report = json.loads(run.stdout or "{}")
    versions = dict(line.split("==") for line in requirements.read_text().split())
    found, skipped = [], []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append((dep["name"], versions.get(dep["name"], "?")))
        for vuln in dep.get("vulns", []):
            found.append((dep["name"], dep["version"], vuln["id"]))
    if not report:
        raise SystemExit(f"pip-audit did not run: {run.stderr.strip()[-500:]}")
    return found, skipped


def project_json_fallback(skipped) -> list[tuple[str, str, str]]:
    found = []
    for name, version in skipped:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=60) as r:
            project = json.load(r)
        latest = project["info"]["version"]
        if version == latest:
            found += [(name, version, v["id"]) for v in project.get("vulnerabilities", [])]
        files = project.get("releases", {}).get(version, [])
        if files and all(f.get("yanked") for f in files):
            found.append((name, version, "YANKED"))
        note = "latest" if version == latest else f"latest is {latest}: its advisories unknown here"
        print(f"  {name} {version}: per-release data unavailable; checked via project JSON ({note})")
    return found


def bandit() -> list[tuple[str, str, str]]:
    run = subprocess.run([sys.executable, "-m", "bandit", "-q", "-r", *CODE, "-f", "json"],
                         cwd=ROOT, capture_output=True, text=True)
    findings = []
    for r in json.loads(run.stdout)["results"]:
        line = (ROOT / r["filename"]).read_text().splitlines()[r["line_number"] - 1].strip()
        findings.append((r["test_id"], r["filename"], line))
    return findings


def main(requirements: str) -> int:
    problems = []
    print("== pip-audit on the installed, pinned dependency versions")
    vulns, skipped = pip_audit(pinned(requirements))
    if skipped:
        print(f"pip-audit could not audit {len(skipped)} of the pinned versions "
              "(the per-release JSON API did not answer for them):")
        vulns += project_json_fallback(skipped)
    accepted_vulns = {(a["package"], a["id"]) for a in ACCEPTED.get("vulnerability", [])}
    for name, version, vuln in vulns:
        status = "accepted" if (name, vuln) in accepted_vulns else "FINDING"
        print(f"  {status}: {name} {version} {vuln}")
        if status == "FINDING":
            problems.append(f"{name} {version}: {vuln}")
    stale = accepted_vulns - {(n, v) for n, _, v in vulns}
    problems += [f"accepted vulnerability no longer found, remove it: {s}" for s in sorted(stale)]

    print("== bandit on Haki's code")
    accepted_code = {(a["test"], a["file"], a["line"]) for a in ACCEPTED.get("bandit", [])}
    findings = bandit()
    for test, filename, line in findings:
        status = "accepted" if (test, filename, line) in accepted_code else "FINDING"
        print(f"  {status}: {test} {filename}: {line[:90]}")
        if status == "FINDING":
            problems.append(f"bandit {test} {filename}: {line}")
    stale = accepted_code - set(findings)
    problems += [f"accepted bandit finding no longer found, remove it: {s}" for s in sorted(stale)]

    for problem in problems:
        print(f"FAIL: {problem}")
    print(f"== security checks: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
