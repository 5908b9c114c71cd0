import re
from pathlib import Path

import pytest

from warehouse import config
from warehouse.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
STRONG = "x" * 40


def _settings(tmp_path, **env):
    env.setdefault("HAKI_SECRETS_FILE", str(tmp_path / "none.toml"))
    return load_settings(env)


def test_defaults_point_at_the_embedded_sqlite_warehouse(tmp_path):
    s = _settings(tmp_path)
    assert s.warehouse_url == "sqlite:///" + str(ROOT / "data" / "warehouse.db")
    assert s.cookie_key is None and s.pseudonym_key is None


def test_environment_wins_over_the_secrets_file(tmp_path):
    f = tmp_path / "secrets.toml"
    f.write_text('HAKI_WAREHOUSE_URL = "sqlite:////from/file.db"\nHAKI_COOKIE_KEY = "file-key"\n')
    s = _settings(tmp_path, HAKI_SECRETS_FILE=str(f), HAKI_WAREHOUSE_URL="sqlite:////from/env.db")
    assert s.warehouse_url == "sqlite:////from/env.db"
    assert s.cookie_key == "file-key"


def test_postgres_urls_use_psycopg3(tmp_path):
    s = _settings(tmp_path, HAKI_WAREHOUSE_URL="postgresql://u:p@h:5432/db")
    assert s.warehouse_url == "postgresql+psycopg://u:p@h:5432/db"


@pytest.mark.parametrize(
    ("cookie", "pseudonym", "message"),
    [
        (None, STRONG, "HAKI_COOKIE_KEY is not set"),
        (STRONG, None, "HAKI_PSEUDONYM_KEY is not set"),
        ("change-me-cookie-key-example-value-not-secret", STRONG, "HAKI_COOKIE_KEY is still the example"),
        (STRONG, "short", "HAKI_PSEUDONYM_KEY is shorter than 32 bytes"),
    ],
)
def test_production_refuses_missing_or_example_secrets(tmp_path, cookie, pseudonym, message):
    env = {k: v for k, v in {"HAKI_COOKIE_KEY": cookie, "HAKI_PSEUDONYM_KEY": pseudonym}.items() if v}
    with pytest.raises(ConfigError, match=message) as err:
        _settings(tmp_path, **env).require_secrets(demo=False)
    assert "token_urlsafe" in str(err.value)  # says how to make a good one


def test_the_shipped_examples_are_refused_whatever_they_say(tmp_path, monkeypatch):
    example = tmp_path / "secrets.example.toml"
    plain = "an-example-value-that-is-long-enough-0123456789"
    example.write_text(f'HAKI_COOKIE_KEY = "{plain}"\nHAKI_PSEUDONYM_KEY = "{plain}x"\n')
    monkeypatch.setattr(config, "EXAMPLE_SECRETS", example)
    with pytest.raises(ConfigError, match="HAKI_COOKIE_KEY is still the example"):
        _settings(tmp_path, HAKI_COOKIE_KEY=plain, HAKI_PSEUDONYM_KEY=STRONG).require_secrets(
            demo=False)
    with pytest.raises(ConfigError, match="HAKI_PSEUDONYM_KEY is still the example"):
        _settings(tmp_path, HAKI_COOKIE_KEY=STRONG, HAKI_PSEUDONYM_KEY=plain + "x").require_secrets(
            demo=False)


def test_production_accepts_strong_secrets(tmp_path):
    s = _settings(tmp_path, HAKI_COOKIE_KEY=STRONG, HAKI_PSEUDONYM_KEY=STRONG + "y")
    assert s.require_secrets(demo=False).pseudonym_key == STRONG + "y"


def test_demo_secrets_are_generated_once_and_random(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "demo_secrets_path", lambda: tmp_path / "demo.toml")
    first = _settings(tmp_path).require_secrets(demo=True)
    again = _settings(tmp_path).require_secrets(demo=True)
    assert first.cookie_key == again.cookie_key and len(first.cookie_key) >= 32
    assert first.cookie_key != first.pseudonym_key
    # Readable by the owner only from the first byte: nothing widens and then narrows it.
    assert (tmp_path / "demo.toml").stat().st_mode & 0o777 == 0o600
    # ...and are never used for a warehouse that is not demo-flagged.
    with pytest.raises(ConfigError):
        _settings(tmp_path).require_secrets(demo=False)


def test_sign_in_settings_have_the_documented_defaults(tmp_path):
    s = _settings(tmp_path)
    assert (s.session_idle_minutes, s.session_lifetime_hours) == (30, 12)
    assert (s.lockout_failures, s.lockout_window_minutes, s.lockout_minutes) == (5, 15, 15)
    assert (s.client_failures, s.client_address_header, s.cookie_secure) == (20, None, False)
    s = _settings(tmp_path, HAKI_SESSION_IDLE_MINUTES="5", HAKI_COOKIE_SECURE="true",
                  HAKI_CLIENT_ADDRESS_HEADER="X-Real-IP")
    assert (s.session_idle_minutes, s.cookie_secure, s.client_address_header) == (
        5, True, "X-Real-IP")


def test_every_setting_is_documented():
    example = (ROOT / ".streamlit" / "secrets.example.toml").read_text()
    readme = (ROOT / "README.md").read_text()
    for name in config.SETTINGS:
        assert name in readme, f"{name} missing from README"
        if name not in ("HAKI_SECRETS_FILE", "HAKI_TODAY"):
            assert re.search(rf"^{name} = ", example, re.M), f"{name} missing from example"


@pytest.mark.parametrize(
    ("name", "value"),
    [("HAKI_SESSION_LIFETIME_HOURS", "half a day"), ("HAKI_DEMO_CASES", "0"),
     ("HAKI_DEMO_CASES", "5k"), ("HAKI_SUPPRESS_BELOW", "1"), ("HAKI_SUPPRESS_BELOW", "ten"),
     ("HAKI_SESSION_IDLE_MINUTES", "0"), ("HAKI_LOCKOUT_FAILURES", "0"),
     ("HAKI_LOCKOUT_MINUTES", "never"), ("HAKI_CLIENT_FAILURES", "1.5"),
     ("HAKI_COOKIE_SECURE", "yes")],
)
def test_bad_numbers_are_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        _settings(tmp_path, **{name: value})


def test_the_map_is_offline_unless_a_provider_is_set(tmp_path):
    s = _settings(tmp_path)
    assert s.map_provider is None and s.boundary_file is None
    assert s.boundary_property == "county_code"
    online = _settings(tmp_path, HAKI_MAP_PROVIDER="Carto", HAKI_MAP_STYLE="road")
    assert (online.map_provider, online.map_style) == ("carto", "road")
    assert _settings(tmp_path, HAKI_MAP_PROVIDER="none").map_provider is None


def test_an_unknown_map_provider_is_named(tmp_path):
    with pytest.raises(ConfigError, match="HAKI_MAP_PROVIDER must be one of carto, mapbox"):
        _settings(tmp_path, HAKI_MAP_PROVIDER="openstreetmap")


def test_a_relative_boundary_file_is_relative_to_the_project(tmp_path):
    s = _settings(tmp_path, HAKI_BOUNDARY_FILE="data/b.geojson", HAKI_BOUNDARY_PROPERTY="NAME")
    assert s.boundary_file == str(ROOT / "data" / "b.geojson")
    assert s.boundary_property == "NAME"
