"""The checks every request passes before any of Voila's handlers sees it.

* **Host** must be one the course is served as (DNS rebinding: a stranger's site whose name
  points at 127.0.0.1 must not reach the course through the visitor's browser).
* **Origin**, on websockets and on requests that change something (POST, DELETE...), must be
  such a host too: another site's page cannot talk to the course in the visitor's name.
* **A kernel's own endpoints** (its channels websocket, its shutdown, its details) answer only
  the browser session whose page started it: the ``course_visitor`` cookie must match. A kernel
  id seen in a page, a log or a screenshot is not enough to read or end someone's session.

Refused requests get a short plain-text answer (400 or 403) and never reach a handler that could
start or touch a kernel. The gate is a tornado routing rule placed in front of Voila's handlers.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from tornado import httputil, web
from tornado.routing import Matcher

SESSION_COOKIE = "course_visitor"
_SAFE_METHODS = {"GET", "HEAD"}


def allowed_hosts(extra: list[str], port: int) -> set[str]:
    """``host[:port]`` values the server answers to: itself on 127.0.0.1 and localhost, and ``extra``."""
    return {f"127.0.0.1:{port}", f"localhost:{port}", *(h.strip().lower() for h in extra if h.strip())}


def _origin_host(origin: str) -> str | None:
    parts = urlsplit(origin)
    return parts.netloc.lower() if parts.scheme in ("http", "https") else None


class Gate(Matcher):
    """Matches (so routes to :class:`Refusal`) the requests that must not go further."""

    def __init__(self, base_url: str, hosts: Callable[[], set[str]], owner: Callable[[str], str | None]):
        self.hosts = hosts
        self.owner = owner
        # Every per-kernel URL Voila 0.5 serves: /api/kernels/<id>[/channels], the page's
        # shutdown beacon, the preheat "request info" socket and progressive rendering.
        self.per_kernel = re.compile(
            "^" + re.escape(base_url) + r"(?:api/kernels|voila/api/shutdown|voila/query|voila/execution)/([^/?]*)")

    def match(self, request: httputil.HTTPServerRequest) -> dict | None:
        refusal = self.refusal(request)
        return None if refusal is None else {"target_kwargs": {"status": refusal[0], "text": refusal[1]}}

    def refusal(self, request: httputil.HTTPServerRequest) -> tuple[int, str] | None:
        hosts = self.hosts()
        if request.headers.get("Host", "").lower() not in hosts:
            return 400, "This server does not serve that host name."
        origin = request.headers.get("Origin")
        changes = request.method not in _SAFE_METHODS or request.headers.get("Upgrade", "").lower() == "websocket"
        if origin is not None and changes and _origin_host(origin) not in hosts:
            return 403, "Requests from other sites are not accepted."
        kernel = self.per_kernel.match(request.path)
        if kernel:
            owner = self.owner(kernel.group(1))
            cookie = request.cookies.get(SESSION_COOKIE)
            if not (owner and cookie and hmac.compare_digest(owner, cookie.value)):
                return 403, "This lesson belongs to another page."
        return None


class Refusal(web.RequestHandler):
    """A short answer, whatever the method: JSON for the API (the page's script reads it), else plain text."""

    def initialize(self, status: int, text: str) -> None:
        self.status, self.text = status, text

    def prepare(self) -> None:
        self.set_status(self.status)
        if "/api/" in self.request.path:
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"message": self.text}))
        else:
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(self.text + "\n")

    def check_xsrf_cookie(self) -> None:  # the answer is a refusal anyway
        pass
