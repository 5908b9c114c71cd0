"""One simulated reader in the load test, without a browser: it speaks Streamlit's websocket
protocol (bench/load_wire.py) as the frontend does, and does what the browser session
(bench/load_session.py) does: signs in through the sign-in form, then opens pages and
changes the period, the counties and the page's own choices until its deadline, timing
each change and checking what the page then shows.

Signing in, as in the browser: the form's username and password widgets (their ids as
the server sent them) and its submit button go in one rerun. That run answers "Signing
in…" and draws the authenticator's cookie component (extra_streamlit_components'
CookieManager, method "set", the signed token in its arguments). In a browser the
component writes the cookie from JavaScript and reports ``true`` as its value, which asks
for the rerun that shows the pages; this client stores the cookie and sends that same
value. The person is signed in for this websocket session by the form's run already
(st.session_state); the cookie only matters to a tab opened later, whose handshake
carries it.

A change's latency is from the BackMsg sent to the run's last ``script_finished`` (a run
the page cuts short by starting another is not the end); Streamlit's frontend draws each
delta as it arrives, so this is the server's share of the browser's figure.
"""

from __future__ import annotations

import asyncio
import json
import random
import time

import pyarrow as pa
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.WidgetStates_pb2 import WidgetState

from auth.policy import pages_for, scope_for
from bench.load_expect import CHECKED, Expected, check_headline, foreign_names
from bench.load_session import SKIPPED_PAGES, TIMEOUT, Account, Outcome, _principal
from bench.load_wire import MAIN, Connection

ERROR = Alert.Format.Value("ERROR")
KINDS = ["period"] * 35 + ["county"] * 25 + ["page"] * 30 + ["choice"] * 10  # as in a browser
GRACE = TIMEOUT + 30  # s: the last change may take TIMEOUT; the driver cuts at 180 s
CHOICES = {"funnel": ("radio", "View"), "map": ("selectbox", "Measure"),
           "indicators": ("selectbox", "Indicator")}


