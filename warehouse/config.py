"""Settings: from the environment, then `.streamlit/secrets.toml`, then defaults.

Every setting is named ``HAKI_*``. The environment wins over the secrets file so
that a deployment can override a file it cannot edit.

Secrets (the cookie signing key and the pseudonymization key) have no default.
A demo warehouse gets random ones generated into ``.haki/demo-secrets.toml``
(ignored by git); that file is never read for a warehouse that is not flagged
as demo, so no generated or example key can ever protect real data.
"""

from __future__ import annotations

import os
import secrets as _random
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from core.clock import TODAY_SETTING
from core.scope import DEFAULT_SUPPRESS_BELOW

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE_URL = "sqlite:///data/warehouse.db"
MIN_KEY_BYTES = 32
SECRET_NAMES = ("HAKI_COOKIE_KEY", "HAKI_PSEUDONYM_KEY")

# Documented settings: name -> (default, description). README and
# secrets.example.toml describe the same list; a test keeps them in step.
SETTINGS = {
    "HAKI_WAREHOUSE_URL": (DEFAULT_WAREHOUSE_URL, "SQLAlchemy URL of the warehouse"),
    "HAKI_COOKIE_KEY": (None, "secret that signs the login cookie (>= 32 characters)"),
    "HAKI_PSEUDONYM_KEY": (None, "secret HMAC key for pseudonymizing source ids (>= 32 characters)"),
    "HAKI_COOKIE_NAME": ("haki_auth", "name of the login cookie"),
    "HAKI_COOKIE_SECURE": ("false", "send the sign-in cookie over HTTPS only (true behind TLS)"),
    "HAKI_SESSION_IDLE_MINUTES": ("30", "a sign-in ends after this many minutes without a click"),
    "HAKI_SESSION_LIFETIME_HOURS": ("12", "a sign-in ends this many hours after it began"),
    "HAKI_LOCKOUT_FAILURES": ("5", "wrong passwords for one account that lock it"),
    "HAKI_LOCKOUT_WINDOW_MINUTES": ("15", "the failures must fall within this many minutes"),
    "HAKI_LOCKOUT_MINUTES": ("15", "how long a locked account stays locked"),
    "HAKI_CLIENT_FAILURES": (
        "20", "failed sign-ins from one client address, within the window, that pause it"),
    "HAKI_CLIENT_ADDRESS_HEADER": (
        None, "header holding the client address set by the reverse proxy (e.g. X-Real-IP)"),
    "HAKI_DEMO_CASES": ("5000", "cases in the demo warehouse made on first run"),
    "HAKI_SECRETS_FILE": (".streamlit/secrets.toml", "where the secrets file is"),
    "HAKI_MAX_UPLOAD_MB": ("25", "largest data file an upload may be, in megabytes"),
    "HAKI_SUPPRESS_BELOW": (
        str(DEFAULT_SUPPRESS_BELOW),
        "summaries-only readers never see a count from 1 to this number minus one",
    ),
    TODAY_SETTING: (None, "pins today's date (YYYY-MM-DD) for tests and screenshots; unset in use"),
    "HAKI_BOUNDARY_FILE": (
        None,
        "GeoJSON file of county boundaries for the map; unset: the file `manage.py boundaries "
        "fetch` wrote, if there is one, else circles at the county centres",
    ),
    "HAKI_BOUNDARY_PROPERTY": (
        "county_code",
        "the property of each boundary feature that holds its county's code (1-47) or name",
    ),
    "HAKI_MAP_PROVIDER": (
        None,
        "basemap tiles under the map for online deployments: carto, mapbox or maplibre; "
        "unset: no basemap, nothing is fetched",
    ),
    "HAKI_MAP_STYLE": ("light", "the basemap's style: light, dark, road, or a style URL"),
}

