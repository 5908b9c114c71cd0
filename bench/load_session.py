"""One simulated reader in the load test: a Playwright (async) browser context that signs in
and, until its deadline, opens pages and changes choices, timing each change and checking
what the page then shows.

A change is timed in the page itself: a script installed before Streamlit loads records
every input event (key, pointer) and every change of Streamlit's script state
(``data-test-script-state`` on stApp). The latency of a change is from the input that
started a run to the last ``notRunning`` once the app has been quiet for ``QUIET`` seconds
(a page that reruns itself is timed to its last run). Polling only decides when to look;
the times are the page's own.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from playwright.async_api import TimeoutError as PlaywrightTimeout

from auth.policy import Principal, pages_for, scope_for
from bench.load_expect import CHECKED, Expected, check_headline, foreign_names
from tests.e2e.browse import WAIT

QUIET = 0.5  # s without a script-state change: the page has stopped rerunning
TIMEOUT = 120  # s: a change not drawn by then is an error (a hung page)
APP = "[data-testid='stApp']"
ERRORS = "[data-testid='stException'], [data-testid='stAlertContentError']"
SKIPPED_PAGES = {"upload"}  # a form with no figures: nothing to read or time
RECORDER = """
window.__haki = {changes: [], input: null, ran: false};
new MutationObserver(records => {
  for (const r of records) {
    if (r.target.getAttribute('data-testid') !== 'stApp') continue;
    const state = r.target.getAttribute('data-test-script-state');
    window.__haki.changes.push([state, performance.now()]);
    if (state === 'running') window.__haki.ran = true;
  }
}).observe(document, {subtree: true, attributes: true,
                      attributeFilter: ['data-test-script-state']});
