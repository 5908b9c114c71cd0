"""The indicators page (a manager) and the quarterly summary (a monitor) in a real browser
with no network, the summary's PDF downloaded from the page and drawn as an image (the
README's screenshots), and no request leaving the server."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest

from tests.e2e import browse
from tests.e2e.test_pages import SHOTS, _shot, _signed_in, offline_page  # noqa: F401

pytestmark = pytest.mark.browser


def _open(page, base, path, title):
    page.goto(f"{base}/{path}")
    page.get_by_role("heading", name=title).wait_for(timeout=60_000)
    browse.finished(page)
    page.locator("[data-testid='stVegaLiteChart']").first.wait_for(timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").first.inner_text()


def test_the_indicators_page_reads_offline(offline_page, demo_server):  # noqa: F811
    page, outside = offline_page
    _signed_in(page, demo_server, "demo-manager")
    _open(page, demo_server[0], "indicators", "Indicators")
    body = _main_text(page)
    assert "on track at 90% of target" in body
    for code in ("on_track", "off_track", "participant_sex", "cso_caseworker"):
        assert code not in body, code
    _shot(page, "indicators-demo-manager")
    assert outside == []


def test_the_summary_and_its_pdf_as_a_monitor_sees_them(offline_page, demo_server):  # noqa: F811
    page, outside = offline_page
    _signed_in(page, demo_server, "demo-monitor")
    _open(page, demo_server[0], "summary", "Quarterly summary")
    body = _main_text(page)
    assert "Counts of 1–10 are withheld" in body
    for value in page.locator('[data-testid="stMetricValue"]').all_inner_texts():
        digits = value.strip().replace(",", "")
        assert not (digits.isdigit() and 1 <= int(digits) <= 10), value
    _shot(page, "summary-demo-monitor")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download this summary as PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    doc = pypdfium2.PdfDocument(pdf)
    text = doc[0].get_textpage().get_text_range()
    assert "Haki — quarterly summary" in text and "Synthetic demo data" in text
    assert "Counts of 1–10 are withheld" in text and "demo-monitor" in text
    image = doc[0].render(scale=1.6).to_pil()
    assert image.size[0] > 900
    if SHOTS:
        image.save(Path(SHOTS) / "summary-pdf-page-1.png")
    else:
        image.save(io.BytesIO(), format="PNG")
    assert outside == []
