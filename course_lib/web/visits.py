"""Who gets a kernel: a lesson page is rendered (and a kernel started) only for a real visit.

A real visit is a browser opening the page as a document, from the course itself or typed in
(Fetch Metadata: ``Sec-Fetch-Mode: navigate``, ``Sec-Fetch-Dest: document``,
``Sec-Fetch-Site: same-origin`` or ``none``). Anything else -- ``curl``, a link preview, another
site's ``fetch(..., {mode: "no-cors"})`` or its link -- gets a small "Opening the lesson…" page
that sends a browser on at once (now from the course itself) and leaves a script with nothing.
A browser too old to send Fetch Metadata follows the same page's link, which carries a token
the server signed in the last 10 to 20 minutes.

The page sets the ``course_visitor`` cookie (HttpOnly, SameSite=Strict), by which the kernel
manager counts one browser's pages, and the page's own key, which its kernel's endpoints then
require (:mod:`course_lib.web.gate`). Caps are the kernel manager's
(:mod:`course_lib.web.kernels`): over them the visitor gets a page that says so ("busy, try again
in a minute", "many lessons are opening in this browser").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import tornado.web
from voila.tornado.handler import TornadoVoilaHandler

from . import pages
from .gate import PAGE_COOKIE, SESSION_COOKIE
from .kernels import KernelsBusy, Visit
from .responses import OWN_PAGE, over_https

_SECRET = secrets.token_bytes(32)  # per server process: tokens die with it
_TOKEN_WINDOW = 600
_SESSION_FORMAT = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Voila sends this while a slow cell runs; as an inline script, the CSP would block it.
_HEARTBEAT = "<script>window.voila_heartbeat()</script>"


def visit_token(now: float | None = None) -> str:
    window = int((time.time() if now is None else now) // _TOKEN_WINDOW)
    return hmac.new(_SECRET, str(window).encode(), hashlib.sha256).hexdigest()[:24]


def _valid_token(token: str) -> bool:
    now = time.time()
    return any(hmac.compare_digest(token, visit_token(now - age)) for age in (0, _TOKEN_WINDOW))


def is_page_view(request) -> bool:
    headers = request.headers
    site = headers.get("Sec-Fetch-Site")
    if site is None:
        token = request.query_arguments.get("visit", [b""])[-1].decode(errors="replace")
        return _valid_token(token)
    return (headers.get("Sec-Fetch-Mode") == "navigate" and headers.get("Sec-Fetch-Dest") == "document"
            and site in ("same-origin", "none"))


def forwarded_address(request) -> str | None:
    """The client's address as the reverse proxy saw it (the last X-Forwarded-For entry).

    The server listens on 127.0.0.1 only: a request without the header came from this machine.
    """
    forwarded = request.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[-1].strip() or None


class _VisitorKernels:
    """The kernel manager as one page view's handler sees it: the kernel it gets is recorded as its
    visitor's, and a page whose preheated kernel is still being made takes another at once (a warm
    one, :mod:`course_lib.web.warm`) instead of waiting for it."""

    def __init__(self, manager, visit: Visit):
        self._manager, self._visit = manager, visit
        self.kernel_id: str | None = None

    def __getattr__(self, name):
        return getattr(self._manager, name)

    def get_pool_size(self, notebook: str) -> int:
        return self._manager.get_pool_size(notebook) if self._manager.has_ready_kernel(notebook) else 0

    async def start_kernel(self, **kwargs):
        self.kernel_id = await self._manager.start_visitor_kernel(self._visit, **kwargs)
        return self.kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        task, rendered, kernel_id = await self._manager.get_rendered_notebook(*args, **kwargs)
        self._manager.record(kernel_id, self._visit)
        self.kernel_id = kernel_id
        return task, rendered, kernel_id


class LessonHandler(TornadoVoilaHandler):
    """Voila's page handler, run only for a real visit and within the kernel caps.

    It also sets the ``_xsrf`` cookie the page sends when it closes: Voila 0.5 sets it only on
    its directory pages, so a visitor who came straight to a lesson could not free its kernel
    by closing the tab (voila-dashboards/voila#1458); and, before the page's first byte, the
    page's key (:data:`~course_lib.web.gate.PAGE_COOKIE`) for its kernel's endpoints only.
    """

    _visitor_kernels = None

    @property
    def kernel_manager(self):
        return self._visitor_kernels or self.settings["kernel_manager"]

    async def prepare(self, **kwargs):
        await super().prepare(**kwargs)
        self.xsrf_token  # noqa: B018 - reading the token is what sets the cookie

    @tornado.web.authenticated
    async def get(self, path=None):
        manager = self.settings["kernel_manager"]
        if not is_page_view(self.request):
            return self._own_page(200, pages.opening(f"{self.request.path}?visit={visit_token()}", self._language()))
        visit = Visit(self._session(), forwarded_address(self.request))
        if manager.too_many_from(visit.address):
            return self._own_page(429, pages.crowded(self.request.uri, self._home(), self._language()))
        if not await manager.make_room_for(visit):
            return self._own_page(429, pages.many_opening(self.request.uri, self._home(),
                                                          manager.max_kernels_per_visitor, self._language()))
        kernels = self._visitor_kernels = _VisitorKernels(manager, visit)
        try:
            if not manager.room_for_visitor(path or ""):
                return self._busy()
            async for html in self.get_generator(path=path):
                if kernels.kernel_id and not self._headers_written:
                    self._give_key(kernels.kernel_id, visit.key)
                self.write(html.replace(_HEARTBEAT, "<!-- still working -->"))
                self.flush()
        except KernelsBusy:
            if self._headers_written:
                raise
            self.clear()
            self._busy()
        finally:
            manager.release(visit)
            if kernels.kernel_id:
                manager.loaded(kernels.kernel_id)

    def _give_key(self, kernel_id: str, key: str) -> None:
        """The page key, once per path (tornado's set_cookie keeps one cookie of a name)."""
        secure = "; Secure" if over_https(self.request) else ""
        for path in self.settings["course_kernel_routes"].cookie_paths(kernel_id):
            self.add_header("Set-Cookie", f"{PAGE_COOKIE}={key}; Path={path}; HttpOnly; SameSite=Strict{secure}")

    def _busy(self) -> None:
        self.set_header("Retry-After", "60")
        self._own_page(503, pages.busy(self.request.uri, self._home(), self._language()))

    def _own_page(self, status: int, html: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header(OWN_PAGE, "1")
        self.finish(html)

    def _language(self):
        return pages.language_for(self.request.path)

    def _home(self) -> str:
        return pages.home_in(self.base_url, self._language())

    def _session(self) -> str:
        current = self.get_cookie(SESSION_COOKIE, "")
        if _SESSION_FORMAT.fullmatch(current):
            return current
        session = secrets.token_urlsafe(32)
        self.set_cookie(SESSION_COOKIE, session, path=self.base_url, httponly=True, samesite="Strict")
        return session
