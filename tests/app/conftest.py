"""The app tests' shared fixtures (defined with the overview's tests), for every module here."""

from tests.app.test_app import app_on, downloads  # noqa: F401
