"""Streamlit's websocket protocol, spoken as its browser frontend speaks it (Streamlit 1.67),
for the load test's protocol client (bench/load_protocol.py). No browser, no JavaScript:
the protobuf messages Streamlit ships (streamlit.proto) over one websocket.

What the frontend does, and this does the same (read from the installed package:
streamlit/web/server/starlette/starlette_websocket.py and the frontend bundle's
ConnectionManager, sendRerunBackMsg and WidgetStateManager):

- it loads the page, then asks ``/_stcore/health``, whose answer sets the XSRF cookie
  ``_streamlit_xsrf``; it opens ``/_stcore/stream`` with the subprotocols
  ``["streamlit", <that cookie's value>]``, its cookies and its Origin;
- every run is asked for with a BackMsg ``rerun_script`` (a ClientState): the query
  string, the state of every widget on the page (values the person chose and the
  defaults of the rest), the page (``page_script_hash`` of the page shown, or of the page
  to open; ``page_name`` from the URL only before the first page is known) and the
  browser's context (time zone, locale, URL);
- it draws the ForwardMsg deltas at their ``delta_path`` and, when a run ends
  (``script_finished``), drops what that run did not draw again;
- it keeps the large elements the server marks ``cacheable`` (by their hash, until they
  have gone unused for ``max_cached_message_age`` runs) and names them in every request,
  so that the server sends an element drawn again unchanged as a ``ref_hash`` only.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
MAIN = 0  # delta_path[0]: the main area; 1 is the sidebar
MAX_MESSAGE = 256 * 2**20  # charts and tables of a 100k warehouse arrive as one message


class Disconnected(RuntimeError):
    """The server closed the websocket."""


@dataclass
class Run:
    """One run the client asked for, until its last ``script_finished``."""
    sent: float  # time.monotonic() when the BackMsg went out
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    ended: float | None = None
    status: int | None = None


class Page:
    """What the browser would show: elements by position, pages of the navigation."""

    def __init__(self):
        self.elements: dict[tuple[int, ...], object] = {}  # delta_path -> Element
        self.fresh: dict[tuple[int, ...], object] = {}  # drawn by the run under way
        self.script: dict[tuple[int, ...], str] = {}  # delta_path -> the script that drew it
        self.main_hash = ""  # app.py's script hash (NewSession.main_script_hash)
        self.values: dict[str, WidgetState] = {}  # widget id -> its state, as the frontend
        self.pages: list = []  # AppPage of the navigation (st.navigation)
        self.page_hash = ""  # the page shown (Navigation.page_script_hash)

    def draw(self, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        delta = msg.delta
        if delta.WhichOneof("type") == "new_element":
            self.fresh[path] = delta.new_element
            self.elements[path] = delta.new_element
            self.script[path] = msg.metadata.active_script_hash

    def finish(self, status: int) -> None:
        """A run that ended (not one cut short by the next) leaves only what it drew; the
        widgets' states are kept as the frontend keeps them (its WidgetStateManager): what
        the person chose stays, a widget new to the page starts at the value it was sent
        with, the server setting a value wins, a widget no longer drawn is forgotten."""
        if status != EARLY:
            self.elements = dict(self.fresh)
            drawn = {}
            for e in self.widgets():
                w = getattr(e, e.WhichOneof("type"))
                old = self.values.get(w.id)
                new = shown_value(e)
                drawn[w.id] = new if old is None or getattr(w, "set_value", False) else old
            self.values = {k: v for k, v in drawn.items() if v is not None}
        self.fresh = {}

    def widgets(self, main_script_only: bool = False) -> list:
        """The widgets drawn; with ``main_script_only``, those app.py drew (what the
        frontend keeps when it leaves a page: its clearPageElements)."""
        return [e for p, e in self.elements.items() if widget_id(e) and not (
            main_script_only and self.script.get(p) != self.main_hash)]

    def states(self, main_script_only: bool = False) -> list[WidgetState]:
        ids = {widget_id(e) for e in self.widgets(main_script_only)}
        return [v for k, v in self.values.items() if k in ids]

    def choose(self, *states: WidgetState) -> list[WidgetState]:
        """The states to send when the person sets widgets (a form: its fields and its
        submit button's trigger, which is not kept): every other widget as it is."""
        for state in states:
            if state.WhichOneof("value") != "trigger_value":
                self.values[state.id] = state
        triggers = {s.id: s for s in states if s.WhichOneof("value") == "trigger_value"}
        return self.states() + list(triggers.values())

    def find(self, kind: str, label: str):
        """The widget of this kind and label (the first, in drawing order), or None."""
        for path in sorted(self.elements):
            e = self.elements[path]
            if e.WhichOneof("type") == kind and getattr(e, kind).label == label:
                return getattr(e, kind)
        return None

    def texts(self, area: int | None = MAIN) -> list[str]:
        """Every text the area shows, in order (what a reader reads of it)."""
        out = []
        for path in sorted(self.elements):
            if area is not None and path[0] != area:
                continue
            e = self.elements[path]
            kind = e.WhichOneof("type")
            if kind in ("markdown", "heading", "text", "alert"):
                out.append(getattr(e, kind).body)
            elif kind == "metric":
                out.append(f"{e.metric.label}\n{e.metric.body}")
            elif kind == "exception":
                out.append(f"{e.exception.type}: {e.exception.message}")
        return out

    def of_kind(self, kind: str) -> list:
        return [getattr(self.elements[p], kind) for p in sorted(self.elements)
                if self.elements[p].WhichOneof("type") == kind]


def widget_id(element) -> str:
    kind = element.WhichOneof("type")
    return getattr(getattr(element, kind), "id", "") if kind else ""


def shown_value(element) -> WidgetState | None:
    """The state the frontend keeps for a widget it has drawn and nobody touched: the value
    the server sent (``set_value``) or the default. Buttons and components have none."""
    kind = element.WhichOneof("type")
    w = getattr(element, kind)
    state = WidgetState(id=w.id)
    if kind in ("selectbox", "radio"):
        value = w.raw_value if w.set_value else (
            w.options[w.default] if w.HasField("default") else None)
        if value is None:
            return None
        state.string_value = value
    elif kind == "multiselect":
        state.string_array_value.SetInParent()  # an empty choice is a value too
        state.string_array_value.data.extend(
            w.raw_values if w.set_value else [w.options[i] for i in w.default])
    elif kind == "slider":
        if w.options:  # select_slider: the formatted options chosen
            state.string_array_value.data.extend(
                w.raw_value if w.set_value else [w.options[int(i)] for i in w.default])
        else:
            state.double_array_value.data.extend(w.value if w.set_value else w.default)
    elif kind == "checkbox":
        state.bool_value = w.value if w.set_value else w.default
    elif kind == "date_input":
        state.string_array_value.data.extend(w.value if w.set_value else w.default)
    elif kind == "text_input":  # in a form too: what is typed waits there for the submit
        state.string_value = w.value if w.set_value else w.default
    else:
        return None
    return state


class Connection:
    """One browser tab: cookies, one websocket, the page as drawn, one run at a time."""

    def __init__(self, base: str, timezone: str = "UTC"):
        self.base, self.timezone = base.rstrip("/"), timezone
        self.cookies: dict[str, str] = {}
        self.page = Page()
        self.run: Run | None = None
        self.closed: str | None = None
        self.problems: list[str] = []  # messages that tell of a failure, for the session
        self.cache: dict[str, list] = {}  # hash -> [message bytes, run it was last used in]
        self.runs, self.max_age = 0, 2  # the frontend's script run count; NewSession's age
        self._ws = None
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        """As a browser tab opens the app: the page, the health check, the websocket."""
        for path in ("/", "/_stcore/health"):
            await asyncio.to_thread(self._get, path)
        xsrf = self.cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self._ws = await connect(
            url, subprotocols=["streamlit", xsrf], origin=self.base, max_size=MAX_MESSAGE,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in
                                                    self.cookies.items())},
            open_timeout=60, ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    def _get(self, path: str) -> None:
        request = urllib.request.Request(self.base + path, headers={"Cookie": "; ".join(
            f"{k}={v}" for k, v in self.cookies.items())})
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._on(self._cached(msg, data))
            self.closed = "the server closed the websocket"
        except Exception as exc:  # noqa: BLE001 - the session reports it as an error
            self.closed = f"websocket: {type(exc).__name__}: {exc}"
        if self.run is not None:
            self.run.finished.set()

    def _cached(self, msg: ForwardMsg, data: bytes) -> ForwardMsg:
        """The message itself, kept if cacheable; or the one a ``ref_hash`` refers to."""
        if msg.WhichOneof("type") != "ref_hash":
            if msg.metadata.cacheable and msg.hash:
                self.cache.setdefault(msg.hash, [data, self.runs])[1] = self.runs
            return msg
        entry = self.cache.get(msg.ref_hash)
        if entry is None:  # the frontend stops with an error here too
            raise RuntimeError(f"cached ForwardMsg miss: {msg.ref_hash}")
        entry[1] = self.runs
        full = ForwardMsg()
        full.ParseFromString(entry[0])
        full.metadata.CopyFrom(msg.metadata)
        return full

    def _on(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta":
            self.page.draw(msg)
        elif kind == "page_not_found":
            self.problems.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event" and msg.session_event.WhichOneof("type") in (
                "script_compilation_exception", "script_changed_on_disk"):
            self.problems.append(f"session event: {msg.session_event.WhichOneof('type')}")
        elif kind == "new_session":
            self.page.main_hash = msg.new_session.main_script_hash
            self.max_age = msg.new_session.config.max_cached_message_age
        elif kind == "navigation":
            self.page.pages = list(msg.navigation.app_pages)
            self.page.page_hash = msg.navigation.page_script_hash
        elif kind == "script_finished":
            status = msg.script_finished
            self.page.finish(status)
            if status != EARLY:  # the frontend ages its cache by the runs that ended
                self.runs += 1
                self.cache = {h: e for h, e in self.cache.items()
                              if self.runs - e[1] <= self.max_age}
            if self.run is not None and status != EARLY:
                self.run.status, self.run.ended = status, time.monotonic()
                self.run.finished.set()

    async def rerun(self, states: list[WidgetState], page_hash: str | None = None,
                    timeout: float = 120) -> float:
        """Asks for a run as the frontend does; returns the seconds from the BackMsg sent
        to the run's last ``script_finished``."""
        if self.closed:
            raise Disconnected(self.closed)
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = ""
        client.widget_states.widgets.extend(states)
        client.page_script_hash = page_hash if page_hash is not None else self.page.page_hash
        client.cached_message_hashes.extend(self.cache)
        client.context_info.timezone = self.timezone
        client.context_info.timezone_offset = 0  # headless Chromium here: UTC, en-US
        client.context_info.locale = "en-US"
        client.context_info.url = self.base + "/" + next(
            (p.url_pathname for p in self.page.pages
             if p.page_script_hash == client.page_script_hash), "")
        client.context_info.is_embedded = False
        client.context_info.color_scheme = "light"
        self.run = Run(sent=time.monotonic())
        await self._ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self.run.finished.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"no script_finished {timeout:g} s after the change") from None
        if self.run.ended is None:
            raise Disconnected(self.closed or "closed")
        return self.run.ended - self.run.sent
