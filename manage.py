"""Operator commands for Haki.

    python manage.py init                      create or upgrade the warehouse
    python manage.py demo --cases N --seed S   fill it with synthetic demo data
    python manage.py users add USERNAME --role ROLE [--counties 003,002] [--name "..."]
    python manage.py users list | disable U | enable U | set-password U | set-role U --role R
    python manage.py users reset-password U | end-sessions U
    python manage.py export --page PAGE --as USERNAME [--period 2025Q3 | --from D --to D]
                            [--counties 003,002] [--as-of D] [--format json|csv|xlsx|pdf]
                            [--table NAME] [--out FILE]
    python manage.py boundaries fetch [--url URL] [--property NAME] [--force] [--out FILE]
    python manage.py ingest PATH... [--template NAME] [--dry-run] [--partial] [--report FILE]
                                    [--as USERNAME]
    python manage.py bench --sizes 10k,100k,1m [--backend sqlite,postgresql] [--runs 5]
                           [--out bench/results] [--pg-url URL]

The warehouse is the one configured by HAKI_WAREHOUSE_URL (environment or
.streamlit/secrets.toml). Passwords are never command-line arguments: they are
asked twice on a terminal, or read as one line from standard input otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

from auth import admin, audit, users
from auth.policy import ROLES, can_open
from bench import harness
from core.clock import today
from startup.export import ExportError, export
from startup.firstrun import build_demo
from warehouse import boundary_fetch, ingest
from warehouse import runtime as warehouse_runtime
from warehouse.boundaries import FETCHED_FILE, BoundaryError
from warehouse.config import ConfigError, load_settings
from warehouse.engine import get_engine
from warehouse.migrate import init_warehouse
from warehouse.runtime import WarehouseNotReady

# Who the audit log names for changes made from the command line.
OPERATOR = "manage.py"


class Progress:
    """A bar on a terminal; plain lines (one per 10%) when output goes to a file or CI log."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.tty = stream.isatty()
        self.last: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        pct = 100 if total <= 0 else min(100, done * 100 // total)
        if self.tty:
            bar = "#" * (pct // 4)
            self.stream.write(f"\r{stage:<18} [{bar:<25}] {pct:3d}% ({done:,}/{total:,})")
            if pct == 100:
                self.stream.write("\n")
        elif pct // 10 != self.last.get(stage, -1):
            self.last[stage] = pct // 10
            self.stream.write(f"{stage}: {pct}% ({done:,} of {total:,})\n")
        self.stream.flush()


def read_password(prompt_name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"New password for {prompt_name}: ")
        second = getpass.getpass("Again: ")
        if first != second:
            raise users.UserError("the two passwords differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise users.UserError("no password on standard input")
    return line.rstrip("\r\n")


def cmd_init(args, settings) -> int:
    revision = init_warehouse(get_engine(settings.warehouse_url))
    print(f"Warehouse ready at schema revision {revision}: {_safe_url(settings.warehouse_url)}")
    return 0


def cmd_demo(args, settings) -> int:
    key = settings.require_secrets(demo=True).pseudonym_key
    until = date.fromisoformat(args.until) if args.until else today()
    counts = build_demo(settings.warehouse_url, cases=args.cases, seed=args.seed, until=until,
                        pseudonym_key=key, progress=Progress())
    for table, n in counts.items():
        print(f"{table:>16}: {n:,} rows")
    print("Demo accounts were created; the sign-in page lists them.")
    return 0


def cmd_users(args, settings) -> int:
    engine = get_engine(settings.warehouse_url)
    if args.action == "list":
        with engine.connect() as conn:
            rows = users.list_users(conn)
        print(f"{'username':<24}{'role':<18}{'counties':<16}{'active':<8}name")
        for r in rows:
            print(f"{r.username:<24}{r.role:<18}{r.counties or 'all':<16}"
                  f"{'yes' if r.active else 'no':<8}{r.display_name}")
        return 0
    said = f"{args.action}: {args.username} done."
    with engine.begin() as conn:
        if args.action == "add":
            codes = users.parse_counties(conn, args.counties)
            password = read_password(args.username)
            users.add_user(conn, args.username, role=args.role, password=password,
                           display_name=args.name, county_codes=codes)
            audit.record(conn, "user_add", OPERATOR, target=args.username, role=args.role,
                         counties=list(codes))
        elif args.action == "set-role":
            codes = users.parse_counties(conn, args.counties)
            admin.set_role(conn, OPERATOR, args.username, args.role, codes)
        elif args.action == "set-password":
            users.set_password(conn, args.username, read_password(args.username))
            audit.record(conn, "user_set_password", OPERATOR, target=args.username)
        elif args.action == "reset-password":
            temporary = admin.reset_password(conn, OPERATOR, args.username)
            said = (f"Temporary password for {args.username} (to be changed at the next "
                    f"sign-in): {temporary}")
        elif args.action == "end-sessions":
            said = f"{admin.end_sessions(conn, OPERATOR, args.username)} session(s) ended."
        else:  # disable / enable
            admin.set_active(conn, OPERATOR, args.username, args.action == "enable")
    print(said)
    return 0


def cmd_export(args, settings) -> int:
    try:
        content = export(settings, page=args.page, username=args.as_user, period=args.period,
                         start=args.start, end=args.end, counties=args.counties,
                         as_of=args.as_of, fmt=args.format, table=args.table)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.out:
        with open(args.out, "wb") as fh:
            fh.write(content)
    else:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    return 0


def cmd_boundaries(args, settings) -> int:
    dest = Path(args.out) if args.out else FETCHED_FILE
    try:
        boundary_fetch.fetch(dest, url=args.url, prop=args.property,
                             tolerance=args.tolerance, force=args.force)
    except BoundaryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        print(f"To draw it, set HAKI_BOUNDARY_FILE={dest} and HAKI_BOUNDARY_PROPERTY="
              "county_code.")
    elif settings.boundary_file:
        print(f"Note: HAKI_BOUNDARY_FILE names {settings.boundary_file}; the map draws that "
              "file, not this one, until the setting is removed.")
    return 0
def _ingest_paths(names: list[str]) -> list[Path]:
    """Files named, and every file in a folder named (not hidden ones, nor Excel's ~$ locks)."""
    found = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir()
                            if p.is_file() and not p.name.startswith((".", "~$")))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {name}")
    return found


def _uploader(engine, username: str | None) -> str:
    if username is None:
        return "manage.py"
    with engine.connect() as conn:
        principal = users.active_principal(conn, username)
    if principal is None or not can_open(principal, "upload"):
        raise users.UserError(f"{username!r} is not an active user who may upload data")
    return username


def cmd_ingest(args, settings) -> int:
    # The warehouse must exist at the current schema; a demo warehouse refuses to load
    # (ingest says so) and its generated key serves a dry run; a real one needs real keys.
    runtime = warehouse_runtime.current()
    try:
        paths = _ingest_paths(args.paths)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    who = _uploader(runtime.engine, args.as_user)
    options = ingest.Options(
        uploaded_by=who, max_bytes=settings.max_upload_bytes, template=args.template,
        dry_run=args.dry_run, partial=args.partial,
        on_recorded=lambda conn, r: audit.record(conn, "ingest", who, **r.audit_detail()),
    )
    uploads = [ingest.Upload.from_path(p) for p in paths]
    report = ingest.ingest(runtime.engine, uploads, runtime.settings.pseudonym_key, options)
    print(report.text())
    if args.report:
        Path(args.report).write_text(report.to_json() + "\n")
    return report.exit_status


def cmd_bench(args, settings) -> int:
    """Its own demo warehouses, never the configured one: settings are not read."""
    harness.run(args)
    return 0


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="manage.py", description="Haki operator commands")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or upgrade the warehouse schema and reference data")
    demo = sub.add_parser("demo", help="fill an empty warehouse with synthetic demo data")
    demo.add_argument("--cases", type=int, default=5000)
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--until", help="last day of the data, YYYY-MM-DD (default: today)")
    u = sub.add_parser("users", help="manage user accounts").add_subparsers(
        dest="action", required=True)
    add = u.add_parser("add")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--counties", help="county codes, e.g. 003,002 (CUC members only)")
    add.add_argument("--name", help="display name")
    u.add_parser("list")
    for action in ("disable", "enable", "set-password", "reset-password", "end-sessions"):
        u.add_parser(action).add_argument("username")
    sr = u.add_parser("set-role")
    sr.add_argument("username")
    sr.add_argument("--role", required=True, choices=ROLES)
    sr.add_argument("--counties")
    ex = sub.add_parser("export", help="write what a user sees on a page (JSON, CSV, XLSX; PDF for the summary)")
    ex.add_argument("--page", required=True)
    ex.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
    ex.add_argument("--period", help="2025Q3, 2025-Q3 or 2025 (default: the last complete quarter)")
    ex.add_argument("--from", dest="start", metavar="YYYY-MM-DD")
    ex.add_argument("--to", dest="end", metavar="YYYY-MM-DD")
    ex.add_argument("--counties", help="county codes within the user's scope, e.g. 003,002; "
                    "'other' for the counties outside Kilifi, Kwale and Mombasa together")
    ex.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD")
    ex.add_argument("--format", choices=("json", "csv", "xlsx", "pdf"), default="json")
    ex.add_argument("--table", help="one table (csv: default the page's first)")
    ex.add_argument("--out", help="file to write (default: standard output)")
    bounds = sub.add_parser("boundaries", help="county boundaries for the map").add_subparsers(
        dest="action", required=True)
    fetch = bounds.add_parser(
        "fetch", help="download a county boundary file once, check it and simplify it")
    fetch.add_argument("--url", default=boundary_fetch.DEFAULT_URL,
                       help="a GeoJSON FeatureCollection of the 47 counties (default: "
                            "geoBoundaries gbOpen KEN ADM1)")
    fetch.add_argument("--property", help="the feature property naming each county "
                                          "(default: found from the file)")
    fetch.add_argument("--tolerance", type=float, default=boundary_fetch.TOLERANCE,
                       help="simplification tolerance in degrees (default: %(default)s)")
    fetch.add_argument("--force", action="store_true", help="replace a file already there")
    fetch.add_argument("--out", help=f"where to write it (default: {FETCHED_FILE})")
    ing = sub.add_parser("ingest", help="check and load programme data files (CSV or XLSX)")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files")
    ing.add_argument("--template", choices=sorted(ingest.TEMPLATES),
                     help="the template every CSV file follows (default: from its name)")
    ing.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    ing.add_argument("--partial", action="store_true",
                     help="load the valid rows of a file that has rejected rows")
    ing.add_argument("--report", metavar="FILE", help="also write the report as JSON")
    ing.add_argument("--as", dest="as_user", metavar="USERNAME",
                     help="the user the upload is recorded for (default: manage.py)")
    harness.add_arguments(sub.add_parser(
        "bench", help="time every page's data on demo warehouses of each size, beside a naive "
                      "baseline (bench/results/)"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "cases", 1) is not None and getattr(args, "cases", 1) < 1:
        print("error: --cases must be at least 1", file=sys.stderr)
        return 2
    handler = {"init": cmd_init, "demo": cmd_demo, "users": cmd_users,
               "export": cmd_export, "boundaries": cmd_boundaries,
               "ingest": cmd_ingest, "bench": cmd_bench}[args.command]
    try:
        return handler(args, None if args.command == "bench" else load_settings())
    except (users.UserError, ConfigError, WarehouseNotReady, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
