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
from tests.boundary_fixture import collection, write
from tests.e2e import browse

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
    """Signed in, with the sign-in cookie written (the pages show only once it is): from
    then on any URL of Haki opens signed in."""
    base, engine = demo_server
    browse.sign_in(page, base, username, browse.demo_password(engine, username))


def _open(page, base, name):
    """The page at its own URL, as a reader who types it would open it."""
    page.goto(f"{base}/{name}")
    page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=60_000)


def _drawn_map(page, drawn) -> Image.Image:
    """The deck.gl canvas as an image, once ``drawn(image)`` holds (deck.gl draws on the
    animation frames after the canvas appears): polled, never a fixed wait."""
    canvas = page.locator(DECK).first
    canvas.wait_for(state="visible", timeout=60_000)
    images = []

    def ready() -> bool:
        images.append(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB"))
        return drawn(images[-1])

    browse.until(ready, timeout=60)
    return images[-1]


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
    page.wait_for_timeout(2500)  # screenshots only: the charts redraw at the new size
    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})


def test_the_map_draws_offline_with_circles_at_the_county_centres(offline_page, demo_server):
    page, outside = offline_page
    _signed_in(page, demo_server, "demo-manager")
    _open(page, demo_server[0], "map")
    image = _drawn_map(page, lambda i: _pixels_near(i, SEQUENTIAL[-1]) > 50)
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
        image = _drawn_map(page, lambda i: int((np.asarray(i) != 255).any(axis=2).sum()) > 2000)
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