class ProtocolSession:
    def __init__(self, base: str, account: Account, expected: Expected,
                 all_counties: set[str], seed: int):
        self.base, self.expected = base, expected
        self.rng = random.Random(seed)
        self.out = Outcome(account)
        self.own = set(account.counties) or set(all_counties)
        self.suppress_below = scope_for(_principal(account)).suppress_below
        self.pages = {p.id: p for p in pages_for(_principal(account))
                      if p.id not in SKIPPED_PAGES}
        self.here = "overview"
        self.conn = Connection(base)

    async def run(self, deadline: float, think: tuple[float, float], delay: float = 0,
                  grace: float = GRACE, at_least: int = 0) -> Outcome:
        """Signs in after ``delay`` seconds, then changes something every ``think``
        seconds until ``deadline`` (time.monotonic()) and past it until it has made
        ``at_least`` changes. Any failure ends the session and is
        counted; so is a session still busy ``grace`` seconds after the deadline, which
        stops there."""
        try:
            async with asyncio.timeout(deadline + grace - time.monotonic()):
                await self._run(deadline, think, delay, at_least)
        except TimeoutError:
            self.out.errors.append(f"{self.here}: still busy {grace:g} s after the deadline")
        return self.out

    async def _run(self, deadline: float, think: tuple[float, float], delay: float,
                   at_least: int) -> None:
        await asyncio.sleep(delay)
        try:
            await self.conn.open()
            await self._sign_in()
            while self.out.more(deadline, at_least):
                await asyncio.sleep(self.rng.uniform(*think))
                if not self.out.more(deadline, at_least):
                    break
                await self._change()
        except Exception as exc:  # noqa: BLE001 - any failure is counted, the run goes on
            self.out.errors.append(f"{self.here}: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            await self.conn.close()

    async def _sign_in(self) -> None:
        page, acct = self.conn.page, self.out.account
        await self.conn.rerun(page.states(), timeout=TIMEOUT)  # the tab's first run
        fields = [page.find("text_input", "Username"), page.find("text_input", "Password"),
                  page.find("button", "Sign in")]
        if None in fields:
            raise RuntimeError("no sign-in form on the first page")
        user, password, submit = fields
        states = page.choose(WidgetState(id=user.id, string_value=acct.username),
                             WidgetState(id=password.id, string_value=acct.password),
                             WidgetState(id=submit.id, trigger_value=True))
        seconds = await self.conn.rerun(states, timeout=TIMEOUT)
        cookie = [c for c in page.of_kind("component_instance")
                  if json.loads(c.json_args).get("method") == "set"]
        if not cookie:
            texts = " | ".join(page.texts())[:300]
            raise RuntimeError(f"the sign-in form was not accepted: {texts}")
        args = json.loads(cookie[0].json_args)
        self.conn.cookies[args["cookie"]] = args["value"]
        seconds += await self.conn.rerun(page.choose(WidgetState(id=cookie[0].id,
                                                                 json_value="true")),
                                         timeout=TIMEOUT)
        self.out.sign_in_ms = round(seconds * 1000, 1)
        self._check()

    async def _change(self) -> None:
        kind = self.rng.choice(KINDS)
        change = getattr(self, f"_{kind}")()
        if change is None:  # this page has no such choice: go elsewhere instead
            kind, change = "page", self._page()
        seconds = await change
        self.out.changes.append({"kind": kind, "page": self.here, "ms": round(seconds * 1000, 1),
                                 "at": time.time()})
        self._check()

    def _set(self, state: WidgetState):
        return self.conn.rerun(self.conn.page.choose(state), timeout=TIMEOUT)

    def _page(self):
        target = self.rng.choice([p for p in self.pages.values() if p.id != self.here])
        nav = {p.url_pathname or "overview": p.page_script_hash for p in self.conn.page.pages}
        self.here = target.id
        # As the frontend leaves a page: only app.py's widgets go with the request.
        return self.conn.rerun(self.conn.page.states(main_script_only=True), nav[target.id],
                               timeout=TIMEOUT)

    def _period(self):
        quarters = self.conn.page.find("slider", "Quarters")
        if quarters is None:
            return self._pick("Period")
        chosen = list(self.conn.page.values[quarters.id].string_array_value.data)
        start, end = (list(quarters.options).index(q) for q in chosen)
        start += -1 if start >= end or (start > 0 and self.rng.random() < 0.5) else 1
        state = WidgetState(id=quarters.id)
        state.string_array_value.data.extend([quarters.options[start], quarters.options[end]])
        return self._set(state)

    def _county(self):
        box = self.conn.page.find("multiselect", "Counties")
        if box is None:
            return self._pick("Counties")
        state = WidgetState(id=box.id)
        state.string_array_value.SetInParent()  # an empty choice is a value too
        if not self.conn.page.values[box.id].string_array_value.data:  # else: clear it
            state.string_array_value.data.append(
                self.rng.choice(list(box.options)[:5]))
        return self._set(state)

    def _choice(self):
        kind, label = CHOICES.get(self.here, (None, None))
        if kind == "radio":
            return self._pick(label, kind)
        return self._pick(label) if kind else None

    def _pick(self, label: str, kind: str = "selectbox"):
        """Another option of the select box (or radio) ``label`` than the one chosen."""
        box = self.conn.page.find(kind, label)
        if box is None:
            return None
        chosen = self.conn.page.values[box.id].string_value
        others = [o for o in list(box.options)[:12] if o != chosen]
        return self._set(WidgetState(id=box.id, string_value=self.rng.choice(others)))

    def _check(self) -> None:
        """Errors drawn, the page's own elements, and whether it shows only this reader's
        figures (cross-scope leaks)."""
        page, where = self.conn.page, self.here
        self.out.errors += [f"{where}: {p}" for p in self.conn.problems]
        self.conn.problems.clear()
        for e in page.of_kind("exception"):
            self.out.errors.append(f"{where}: exception on the page: {e.type}: {e.message[:250]}")
        for a in page.of_kind("alert"):
            if a.format == ERROR:
                self.out.errors.append(f"{where}: error on the page: {a.body[:300]!r}")
        if page.find("button", "Sign in") is not None:
            self.out.errors.append(f"{where}: signed out during the run")
            raise RuntimeError("signed out")
        title = self.pages[where].title
        if not any(h.body == title for h in page.of_kind("heading")):
            self.out.errors.append(f"{where}: no heading {title!r} once the run finished")
        main = "\n".join(page.texts(MAIN) + _table_cells(page))
        if self.out.account.counties:
            self.out.name_checks += 1
            others = foreign_names(self.expected, main, self.own)
            if others:
                self.out.leaks.append(f"{where}: the page names {others}")
        if where == "overview":
            self.out.headline_checks += 1
            cards = {m.label: m.body for m in page.of_kind("metric") if m.label in CHECKED}
            for label in CHECKED.keys() - cards.keys():
                self.out.errors.append(f"{where}: no {label!r} card once the run finished")
            for problem in check_headline(self.expected, main, cards, self.own,
                                          self.suppress_below):
                self.out.leaks.append(f"{where}: {problem}")


def _table_cells(page) -> list[str]:
    """The text of every table in the main area (its cells and column names): a table is
    where a figure of another county would show besides the text. The browser check reads
    only the page's text, as tables are drawn on a canvas."""
    out = []
    for path in sorted(page.elements):
        e = page.elements[path]
        if path[0] != MAIN or e.WhichOneof("type") != "dataframe":
            continue
        table = pa.ipc.open_stream(e.dataframe.arrow_data.data).read_all()
        out.append(" ".join(table.column_names))
        for column in table.columns:  # every type: a county column is often a dictionary
            out.extend(str(v) for v in column.to_pylist() if v is not None)
    return out