for (const kind of ['keydown', 'pointerdown']) {
  window.addEventListener(kind, () => {
    if (!window.__haki.ran) window.__haki.input = performance.now();
  }, true);
}
"""
ARM = "() => { window.__haki.changes = []; window.__haki.input = null; window.__haki.ran = false; }"
# Returns the latency in ms once a run started by the input has ended and the app has been
# quiet for `quiet` ms; false until then.
DRAWN = """([quiet]) => {
  const h = window.__haki, now = performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  if (h.input === null || !app) return false;
  const ends = h.changes.filter(([s, t]) => s === 'notRunning' && t >= h.input);
  if (!ends.length || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const last = h.changes[h.changes.length - 1][1];
  if (now - last < quiet) return false;
  return ends[ends.length - 1][1] - h.input;
}"""

# What the page's recorder holds, for the report of a change never drawn.
STATE = """() => {
  const h = window.__haki, now = performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  return {state: app && app.getAttribute('data-test-script-state'),
          input_s_ago: h.input === null ? null : Math.round(now - h.input) / 1000,
          changes: h.changes.slice(-6).map(([s, t]) => [s, Math.round(now - t) / 1000])};
}"""


@dataclass
class Account:
    username: str
    password: str
    role: str
    counties: tuple[str, ...] = ()


@dataclass
class Outcome:
    """Everything one session measured and found."""
    account: Account
    sign_in_ms: float | None = None
    changes: list[dict] = field(default_factory=list)  # {kind, page, ms, at}
    errors: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)  # uncaught in the browser's JS
    leaks: list[str] = field(default_factory=list)
    headline_checks: int = 0
    name_checks: int = 0

    def more(self, deadline: float, at_least: int) -> bool:
        """Whether to go on clicking: before the deadline, or with fewer than ``at_least``
        changes made (``time.monotonic()``)."""
        return time.monotonic() < deadline or len(self.changes) < at_least


class Session:
    def __init__(self, browser, base: str, account: Account, expected: Expected,
                 all_counties: set[str], seed: int):
        self.browser, self.base, self.expected = browser, base, expected
        self.rng = random.Random(seed)
        self.out = Outcome(account)
        self.own = set(account.counties) or set(all_counties)
        self.suppress_below = scope_for(_principal(account)).suppress_below
        self.pages = [p for p in pages_for(_principal(account)) if p.id not in SKIPPED_PAGES]
        self.here = "overview"

    async def run(self, deadline: float, think: tuple[float, float], delay: float = 0,
                  at_least: int = 0) -> Outcome:
        """Signs in after ``delay`` seconds (sessions arrive one after another, as people
        do: twenty browsers loading Streamlit's scripts at one instant measure the browsers,
        not the server), then clicks until ``deadline``, and on past it until it has made
        ``at_least`` changes (a short run on a busy machine may spend its time signing in)."""
        await asyncio.sleep(delay)
        context = await self.browser.new_context(viewport={"width": 1400, "height": 1100})
        await context.add_init_script(RECORDER)
        page = await context.new_page()
        page.on("pageerror", lambda exc: self.out.script_errors.append(
            f"{self.here}: {str(exc)[:300]}"))
        try:
            await self._sign_in(page)
            while self.out.more(deadline, at_least):
                await asyncio.sleep(self.rng.uniform(*think))
                if not self.out.more(deadline, at_least):
                    break
                await self._change(page)
        except Exception as exc:  # noqa: BLE001 - any failure is counted, the run goes on
            self.out.errors.append(f"{self.here}: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            await context.close()
        return self.out

    async def _sign_in(self, page) -> None:
        acct = self.out.account
        await page.goto(self.base, wait_until="commit", timeout=TIMEOUT * 1000)
        await page.get_by_role("textbox", name="Username").wait_for(timeout=TIMEOUT * 1000)
        await page.get_by_role("textbox", name="Username").fill(acct.username)
        await page.get_by_role("textbox", name="Password").fill(acct.password)
        await page.evaluate(ARM)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_role("heading", name="Overview").wait_for(timeout=TIMEOUT * 1000)
        self.out.sign_in_ms = await self._drawn(page)
        await self._check(page)

    async def _drawn(self, page) -> float:
        try:
            handle = await page.wait_for_function(DRAWN, arg=[QUIET * 1000], polling=100,
                                                  timeout=TIMEOUT * 1000)
        except PlaywrightTimeout:
            state = await page.evaluate(STATE)
            raise PlaywrightTimeout(f"not drawn {TIMEOUT} s after the change: {state}") from None
        return float(await handle.json_value())

    async def _change(self, page) -> None:
        kinds = ["period"] * 35 + ["county"] * 25 + ["page"] * 30 + ["choice"] * 10
        kind = self.rng.choice(kinds)
        await page.evaluate(ARM)
        done = await getattr(self, f"_{kind}")(page)
        if not done:  # this page has no such choice: go elsewhere instead
            kind = "page"
            await page.evaluate(ARM)
            await self._page(page)
        ms = await self._drawn(page)
        self.out.changes.append({"kind": kind, "page": self.here, "ms": round(ms, 1),
                                 "at": time.time()})
        await self._check(page)

    async def _page(self, page) -> bool:
        target = self.rng.choice([p for p in self.pages if p.id != self.here])
        nav = page.locator('[data-testid="stSidebarNav"]')
        await nav.get_by_text(target.title, exact=True).click()
        self.here = target.id
        await page.get_by_role("heading", name=target.title).first.wait_for(
            timeout=TIMEOUT * 1000)
        return True

    async def _period(self, page) -> bool:
        start = page.get_by_role("slider", name="Quarters — start")
        if await start.count():
            value = int(await start.get_attribute("value"))
            end = int(await page.get_by_role("slider", name="Quarters — end")
                      .get_attribute("value"))
            key = "ArrowLeft" if value >= end or (value > 0 and self.rng.random() < 0.5) \
                else "ArrowRight"
            await start.press(key)
            return True
        return await self._pick(page, "Period")

    async def _county(self, page) -> bool:
        if await page.get_by_role("slider", name="Quarters — start").count():
            return await self._toggle_county(page)
        return await self._pick(page, "Counties")

    async def _choice(self, page) -> bool:
        if self.here == "funnel":
            view = page.get_by_role("radiogroup", name="View")
            other = "Activity" if await page.get_by_role("radio", name="Cohort").is_checked() \
                else "Cohort"
            await view.get_by_text(other, exact=True).click()
            return True
        if self.here == "map":
            return await self._pick(page, "Measure")
        if self.here == "indicators":
            return await self._pick(page, "Indicator")
        return False

    async def _pick(self, page, name: str) -> bool:
        """Another option of the select box ``name`` than the one chosen."""
        box = page.get_by_role("combobox", name=name)
        if not await box.count():
            return False
        await box.first.click()
        options = page.get_by_role("option")
        await options.first.wait_for(timeout=WAIT)
        texts = [t.strip() for t in await options.all_inner_texts()]
        chosen = await page.get_by_role("option", selected=True).all_inner_texts()
        others = [i for i, t in enumerate(texts[:12]) if t not in [c.strip() for c in chosen]]
        await options.nth(self.rng.choice(others)).click()
        return True

    async def _toggle_county(self, page) -> bool:
        """Chooses one county in the multiselect, or clears the choice if one is made."""
        box = page.get_by_role("combobox", name="Counties")
        if not await box.count():
            return False
        sidebar = page.locator("[data-testid='stSidebar']")
        chosen = sidebar.locator("[data-baseweb='tag']")
        if await chosen.count():
            await box.first.click()
            await box.first.press("Backspace")
        else:
            await box.first.click()
            options = page.get_by_role("option")
            await options.first.wait_for(timeout=WAIT)
            n = min(await options.count(), 5)
            await options.nth(self.rng.randrange(n)).click()
        await box.first.press("Escape")
        return True

    async def _check(self, page) -> None:
        """Errors drawn, and whether the page shows only this reader's figures."""
        where = self.here
        if await page.locator(ERRORS).count():
            texts = await page.locator(ERRORS).all_inner_texts()
            self.out.errors.append(f"{where}: error on the page: {texts[0][:300]!r}")
        if await page.get_by_role("button", name="Sign in").count():
            self.out.errors.append(f"{where}: signed out during the run")
            raise RuntimeError("signed out")
        main = await page.locator("[data-testid='stMain']").first.inner_text()
        if self.out.account.counties:
            self.out.name_checks += 1
            others = foreign_names(self.expected, main, self.own)
            if others:
                self.out.leaks.append(f"{where}: the page names {others}")
        if where == "overview":
            self.out.headline_checks += 1
            cards = {}
            for label in CHECKED:
                box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
                try:  # a rerun the page started itself (sign-in's cookie) may still draw them
                    await box.wait_for(timeout=TIMEOUT * 1000)
                except PlaywrightTimeout:
                    self.out.errors.append(f"{where}: no {label!r} card {TIMEOUT} s after the "
                                           "page was drawn")
                    continue
                cards[label] = (await box.locator('[data-testid="stMetricValue"]')
                                .inner_text()).strip()
            main = await page.locator("[data-testid='stMain']").first.inner_text()
            for problem in check_headline(self.expected, main, cards, self.own,
                                          self.suppress_below):
                self.out.leaks.append(f"{where}: {problem}")


def _principal(account: Account) -> Principal:
    return Principal(account.username, account.username, account.role, account.counties)
