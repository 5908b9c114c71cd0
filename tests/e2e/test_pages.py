"""The map, training and outreach pages in a real browser with no network: every request
that is not to the Haki server is refused and recorded, and none may be made. The map is
drawn by deck.gl on a canvas, from circles at the county centres or from a boundary file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from charts.theme import SEQUENTIAL, ZERO_FILL, rgba
from startup.demo_accounts import listed
from tests.boundary_fixture import collection, write
from tests.e2e.test_sign_in import _settle, _sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HAKI_SCREENSHOTS_DIR")
TITLES = {"map": "County map", "training": "Training coverage",
          "outreach": "Outreach and referrals"}
DECK = "[data-testid='stDeckGlJsonChart'] canvas"


@pytest.fixture
def offline_page(browser, demo_server):
    """A signed-out browser page whose requests may only go to the Haki server."""
    base, _ = demo_server
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    outside = []

    def only_haki(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_haki)
    page = context.new_page()
    yield page, outside
    context.close()


def _signed_in(page, demo_server, username):
    """Signed in, with the sign-in cookie written: from then on any URL of Haki opens
    signed in, whatever reruns the cookie component still makes."""
    base, engine = demo_server
    account = next(a for a in listed(engine) if a["username"] == username)
    _sign_in(page, base, account["username"], account["password"])
    page.wait_for_function("() => document.cookie.includes('haki_auth=')", timeout=30_000)


def _open(page, base, name):
    """The page at its own URL, as a reader who types it would open it."""
    page.goto(f"{base}/{name}")
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=60_000)
    _settle(page)


def _drawn_map(page) -> Image.Image:
    """The deck.gl canvas once it is drawn, as an image."""
    canvas = page.locator(DECK).first
    canvas.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
    return Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")


def _pixels_near(image: Image.Image, colour: str, tolerance: int = 40) -> int:
    """Pixels within ``tolerance`` of ``colour`` drawn at the map's fill opacity on white."""
    r, g, b, a = rgba(colour, 230)
    want = np.array([round(c * a / 255 + 255 * (1 - a / 255)) for c in (r, g, b)])
    pixels = np.asarray(image, dtype=np.int16)
    return int((np.abs(pixels - want) <= tolerance).all(axis=2).sum())


def _shot(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": tall + 40})
    page.wait_for_timeout(2500)
    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})


def test_the_map_draws_offline_with_circles_at_the_county_centres(offline_page, demo_server):
    page, outside = offline_page
    _signed_in(page, demo_server, "demo-manager")
    _open(page, demo_server[0], "map")
    image = _drawn_map(page)
    assert _pixels_near(image, ZERO_FILL) > 20, "counties with none should be drawn"
    assert _pixels_near(image, SEQUENTIAL[-1]) > 50, "the top class should be drawn"
    assert page.get_by_text("Circles at the county centres").count() == 1
    _shot(page, "map-demo-manager")
    assert outside == []


def test_the_map_draws_county_polygons_from_a_boundary_file(offline_page, demo_server,
                                                             server_settings_file, tmp_path):
    page, outside = offline_page
    shapes = write(tmp_path / "counties.geojson", collection(radius=0.18))
    server_settings_file.write_text(f'HAKI_BOUNDARY_FILE = "{shapes}"\n')
    try:
        _signed_in(page, demo_server, "demo-cuc-kwale")
        _open(page, demo_server[0], "map")
        image = _drawn_map(page)
        assert page.get_by_text("County boundaries from the configured boundary file").count()
        assert page.get_by_text("could not be used").count() == 0
        coloured = int((np.asarray(image) != 255).any(axis=2).sum())
        assert coloured > 2000, "Kwale's polygon fills the map"
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "Kwale" in body and "Mombasa" not in body and "Kilifi" not in body
        _shot(page, "map-demo-cuc-kwale")
    finally:
        server_settings_file.unlink(missing_ok=True)
    assert outside == []


@pytest.mark.parametrize("name", ["training", "outreach"])
def test_training_and_outreach_read_offline(offline_page, demo_server, name):
    page, outside = offline_page
    _signed_in(page, demo_server, "demo-manager")
    _open(page, demo_server[0], name)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
    errors = page.locator("[data-testid='stException']").count()
    assert errors == 0
    _shot(page, f"{name}-demo-manager")
    assert outside == []
