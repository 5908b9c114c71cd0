"""HTTP middleware around Streamlit (server.py): downloads and metrics only for a live
session, and security headers on every response.

- ``/media/*`` (downloads) and ``/_stcore/metrics`` answer only a browser whose sign-in
  cookie names a live session of an active user (auth.sessions); anyone else gets 403.
  A download (a response with a Content-Disposition) is handed over only when its file
  name carries the download tag of that very session (ui.components.download_name):
  another signed-in user who learns the address gets 404.
- A WebSocket handshake (a tab opening) that carries a sign-in cookie naming no live
  session is answered with that cookie deleted. The page itself still sees the cookie
  in the handshake and says why the person must sign in again (auth.login).
- Every response gets a Content-Security-Policy that lets Streamlit work and nothing
  else load (every request stays on this server), no framing by other sites, no
  referrer, no MIME sniffing, and no caching of pages, data or downloads.

docs/deploy.md repeats the access rule at the reverse proxy, as a second wall.
"""

from __future__ import annotations

import anyio
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse
from streamlit import config as st_config

from auth import sessions
from warehouse import runtime as warehouse_runtime
from warehouse.config import ConfigError
from warehouse.runtime import WarehouseNotReady


def _csp(frame_ancestors: str) -> str:
    # 'unsafe-inline' scripts: Streamlit's index.html and the cookie component's page each
    # carry an inline bootstrap script. 'wasm-unsafe-eval': the map's deck.gl compiles
    # WebAssembly (it allows WebAssembly only, not eval of JavaScript). Styles: Streamlit
    # sets inline styles throughout.
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ])


PAGE_CSP = _csp("'none'")
# Components (the sign-in cookie's among them) are pages framed by Haki's own page.
COMPONENT_CSP = _csp("'self'")
COMMON_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}


def _base() -> str:
    base = str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _live_session(cookie_header: str) -> str | None:
    """The id of the live session the request's sign-in cookie names, else None."""
    try:
        runtime = warehouse_runtime.current()
    except (ConfigError, WarehouseNotReady):
        return None
    token = cookie_parser(cookie_header).get(runtime.settings.cookie_name)
    if not token:
        return None
    limits = sessions.Limits.of(runtime.settings)
    with runtime.engine.connect() as conn:
        if sessions.live_username(conn, token, limits) is None:
            return None
        return sessions.session_of(conn, token)


def _tag(session_id: str) -> str:
    return sessions.download_tag(session_id, warehouse_runtime.current().settings.cookie_key)


class Guard:
    """Pure ASGI middleware (so responses stream through untouched)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].removeprefix(_base()) or "/"
        guarded = path.startswith("/media/") or path == "/_stcore/metrics"
        tag = None
        if guarded:
            cookies = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
            session_id = await anyio.to_thread.run_sync(_live_session, cookies)
            if session_id is None:
                await PlainTextResponse("Sign in first.", status_code=403,
                                        headers=_headers(path))(scope, receive, send)
                return
            tag = await anyio.to_thread.run_sync(_tag, session_id)
        await self.app(scope, receive, _Sender(send, path, tag))


    async def _websocket(self, scope, receive, send):
        cookies = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
        dead = await anyio.to_thread.run_sync(_dead_cookie, cookies)
        if dead is None:
            await self.app(scope, receive, send)
            return

        async def send_dropping_cookie(message):
            if message["type"] == "websocket.accept":
                drop = f"{dead}=; Path=/; Max-Age=0; SameSite=Strict".encode()
                message = {**message,
                           "headers": [*message.get("headers", []), (b"set-cookie", drop)]}
            await send(message)

        await self.app(scope, receive, send_dropping_cookie)


def _dead_cookie(cookie_header: str) -> str | None:
    """The sign-in cookie's name when the request carries one naming no live session."""
    try:
        name = warehouse_runtime.current().settings.cookie_name
    except (ConfigError, WarehouseNotReady):
        return None
    if not cookie_parser(cookie_header).get(name):
        return None
    return None if _live_session(cookie_header) else name


def _headers(path: str) -> dict[str, str]:
    component = path.startswith("/component/")
    headers = {**COMMON_HEADERS,
               "content-security-policy": COMPONENT_CSP if component else PAGE_CSP,
               "x-frame-options": "SAMEORIGIN" if component else "DENY"}
    if not (path.startswith("/static/") or component):
        headers["cache-control"] = "no-store"
    return headers


class _Sender:
    """Adds the headers; withholds a download whose name lacks this session's tag."""

    def __init__(self, send, path: str, tag: str | None):
        self.send, self.path, self.tag = send, path, tag
        self.withheld = False

    async def __call__(self, message):
        if message["type"] == "http.response.start":
            extra = _headers(self.path)
            headers = [(k, v) for k, v in message.get("headers", [])
                       if k.decode("latin-1").lower() not in extra]
            disposition = dict(message.get("headers", [])).get(b"content-disposition")
            if self.tag is not None and disposition is not None and \
                    self.tag.encode() not in disposition:
                self.withheld = True
                body = b"Not found."
                await self.send({"type": "http.response.start", "status": 404, "headers": [
                    (b"content-type", b"text/plain"), (b"content-length", b"%d" % len(body)),
                    *[(k.encode(), v.encode()) for k, v in extra.items()]]})
                await self.send({"type": "http.response.body", "body": body})
                return
            headers += [(k.encode(), v.encode()) for k, v in extra.items()]
            message = {**message, "headers": headers}
        elif self.withheld:
            return
        await self.send(message)