MAP_PROVIDERS = ("carto", "mapbox", "maplibre")


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the message says exactly what to set."""


def _resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p


def _read_toml(path: Path) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return {k: v for k, v in tomllib.load(fh).items() if isinstance(k, str)}


EXAMPLE_SECRETS = PROJECT_ROOT / ".streamlit" / "secrets.example.toml"


def _example_values() -> set[str]:
    example = _read_toml(EXAMPLE_SECRETS)
    return {str(v) for k, v in example.items() if k in SECRET_NAMES}


def demo_secrets_path() -> Path:
    return PROJECT_ROOT / ".haki" / "demo-secrets.toml"


@dataclass(frozen=True)
class Settings:
    warehouse_url: str
    cookie_key: str | None
    pseudonym_key: str | None
    cookie_name: str
    demo_cases: int
    max_upload_mb: float = 25.0
    suppress_below: int = DEFAULT_SUPPRESS_BELOW
    cookie_secure: bool = False
    session_idle_minutes: float = 30
    session_lifetime_hours: float = 12
    lockout_failures: int = 5
    lockout_window_minutes: float = 15
    lockout_minutes: float = 15
    client_failures: int = 20
    client_address_header: str | None = None
    boundary_file: str | None = None  # an absolute path, or None: not configured
    boundary_property: str = "county_code"
    map_provider: str | None = None  # None: no basemap tiles, the map renders offline
    map_style: str = "light"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def is_default_url(self) -> bool:
        return self.warehouse_url == normalize_url(DEFAULT_WAREHOUSE_URL)

    @property
    def keys_configured(self) -> bool:
        """The operator set a secret (environment or secrets file): this is a deployment."""
        return bool(self.cookie_key or self.pseudonym_key)

    def require_secrets(self, *, demo: bool) -> Settings:
        """Settings with usable secrets, or ConfigError saying exactly what to set.

        For a demo warehouse missing secrets are generated (once, into an ignored
        file). For any other warehouse they must be set by the operator, be long
        enough and differ from the shipped examples.
        """
        cookie, pseudonym = self.cookie_key, self.pseudonym_key
        if demo:
            generated = ensure_demo_secrets()
            cookie = cookie or generated["HAKI_COOKIE_KEY"]
            pseudonym = pseudonym or generated["HAKI_PSEUDONYM_KEY"]
            return _replace(self, cookie_key=cookie, pseudonym_key=pseudonym)
        problems = []
        examples = _example_values()
        for name, value in (("HAKI_COOKIE_KEY", cookie), ("HAKI_PSEUDONYM_KEY", pseudonym)):
            if not value:
                problems.append(f"{name} is not set")
            elif value in examples or "change-me" in value.lower():
                problems.append(f"{name} is still the example value")
            elif len(value.encode()) < MIN_KEY_BYTES:
                problems.append(f"{name} is shorter than {MIN_KEY_BYTES} bytes")
        if problems:
            raise ConfigError(
                "This warehouse holds programme data, so Haki will not start with unsafe secrets: "
                + "; ".join(problems)
                + ". Set each one in the environment or in .streamlit/secrets.toml to a random "
                'value, for example the output of: python -c "import secrets; '
                'print(secrets.token_urlsafe(48))"'
            )
        return self


def _replace(settings: Settings, **changes) -> Settings:
    return replace(settings, **changes)


def ensure_demo_secrets() -> dict[str, str]:
    """Random demo secrets, generated on first use and then kept in an ignored file."""
    path = demo_secrets_path()
    values = _read_toml(path)
    if all(values.get(n) for n in SECRET_NAMES):
        return values
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    values = {n: _random.token_urlsafe(48) for n in SECRET_NAMES}
    body = "# Generated for the demo warehouse only. Never used for real data.\n" + "".join(
        f'{k} = "{v}"\n' for k, v in values.items()
    )
    path.unlink(missing_ok=True)
    # Created readable by its owner only from the first byte, never narrowed afterwards.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(body)
    return values


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    file_values = _read_toml(
        _resolve(env.get("HAKI_SECRETS_FILE", SETTINGS["HAKI_SECRETS_FILE"][0]))
    )

    def get(name: str) -> str | None:
        if env.get(name):
            return env[name]
        if file_values.get(name) not in (None, ""):
            return str(file_values[name])
        return SETTINGS[name][0]

    def number(name: str, kind, low: float):
        text = get(name)
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or value < low:
            words = "a whole number" if kind is int else "a number"
            raise ConfigError(f"{name} must be {words} of at least {low}, not {text!r}")
        return value

    def flag(name: str) -> bool:
        text = str(get(name)).strip().lower()
        if text not in ("true", "false"):
            raise ConfigError(f"{name} must be true or false, not {get(name)!r}")
        return text == "true"

    return Settings(
        warehouse_url=normalize_url(get("HAKI_WAREHOUSE_URL")),
        cookie_key=get("HAKI_COOKIE_KEY"),
        pseudonym_key=get("HAKI_PSEUDONYM_KEY"),
        cookie_name=get("HAKI_COOKIE_NAME"),
        demo_cases=number("HAKI_DEMO_CASES", int, 1),
        max_upload_mb=number("HAKI_MAX_UPLOAD_MB", float, 0.01),
        suppress_below=number("HAKI_SUPPRESS_BELOW", int, 2),
        cookie_secure=flag("HAKI_COOKIE_SECURE"),
        session_idle_minutes=number("HAKI_SESSION_IDLE_MINUTES", float, 1),
        session_lifetime_hours=number("HAKI_SESSION_LIFETIME_HOURS", float, 0.1),
        lockout_failures=number("HAKI_LOCKOUT_FAILURES", int, 1),
        lockout_window_minutes=number("HAKI_LOCKOUT_WINDOW_MINUTES", float, 1),
        lockout_minutes=number("HAKI_LOCKOUT_MINUTES", float, 1),
        client_failures=number("HAKI_CLIENT_FAILURES", int, 1),
        client_address_header=get("HAKI_CLIENT_ADDRESS_HEADER") or None,
        boundary_file=str(_resolve(get("HAKI_BOUNDARY_FILE"))) if get("HAKI_BOUNDARY_FILE")
        else None,
        boundary_property=get("HAKI_BOUNDARY_PROPERTY"),
        map_provider=_map_provider(get("HAKI_MAP_PROVIDER")),
        map_style=get("HAKI_MAP_STYLE"),
    )


def _map_provider(value: str | None) -> str | None:
    if not value or value.strip().lower() == "none":
        return None
    provider = value.strip().lower()
    if provider not in MAP_PROVIDERS:
        raise ConfigError(f"HAKI_MAP_PROVIDER must be one of {', '.join(MAP_PROVIDERS)} or "
                          f"unset (no basemap), not {value!r}")
    return provider


def normalize_url(url: str) -> str:
    """Relative SQLite paths are relative to the project, not to the working directory.

    ``postgresql://`` URLs are pointed at psycopg 3, the driver Haki ships with.
    """
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url.removeprefix("sqlite:///")
        if rel and rel != ":memory:" and not rel.startswith("file:"):
            return "sqlite:///" + str(_resolve(rel))
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
